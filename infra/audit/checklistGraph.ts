/**
 * What the go-live checks (checklistItems.ts, checklistSources.ts) are written against: the result shape,
 * the graph view of a stack's resources (plain state, unknowns marked) and path helpers.
 */
import { CapturedResource, plainInputs, unknownPaths } from "../offline/runtime";

export type CheckStatus = "pass" | "fail" | "human";

/** One evaluated item. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** Why: what was found (or not), in one or a few sentences. */
  why: string;
  /** URNs of the resources the verdict rests on (failing ones first when it fails). */
  resources: string[];
}

/** A resource as the checks see it: plain state (inputs overlaid with outputs, secrets unwrapped). */
export interface Node {
  r: CapturedResource;
  /** Plain values; unknown ones are absent (see `unknown`). */
  state: Record<string, unknown>;
  /** True when the value at this top-level key (or inside it) is only known after a deployment. */
  unknown(key: string): boolean;
}

/** What a check gets: every live resource, and by type. */
export interface Graph {
  nodes: Node[];
  ofType(...types: string[]): Node[];
}

/** A check: id, title, and the evaluation. */
export interface Check {
  id: string;
  title: string;
  evaluate(g: Graph): Omit<CheckResult, "id" | "title">;
}

/** Builds the graph view of a resource list. */
export function graphOf(resources: readonly CapturedResource[]): Graph {
  const nodes = resources.map((r): Node => {
    const wire = { ...r.inputs, ...r.outputs };
    const unknown = new Set(unknownPaths(wire).map((p) => p.split(/[.[]/)[0]));
    return { r, state: plainInputs(wire), unknown: (key) => unknown.has(key) };
  });
  return { nodes, ofType: (...types) => nodes.filter((n) => types.includes(n.r.type)) };
}

/** A value at a dotted path of plain state (`defaultCacheBehavior.viewerProtocolPolicy`). */
export function at(v: unknown, path: string): unknown {
  let cur = v;
  for (const k of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** A list at a path ([] when absent). */
export function listAt(v: unknown, path: string): Record<string, unknown>[] {
  const x = at(v, path);
  return Array.isArray(x) ? (x.filter((e) => e && typeof e === "object") as Record<string, unknown>[]) : [];
}
