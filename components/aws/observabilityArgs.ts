/**
 * The arguments of the AWS Observability component (components/aws/observability.ts): the monitored
 * sections (ALB, ECS, RDS, ElastiCache), the alarm thresholds and their limits, the alert email, the topic
 * key, the per-child transforms, their validation ({@link resolveObservabilityArgs}, pure) and the kit
 * every child-building module (`alarmTopic.ts`, `alarms.ts`, `dashboard.ts`) receives.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ChildKit } from "../shared/component";
import type { Tags } from "../shared/tags";
import type { Transform } from "../shared/transform";
import { show } from "../shared/validate";
import { validateTags } from "./network";

/** Thresholds; each alarm fires when its metric crosses the value for 3 of 5 one-minute periods. */
export interface Thresholds {
  /** ALB 5xx (target + load balancer) as a percentage of requests. @default 5 */
  alb5xxPercent?: number;
  /** p95 of TargetResponseTime, seconds. @default 1.5 */
  albP95LatencySeconds?: number;
  /** ECS service average CPU, percent. @default 80 */
  ecsCpuPercent?: number;
  /** ECS service average memory, percent. @default 80 */
  ecsMemoryPercent?: number;
  /** RDS CPU, percent. @default 80 */
  dbCpuPercent?: number;
  /** RDS free storage below this many GiB. @default 5 */
  dbFreeStorageGb?: number;
  /** RDS connections above this count (size it to max_connections of the class: t4g.micro ≈ 80). @default 60 */
  dbConnections?: number;
  /** ElastiCache EngineCPUUtilization per node, percent. @default 80 */
  cacheEngineCpuPercent?: number;
  /** ElastiCache DatabaseMemoryUsagePercentage per node. @default 80 */
  cacheMemoryPercent?: number;
}

export const DEFAULT_THRESHOLDS: Required<Thresholds> = {
  alb5xxPercent: 5,
  albP95LatencySeconds: 1.5,
  ecsCpuPercent: 80,
  ecsMemoryPercent: 80,
  dbCpuPercent: 80,
  dbFreeStorageGb: 5,
  dbConnections: 60,
  cacheEngineCpuPercent: 80,
  cacheMemoryPercent: 80,
};

export interface ObservabilityTransforms {
  topic?: Transform<aws.sns.TopicArgs>;
  topicKey?: Transform<aws.kms.KeyArgs>;
  subscription?: Transform<aws.sns.TopicSubscriptionArgs>;
  /** Every alarm; the function form receives the logical name (`<name>-alb-5xx-rate`). */
  alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
  dashboard?: Transform<aws.cloudwatch.DashboardArgs>;
}

export interface ObservabilityArgs {
  /**
   * Email address subscribed to the alarm topic (the recipient must confirm the subscription).
   * Cost: SNS email $2 per 100,000 notifications (first 1,000 free).
   * @default none
   */
  alertEmail?: string;
  /** The ALB (`loadBalancer.arnSuffix`) and target group (`targetGroup.arnSuffix`). Omit to skip ALB alarms. */
  alb?: { albArnSuffix: pulumi.Input<string>; targetGroupArnSuffix: pulumi.Input<string> };
  /** The ECS service. Omit to skip ECS alarms. */
  ecs?: { clusterName: pulumi.Input<string>; serviceName: pulumi.Input<string> };
  /** The RDS instance. Omit to skip database alarms. */
  database?: { dbInstanceIdentifier: pulumi.Input<string> };
  /** The cache nodes (`cache.memberClusters`): one pair of alarms per node. Omit to skip cache alarms. */
  cache?: { cacheClusterIds: pulumi.Input<string>[] };
  /** Alarm thresholds. @default DEFAULT_THRESHOLDS */
  thresholds?: Thresholds;
  /**
   * KMS key ARN for the topic. Its key policy must let `cloudwatch.amazonaws.com` call kms:Decrypt and
   * kms:GenerateDataKey*. Default: a key created here with that policy and rotation on. (Not alias/aws/sns:
   * CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key, whose policy cannot be
   * changed, so notifications would silently fail.)
   * Cost: $1/month for the created key.
   * @default a new customer managed key
   */
  topicKmsKeyArn?: pulumi.Input<string>;
  /** Tags for every taggable child (plus its `Name`). */
  tags: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: ObservabilityTransforms;
}

export interface ObservabilitySettings {
  alertEmail?: string;
  thresholds: Required<Thresholds>;
  tags: Tags;
}

const THRESHOLD_LIMITS: Record<keyof Thresholds, [number, number]> = {
  alb5xxPercent: [0.1, 100],
  albP95LatencySeconds: [0.01, 60],
  ecsCpuPercent: [1, 100],
  ecsMemoryPercent: [1, 100],
  dbCpuPercent: [1, 100],
  dbFreeStorageGb: [1, 65536],
  dbConnections: [1, 100000],
  cacheEngineCpuPercent: [1, 100],
  cacheMemoryPercent: [1, 100],
};

/** Validates every arg synchronously and applies defaults. */
export function resolveObservabilityArgs(args: ObservabilityArgs): ObservabilitySettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  if (args.alertEmail !== undefined) {
    if (typeof args.alertEmail !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(args.alertEmail)) {
      throw new Error(
        `alertEmail is ${show(args.alertEmail)}; allowed: an email address such as "oncall@example.com"`,
      );
    }
  }
  const thresholds = { ...DEFAULT_THRESHOLDS };
  for (const [k, v] of Object.entries(args.thresholds ?? {})) {
    const limits = THRESHOLD_LIMITS[k as keyof Thresholds];
    if (!limits) {
      throw new Error(
        `thresholds.${k} is not a threshold; allowed: ${Object.keys(THRESHOLD_LIMITS).join(", ")}`,
      );
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < limits[0] || v > limits[1]) {
      throw new Error(`thresholds.${k} is ${show(v)}; allowed: a number from ${limits[0]} to ${limits[1]}`);
    }
    thresholds[k as keyof Thresholds] = v;
  }
  if (
    args.cache !== undefined &&
    (!Array.isArray(args.cache.cacheClusterIds) || args.cache.cacheClusterIds.length === 0)
  ) {
    throw new Error(
      `cache.cacheClusterIds is ${show(args.cache.cacheClusterIds)}; allowed: a non-empty list (cache.memberClusters)`,
    );
  }
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return { alertEmail: args.alertEmail, thresholds, tags: validateTags(args.tags) };
}

/** What every child-building module of Observability receives: the component's name, transforms and kit. */
export interface ObservabilityKit extends ChildKit {
  /** The component's name: children's logical names are `<name>-<suffix>`. */
  name: string;
  transform: ObservabilityTransforms;
}
