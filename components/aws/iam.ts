/**
 * IAM building blocks shared by Meridian's AWS components: policy documents written as plain data (no
 * data-source call, so previews and mocks see the exact JSON), trust policies that name one service and
 * this account, and the posture entry that lists a role's exact permissions for auditors.
 *
 * Least privilege is the rule: every statement names its actions and resources. `Resource: "*"` is only
 * accepted for the actions in {@link UNSCOPABLE_ACTIONS}, which AWS does not let a policy scope.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { asciiDescription } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";

/** One IAM statement. Actions are always explicit (`service:Action`); wildcards are rejected. */
export interface Statement {
  /** Statement id, for readers of the policy. */
  sid?: string;
  /** @default "Allow" */
  effect?: "Allow" | "Deny";
  actions: string[];
  resources: pulumi.Input<string>[];
  /** IAM conditions: `{ StringEquals: { "ecs:cluster": arn } }`. */
  condition?: Record<string, Record<string, pulumi.Input<string | string[]>>>;
}

/**
 * Actions AWS does not allow to scope to a resource (the service authorization reference lists no
 * resource type for them), so `Resource: "*"` is the only valid form. Anything else must name ARNs.
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
  // ECR: the registry login token is account-wide.
  "ecr:GetAuthorizationToken",
  // X-Ray: trace and telemetry ingestion, sampling rules and targets have no resource ARNs.
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  // CloudWatch: PutMetricData has no resource type (scope it with a cloudwatch:namespace condition).
  "cloudwatch:PutMetricData",
  // SSM messages channels for ECS Exec have no resource ARNs.
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/**
 * What each AWS managed policy Meridian attaches grants, in words, for the posture document (AWS Managed
 * Policy Reference Guide, read 2026-11-30). A managed policy not listed here is shown by ARN alone.
 */
export const MANAGED_POLICY_GRANTS: Readonly<Record<string, string>> = {
  "service-role/AWSBackupServiceRolePolicyForBackup":
    "AWS's description: AWS Backup may create and manage backups (snapshots, recovery points) of the supported services' resources on your behalf",
  "service-role/AWSBackupServiceRolePolicyForRestores":
    "AWS's description: AWS Backup may restore across services, including creating and deleting resources such as RDS instances, EBS volumes and EFS file systems that are part of a restore",
  "service-role/AWS_ConfigRole":
    "AWS's description: read-only access (Describe/List/Get) to the configuration of the resource types AWS Config records",
  AmazonSSMManagedInstanceCore:
    "AWS's description: the core functionality of the Systems Manager agent (register the instance, Session Manager channels, Run Command messages; ssm/ssmmessages/ec2messages on Resource *)",
};

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/** Checks a statement: explicit `service:Action` names, and `*` resources only for unscopable actions. */
export function checkStatement(s: Statement, where: string): void {
  if (s.actions.length === 0) throw new Error(`${where}: a statement needs at least one action`);
  for (const a of s.actions) {
    if (!ACTION.test(a))
      throw new Error(
        `${where}: action "${a}" is not allowed; allowed: one explicit "service:Action", no wildcards`,
      );
  }
  if (s.resources.length === 0) throw new Error(`${where}: a statement needs at least one resource`);
  if (s.resources.some((r) => r === "*")) {
    const scoped = s.actions.filter((a) => !UNSCOPABLE_ACTIONS.includes(a));
    if (scoped.length > 0)
      throw new Error(
        `${where}: Resource "*" is only allowed for actions AWS cannot scope (${UNSCOPABLE_ACTIONS.join(", ")}); name the ARNs for ${scoped.join(", ")}`,
      );
  }
}

/** A policy document as JSON (`Version` 2012-10-17), resolving any Output inside. */
export function policyJson(statements: Statement[], where = "policy"): pulumi.Output<string> {
  statements.forEach((s, i) => checkStatement(s, `${where} statement ${i + 1}`));
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? "Allow",
      Action: s.actions.length === 1 ? s.actions[0] : s.actions,
      Resource: s.resources.length === 1 ? s.resources[0] : s.resources,
      ...(s.condition ? { Condition: s.condition } : {}),
    })),
  });
}

/**
 * A trust policy for one AWS service principal, limited to this account (confused-deputy protection):
 * `aws:SourceAccount` when `account` is given (every service role here except EC2 instance roles, whose
 * principal does not set it), and `aws:SourceArn` when the caller's ARN pattern is known.
 */
export function serviceTrustJson(
  service: string,
  account: pulumi.Input<string> | undefined,
  sourceArn?: pulumi.Input<string>,
): pulumi.Output<string> {
  const condition: Record<string, Record<string, pulumi.Input<string>>> = {};
  if (account !== undefined) condition.StringEquals = { "aws:SourceAccount": account };
  if (sourceArn !== undefined) condition.ArnLike = { "aws:SourceArn": sourceArn };
  const statement = { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" };
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [Object.keys(condition).length > 0 ? { ...statement, Condition: condition } : statement],
  });
}

/** Posture lines for a role's statements: `"<action> on <resource>"` per pair, conditions appended. */
export function describeStatements(statements: Statement[]): pulumi.Output<string[]> {
  return pulumi
    .all(
      statements.map((s) =>
        pulumi.all([pulumi.output(s.resources), pulumi.output(s.condition ?? {})]).apply(([rs, c]) => {
          const cond = Object.keys(c).length > 0 ? ` if ${JSON.stringify(c)}` : "";
          const effect = (s.effect ?? "Allow") === "Deny" ? "DENY " : "";
          return s.actions.flatMap((a) => rs.map((r) => `${effect}${a} on ${r}${cond}`));
        }),
      ),
    )
    .apply((lines) => lines.flat());
}

export interface RoleSpec {
  /** Logical name of the role (the physical name is generated from it). */
  name: string;
  /** The service principal that assumes the role, e.g. `ecs-tasks.amazonaws.com`. */
  service: string;
  /** What the role is for (ASCII; AWS rejects other characters in role descriptions). */
  description: string;
  /**
   * The account, checked as `aws:SourceAccount` in the trust policy. Omit only for a principal that does not
   * set it: EC2 assuming an instance profile's role (the NAT instance, natInstance.ts).
   */
  account: pulumi.Input<string> | undefined;
  /** Restricts who may assume it through `aws:SourceArn`. */
  sourceArn?: pulumi.Input<string>;
  /** The inline policy. Omit for a role with no permissions (e.g. a task role for an app needing none). */
  statements?: Statement[];
  /** AWS managed policies to attach (only where AWS publishes the exact least-privilege set for a service). */
  managedPolicyArns?: pulumi.Input<string>[];
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  transform?: { role?: Transform<aws.iam.RoleArgs>; policy?: Transform<aws.iam.RolePolicyArgs> };
}

export interface CreatedRole {
  role: aws.iam.Role;
  /** The inline policy, when the role has statements (depend on it before first use). */
  policy?: aws.iam.RolePolicy;
  /** The managed-policy attachments, in `managedPolicyArns` order (depend on them before first use). */
  attachments: aws.iam.RolePolicyAttachment[];
  /** The posture entry (exact permissions and trust). */
  identity: Posture["identities"][number];
}

/** Creates a role trusted by one service, with one inline least-privilege policy, and its posture entry. */
export function createServiceRole(spec: RoleSpec, opts: pulumi.CustomResourceOptions): CreatedRole {
  const role = new aws.iam.Role(
    ...applyTransform(
      spec.transform?.role,
      spec.name,
      {
        description: asciiDescription(spec.description),
        assumeRolePolicy: serviceTrustJson(spec.service, spec.account, spec.sourceArn),
        tags: spec.tags,
      },
      opts,
    ),
  );
  let policy: aws.iam.RolePolicy | undefined;
  if (spec.statements && spec.statements.length > 0) {
    policy = new aws.iam.RolePolicy(
      ...applyTransform(
        spec.transform?.policy,
        `${spec.name}-policy`,
        { role: role.id, policy: policyJson(spec.statements, `${spec.name} policy`) },
        opts,
      ),
    );
  }
  const attachments = (spec.managedPolicyArns ?? []).map(
    (arn, i) =>
      new aws.iam.RolePolicyAttachment(
        `${spec.name}-managed-${i}`,
        { role: role.name, policyArn: arn },
        opts,
      ),
  );
  const managed = pulumi.all(spec.managedPolicyArns ?? []).apply((arns) =>
    arns.map((a) => {
      const grants = MANAGED_POLICY_GRANTS[a.replace(/^arn:[^:]+:iam::aws:policy\//, "")];
      return grants ? `managed policy ${a}: ${grants}` : `managed policy ${a}`;
    }),
  );
  return {
    role,
    policy,
    attachments,
    identity: {
      name: role.name,
      kind: "aws:iam:role",
      permissions: pulumi
        .all([describeStatements(spec.statements ?? []), managed])
        .apply(([a, b]) => [...a, ...b]),
      trust: [spec.service],
    },
  };
}
