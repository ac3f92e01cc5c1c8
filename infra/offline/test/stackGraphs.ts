/**
 * Shared fixtures of the stack tests (infra/offline/stacks*.test.ts): the JSON report of each of Meridian's
 * four stacks, previewed once per mocha process through the CLI and cached, and a comparison of output
 * shapes between clouds.
 */
import { strict as assert } from "node:assert";
import { preview } from "./cli";

/** A node of the offline preview's JSON report (read by tests). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON report, read by tests
export type Doc = any;
const graphs = new Map<string, Doc>();

/**
 * The JSON report of `npm run preview -- --stack <stack> --cloud <cloud> -c <config>... <extra>...` (not
 * cached); fails the test with the engine's stderr when the preview does not succeed.
 */
export function stackDoc(stack: string, cloud: string, config: string[] = [], extra: string[] = []): Doc {
  const args = ["--stack", stack, "--cloud", cloud, ...config.flatMap((c) => ["-c", c])];
  const r = preview([...args, "--format", "json", "-q", ...extra]);
  assert.equal(r.code, 0, `preview ${args.join(" ")} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The JSON report of `npm run preview -- --stack <stack> --cloud <cloud>` (previewed once, then cached). */
export function graph(stack: string, cloud: string): Doc {
  const key = `${stack}/${cloud}`;
  if (!graphs.has(key)) graphs.set(key, stackDoc(stack, cloud));
  return graphs.get(key);
}

/** Objects keyed by names that differ per cloud by design (CIDR names, log destinations). */
const MAPS = new Set(["cidrs", "logRetentionDays"]);
/** Fields the contract types `string | null`: null on one side is the same shape. */
const NULLABLE = new Set([
  "image",
  "posture.alarms.destination",
  // AWS only (GCP: a scripted clone drill instead; null there).
  "posture.restoreTesting",
  // null when meridian:accountBaseline is off, on either cloud.
  "posture.accountBaseline",
]);

/**
 * Compares the shapes (keys and value kinds, not values) of two JSON values. Returns the paths whose kinds
 * differ and the paths only one side has.
 */
export function compareShapes(
  a: unknown,
  b: unknown,
  at = "",
): { differ: string[]; onlyA: string[]; onlyB: string[] } {
  const kind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);
  const out = { differ: [] as string[], onlyA: [] as string[], onlyB: [] as string[] };
  if (kind(a) !== kind(b) && !(NULLABLE.has(at) && (a === null || b === null))) {
    out.differ.push(`${at || "(root)"}: ${kind(a)} vs ${kind(b)}`);
    return out;
  }
  if (kind(a) !== "object" || kind(b) !== "object" || MAPS.has(at.split(".").pop() ?? "")) return out;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    const p = at ? `${at}.${k}` : k;
    if (!(k in y)) out.onlyA.push(p);
    else if (!(k in x)) out.onlyB.push(p);
    else {
      const r = compareShapes(x[k], y[k], p);
      out.differ.push(...r.differ);
      out.onlyA.push(...r.onlyA);
      out.onlyB.push(...r.onlyB);
    }
  }
  return out;
}

/** How many resources of `type` a report holds. */
export const count = (doc: Doc, type: string) => doc.resources.filter((r: Doc) => r.type === type).length;
