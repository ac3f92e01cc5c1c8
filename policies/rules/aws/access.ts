/** Least privilege on AWS: IAM documents and attachments, trust policies, network exposure, ECS. */
import { Res, resourceRule, stackRule, StackRes } from "../../lib/rule";
import {
  asArray,
  iamStatements,
  IamStatement,
  parseJson,
  peek,
  portInRange,
  principals,
} from "../../lib/util";
import { judgeEnv, secretReason } from "../../lib/secrets";
import { globToRegExp } from "../../lib/waivers";

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

export const SG_TYPES = [
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
];
/**
 * Load balancers whose security groups may accept 80/443 from anywhere: every AWS load balancer resource
 * that takes `securityGroups` (ALB/NLB under both module names, and the classic ELB). Audited against the
 * @pulumi/aws SDK in policies/test/coverage.test.ts.
 */
export const SG_LB_TYPES = [
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:alb/loadBalancer:LoadBalancer",
  "aws:elb/loadBalancer:LoadBalancer",
];
const OPEN = ["0.0.0.0/0", "::/0"];

interface Ingress {
  where: string;
  cidrs: string[];
  from: unknown;
  to: unknown;
  protocol: unknown;
}

function ingressOf(r: StackRes): Ingress[] {
  const p = r.props;
  switch (r.type) {
    case "aws:ec2/securityGroup:SecurityGroup":
    case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
      return (asArray(p.ingress) as Record<string, unknown>[]).map((x, i) => ({
        where: `ingress[${i}]`,
        cidrs: [...asArray(x.cidrBlocks as string[]), ...asArray(x.ipv6CidrBlocks as string[])],
        from: x.fromPort,
        to: x.toPort,
        protocol: x.protocol,
      }));
    case "aws:ec2/securityGroupRule:SecurityGroupRule":
      if (p.type !== "ingress") return [];
      return [
        {
          where: "rule",
          cidrs: [...asArray(p.cidrBlocks as string[]), ...asArray(p.ipv6CidrBlocks as string[])],
          from: p.fromPort,
          to: p.toPort,
          protocol: p.protocol,
        },
      ];
    default:
      return [
        {
          where: "rule",
          cidrs: [p.cidrIpv4, p.cidrIpv6].filter((x): x is string => typeof x === "string"),
          from: p.fromPort ?? -1,
          to: p.toPort ?? -1,
          protocol: p.ipProtocol,
        },
      ];
  }
}

/** The security group a standalone rule belongs to (by dependency, else by id). */
function groupOfRule(r: StackRes, all: StackRes[]): StackRes | undefined {
  const dep = (r.propertyDependencies.securityGroupId ?? []).find((d) =>
    SG_TYPES.slice(0, 2).includes(d.type),
  );
  if (dep) return dep;
  const id = peek(r.props, "securityGroupId");
  return all.find(
    (g) => SG_TYPES.slice(0, 2).includes(g.type) && id !== undefined && peek(g.props, "id") === id,
  );
}

/** True when a load balancer lists this security group. */
function onLoadBalancer(sg: StackRes, all: StackRes[]): boolean {
  return all
    .filter((x) => SG_LB_TYPES.includes(x.type))
    .some(
      (lb) =>
        (lb.propertyDependencies.securityGroups ?? []).some((d) => d.urn === sg.urn) ||
        asArray(peek(lb.props, "securityGroups") as string[]).some((id) => id === peek(sg.props, "id")),
    );
}

export const sgNoPublicIngress = stackRule({
  id: "aws-sg-no-public-ingress",
  description:
    "Security groups allow no ingress from 0.0.0.0/0 or ::/0, except ports 80/443 on a load balancer's group.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the service, database and cache components (components/aws/service.ts, components/aws/database.ts, components/aws/cache.ts) allow ingress only from the load balancer's or service's security group. Raw: replace `cidrBlocks: [\"0.0.0.0/0\"]` with `securityGroups` / `sourceSecurityGroupId` (or `referencedSecurityGroupId`) of the client, or a private CIDR.",
  references: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "CIS AWS 5.2", "CIS AWS 5.3"],
  types: SG_TYPES,
  check(r, report, ctx) {
    const sg = r.type.includes("Rule") ? groupOfRule(r, ctx.resources) : r;
    for (const ing of ingressOf(r)) {
      const open = ing.cidrs.filter((c) => OPEN.includes(c));
      if (!open.length) continue;
      const all = String(ing.protocol) === "-1" || String(ing.protocol).toLowerCase() === "all";
      const web =
        !all &&
        Number(ing.from) === Number(ing.to) &&
        [80, 443].includes(Number(ing.from)) &&
        ing.from !== -1;
      if (web && sg && onLoadBalancer(sg, ctx.resources)) continue;
      const ports = all || portInRange(0, ing.from, ing.to) ? "all ports" : `port ${ing.from}-${ing.to}`;
      const shown = Number(ing.from) === Number(ing.to) && !all ? `port ${ing.from}` : ports;
      report(
        `${ing.where} allows ${open.join(", ")} on ${shown}${web ? " (80/443 is accepted only on a load balancer's security group)" : ""}.`,
      );
    }
  },
});

export const rdsNotPublic = resourceRule({
  id: "aws-rds-not-public",
  description: "RDS instances are not publicly accessible.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the database component (components/aws/database.ts) places instances in the isolated subnets and never sets it. Raw: `publiclyAccessible: false` and a DB subnet group of private subnets.",
  references: ["CKV_AWS_17", "AWS FSBP RDS.2"],
  types: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
  check(r, report) {
    if (r.props.publiclyAccessible === true)
      report("publiclyAccessible is true: the endpoint resolves to a public IP.");
  },
});

export const s3PublicAccessBlock = stackRule({
  id: "aws-s3-public-access-block",
  description: "Every S3 bucket has a public access block with all four settings on.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the bucket component (components/aws/bucket.ts) creates one. Raw: `new aws.s3.BucketPublicAccessBlock(name, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true })`.",
  references: ["CKV2_AWS_6", "AWS FSBP S3.8", "CIS AWS 2.1.4"],
  types: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
  check(r, report, ctx) {
    const blocks = ctx
      .ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
      .filter(
        (b) =>
          (b.propertyDependencies.bucket ?? []).some((d) => d.urn === r.urn) ||
          (typeof peek(b.props, "bucket") === "string" &&
            peek(b.props, "bucket") === peek(r.props, "bucket")),
      );
    if (!blocks.length) {
      report("the bucket has no BucketPublicAccessBlock.");
      return;
    }
    const keys = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
    const off = keys.filter((k) => !blocks.some((b) => b.props[k] === true));
    if (off.length) report(`the public access block leaves ${off.join(", ")} off.`);
  },
});

const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";

function containers(r: { props: Record<string, unknown> }): Record<string, unknown>[] {
  return asArray(parseJson(r.props.containerDefinitions) as Record<string, unknown>[]);
}

export const ecsContainerHardening = resourceRule({
  id: "aws-ecs-container-hardening",
  description: "ECS containers are not privileged, run with a read-only root filesystem and not as root.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    'Meridian: the service component (components/aws/service.ts) sets `readonlyRootFilesystem: true`, `privileged: false` and the image\'s non-root user. Raw: in `containerDefinitions`, `privileged: false`, `readonlyRootFilesystem: true` (mount a volume for scratch space), `user` not "root"/"0".',
  references: ["CKV_AWS_336", "AWS FSBP ECS.4", "AWS FSBP ECS.5"],
  types: [TASK_DEF],
  check(r, report) {
    for (const c of containers(r)) {
      if (c.privileged === true) report(`container ${c.name} is privileged.`);
      if (c.readonlyRootFilesystem !== true) report(`container ${c.name} has a writable root filesystem.`);
      if (c.user === "root" || c.user === "0" || String(c.user ?? "").startsWith("0:"))
        report(`container ${c.name} runs as root (user ${c.user}).`);
    }
  },
});

export const ecsNoPlaintextSecrets = resourceRule({
  id: "aws-ecs-no-plaintext-secrets",
  description:
    "ECS container environment holds no secret-looking plain values; secrets are injected by reference.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the service component (components/aws/service.ts) passes DATABASE_URL/REDIS_URL and tokens through `secrets` (valueFrom Secrets Manager). Raw: move the variable from `environment` to `secrets: [{ name, valueFrom: secretArn }]`.",
  references: ["AWS FSBP ECS.8"],
  types: [TASK_DEF],
  check(r, report) {
    for (const c of containers(r)) {
      for (const e of asArray(c.environment as Record<string, unknown>[])) {
        const name = String(e.name ?? "");
        const why = secretReason(name, String(e.value ?? ""));
        if (why) report(`container ${c.name}: environment variable ${name} ${why}; use \`secrets\`.`);
      }
    }
  },
});

export const lambdaNoPlaintextSecrets = resourceRule({
  id: "aws-lambda-no-plaintext-secrets",
  description:
    "Lambda function environment variables hold no secret-looking plain values; secrets are read at run time by reference.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian deploys no Lambda functions; raw: store the value in Secrets Manager (or an SSM SecureString), put its ARN or name in `environment.variables` (e.g. `DB_SECRET_ARN`) and read it at run time (the AWS Parameters and Secrets Lambda Extension caches it), granting the function's role `secretsmanager:GetSecretValue` on that ARN.",
  references: ["CKV_AWS_45"],
  types: ["aws:lambda/function:Function"],
  check(r, report, ctx) {
    const env = (r.props.environment ?? {}) as Record<string, unknown>;
    const vars = (env.variables ?? {}) as Record<string, unknown>;
    judgeEnv(
      Object.keys(vars).map((name) => ({ where: "environment.variables", name, holder: vars, key: name })),
      report,
      ctx.cannotCheck,
      "pass a Secrets Manager ARN and read it at run time",
    );
  },
});

export const ecsTaskRoleSeparate = stackRule({
  id: "aws-ecs-task-role-separate",
  description: "ECS task definitions use a task role distinct from the execution role.",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the service component (components/aws/service.ts) creates two roles (execution: pull image, read secrets; task: what the app calls). Raw: set `taskRoleArn` and `executionRoleArn` to different roles.",
  references: [],
  types: [TASK_DEF],
  check(r, report) {
    if (!("taskRoleArn" in r.props)) return; // no AWS API access for the app: nothing to separate
    const dep = (k: string) =>
      (r.propertyDependencies[k] ?? []).filter((d) => d.type === "aws:iam/role:Role");
    const t = dep("taskRoleArn");
    const e = dep("executionRoleArn");
    const same =
      t.length && e.length
        ? t.some((x) => e.some((y) => y.urn === x.urn))
        : r.props.taskRoleArn === r.props.executionRoleArn;
    if (same) report("taskRoleArn and executionRoleArn are the same role.");
  },
});

export const ecsNoPublicIp = resourceRule({
  id: "aws-ecs-no-public-ip",
  description: "ECS services do not assign public IPs to tasks.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the service component (components/aws/service.ts) runs tasks in private subnets behind the load balancer. Raw: `networkConfiguration.assignPublicIp: false` with private subnets.",
  references: ["CKV_AWS_333", "AWS FSBP ECS.2"],
  types: ["aws:ecs/service:Service"],
  check(r, report) {
    if ((r.props.networkConfiguration as Record<string, unknown> | undefined)?.assignPublicIp === true)
      report("networkConfiguration.assignPublicIp is true.");
  },
});

export const awsAccessRules = [
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamNoAdminPolicies,
  iamTrustPolicy,
  sgNoPublicIngress,
  rdsNotPublic,
  s3PublicAccessBlock,
  ecsContainerHardening,
  ecsNoPlaintextSecrets,
  lambdaNoPlaintextSecrets,
  ecsTaskRoleSeparate,
  ecsNoPublicIp,
];
