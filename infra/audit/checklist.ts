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
import type { CapturedResource } from "../offline/runtime";
import { type CheckResult, type CheckStatus, graphOf } from "./checklistGraph";
import { CHECKS } from "./checklistItems";

export * from "./checklistGraph";

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
