/**
 * Meridian's alarms and dashboard on AWS: an encrypted SNS topic (optional email subscription), CloudWatch
 * alarms for the load balancer, the ECS service, the database and the cache (each section optional), all
 * notifying the topic on ALARM and on OK, and one dashboard whose every widget sets region, view and period
 * (CloudWatch rejects or mis-renders widgets without them when the dashboard is opened in another region).
 *
 * Pure helpers ({@link resolveObservabilityArgs}, {@link dashboardWidgets}) test without mocks. See
 * docs/components/aws-observability.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { childKit } from "../shared/component";
import { applyTransform, Transform } from "../shared/transform";
import { resolveArgs, show } from "../shared/validate";
import { validateTags } from "./network";
import { awsEnvironment } from "./environment";

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

/** One metric widget of the dashboard (before region resolution). */
export interface MetricWidget {
  title: string;
  /** CloudWatch `metrics` array rows. */
  metrics: unknown[][];
  stat?: string;
  yAxisMax?: number;
}

/**
 * Lays out metric widgets (two per row, 12 x 6) with the properties CloudWatch needs on every widget:
 * `region`, `view`, `period`, `stat`, `title`.
 */
export function dashboardWidgets(
  widgets: MetricWidget[],
  region: string,
  period = 60,
): Record<string, unknown>[] {
  return widgets.map((w, i) => ({
    type: "metric",
    x: (i % 2) * 12,
    y: Math.floor(i / 2) * 6,
    width: 12,
    height: 6,
    properties: {
      title: w.title,
      region,
      view: "timeSeries",
      stacked: false,
      period,
      stat: w.stat ?? "Average",
      metrics: w.metrics,
      ...(w.yAxisMax !== undefined ? { yAxis: { left: { min: 0, max: w.yAxisMax } } } : {}),
    },
  }));
}

const GIB = 1024 ** 3;

/**
 * Alarms and a dashboard for a Meridian environment on AWS.
 *
 * `treatMissingData`, chosen per alarm:
 * - ALB 5xx rate and p95 latency: `notBreaching` (no traffic means no errors and no slow requests).
 * - Unhealthy hosts: `notBreaching` (the metric is emitted while targets are registered; a service with no
 *   targets is caught by the ECS and 5xx alarms instead of paging at every scale-to-zero).
 * - ECS CPU/memory: `missing` (keep the last state: a redeploy's gap must not page or clear).
 * - RDS and ElastiCache: `breaching` (they report every minute; silence means the instance is down).
 *
 * @example
 * new Observability("meridian-prod-obs", {
 *   alertEmail: "oncall@example.com",
 *   alb: { albArnSuffix: alb.arnSuffix, targetGroupArnSuffix: tg.arnSuffix },
 *   ecs: { clusterName: cluster.name, serviceName: service.name },
 *   database: { dbInstanceIdentifier: db.instanceIdentifier },
 *   cache: { cacheClusterIds: cache.memberClusters },
 *   tags,
 * });
 *
 * ## Cost
 * Standard-resolution alarms $0.10/month each ($0.30 for the metric-math 5xx alarm: 3 metrics); a full
 * stack (2 cache nodes) has 12 alarms ≈ $1.40/month. One dashboard $3/month (the first 3 are free).
 * KMS key $1/month. SNS email: first 1,000/month free.
 */
export class Observability extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  /** Physical names of every alarm (known before deployment). */
  public readonly alarmNames: string[];
  public readonly dashboardName: string;
  public readonly settings: ObservabilitySettings;

  constructor(name: string, args: ObservabilityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Observability", name, () => resolveObservabilityArgs(args));
    super("meridian:aws:Observability", name, {}, opts);
    this.settings = settings;
    const s = settings;
    const th = s.thresholds;
    const t = args.transform ?? {};
    const { childOpts, tagsFor } = childKit(this, s.tags);
    const env = awsEnvironment(this);
    const region = env.region;

    // -- topic -------------------------------------------------------------------------------------------
    let keyArn: pulumi.Input<string> | undefined = args.topicKmsKeyArn;
    if (keyArn === undefined) {
      const { account, partition } = env;
      const key = new aws.kms.Key(
        ...applyTransform(
          t.topicKey,
          `${name}-alarm-topic-key`,
          {
            description: asciiDescription(
              `Encrypts the alarm topic of ${name}; CloudWatch alarms may use it`,
            ),
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: pulumi.jsonStringify({
              Version: "2012-10-17",
              Statement: [
                {
                  // The default key policy: the account administers the key through IAM (without it the key
                  // would be unmanageable).
                  Sid: "AccountAdministersKeyThroughIam",
                  Effect: "Allow",
                  Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
                  Action: "kms:*",
                  Resource: "*",
                },
                {
                  Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
                  Effect: "Allow",
                  Principal: { Service: "cloudwatch.amazonaws.com" },
                  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                  Resource: "*",
                  Condition: { StringEquals: { "aws:SourceAccount": account } },
                },
              ],
            }),
            tags: tagsFor(`${name}-alarm-topic-key`),
          },
          childOpts(),
        ),
      );
      keyArn = key.arn;
    }
    const topic = new aws.sns.Topic(
      ...applyTransform(
        t.topic,
        `${name}-alarms`,
        {
          name: physicalName("aws:ecs", name, "alarms"),
          displayName: asciiDescription(`Meridian alarms ${name}`).slice(0, 100),
          kmsMasterKeyId: keyArn,
          tags: tagsFor(`${name}-alarms`),
        },
        childOpts(),
      ),
    );
    if (s.alertEmail) {
      new aws.sns.TopicSubscription(
        ...applyTransform(
          t.subscription,
          `${name}-alarms-email`,
          { topic: topic.arn, protocol: "email", endpoint: s.alertEmail },
          childOpts(),
        ),
      );
    }

    // -- alarms ------------------------------------------------------------------------------------------
    const alarmNames: string[] = [];
    const alarm = (suffix: string, description: string, a: Partial<aws.cloudwatch.MetricAlarmArgs>) => {
      const logical = `${name}-${suffix}`;
      const alarmName = physicalName("aws:ecs", name, suffix);
      alarmNames.push(alarmName);
      return new aws.cloudwatch.MetricAlarm(
        ...applyTransform(
          t.alarm,
          logical,
          {
            name: alarmName,
            alarmDescription: asciiDescription(description),
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
            period: a.metricQueries ? undefined : 60,
            actionsEnabled: true,
            alarmActions: [topic.arn],
            okActions: [topic.arn],
            tags: tagsFor(logical),
            ...a,
          },
          childOpts(),
        ),
      );
    };
    const widgets: MetricWidget[] = [];

    if (args.alb) {
      const lb = args.alb.albArnSuffix;
      const tg = args.alb.targetGroupArnSuffix;
      alarm("alb-5xx-rate", `5xx responses above ${th.alb5xxPercent}% of ALB requests`, {
        comparisonOperator: "GreaterThanThreshold",
        threshold: th.alb5xxPercent,
        treatMissingData: "notBreaching",
        metricQueries: [
          {
            id: "rate",
            label: "5xx % of requests",
            expression: "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests",
            returnData: true,
          },
          {
            id: "target5xx",
            metric: {
              namespace: "AWS/ApplicationELB",
              metricName: "HTTPCode_Target_5XX_Count",
              dimensions: { LoadBalancer: lb },
              period: 60,
              stat: "Sum",
            },
            returnData: false,
          },
          {
            id: "elb5xx",
            metric: {
              namespace: "AWS/ApplicationELB",
              metricName: "HTTPCode_ELB_5XX_Count",
              dimensions: { LoadBalancer: lb },
              period: 60,
              stat: "Sum",
            },
            returnData: false,
          },
          {
            id: "requests",
            metric: {
              namespace: "AWS/ApplicationELB",
              metricName: "RequestCount",
              dimensions: { LoadBalancer: lb },
              period: 60,
              stat: "Sum",
            },
            returnData: false,
          },
        ],
      });
      alarm("alb-p95-latency", `p95 target response time above ${th.albP95LatencySeconds}s`, {
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: { LoadBalancer: lb, TargetGroup: tg },
        extendedStatistic: "p95",
        comparisonOperator: "GreaterThanThreshold",
        threshold: th.albP95LatencySeconds,
        treatMissingData: "notBreaching",
      });
      alarm("alb-unhealthy-hosts", "At least one target is unhealthy", {
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { LoadBalancer: lb, TargetGroup: tg },
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
      });
      widgets.push(
        {
          title: "ALB requests and 5xx",
          stat: "Sum",
          metrics: [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb],
            [".", "HTTPCode_Target_5XX_Count", ".", "."],
            [".", "HTTPCode_ELB_5XX_Count", ".", "."],
          ],
        },
        {
          title: "Target response time p95 (s)",
          stat: "p95",
          metrics: [["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb, "TargetGroup", tg]],
        },
        {
          title: "Healthy / unhealthy targets",
          stat: "Maximum",
          metrics: [
            ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", tg, "LoadBalancer", lb],
            [".", "UnHealthyHostCount", ".", ".", ".", "."],
          ],
        },
      );
    }

    if (args.ecs) {
      const dims = { ClusterName: args.ecs.clusterName, ServiceName: args.ecs.serviceName };
      for (const [suffix, metricName, limit] of [
        ["ecs-cpu", "CPUUtilization", th.ecsCpuPercent],
        ["ecs-memory", "MemoryUtilization", th.ecsMemoryPercent],
      ] as const) {
        alarm(suffix, `ECS service ${metricName} above ${limit}%`, {
          namespace: "AWS/ECS",
          metricName,
          dimensions: dims,
          statistic: "Average",
          comparisonOperator: "GreaterThanThreshold",
          threshold: limit,
          treatMissingData: "missing",
        });
      }
      widgets.push({
        title: "ECS service CPU and memory (%)",
        yAxisMax: 100,
        metrics: [
          ["AWS/ECS", "CPUUtilization", "ClusterName", dims.ClusterName, "ServiceName", dims.ServiceName],
          [".", "MemoryUtilization", ".", ".", ".", "."],
        ],
      });
    }

    if (args.database) {
      const id = args.database.dbInstanceIdentifier;
      const dims = { DBInstanceIdentifier: id };
      alarm("db-cpu", `RDS CPU above ${th.dbCpuPercent}%`, {
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions: dims,
        statistic: "Average",
        comparisonOperator: "GreaterThanThreshold",
        threshold: th.dbCpuPercent,
        treatMissingData: "breaching",
      });
      alarm("db-free-storage", `RDS free storage below ${th.dbFreeStorageGb} GiB`, {
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        dimensions: dims,
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: th.dbFreeStorageGb * GIB,
        treatMissingData: "breaching",
      });
      alarm("db-connections", `RDS connections above ${th.dbConnections}`, {
        namespace: "AWS/RDS",
        metricName: "DatabaseConnections",
        dimensions: dims,
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: th.dbConnections,
        treatMissingData: "breaching",
      });
      widgets.push(
        {
          title: "RDS CPU (%)",
          yAxisMax: 100,
          metrics: [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", id]],
        },
        {
          title: "RDS free storage (bytes) and connections",
          metrics: [
            ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", id],
            [".", "DatabaseConnections", ".", ".", { yAxis: "right" }],
          ],
        },
      );
    }

    if (args.cache) {
      const ids = args.cache.cacheClusterIds;
      ids.forEach((id, i) => {
        const dims = { CacheClusterId: id };
        alarm(
          `cache-${i + 1}-engine-cpu`,
          `Cache node ${i + 1} engine CPU above ${th.cacheEngineCpuPercent}%`,
          {
            namespace: "AWS/ElastiCache",
            metricName: "EngineCPUUtilization",
            dimensions: dims,
            statistic: "Average",
            comparisonOperator: "GreaterThanThreshold",
            threshold: th.cacheEngineCpuPercent,
            treatMissingData: "breaching",
          },
        );
        alarm(`cache-${i + 1}-memory`, `Cache node ${i + 1} memory above ${th.cacheMemoryPercent}%`, {
          namespace: "AWS/ElastiCache",
          metricName: "DatabaseMemoryUsagePercentage",
          dimensions: dims,
          statistic: "Average",
          comparisonOperator: "GreaterThanThreshold",
          threshold: th.cacheMemoryPercent,
          treatMissingData: "breaching",
        });
      });
      widgets.push({
        title: "Cache engine CPU and memory (%)",
        yAxisMax: 100,
        metrics: ids.flatMap((id) => [
          ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id],
          [".", "DatabaseMemoryUsagePercentage", ".", "."],
        ]),
      });
    }

    // -- dashboard ---------------------------------------------------------------------------------------
    const dashboardName = physicalName("aws:ecs", name);
    const body = pulumi
      .all([region, pulumi.output(widgets)])
      .apply(([r, w]) => JSON.stringify({ widgets: dashboardWidgets(w as MetricWidget[], r) }));
    new aws.cloudwatch.Dashboard(
      ...applyTransform(
        t.dashboard,
        `${name}-dashboard`,
        { dashboardName, dashboardBody: body },
        childOpts(),
      ),
    );

    this.topicArn = topic.arn;
    this.alarmNames = alarmNames;
    this.dashboardName = dashboardName;
    this.registerOutputs({
      topicArn: this.topicArn,
      alarmNames: this.alarmNames,
      dashboardName: this.dashboardName,
    });
  }
}
