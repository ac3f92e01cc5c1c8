/**
 * Defers modules the Pulumi Node.js SDK loads eagerly but uses only for work an offline preview rarely
 * does. By default two, used only by function serialization (`pulumi.runtime.serializeFunction`,
 * `aws.lambda.CallbackFunction`): the TypeScript compiler (required by @pulumi/pulumi's typescript-shim,
 * ~370 ms to compile) and @npmcli/arborist (required by its closure code-path walker, ~220 ms).
 *
 * A deferred module is a stand-in that loads the real module the first time anything is read from it,
 * then behaves as it, so a program that serializes a function gets exactly the same module and one that
 * does not never pays for it. A rule may name fields known without loading (`version`, read from the
 * package's package.json). Matching is by the requiring file's path inside @pulumi/pulumi: if a future
 * SDK moves these requires, nothing is deferred and nothing breaks.
 *
 * Installed by the offline engine in its own process (before it loads the program's SDK) and preloaded
 * into the policy pack process it starts (transpileOnly.cjs); the Pulumi CLI runs neither.
 */
/* global require, module */
"use strict";
const Module = require("node:module");
const fs = require("node:fs");
const path = require("node:path");

/** `{ parent: RegExp of the requiring file, request: string, known?: string[] }` */
const FUNCTION_SERIALIZATION = [
  { parent: /[\\/]@pulumi[\\/]pulumi[\\/]typescript-shim\.js$/, request: "typescript" },
  {
    parent: /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]closure[\\/]codePaths\.js$/,
    request: "@npmcli/arborist",
  },
];

/** The package.json of the module `request` resolves to from `parent`. */
function packageJsonOf(request, parent) {
  let dir = path.dirname(Module._resolveFilename(request, parent));
  for (;;) {
    const f = path.join(dir, "package.json");
    if (fs.existsSync(f)) return JSON.parse(fs.readFileSync(f, "utf8"));
    const up = path.dirname(dir);
    if (up === dir) return {};
    dir = up;
  }
}

/**
 * Keys a loader may probe right after loading any module without using it: tsx looks for a
 * `"module.exports"` export (the name Node gives an ES module's CommonJS face). The deferred modules are
 * CommonJS and have none, so the probe is answered without loading them.
 */
const PROBES = new Set(["module.exports"]);

/** A stand-in that loads the module on first use and then behaves as it (CommonJS interop included). */
function deferred(load, known = {}) {
  let real;
  const mod = () => (real ??= load());
  // What `__importStar(require(x))` would hand the SDK for a CommonJS module: itself as `default`. The
  // `__esModule` mark (asked at load time) makes `__importStar` return the stand-in instead of copying it.
  return new Proxy(
    {},
    {
      get: (_, k) => {
        if (!real && k in known) return known[k];
        if (!real && PROBES.has(k)) return undefined;
        if (k === "__esModule") return real ? real.__esModule || true : true;
        return k in mod() || k !== "default" ? Reflect.get(mod(), k) : mod();
      },
      has: (_, k) => k in mod(),
      set: (_, k, v) => Reflect.set(mod(), k, v),
      ownKeys: () => Reflect.ownKeys(mod()),
      getOwnPropertyDescriptor: (_, k) => {
        if (!real && PROBES.has(k)) return undefined;
        const d = Reflect.getOwnPropertyDescriptor(mod(), k);
        return d && { ...d, configurable: true };
      },
      defineProperty: (_, k, d) => Reflect.defineProperty(mod(), k, d),
      deleteProperty: (_, k) => Reflect.deleteProperty(mod(), k),
      getPrototypeOf: () => Reflect.getPrototypeOf(mod()),
    },
  );
}

const rules = [];

/** Defers the function-serialization modules, plus `extra` rules; idempotent per rule list. */
function install(extra = []) {
  for (const r of [...FUNCTION_SERIALIZATION, ...extra]) if (!rules.includes(r)) rules.push(r);
  if (Module._load.meridianDeferred) return;
  const load = Module._load;
  const hooked = function (request, parent, ...rest) {
    const file = parent && parent.filename;
    const rule = file && rules.find((d) => d.request === request && d.parent.test(file));
    if (!rule) return load.call(this, request, parent, ...rest);
    const known = {};
    if (rule.known?.includes("version")) known.version = packageJsonOf(request, parent).version;
    return deferred(() => load.call(this, request, parent, ...rest), known);
  };
  hooked.meridianDeferred = true;
  Module._load = hooked;
}

module.exports = { install, FUNCTION_SERIALIZATION };
