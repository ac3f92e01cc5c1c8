/**
 * AWS encryption at rest, backups and deletion protection, tags, log retention, descriptions, ECR,
 * dashboards and WAF.
 */
import { resourceRule, stackRule } from "../../lib/rule";
import { asArray, parseJson, peek, show } from "../../lib/util";
import { ecsExecutionRoleReadsSecrets } from "./ecsSecrets";
import { elasticacheAtRest, elasticacheAuth } from "./elasticache";
import { rdsEngineVersion } from "./rdsEngine";
import { s3Versioning } from "./s3Versioning";

const RDS_INSTANCE = "aws:rds/instance:Instance";
const RDS_CLUSTER = "aws:rds/cluster:Cluster";

export const rdsEncrypted = resourceRule({
  id: "aws-rds-encrypted",
  description: "RDS instances and Aurora clusters encrypt storage at rest.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "encryption",
  remediation:
    "Meridian: the database component (components/aws/database.ts) sets it (with the stack's KMS key). Raw: `storageEncrypted: true` (optionally `kmsKeyId`). Encryption cannot be enabled in place: set it at creation.",
  references: ["CKV_AWS_16", "AWS FSBP RDS.3"],
  types: [RDS_INSTANCE, RDS_CLUSTER],
  check(r, report) {
    if (r.type === RDS_INSTANCE && r.props.clusterIdentifier) return; // encryption is the cluster's
    if (r.props.storageEncrypted !== true) report("storageEncrypted is not true.");
  },
});

export const ebsEncrypted = resourceRule({
  id: "aws-ebs-encrypted",
  description: "EBS volumes (standalone, instance and launch-template block devices) are encrypted.",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "aws",
  area: "encryption",
  remediation:
    'Raw: `encrypted: true` on `aws.ebs.Volume`, `rootBlockDevice.encrypted` / `ebsBlockDevices[].encrypted` on `aws.ec2.Instance`, `blockDeviceMappings[].ebs.encrypted: "true"` on launch templates (or enable EBS encryption by default for the account).',
  references: ["CKV_AWS_3", "CKV_AWS_8", "AWS FSBP EC2.3"],
  types: ["aws:ebs/volume:Volume", "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"],
  check(r, report) {
    const on = (v: unknown) => v === true || v === "true";
    if (r.type === "aws:ebs/volume:Volume") {
      if (!on(r.props.encrypted)) report("the volume is not encrypted.");
    } else if (r.type === "aws:ec2/instance:Instance") {
      if (!on((r.props.rootBlockDevice as Record<string, unknown> | undefined)?.encrypted))
        report("rootBlockDevice.encrypted is not true.");
      for (const [i, d] of (asArray(r.props.ebsBlockDevices) as Record<string, unknown>[]).entries())
        if (!on(d.encrypted)) report(`ebsBlockDevices[${i}] is not encrypted.`);
    } else {
      for (const [i, m] of (asArray(r.props.blockDeviceMappings) as Record<string, unknown>[]).entries()) {
        const ebs = m.ebs as Record<string, unknown> | undefined;
        if (ebs && !on(ebs.encrypted)) report(`blockDeviceMappings[${i}].ebs is not encrypted.`);
      }
    }
  },
});

export const rdsBackups = resourceRule<{ minRetentionDays: number }>({
  id: "aws-rds-backups",
  description:
    "RDS instances and Aurora clusters keep automated backups (point-in-time recovery) for enough days.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "aws",
  area: "resilience",
  remediation:
    "Meridian: the database component (components/aws/database.ts) keeps `meridian:dbBackupRetentionDays` days (7 in prod). Raw: `backupRetentionPeriod` >= the configured minimum (default 7).",
  references: ["CKV_AWS_133", "AWS FSBP RDS.11"],
  types: [RDS_INSTANCE, RDS_CLUSTER],
  config: {
    minRetentionDays: { type: "integer", default: 7, description: "Minimum backup retention (days)." },
  },
  check(r, report, ctx) {
    if (r.type === RDS_INSTANCE && r.props.clusterIdentifier) return;
    const min = ctx.config.minRetentionDays ?? 7;
    const days = Number(r.props.backupRetentionPeriod ?? (r.type === RDS_CLUSTER ? 1 : 0));
    if (days < min) report(`backupRetentionPeriod is ${days} day(s); at least ${min} required.`);
  },
});

export const rdsDeletionProtection = resourceRule({
  id: "aws-rds-deletion-protection",
  description: "RDS instances and Aurora clusters have deletion protection on.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "aws",
  area: "resilience",
  remediation:
    "Meridian: the database component (components/aws/database.ts) sets it from `meridian:dbDeletionProtection` (default true in prod). Raw: `deletionProtection: true` (and `skipFinalSnapshot: false`).",
  references: ["CKV_AWS_293", "AWS FSBP RDS.8"],
  types: [RDS_INSTANCE, RDS_CLUSTER],
  check(r, report) {
    if (r.type === RDS_INSTANCE && r.props.clusterIdentifier) return;
    if (r.props.deletionProtection !== true) report("deletionProtection is not true.");
  },
});

/** AWS resource types that take `tags` (the ones Meridian and typical programs create). */
export const TAGGABLE = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/flowLog:FlowLog",
  "aws:ec2/instance:Instance",
  "aws:ebs/volume:Volume",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:iam/role:Role",
  "aws:iam/policy:Policy",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/listener:Listener",
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:rds/proxy:Proxy",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:ecr/repository:Repository",
  "aws:kms/key:Key",
  "aws:secretsmanager/secret:Secret",
  "aws:cloudfront/distribution:Distribution",
  "aws:wafv2/webAcl:WebAcl",
  "aws:sns/topic:Topic",
  "aws:sqs/queue:Queue",
  "aws:lambda/function:Function",
  "aws:acm/certificate:Certificate",
];

export const STANDARD_TAGS = ["app", "environment", "owner", "cost-center", "managed-by"];

export const awsRequiredTags = resourceRule<{ requiredTags: string[] }>({
  id: "aws-required-tags",
  description:
    "Taggable AWS resources carry the standard tags (app, environment, owner, cost-center, managed-by).",
  severity: "low",
  enforcement: "advisory",
  cloud: "aws",
  area: "tagging",
  remediation:
    "Meridian: components apply `awsTags()` from components/shared/tags.ts (`meridian:owner`, `meridian:costCenter`). Raw: add the missing keys to `tags` (or the provider's `defaultTags`).",
  references: [],
  types: TAGGABLE,
  config: {
    requiredTags: {
      type: "array",
      items: { type: "string" },
      default: STANDARD_TAGS,
      description: "Tag keys every taggable resource must carry.",
    },
  },
  check(r, report, ctx) {
    const tags = (r.props.tags ?? {}) as Record<string, unknown>;
    const keys = new Set(Object.keys(tags));
    const missing = (ctx.config.requiredTags ?? STANDARD_TAGS).filter((k) => !keys.has(k));
    if (missing.length) report(`missing tag(s): ${missing.join(", ")}.`);
  },
});

export const logRetention = resourceRule<{ minDays: number }>({
  id: "aws-log-retention",
  description: "CloudWatch log groups keep logs at least 30 days, with an explicit retention.",
  severity: "low",
  enforcement: "advisory",
  cloud: "aws",
  area: "logging",
  remediation:
    "Meridian: components (components/aws/observability.ts, components/aws/service.ts) take the retention from `meridian:logRetentionDays`. Raw: `retentionInDays` >= 30 (an unset retention keeps logs forever, at a cost nobody chose).",
  references: ["CKV_AWS_338", "AWS FSBP CloudWatch.16"],
  types: ["aws:cloudwatch/logGroup:LogGroup"],
  config: { minDays: { type: "integer", default: 30, description: "Minimum retention (days)." } },
  check(r, report, ctx) {
    const min = ctx.config.minDays ?? 30;
    const days = r.props.retentionInDays;
    if (days === undefined || Number(days) === 0) report("retentionInDays is unset: logs never expire.");
    else if (Number(days) < min) report(`retentionInDays is ${days}; at least ${min} required.`);
  },
});

/** Characters AWS accepts in security group (rule) descriptions. */
const SG_DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e\t\n\r]*$/;
const SG_LIKE = [
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];

export const asciiDescriptions = resourceRule({
  id: "aws-ascii-descriptions",
  description:
    "Descriptions use only characters AWS accepts: ASCII, and for security groups and their rules only a-z A-Z 0-9 spaces and ._-:/()#,@[]+=&;{}!$*.",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "aws",
  area: "deploy-safety",
  remediation:
    "Meridian: components pass descriptions through `toAscii()` (components/shared/naming.ts). Raw: remove accents, typographic quotes, dashes and emoji from `description` (the create call fails at deploy time, after other resources changed).",
  references: [],
  types: [
    ...SG_LIKE,
    "aws:iam/role:Role",
    "aws:iam/policy:Policy",
    "aws:kms/key:Key",
    "aws:secretsmanager/secret:Secret",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ssm/parameter:Parameter",
    "aws:lambda/function:Function",
  ],
  check(r, report) {
    const strict = SG_LIKE.includes(r.type);
    const re = strict ? SG_DESCRIPTION : PRINTABLE_ASCII;
    const fields: [string, unknown][] = [
      [
        "description",
        r.type === "aws:elasticache/replicationGroup:ReplicationGroup" ? undefined : r.props.description,
      ],
      ["replicationGroupDescription", r.props.replicationGroupDescription],
    ];
    if (r.type === "aws:ec2/securityGroup:SecurityGroup") {
      for (const dir of ["ingress", "egress"])
        for (const [i, x] of (asArray(r.props[dir]) as Record<string, unknown>[]).entries())
          fields.push([`${dir}[${i}].description`, x.description]);
    }
    for (const [field, v] of fields) {
      if (typeof v === "string" && !re.test(v)) {
        const bad = [...new Set([...v].filter((ch) => !re.test(ch)))].join("");
        report(`${field} contains characters AWS rejects: ${show(bad)} in ${show(v)}.`);
      }
    }
  },
});

export const ecrRepository = resourceRule({
  id: "aws-ecr-scan-immutable",
  description: "ECR repositories scan images on push and have immutable tags.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "aws",
  area: "supply-chain",
  remediation:
    'Meridian: the registry component (components/aws/registry.ts) sets both. Raw: `imageScanningConfiguration: { scanOnPush: true }` and `imageTagMutability: "IMMUTABLE"`.',
  references: ["CKV_AWS_163", "CKV_AWS_51", "AWS FSBP ECR.1", "AWS FSBP ECR.2"],
  types: ["aws:ecr/repository:Repository"],
  check(r, report) {
    if ((r.props.imageScanningConfiguration as Record<string, unknown> | undefined)?.scanOnPush !== true)
      report("imageScanningConfiguration.scanOnPush is not true.");
    if (!String(r.props.imageTagMutability ?? "MUTABLE").startsWith("IMMUTABLE"))
      report(`imageTagMutability is ${show(r.props.imageTagMutability ?? "MUTABLE")}: tags can be moved.`);
  },
});

/**
 * What PutDashboard requires of a widget's `properties`, per widget type, as a list of problems (every
 * missing field, not the first). A metric widget graphs `metrics` (metric arrays, or `{ expression }`
 * entries: metric math and Metrics Insights SQL) or one alarm (`annotations.alarms`); other shapes such as
 * `data.queries` (PromQL) are not a CloudWatch metric widget. Meridian also requires `view` and `period`.
 */
export function widgetProblems(w: Record<string, unknown>): string[] {
  const p = (w.properties ?? {}) as Record<string, unknown>;
  const missing = (keys: string[]) => keys.filter((k) => p[k] === undefined || p[k] === "" || p[k] === null);
  switch (w.type) {
    case "metric": {
      const out: string[] = [];
      const metrics = asArray(p.metrics as unknown[]);
      const alarms = asArray(((p.annotations ?? {}) as Record<string, unknown>).alarms as unknown[]);
      if (!metrics.length && !alarms.length) {
        const other = Object.keys(p).filter((k) => ["data", "query", "queries", "promql"].includes(k));
        out.push(
          `metrics${other.length ? ` (${other.join(", ")} is not a form CloudWatch accepts; allowed: metrics arrays, { expression } entries or annotations.alarms)` : ""}`,
        );
      }
      return [...out, ...missing(["region", "view", "period"])];
    }
    case "log":
      return missing(["region", "query"]);
    case "alarm":
      return asArray(p.alarms as unknown[]).length ? [] : ["alarms"];
    case "text":
      return missing(["markdown"]);
    default:
      return [];
  }
}

export const dashboardWidgets = resourceRule({
  id: "aws-dashboard-widgets",
  description:
    "CloudWatch dashboard widgets are deployable as PutDashboard validates them: metric widgets graph `metrics` (or an alarm) and set region, view and period; log widgets set region and query.",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "aws",
  area: "deploy-safety",
  remediation:
    'Meridian: the observability component (components/aws/observability.ts) builds widgets with `metrics`, `region`, `view: "timeSeries"` and `period: 60`. Raw: give every `type: "metric"` widget of `dashboardBody` a `properties.metrics` array (or `[{ expression }]` for metric math / Metrics Insights; PromQL `data.queries` is not accepted), `properties.region`, `properties.view` and `properties.period`; log widgets need `region` and `query`.',
  references: [],
  types: ["aws:cloudwatch/dashboard:Dashboard"],
  check(r, report) {
    const body = parseJson(r.props.dashboardBody) as { widgets?: Record<string, unknown>[] } | undefined;
    if (!body || typeof body !== "object") {
      report("dashboardBody is not valid JSON.");
      return;
    }
    for (const [i, w] of asArray(body.widgets).entries()) {
      const p = (w.properties ?? {}) as Record<string, unknown>;
      const problems = widgetProblems(w);
      if (problems.length)
        report(`widgets[${i}] (${w.type}${p.title ? ` "${p.title}"` : ""}) lacks ${problems.join(", ")}.`);
    }
  },
});

const LB_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

export const wafOnPublicEntry = stackRule({
  id: "aws-waf-public-entry",
  description: "Internet-facing application load balancers and CloudFront distributions have a WAF web ACL.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "aws",
  area: "edge",
  remediation:
    "Meridian: the WAF component (components/aws/waf.ts) attaches a web ACL to the CDN and the public load balancer. Raw: `new aws.wafv2.WebAclAssociation(name, { resourceArn: lb.arn, webAclArn })`; CloudFront: `webAclId` on the distribution.",
  references: ["CKV2_AWS_28", "CKV_AWS_68", "AWS FSBP CloudFront.6"],
  types: [...LB_TYPES, "aws:cloudfront/distribution:Distribution"],
  check(r, report, ctx) {
    if (r.type === "aws:cloudfront/distribution:Distribution") {
      if (!r.props.webAclId) report("the distribution has no webAclId.");
      return;
    }
    if (r.props.internal === true) return;
    if ((r.props.loadBalancerType ?? "application") !== "application") return;
    const assoc = ctx.referencing(r, ["aws:wafv2/webAclAssociation:WebAclAssociation"], "resourceArn");
    const byArn = ctx
      .ofType("aws:wafv2/webAclAssociation:WebAclAssociation")
      .some(
        (a) =>
          typeof peek(r.props, "arn") === "string" && peek(a.props, "resourceArn") === peek(r.props, "arn"),
      );
    if (!assoc.length && !byArn) report("the internet-facing load balancer has no WAF web ACL association.");
  },
});

export const awsOperationsRules = [
  rdsEncrypted,
  elasticacheAtRest,
  ebsEncrypted,
  rdsBackups,
  rdsDeletionProtection,
  awsRequiredTags,
  logRetention,
  asciiDescriptions,
  ecrRepository,
  dashboardWidgets,
  wafOnPublicEntry,
  rdsEngineVersion,
  elasticacheAuth,
  s3Versioning,
  ecsExecutionRoleReadsSecrets,
];
