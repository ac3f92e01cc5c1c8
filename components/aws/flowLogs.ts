/**
 * The AWS network's VPC flow logs: always on, to the CloudWatch log group `/meridian/<name>/vpc-flow-logs`,
 * delivered by a role only the flow logs service of this account can assume, allowed only to write to that
 * log group. Settings are validated by the pure {@link validateFlowLogs}. Tested in flowLogs.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { oneOf, show } from "../shared/validate";
import type { AwsEnvironment } from "./environment";
import type { PartKit } from "./partKit";
import { LOG_RETENTION_DAYS } from "./validate";

/** Which flows a flow log records. */
export const FLOW_LOG_TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;
export type FlowLogTrafficType = (typeof FLOW_LOG_TRAFFIC_TYPES)[number];

/** Flow log aggregation intervals EC2 accepts, in seconds. */
export const FLOW_LOG_AGGREGATION_INTERVALS = [60, 600] as const;
export type FlowLogAggregationInterval = (typeof FLOW_LOG_AGGREGATION_INTERVALS)[number];

/** The only actions the flow log role may perform, on the flow log group only. */
export const FLOW_LOG_ACTIONS = [
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "logs:DescribeLogStreams",
] as const;

/** The service principal allowed to assume the flow log role. */
export const FLOW_LOG_PRINCIPAL = "vpc-flow-logs.amazonaws.com";

/** The defaults of {@link FlowLogOptions}. */
export const FLOW_LOG_DEFAULTS = {
  retentionDays: 30,
  trafficType: "ALL",
  maxAggregationInterval: 600,
} as const;

/** VPC flow log settings. Flow logs are always on; these tune their volume, retention and encryption. */
export interface FlowLogOptions {
  /**
   * Days the log group keeps flow records; one of CloudWatch's allowed values (1, 3, 5, 7, 14, 30, 60, 90,
   * 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
   * Cost: storage $0.03/GB-month (after compression) for as long as records are kept.
   * @default 30
   * @example 90
   */
  retentionDays?: number;
  /**
   * Which flows are recorded: all, accepted only, or rejected only.
   * Cost: ingestion is $0.50/GB (vended logs, first tier); `"REJECT"` is the cheapest, `"ALL"` the most useful.
   * @default "ALL"
   */
  trafficType?: FlowLogTrafficType;
  /**
   * Seconds a flow is aggregated before a record is written: 60 (finer, more records) or 600.
   * @default 600
   */
  maxAggregationInterval?: FlowLogAggregationInterval;
  /**
   * KMS key ARN to encrypt the log group with. Its key policy must allow `logs.<region>.amazonaws.com`.
   * Cost: $1/month per customer managed key plus $0.03 per 10,000 requests.
   * @default none (CloudWatch Logs' own encryption)
   * @example "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
   */
  kmsKeyArn?: pulumi.Input<string>;
}

/** The validated flow log settings with defaults applied. */
export interface FlowLogSettings {
  retentionDays: number;
  trafficType: FlowLogTrafficType;
  maxAggregationInterval: FlowLogAggregationInterval;
  kmsKeyArn?: pulumi.Input<string>;
}

/** Per-child `transform` hooks of the flow logs. */
export interface FlowLogTransforms {
  flowLog?: Transform<aws.ec2.FlowLogArgs>;
  flowLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  flowLogRole?: Transform<aws.iam.RoleArgs>;
  /** The flow log role's inline policy. */
  flowLogPolicy?: Transform<aws.iam.RolePolicyArgs>;
}

/** What the flow log builder needs from the Network component. */
export type FlowLogKit = PartKit<FlowLogTransforms>;

/** The flow log resources a Network exposes. */
export interface FlowLogs {
  logGroup: aws.cloudwatch.LogGroup;
  logGroupName: string;
  role: aws.iam.Role;
  /** The delivery role with its exact permissions (for the posture document). */
  identity: Posture["identities"][number];
}

/** Validates flow log settings and applies defaults. */
export function validateFlowLogs(flowLogs: FlowLogOptions = {}): FlowLogSettings {
  if (flowLogs === null || typeof flowLogs !== "object") {
    throw new Error(`flowLogs is ${show(flowLogs)}; allowed: an object (flow logs are always on)`);
  }
  const d = FLOW_LOG_DEFAULTS;
  const retentionDays = flowLogs.retentionDays ?? d.retentionDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
    throw new Error(
      `flowLogs.retentionDays is ${show(retentionDays)}; allowed (CloudWatch Logs): ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  const kmsKeyArn = flowLogs.kmsKeyArn;
  if (typeof kmsKeyArn === "string" && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(kmsKeyArn)) {
    throw new Error(
      `flowLogs.kmsKeyArn is ${show(kmsKeyArn)}; allowed: a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias`,
    );
  }
  return {
    retentionDays,
    trafficType: oneOf("flowLogs.trafficType", flowLogs.trafficType ?? d.trafficType, FLOW_LOG_TRAFFIC_TYPES),
    maxAggregationInterval: oneOf(
      "flowLogs.maxAggregationInterval",
      flowLogs.maxAggregationInterval ?? d.maxAggregationInterval,
      FLOW_LOG_AGGREGATION_INTERVALS,
    ),
    kmsKeyArn,
  };
}

/**
 * VPC flow logs to `/meridian/<name>/vpc-flow-logs`, delivered by a role only the flow logs service of
 * this account can assume, allowed only to write to that log group.
 */
export function createFlowLogs(
  kit: FlowLogKit,
  f: FlowLogSettings,
  vpc: aws.ec2.Vpc,
  env: AwsEnvironment,
): FlowLogs {
  const logGroupName = physicalName("aws:logGroup", `/meridian/${kit.name}/vpc-flow-logs`);
  const logGroup = new aws.cloudwatch.LogGroup(
    ...applyTransform(
      kit.t.flowLogGroup,
      `${kit.name}-flow-logs`,
      {
        name: logGroupName,
        retentionInDays: f.retentionDays,
        kmsKeyId: f.kmsKeyArn,
        tags: kit.tagsFor(`${kit.name}-flow-logs`),
      },
      kit.childOpts(),
    ),
  );

  const trust = aws.iam.getPolicyDocumentOutput(
    {
      statements: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [FLOW_LOG_PRINCIPAL] }],
          conditions: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [env.account] },
            {
              test: "ArnLike",
              variable: "aws:SourceArn",
              values: [
                pulumi.interpolate`arn:${env.partition}:ec2:${env.region}:${env.account}:vpc-flow-log/*`,
              ],
            },
          ],
        },
      ],
    },
    { parent: kit.parent },
  );
  const roleName = `${kit.name}-flow-logs-role`;
  const role = new aws.iam.Role(
    ...applyTransform(
      kit.t.flowLogRole,
      roleName,
      {
        description: asciiDescription(`Delivers VPC flow logs of ${kit.name} to CloudWatch Logs`),
        assumeRolePolicy: trust.json,
        tags: kit.tagsFor(roleName),
      },
      kit.childOpts(),
    ),
  );
  const permissions = aws.iam.getPolicyDocumentOutput(
    {
      statements: [
        {
          effect: "Allow",
          actions: [...FLOW_LOG_ACTIONS],
          resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
        },
      ],
    },
    { parent: kit.parent },
  );
  const policy = new aws.iam.RolePolicy(
    ...applyTransform(
      kit.t.flowLogPolicy,
      `${kit.name}-flow-logs-policy`,
      { role: role.id, policy: permissions.json },
      kit.childOpts(),
    ),
  );

  const flowLogName = `${kit.name}-flow-log`;
  new aws.ec2.FlowLog(
    ...applyTransform(
      kit.t.flowLog,
      flowLogName,
      {
        vpcId: vpc.id,
        trafficType: f.trafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: f.maxAggregationInterval,
        tags: kit.tagsFor(flowLogName),
      },
      // The role must be allowed to write before the first delivery.
      kit.childOpts({ dependsOn: [policy] }),
    ),
  );
  const identity = {
    name: role.name,
    kind: "aws:iam:role",
    permissions: FLOW_LOG_ACTIONS.map((a) => `${a} on ${logGroupName}`),
    trust: [FLOW_LOG_PRINCIPAL],
  };
  return { logGroup, logGroupName, role, identity };
}
