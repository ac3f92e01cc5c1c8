/**
 * The IAM roles of a preview graph (`npm run preview -- -f json`), each with every policy that grants it
 * something: the role's own `inlinePolicies` and `managedPolicyArns` inputs, the `aws:iam/rolePolicy`
 * and `aws:iam/rolePolicyAttachment` resources naming it, and its trust policy. Managed policies are
 * resolved from the pinned documents in `managed/` (see managed.ts).
 *
 * Nothing here decides what a role may do: that is the evaluator's job (simulate.ts), against the
 * expectations derived from the rest of the graph (rows.ts, rowsManaged.ts, resourcePolicies.ts).
 */
import type { GraphResource, PreviewGraph } from "../cost/graph";
import { managedPolicyDocument } from "./managed";
import { parsePolicy, type PolicyDocument } from "./policy";

export { parsePolicy, type PolicyDocument };

/** One identity policy of a role, named for the test's messages. */
export interface RolePolicy {
  /** `inline <resource name>` or `managed <policy ARN>`. */
  name: string;
  policy: PolicyDocument;
}

/** A role of the graph with everything that grants it permissions. */
export interface GraphRole {
  /** The Pulumi resource name, e.g. `meridian-prod-api-task-role`. */
  logical: string;
  /** The physical role name and ARN the offline model computed. */
  name: string;
  arn: string;
  /** The trust policy (`assumeRolePolicy`). */
  trust: PolicyDocument;
  policies: RolePolicy[];
}

export const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

function str(r: GraphResource, key: string): string {
  const unknown = (r as { unknownOutputs?: string[] }).unknownOutputs ?? [];
  const v = unknown.includes(key) ? r.inputs[key] : (r.outputs?.[key] ?? r.inputs[key]);
  if (typeof v !== "string" || v.includes("[unknown]"))
    throw new Error(`${r.type} ${r.name}: ${key} is not known in this preview`);
  return v;
}

/** Every role of the graph, with its inline, attached and managed policies; in graph order. */
export function graphRoles(g: PreviewGraph): GraphRole[] {
  const roles = g.resources.filter((r) => r.type === ROLE);
  return roles.map((r) => {
    const name = str(r, "name");
    const arn = str(r, "arn");
    // A RolePolicy/attachment names the role by name (or id, which is the name for aws:iam/role).
    const names = (x: GraphResource) => x.inputs.role === name || x.inputs.role === arn;
    const policies: RolePolicy[] = [];
    const inline = (r.inputs.inlinePolicies ?? []) as { name?: string; policy?: string }[];
    for (const p of inline)
      policies.push({ name: `inline ${p.name}`, policy: parsePolicy(p.policy, `${r.name} ${p.name}`) });
    for (const p of g.resources.filter((x) => x.type === ROLE_POLICY && names(x)))
      policies.push({ name: `inline ${p.name}`, policy: parsePolicy(p.inputs.policy, p.name) });
    const managed = [
      ...((r.inputs.managedPolicyArns ?? []) as string[]),
      ...g.resources.filter((x) => x.type === ATTACHMENT && names(x)).map((x) => str(x, "policyArn")),
    ];
    for (const a of managed) policies.push({ name: `managed ${a}`, policy: managedPolicyDocument(a) });
    return {
      logical: r.name,
      name,
      arn,
      trust: parsePolicy(r.inputs.assumeRolePolicy, `${r.name} assumeRolePolicy`),
      policies,
    };
  });
}

/** The resources of one type in the graph. */
export function ofType(g: PreviewGraph, type: string): GraphResource[] {
  return g.resources.filter((r) => r.type === type);
}

/** A string output (else input) of a resource; throws naming it when the preview does not know it. */
export function known(r: GraphResource, key: string): string {
  return str(r, key);
}
