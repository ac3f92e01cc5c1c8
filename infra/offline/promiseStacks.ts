/**
 * The Pulumi Node.js SDK stamps every promise it tracks (`debuggablePromise`: each resource's inputs,
 * outputs and RPCs, thousands in a large stack) with `new Error().stack`, formatted at once, only to print
 * it if the promise is still pending when the program exits (its leak report). With source maps on (tsx,
 * as under ts-node), formatting a stack maps every frame: most of a large preview's time after imports.
 *
 * The engine keeps the same stamp, formatted when read: the stack is captured where the SDK captures it
 * (V8 records the frames, cheap) and turned into text, with the source maps then in force, only if the
 * leak report prints it. Nothing else reads `_debugStackTrace`. If a future SDK renames the function,
 * nothing is patched and nothing breaks.
 */
import * as path from "node:path";

type DebuggablePromise = ((p: Promise<unknown>, ctx: unknown) => Promise<unknown>) & {
  meridianDeferredStacks?: true;
};

export function deferPromiseStacks(sdkDir: string): void {
  let debuggable: { debuggablePromise?: DebuggablePromise };
  try {
    debuggable = require(path.join(sdkDir, "runtime", "debuggable")) as typeof debuggable;
  } catch {
    return;
  }
  const original = debuggable.debuggablePromise;
  if (typeof original !== "function" || original.meridianDeferredStacks) return;
  const deferred: DebuggablePromise = (p, ctx) => {
    const captured: { stack?: string } = {};
    Error.captureStackTrace(captured, deferred);
    const prepare = Error.prepareStackTrace;
    // The SDK's own `new Error().stack` inside `original` formats to nothing ...
    Error.prepareStackTrace = () => "";
    try {
      return original(p, ctx);
    } finally {
      Error.prepareStackTrace = prepare;
      // ... and the stamp is the stack captured above, formatted when the leak report reads it.
      (p as unknown as { _debugStackTrace: unknown })._debugStackTrace = {
        toString: () => `Error\n${String(captured.stack).split("\n").slice(1).join("\n")}`,
      };
    }
  };
  deferred.meridianDeferredStacks = true;
  debuggable.debuggablePromise = deferred;
}
