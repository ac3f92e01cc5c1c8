/**
 * Hooks into the Pulumi SDK instance a program uses: loading it from the program's directory, resolving its
 * internal modules, marking additional secret outputs, recording property names, and routing pulumi.log.*.
 */
import * as path from "node:path";
import type * as pulumiType from "@pulumi/pulumi";
import type { ProtoMessage, RegisterRequest } from "./capture";
import { deferPromiseStacks } from "./promiseStacks";
import { isSecretValue, SIG } from "./wire";

type Pulumi = typeof pulumiType;

/** A message the program or the SDK logged (pulumi.log.*), as the engine would show it under Diagnostics. */
export interface Diagnostic {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  /** The resource the message is about, when given. */
  urn?: string;
}

/** Resolves one of the SDK's internal modules (`runtime/settings`) in the SDK instance the program uses. */
export function resolveFrom(pulumi: Pulumi, sub: string): string {
  return path.join(sdkDir(pulumi), sub);
}

/** Resolves a package the SDK depends on (google-protobuf) from the SDK instance's own location. */
export function resolveBesideSdk(pulumi: Pulumi, spec: string): string {
  return require.resolve(spec, { paths: [sdkDir(pulumi)] });
}

export function sdkDir(pulumi: Pulumi): string {
  const entry =
    (pulumi as unknown as { __meridianEntry?: string }).__meridianEntry ?? require.resolve("@pulumi/pulumi");
  return path.dirname(entry);
}

/**
 * The engine marks a resource's `additionalSecretOutputs` as secret in its state (e.g. RandomPassword's
 * `result`); the SDK's mock monitor does not, so the recorder does it here, before the SDK sees the state.
 */
export function markAdditionalSecrets(
  req: RegisterRequest,
  resp: ProtoMessage,
  Struct: { fromJavaScript(v: unknown): unknown },
) {
  const keys = req.getAdditionalsecretoutputsList();
  const obj = resp.getObject()?.toJavaScript();
  if (!keys.length || !obj) return;
  let changed = false;
  for (const k of keys) {
    if (k in obj && !isSecretValue(obj[k])) {
      obj[k] = { [SIG.key]: SIG.secret, value: obj[k] };
      changed = true;
    }
  }
  if (changed) (resp as unknown as { setObject(v: unknown): void }).setObject(Struct.fromJavaScript(obj));
}

/**
 * Records, per resource, the output-only properties of its class: the generated provider SDKs write them
 * as `resourceInputs["arn"] = undefined` followed by an `out` marker comment, which the class source
 * (Function#toString) still shows.
 * In a real preview the provider leaves those unknown until the resource exists; unset optional inputs are
 * simply absent. The SDK's resource module is called through its module object, so wrapping the export
 * sees every registration.
 */
export function recordPropertyNames(pulumi: Pulumi): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const byClass = new WeakMap<object, string[]>();
  const mod = require(resolveFrom(pulumi, "runtime/resource")) as Record<string, unknown>;
  const original = mod.registerResource as (...args: unknown[]) => unknown;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    // registerResource(res, parent, t, name, custom, ...)
    const [res, , t, name, custom] = args as [object, unknown, string, string, boolean];
    if (custom && res && typeof res.constructor === "function") {
      let outs = byClass.get(res.constructor);
      if (!outs) {
        outs = [
          ...res.constructor.toString().matchAll(/resourceInputs\["(\w+)"\]\s*=\s*undefined\s*\/\*out\*\//g),
        ].map((m) => m[1]);
        byClass.set(res.constructor, outs);
      }
      names.set(`${t}::${name}`, outs);
    }
    return original.apply(this, args);
  };
  Object.defineProperty(mod, "registerResource", {
    value: wrapped,
    writable: true,
    configurable: true,
    enumerable: true,
  });
  return names;
}

/**
 * Routes pulumi.log.* to a list instead of the console (there is no engine to send them to). The SDK and
 * provider packages call these functions through the module object, so replacing them catches every call.
 */
export function interceptLogs(pulumi: Pulumi): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const log = pulumi.log as unknown as Record<string, unknown>;
  const make =
    (severity: Diagnostic["severity"]) =>
    (message: string, resource?: { urn?: { promise?: () => Promise<string> } }): Promise<void> => {
      const entry: Diagnostic = { severity, message };
      diagnostics.push(entry);
      const urn = resource?.urn?.promise?.();
      if (urn)
        return urn.then(
          (u) => void (entry.urn = u),
          () => undefined,
        );
      return Promise.resolve();
    };
  for (const sev of ["debug", "info", "warn", "error"] as const) {
    Object.defineProperty(log, sev, {
      value: make(sev === "warn" ? "warning" : sev),
      writable: true,
      configurable: true,
      enumerable: true,
    });
  }
  return diagnostics;
}

/** Loads @pulumi/pulumi as seen from a program directory, so the program and the engine share one runtime. */
export function loadPulumiFrom(dir: string): Pulumi {
  // The SDK's function-serialization dependencies load on first use only (see lazyModules.cjs).
  (require("./lazyModules.cjs") as { install(): void }).install();
  const entry = require.resolve("@pulumi/pulumi", { paths: [dir] });
  const mod = require(entry) as Pulumi;
  deferPromiseStacks(path.dirname(entry));
  Object.defineProperty(mod, "__meridianEntry", { value: entry, enumerable: false, configurable: true });
  return mod;
}
