/**
 * The go-live checklist, evaluated from a stack's resource graph (an offline preview or a deployment export):
 * each item passes, fails, or needs a human — always with why and the resources it looked at.
 *
 * The items come from the seeds' go-live checklists (../shared/seeds: 001 "GO-LIVE Checklist" — CORS restricted
 * to real domains, TLS forced with HSTS, secrets loaded not in files, dashboards receiving data; 002 — WAF,
 * backups and restore tests; 004 "Checklist de alistamiento para producción" — WAF on ALB/CloudFront, dashboards,
 * alarms to SNS/Slack/PagerDuty, snapshots, deletion safety) and issue #13: CORS restricted to real origins,
 * HSTS, secrets only by reference, TLS forced, dashboards and alarms exist and route somewhere, backups and PITR,
 * deletion protection, image pinned by digest, WAF. The checks (checklistItems.ts) read resource types of the
 * AWS and Google Cloud providers (@pulumi/aws 7, @pulumi/gcp 9 argument names), so they work for any program
 * using them, not only Meridian; a stack that uses none of the types an item knows gets "needs a human".
 */
import { CapturedResource, plainInputs, unknownPaths } from "../offline/runtime";
import { CHECKS } from "./checklistItems";

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

/** Evaluates every item of the checklist on the resources (the live ones: deleted ones are not passed). */
export function goLiveChecklist(resources: readonly CapturedResource[]): CheckResult[] {
  const g = graphOf(resources);
  return CHECKS.map((c) => {
    try {
      return { id: c.id, title: c.title, ...c.evaluate(g) };
    } catch (e) {
      return {
        id: c.id,
        title: c.title,
        status: "human" as const,
        why: `the check could not read the stack (${(e as Error).message}); review by hand`,
        resources: [],
      };
    }
  });
}

/** Counts per status. */
export function checklistSummary(items: readonly CheckResult[]): Record<CheckStatus, number> {
  const out: Record<CheckStatus, number> = { pass: 0, fail: 0, human: 0 };
  for (const i of items) out[i.status]++;
  return out;
}

export const STATUS_LABEL: Record<CheckStatus, string> = {
  pass: "pass",
  fail: "FAIL",
  human: "needs a human",
};

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
