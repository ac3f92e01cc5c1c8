/**
 * Preloaded (`node -r`) into the policy pack process the offline engine starts, and only there: the
 * Pulumi CLI's `run-policy-pack` registers ts-node with `typeCheck: true`, which loads the TypeScript
 * compiler and type-checks the pack on every start (most of a preview's time). The engine runs the same
 * `run-policy-pack` and the same program, but transpile-only: TypeScript files load through tsx (esbuild,
 * the engine's own loader for programs), and ts-node's `register` becomes a no-op. Set
 * MERIDIAN_PACK_TS_NODE=1 to keep ts-node, transpile-only. Type errors in the pack are still caught where it
 * matters: `npm run typecheck`, and infra/offline/policy/packInstall.test.ts, which starts the pack
 * exactly as the CLI does (type-checked, from a clean install of its `npm pack` output).
 */
/* global require, process */
"use strict";
const Module = require("node:module");

const load = Module._load;
Module._load = function (request, ...rest) {
  const m = load.call(this, request, ...rest);
  if (
    /(^|[\\/])ts-node(@[\d.]+)?([\\/]|$)/.test(request) &&
    m &&
    typeof m.register === "function" &&
    !m.meridianTranspileOnly
  ) {
    const register = m.register;
    const viaTsNode = process.env.MERIDIAN_PACK_TS_NODE === "1";
    return {
      ...m,
      meridianTranspileOnly: true,
      register: (opts) =>
        viaTsNode
          ? register({ ...opts, typeCheck: false, transpileOnly: true })
          : require("tsx/cjs/api").register(),
    };
  }
  return m;
};
