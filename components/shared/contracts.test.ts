/**
 * The outputs contract's checker (contracts.ts) on hand-made outputs: a complete object passes, a missing
 * field is named, and a stack without a cache passes only when it says why. Pure: no preview, no mocks.
 */
import { strict as assert } from "node:assert";
import { checkOutputsContract, REQUIRED_OUTPUT_PATHS } from "./contracts";

/** An object holding every required path (leaf value "x"). */
function complete(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of REQUIRED_OUTPUT_PATHS) {
    const parts = p.split(".");
    let cur = out;
    for (const part of parts.slice(0, -1)) cur = (cur[part] ??= {}) as Record<string, unknown>;
    cur[parts[parts.length - 1]] = "x";
  }
  return out;
}

const posture = (o: Record<string, unknown>) => o.posture as Record<string, unknown>;

describe("outputs contract (checkOutputsContract)", () => {
  it("a complete object passes; a missing leaf or section is named", () => {
    assert.deepEqual(checkOutputsContract(complete()), []);
    const o = complete();
    delete (posture(o).cache as Record<string, unknown>).tls;
    delete posture(o).edge;
    assert.deepEqual(checkOutputsContract(o), [
      "posture.edge.minTlsVersion",
      "posture.edge.httpRedirect",
      "posture.edge.waf",
      "posture.cache.tls",
    ]);
  });

  it("posture.cache null stands for the cache section when posture.absent.cache says why", () => {
    const o = complete();
    posture(o).cache = null;
    posture(o).absent = { cache: "meridian:cacheEnabled=false: dev without a cache" };
    assert.deepEqual(checkOutputsContract(o), []);
  });

  it("posture.cache null without a reason (or an empty one) reports posture.absent.cache", () => {
    const o = complete();
    posture(o).cache = null;
    assert.deepEqual(checkOutputsContract(o), ["posture.absent.cache"]);
    posture(o).absent = { cache: "" };
    assert.deepEqual(checkOutputsContract(o), ["posture.absent.cache"]);
  });

  it("a missing cache section (not null) is still missing, reason or not", () => {
    const o = complete();
    delete posture(o).cache;
    posture(o).absent = { cache: "some reason" };
    assert.deepEqual(checkOutputsContract(o), [
      "posture.cache.tls",
      "posture.cache.auth",
      "posture.cache.encryptedAtRest",
    ]);
  });
});
