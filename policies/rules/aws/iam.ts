/** Least privilege on AWS, IAM: policy documents (wildcard actions and resources), admin attachments, trust policies. */
import { Res, resourceRule } from "../../lib/rule";
import { globToRegExp } from "../../lib/waivers";
import { asArray, iamStatements, IamStatement, principals } from "../../lib/util";

/** Where IAM policy documents live, per resource type. */
const POLICY_DOCS: Record<string, (props: Record<string, unknown>) => [string, unknown][]> = {
  "aws:iam/policy:Policy": (p) => [["policy", p.policy]],
  "aws:iam/rolePolicy:RolePolicy": (p) => [["policy", p.policy]],
  "aws:iam/userPolicy:UserPolicy": (p) => [["policy", p.policy]],
  "aws:iam/groupPolicy:GroupPolicy": (p) => [["policy", p.policy]],
  "aws:iam/role:Role": (p) =>
    asArray(p.inlinePolicies as Record<string, unknown>[]).map((ip, i) => [
      `inlinePolicies[${i}] (${ip.name})`,
      ip.policy,
    ]),
};
const IAM_DOC_TYPES = Object.keys(POLICY_DOCS);

function allowStatements(r: Res): [string, IamStatement][] {
  const out: [string, IamStatement][] = [];
  for (const [where, doc] of POLICY_DOCS[r.type](r.props)) {
    if (doc === undefined || doc === null || doc === "") continue;
    for (const [i, st] of (iamStatements(doc) ?? []).entries()) {
      if (st.Effect === "Allow") out.push([`${where} Statement[${i}]${st.Sid ? ` (${st.Sid})` : ""}`, st]);
    }
  }
  return out;
}

/** `*`, `*:*` and `service:*` grant every action (of a service). */
export function isWildcardAction(a: string): boolean {
  return a === "*" || /^[^:]*:\*$/.test(a) || a === "*:*";
}

export const iamNoWildcardActions = resourceRule({
  id: "aws-iam-no-wildcard-actions",
  description: "IAM policies never Allow `*` or `service:*` actions, nor use NotAction with Allow.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: components build documents from explicit action lists (components/aws/iam.ts); pass the exact actions the workload needs. Raw: list each action (`s3:GetObject`, `logs:PutLogEvents`) instead of `*` / `s3:*`, and replace NotAction with an explicit Action list.",
  references: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_290", "CIS AWS 1.16"],
  types: IAM_DOC_TYPES,
  check(r, report) {
    for (const [where, st] of allowStatements(r)) {
      const wild = asArray(st.Action).map(String).filter(isWildcardAction);
      if (wild.length) report(`${where} allows ${wild.map((a) => `"${a}"`).join(", ")}.`);
      if (st.NotAction !== undefined)
        report(`${where} uses NotAction with Allow: it grants everything else.`);
    }
  },
});

/**
 * Actions AWS does not let you scope to a resource ARN, so `Resource: "*"` is the only possible value.
 * Keep this list short and documented: every entry is an action (or read-only prefix) whose IAM service
 * authorization reference lists no resource types.
 */
export const UNSCOPABLE_ACTIONS = [
  "ecr:GetAuthorizationToken", // registry login: account-wide token
  "sts:GetCallerIdentity",
  "xray:PutTraceSegments", // X-Ray daemon / ADOT collector
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  "cloudwatch:PutMetricData", // scoped by the cloudwatch:namespace condition instead
  "cloudwatch:GetMetricData",
  "cloudwatch:ListMetrics",
  "logs:DescribeLogGroups", // flow logs / log agents list groups
  "ec2:Describe*", // EC2 describe calls have no resource-level permissions
  "elasticloadbalancing:Describe*",
  "ecs:RegisterTaskDefinition",
  "ecs:DeregisterTaskDefinition",
  "ecs:DescribeTaskDefinition",
  "ecs:ListTaskDefinitions",
  "ssmmessages:CreateControlChannel", // ECS Exec
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "secretsmanager:ListSecrets",
  "ssm:DescribeParameters",
  "kms:ListAliases",
  "s3:ListAllMyBuckets",
  "acm:ListCertificates",
  "route53:ListHostedZones",
  "tag:GetResources",
];

export function isUnscopable(action: string, extra: string[] = []): boolean {
  return [...UNSCOPABLE_ACTIONS, ...extra].some((p) =>
    globToRegExp(p.toLowerCase()).test(action.toLowerCase()),
  );
}

export const iamNoWildcardResources = resourceRule<{ extraUnscopableActions: string[] }>({
  id: "aws-iam-no-wildcard-resources",
  description:
    'IAM Allow statements name resources; `Resource: "*"` only for actions AWS cannot scope (the rule\'s documented list).',
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: components scope documents (components/aws/iam.ts) to the ARNs they create (bucket, log group, secret, repository). Raw: set `Resource` to the ARNs involved, or split unscopable actions (e.g. `ecr:GetAuthorizationToken`) into their own statement.",
  references: ["CKV_AWS_355", "CKV_AWS_111"],
  types: IAM_DOC_TYPES,
  config: {
    extraUnscopableActions: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Actions to accept with Resource * in addition to the built-in list.",
    },
  },
  check(r, report, ctx) {
    for (const [where, st] of allowStatements(r)) {
      const actions = asArray(st.Action).map(String);
      // A wildcard action is reported by aws-iam-no-wildcard-actions; one finding per statement.
      if (actions.some(isWildcardAction) || st.NotAction !== undefined) continue;
      const resources = asArray(st.Resource).map(String);
      if (!resources.includes("*") && st.NotResource === undefined) continue;
      const scopable = actions.filter((a) => !isUnscopable(a, ctx.config.extraUnscopableActions ?? []));
      if (scopable.length)
        report(
          `${where} allows ${scopable.join(", ")} on Resource "*"; these actions can be scoped to ARNs.`,
        );
    }
  },
});

const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];
const ATTACHMENTS = [
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  "aws:iam/policyAttachment:PolicyAttachment",
  "aws:iam/role:Role",
];

export const iamNoAdminPolicies = resourceRule({
  id: "aws-iam-no-admin-policies",
  description: "No AdministratorAccess, PowerUserAccess or IAMFullAccess managed policy is attached.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: roles get generated least-privilege documents (components/aws/iam.ts); never attach broad AWS managed policies. Raw: remove the attachment (or `managedPolicyArns` entry) and attach a policy listing the needed actions.",
  references: ["CKV_AWS_274", "CIS AWS 1.16"],
  types: ATTACHMENTS,
  check(r, report) {
    const arns = r.type === "aws:iam/role:Role" ? asArray(r.props.managedPolicyArns) : [r.props.policyArn];
    for (const arn of arns.map(String)) {
      const name = ADMIN_POLICIES.find((p) => arn.endsWith(`:policy/${p}`));
      if (name) report(`attaches the AWS managed policy ${name} (${arn}).`);
    }
  },
});

export const iamTrustPolicy = resourceRule({
  id: "aws-iam-trust-policy-principal",
  description: "Role trust policies name a service, account or federated provider, never `*`.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    'Meridian: components (components/aws/iam.ts) set `Principal: { Service: "ecs-tasks.amazonaws.com" }` (or the service that assumes the role). Raw: replace `Principal: "*"` / `{ AWS: "*" }` in `assumeRolePolicy` with the exact service or account ARN.',
  references: ["CKV_AWS_60", "CKV_AWS_61"],
  types: ["aws:iam/role:Role"],
  check(r, report) {
    const sts = iamStatements(r.props.assumeRolePolicy) ?? [];
    for (const [i, st] of sts.entries()) {
      if (st.Effect !== "Allow") continue;
      const open = principals(st).filter((p) => p === "*" || p === "AWS:*");
      if (open.length)
        report(`assumeRolePolicy Statement[${i}] lets any principal (${open.join(", ")}) assume the role.`);
    }
  },
});
