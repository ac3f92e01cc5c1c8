/**
 * An ECS task's execution role must be able to read every secret the task references, or the task never
 * starts (ResourceInitializationError: unable to pull secrets or registry auth). The rule reads the
 * task definition's references (`secrets[].valueFrom`, `logConfiguration.secretOptions[].valueFrom`,
 * `repositoryCredentials.credentialsParameter`), finds the execution role in the stack and every policy
 * that applies to it (the role's `inlinePolicies` and `managedPolicyArns`, RolePolicy, RolePolicyAttachment
 * and PolicyAttachment resources, customer managed Policy resources and the AWS managed policies it knows,
 * its permissions boundary), and evaluates them as IAM does (lib/iamEval.ts).
 *
 * What it cannot see is "cannot check during preview", never a pass: a role outside the stack, an unknown
 * ARN or document, a policy that is neither in the stack nor in the table of AWS managed policies.
 * Not modelled: a secret's own resource policy granting the role, KMS key policies (a secret encrypted with
 * a customer managed key also needs kms:Decrypt), SCPs.
 */
import { stackRule, StackRes } from "../../lib/rule";
import { AWS_MANAGED_SECRET_GRANTS, awsManagedPolicyName, decide } from "../../lib/iamEval";
import { asArray, iamStatements, IamStatement, isUnknown, parseJson, peek, show } from "../../lib/util";

const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";

type Obj = Record<string, unknown>;

/** A secret the ECS agent reads for the task, with the IAM action and resource ARNs that read it. */
export interface SecretRef {
  where: string;
  valueFrom: string;
  action: "secretsmanager:GetSecretValue" | "ssm:GetParameters";
  /** Equivalent spellings of the resource (unknown ARN fields written `*`). */
  arns: string[];
}

/**
 * The IAM resource of a `valueFrom`: a Secrets Manager ARN (its first seven fields; `:jsonKey:stage:version`
 * is not part of it), an SSM parameter ARN, or an SSM parameter name (`db-url` or `/prod/db-url`; the
 * parameter is in the task's region and account).
 */
export function secretRef(where: string, valueFrom: string): SecretRef {
  const f = valueFrom.split(":");
  if (f[0] === "arn" && f[2] === "secretsmanager") {
    const arn = f.slice(0, 7).join(":");
    // A partial ARN (no `-AbCdEf` suffix) names the same secret as the full ARN IAM evaluates.
    const arns = /-[A-Za-z0-9]{6}$/.test(f[6] ?? "") ? [arn] : [arn, `${arn}-??????`];
    return { where, valueFrom, action: "secretsmanager:GetSecretValue", arns };
  }
  if (f[0] === "arn") return { where, valueFrom, action: "ssm:GetParameters", arns: [valueFrom] };
  const name = valueFrom.replace(/^\//, "");
  return { where, valueFrom, action: "ssm:GetParameters", arns: [`arn:aws:ssm:*:*:parameter/${name}`] };
}

/** Every secret reference of a task definition's containers. */
export function secretRefs(containerDefinitions: unknown): SecretRef[] {
  const out: SecretRef[] = [];
  for (const c of asArray(parseJson(containerDefinitions) as Obj[])) {
    const name = String(c.name ?? "?");
    for (const s of asArray(c.secrets as Obj[]))
      if (typeof s.valueFrom === "string" && s.valueFrom)
        out.push(secretRef(`container ${name} secret ${s.name}`, s.valueFrom));
    const log = (c.logConfiguration ?? {}) as Obj;
    for (const s of asArray(log.secretOptions as Obj[]))
      if (typeof s.valueFrom === "string" && s.valueFrom)
        out.push(secretRef(`container ${name} logConfiguration secret ${s.name}`, s.valueFrom));
    const creds = ((c.repositoryCredentials ?? {}) as Obj).credentialsParameter;
    if (typeof creds === "string" && creds)
      out.push(secretRef(`container ${name} repositoryCredentials`, creds));
  }
  return out;
}

/** The policies that apply to a role: known statements, and what could not be read. */
interface RolePolicies {
  statements: IamStatement[];
  unknown: string[];
  /** The permissions boundary's statements (undefined: no boundary). */
  boundary?: IamStatement[];
}

const nameOfRole = (role: StackRes) => String(peek(role.props, "name") ?? role.name);

/** Whether `r.props[prop]` designates the role (dependency first, then name, id or ARN). */
function pointsAt(r: StackRes, prop: string, role: StackRes): boolean {
  if ((r.propertyDependencies[prop] ?? []).some((d) => d.urn === role.urn)) return true;
  const ids = [peek(role.props, "name"), peek(role.props, "id"), peek(role.props, "arn")].filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return asArray(peek(r.props, prop) as string | string[]).some((v) => ids.includes(String(v)));
}

/** Adds a policy document's statements, or says it is unknown. */
function addDoc(out: RolePolicies, owner: Obj, key: string, label: string): void {
  if (isUnknown(owner, key)) {
    out.unknown.push(`${label} is unknown`);
    return;
  }
  const doc = owner[key];
  if (doc === undefined || doc === null || doc === "") return;
  const sts = iamStatements(doc);
  if (sts === undefined) out.unknown.push(`${label} is not a policy document`);
  else out.statements.push(...sts);
}

/** The statements of the managed policy `attachment.props[prop]` designates, or why they are unknown. */
function managedPolicy(
  holder: StackRes,
  prop: string,
  value: unknown,
  all: StackRes[],
): { statements?: IamStatement[]; unknown?: string } {
  const dep = (holder.propertyDependencies[prop] ?? []).find((d) => d.type === POLICY);
  const inStack =
    dep ?? all.find((p) => p.type === POLICY && typeof value === "string" && peek(p.props, "arn") === value);
  if (inStack) {
    if (isUnknown(inStack.props, "policy"))
      return { unknown: `the document of policy ${inStack.name} is unknown` };
    const sts = iamStatements(inStack.props.policy);
    return sts ? { statements: sts } : { unknown: `policy ${inStack.name} has no readable document` };
  }
  if (typeof value !== "string") return { unknown: `${holder.name}.${prop} is unknown` };
  const managed = awsManagedPolicyName(value);
  if (managed && AWS_MANAGED_SECRET_GRANTS[managed])
    return { statements: AWS_MANAGED_SECRET_GRANTS[managed] };
  return {
    unknown: managed
      ? `the AWS managed policy ${managed} is not in the rule's table`
      : `policy ${value} is not in the stack`,
  };
}

/** Every policy that applies to `role`, from the role itself and the resources attached to it. */
export function rolePolicies(role: StackRes, all: StackRes[]): RolePolicies {
  const out: RolePolicies = { statements: [], unknown: [] };
  const rn = `role ${nameOfRole(role)}`;
  if (isUnknown(role.props, "inlinePolicies")) out.unknown.push(`${rn}.inlinePolicies is unknown`);
  else
    for (const [i, ip] of asArray(role.props.inlinePolicies as Obj[]).entries())
      addDoc(out, ip, "policy", `${rn}.inlinePolicies[${i}]`);
  const add = (holder: StackRes, prop: string, value: unknown) => {
    const m = managedPolicy(holder, prop, value, all);
    if (m.statements) out.statements.push(...m.statements);
    if (m.unknown) out.unknown.push(m.unknown);
  };
  if (isUnknown(role.props, "managedPolicyArns")) out.unknown.push(`${rn}.managedPolicyArns is unknown`);
  else
    for (const arn of asArray(role.props.managedPolicyArns as string[])) add(role, "managedPolicyArns", arn);
  for (const rp of all.filter((x) => x.type === ROLE_POLICY && pointsAt(x, "role", role)))
    addDoc(out, rp.props, "policy", `RolePolicy ${rp.name}`);
  for (const at of all.filter((x) => x.type === ROLE_ATTACHMENT && pointsAt(x, "role", role)))
    add(at, "policyArn", peek(at.props, "policyArn"));
  for (const at of all.filter((x) => x.type === POLICY_ATTACHMENT && pointsAt(x, "roles", role)))
    add(at, "policyArn", peek(at.props, "policyArn"));
  const boundary = peek(role.props, "permissionsBoundary");
  if (isUnknown(role.props, "permissionsBoundary") || (boundary !== undefined && boundary !== "")) {
    const m = managedPolicy(role, "permissionsBoundary", boundary, all);
    out.boundary = m.statements ?? [];
    if (m.unknown) out.unknown.push(`permissions boundary: ${m.unknown}`);
  }
  return out;
}

/** The execution role `executionRoleArn` designates: the role, "absent", or "unknown" / a foreign ARN. */
function executionRole(td: StackRes, all: StackRes[]): StackRes | { missing: string } | "absent" {
  const dep = (td.propertyDependencies.executionRoleArn ?? []).find((d) => d.type === ROLE);
  if (dep) return dep;
  if (isUnknown(td.props, "executionRoleArn"))
    return { missing: "executionRoleArn is unknown and depends on no role in the stack" };
  const arn = td.props.executionRoleArn;
  if (arn === undefined || arn === null || arn === "") return "absent";
  const a = String(arn);
  const role = all.find((x) => {
    if (x.type !== ROLE) return false;
    if (peek(x.props, "arn") === a) return true;
    const name = peek(x.props, "name");
    return (
      typeof name === "string" &&
      a.includes(":role/") &&
      (a.endsWith(`:role/${name}`) || a.endsWith(`/${name}`))
    );
  });
  return role ?? { missing: `the execution role ${show(arn)} is not in the stack` };
}

export const ecsExecutionRoleReadsSecrets = stackRule({
  id: "aws-ecs-execution-role-reads-secrets",
  description:
    "An ECS task definition's execution role can read every secret its containers reference (secretsmanager:GetSecretValue / ssm:GetParameters on each valueFrom).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "deploy-safety",
  remediation:
    'Meridian: the service component (components/aws/service.ts) grants its execution role `secretsmanager:GetSecretValue` on exactly the ARNs passed in `secrets` (and `kms:Decrypt` on `secretsKmsKeyArns`); pass every secret there rather than adding `secrets` to the container by transform. Raw: give the role in `executionRoleArn` a statement `{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "<secret ARN without :jsonKey:stage:version>" }` (SSM parameters: `ssm:GetParameters` on `arn:aws:ssm:<region>:<account>:parameter/<name>`), as a RolePolicy, an inline policy or an attached Policy; AmazonECSTaskExecutionRolePolicy does not grant either.',
  references: [],
  types: [TASK_DEF],
  check(r, report, ctx) {
    const refs = secretRefs(r.props.containerDefinitions);
    if (!refs.length) return;
    const role = executionRole(r, ctx.resources);
    if (role === "absent") {
      report(
        `references ${refs.length} secret(s) (${refs.map((s) => s.valueFrom).join(", ")}) but has no executionRoleArn: the ECS agent cannot fetch them.`,
      );
      return;
    }
    if ("missing" in role) {
      ctx.cannotCheck(
        `${role.missing}, so whether it can read ${refs.map((s) => s.valueFrom).join(", ")} is unknown.`,
      );
      return;
    }
    const p = rolePolicies(role, ctx.resources);
    const rn = nameOfRole(role);
    const unsure: SecretRef[] = [];
    for (const s of refs) {
      const verdict = decide(p.statements, s.action, s.arns);
      const bounded = p.boundary === undefined || decide(p.boundary, s.action, s.arns) === "allow";
      if (verdict === "allow" && bounded) continue;
      if (verdict !== "deny" && p.unknown.length) {
        unsure.push(s);
        continue;
      }
      const why =
        verdict === "deny"
          ? "an explicit Deny applies"
          : verdict === "allow"
            ? "its permissions boundary does not allow it"
            : "no policy of the role allows it";
      report(`${s.where}: execution role ${rn} cannot ${s.action} on ${s.valueFrom} (${why}).`);
    }
    if (unsure.length)
      ctx.cannotCheck(
        `whether execution role ${rn} can read ${unsure.map((s) => s.valueFrom).join(", ")} depends on what the rule cannot read (${p.unknown.join("; ")}).`,
      );
  },
});
