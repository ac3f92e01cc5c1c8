/**
 * Whether IAM identity policy statements let a principal perform one action on one resource, as IAM
 * evaluates them: an explicit Deny wins, then any Allow; Action/NotAction and Resource/NotResource globs
 * (`*` and `?`, case-insensitive actions, case-sensitive ARNs). Conditions are assumed to hold on Allow
 * statements (a rule must not claim a grant is missing when it may apply) and not to hold on Deny
 * statements (likewise); policy variables (`${aws:username}`) match anything.
 */
import { asArray, IamStatement } from "./util";

/** A glob (`*`, `?`) as an anchored regular expression. */
export function iamGlob(pattern: string, ignoreCase = false): RegExp {
  const re = pattern
    .replace(/\$\{[^}]*\}/g, "\uE000")
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".")
    .replace(/\uE000/g, ".*");
  return new RegExp(`^${re}$`, ignoreCase ? "i" : "");
}

/**
 * Whether a Resource pattern matches an ARN. Fields of `arn` written `*` are not known to the rule (the
 * region and account of an SSM parameter given by name are the task's): the pattern's own value there is
 * accepted.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (iamGlob(pattern).test(arn)) return true;
  const a = arn.split(":");
  const p = pattern.split(":");
  if (p.length < 6 || !a.some((f) => f === "*")) return false;
  const filled = a.map((f, i) => (f === "*" && i < 5 && p[i] !== undefined ? p[i] : f)).join(":");
  return iamGlob(pattern).test(filled);
}

function actionMatches(st: IamStatement, action: string): boolean {
  if (st.Action !== undefined) return asArray(st.Action).some((a) => iamGlob(String(a), true).test(action));
  if (st.NotAction !== undefined)
    return !asArray(st.NotAction).some((a) => iamGlob(String(a), true).test(action));
  return false;
}

function resourceMatches(st: IamStatement, arns: string[]): boolean {
  if (st.Resource !== undefined)
    return asArray(st.Resource).some((p) => arns.some((a) => arnMatches(String(p), a)));
  if (st.NotResource !== undefined)
    return !asArray(st.NotResource).some((p) => arns.some((a) => arnMatches(String(p), a)));
  return false;
}

/**
 * What the statements decide for `action` on a resource (any of `arns`: equivalent spellings of it):
 * "deny" (an unconditional explicit Deny), "allow" (an Allow, no Deny) or undefined (implicit deny).
 */
export function decide(
  statements: IamStatement[],
  action: string,
  arns: string[],
): "allow" | "deny" | undefined {
  let allowed = false;
  for (const st of statements) {
    if (!actionMatches(st, action) || !resourceMatches(st, arns)) continue;
    if (st.Effect === "Deny" && st.Condition === undefined) return "deny";
    if (st.Effect === "Allow") allowed = true;
  }
  return allowed ? "allow" : undefined;
}

/**
 * AWS managed policies, by name, reduced to the statements that matter for reading secrets
 * (secretsmanager:GetSecretValue, ssm:GetParameters, kms:Decrypt). A policy whose name is not here is
 * "unknown" to the rules (they then say they cannot check, rather than guess). Sources: the AWS Managed
 * Policy Reference Guide, current versions.
 */
export const AWS_MANAGED_SECRET_GRANTS: Record<string, IamStatement[]> = {
  AdministratorAccess: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  PowerUserAccess: [{ Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" }],
  SecretsManagerReadWrite: [{ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }],
  AmazonSSMFullAccess: [{ Effect: "Allow", Action: "ssm:*", Resource: "*" }],
  AmazonSSMReadOnlyAccess: [
    { Effect: "Allow", Action: ["ssm:Describe*", "ssm:Get*", "ssm:List*"], Resource: "*" },
  ],
  // ECR pull and CloudWatch Logs only: no Secrets Manager, SSM or KMS action.
  AmazonECSTaskExecutionRolePolicy: [],
  AmazonEC2ContainerRegistryReadOnly: [],
  AmazonEC2ContainerRegistryPullOnly: [],
  CloudWatchLogsFullAccess: [],
  AWSXRayDaemonWriteAccess: [],
  CloudWatchAgentServerPolicy: [
    // GetParameter only (the agent's own config), not the GetParameters call ECS makes.
    { Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*" },
  ],
};

/** The AWS managed policy name of an ARN (`arn:aws:iam::aws:policy/service-role/X` -> X), if it is one. */
export function awsManagedPolicyName(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}
