/**
 * Preloaded (`node -r`) into the policy pack process the offline engine starts, and only there: the
 * Pulumi CLI's `run-policy-pack` registers ts-node with `typeCheck: true`, which loads the TypeScript
 * compiler and type-checks the pack on every start (most of a preview's time). The engine runs the same
 * `run-policy-pack` and the same program, but transpile-only: TypeScript files load through tsx (esbuild,
 * the engine's own loader for programs), and ts-node's `register` becomes a no-op. Set
 * MERIDIAN_PACK_TS_NODE=1 to keep ts-node, transpile-only. Type errors in the pack are still caught where it
 * matters: `npm run typecheck`, and infra/offline/policy/packInstall.test.ts, which starts the pack
 * exactly as the CLI does (type-checked, from a clean install of its `npm pack` output).
 *
 * Through tsx, `run-policy-pack`'s own uses of the TypeScript compiler have no effect: it loads it to log its
 * version and to read tsconfig.json's compilerOptions, both only for ts-node's `register`, which tsx
 * replaces. So the compiler is deferred here (its `version` read from its package.json, ~490 ms saved per
 * start) and the tsconfig is not parsed; the pack never sees a difference. With MERIDIAN_PACK_TS_NODE=1
 * both stay as the CLI has them.
 */
/* global require, process */
"use strict";
const Module = require("node:module");

const viaTsNode = process.env.MERIDIAN_PACK_TS_NODE === "1";
const sdkFile = (f) => new RegExp(`[\\\\/]@pulumi[\\\\/]pulumi[\\\\/]${f.replace(/\//g, "[\\\\/]")}\\.js$`);

// The SDK's function-serialization dependencies load on first use only (see lazyModules.cjs); through tsx,
// so does the compiler run-policy-pack requires for ts-node.
const RUN_POLICY_PACK = sdkFile("cmd/run-policy-pack/run");
require("../lazyModules.cjs").install(
  viaTsNode
    ? []
    : [
        { parent: sdkFile("tsutils"), request: "typescript", known: ["version"] },
        { parent: RUN_POLICY_PACK, request: "typescript", known: ["version"] },
      ],
);

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
    return {
      ...m,
      meridianTranspileOnly: true,
      register: (opts) =>
        viaTsNode
          ? register({ ...opts, typeCheck: false, transpileOnly: true })
          : require("tsx/cjs/api").register(),
    };
  }
  // tsconfig.json's compilerOptions only configure ts-node, which tsx replaces: not parsed (see above).
  const parent = rest[0] && rest[0].filename;
  if (
    !viaTsNode &&
    parent &&
    RUN_POLICY_PACK.test(parent) &&
    /(^|[\\/])tsutils$/.test(request) && // before touching m: other modules here are deferred stand-ins
    m &&
    typeof m.loadTypeScriptCompilerOptions === "function"
  )
    return { ...m, loadTypeScriptCompilerOptions: () => ({}) };
  return m;
};
