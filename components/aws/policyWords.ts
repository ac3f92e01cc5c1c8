/**
 * Resource policies in words for the posture document: one line per statement, read from the JSON the
 * stack actually sends (bucket policies, key policies), so what an auditor reads cannot drift from what is
 * deployed. `Allow Service:cloudtrail.amazonaws.com s3:PutObject on arn:...:bucket/AWSLogs/1234/* if
 * {"StringEquals":{...}}`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResourcePolicyFact } from "../shared/contracts";

type Json = Record<string, unknown>;

const list = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

/** `*`, `AWS:arn:...`, `Service:cloudtrail.amazonaws.com`, joined with `,`. */
function principalWords(p: unknown): string {
  if (p === undefined) return "(no principal: identity policy)";
  if (typeof p === "string") return p;
  return Object.entries(p as Json)
    .flatMap(([kind, v]) => list(v).map((x) => `${kind}:${x}`))
    .join(",");
}

/** Describes a policy document (JSON text): one line per statement, actions joined. */
export function describePolicyDocument(json: string): string[] {
  const doc = JSON.parse(json) as Json;
  const statements: unknown[] =
    doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements.map((st) => {
    const s = st as Json;
    const actions = s.Action !== undefined ? list(s.Action).join(",") : `NOT ${list(s.NotAction).join(",")}`;
    const resources =
      s.Resource !== undefined ? list(s.Resource).join(",") : `NOT ${list(s.NotResource).join(",")}`;
    const cond = s.Condition ? ` if ${JSON.stringify(s.Condition)}` : "";
    return `${String(s.Effect)} ${principalWords(s.Principal)} ${actions} on ${resources}${cond}`;
  });
}

/** A posture entry for a resource policy given as a (possibly unresolved) JSON document. */
export function resourcePolicyFact(
  resource: pulumi.Input<string>,
  kind: ResourcePolicyFact["kind"],
  policy: pulumi.Input<string>,
): ResourcePolicyFact {
  return { resource, kind, grants: pulumi.output(policy).apply(describePolicyDocument) };
}
