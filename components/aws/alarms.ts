/**
 * The AWS Observability component's CloudWatch alarms (components/aws/observability.ts), one set per
 * monitored section, each notifying the topic on ALARM and on OK and firing when its metric crosses the
 * threshold for 3 of 5 one-minute periods. `treatMissingData`, chosen per alarm:
 * - ALB 5xx rate and p95 latency: `notBreaching` (no traffic means no errors and no slow requests).
 * - Unhealthy hosts: `notBreaching` (the metric is emitted while targets are registered; a service with no
 *   targets is caught by the ECS and 5xx alarms instead of paging at every scale-to-zero).
 * - ECS CPU/memory: `missing` (keep the last state: a redeploy's gap must not page or clear).
 * - RDS and ElastiCache: `breaching` (they report every minute; silence means the instance is down).
 *
 * Cost (CloudWatch pricing): standard-resolution alarms $0.10/month each, $0.30 for the metric-math 5xx
 * alarm (3 metrics).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { ObservabilityArgs, ObservabilityKit, Thresholds } from "./observabilityArgs";

const GIB = 1024 ** 3;

/** Creates one alarm `<name>-<suffix>` from the metric part of its args. */
type AlarmFactory = (
  suffix: string,
  description: string,
  a: Partial<aws.cloudwatch.MetricAlarmArgs>,
) => aws.cloudwatch.MetricAlarm;

/**
 * Creates the alarms of every section present in `args`, in the order ALB, ECS, RDS, cache, notifying
 * `topicArn`. Returns their physical names (known before deployment).
 */
export function createAlarms(
  kit: ObservabilityKit,
  args: Pick<ObservabilityArgs, "alb" | "ecs" | "database" | "cache">,
  th: Required<Thresholds>,
  topicArn: pulumi.Input<string>,
): string[] {
  const { name, transform: t, childOpts, tagsFor } = kit;
  const alarmNames: string[] = [];
  const alarm: AlarmFactory = (suffix, description, a) => {
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
          alarmActions: [topicArn],
          okActions: [topicArn],
          tags: tagsFor(logical),
          ...a,
        },
        childOpts(),
      ),
    );
  };
  if (args.alb) albAlarms(alarm, args.alb, th);
  if (args.ecs) ecsAlarms(alarm, args.ecs, th);
  if (args.database) databaseAlarms(alarm, args.database, th);
  if (args.cache) cacheAlarms(alarm, args.cache, th);
  return alarmNames;
}

/** 5xx rate (metric math over the target's and the ALB's 5xx and the request count), p95 latency, unhealthy hosts. */
function albAlarms(
  alarm: AlarmFactory,
  alb: NonNullable<ObservabilityArgs["alb"]>,
  th: Required<Thresholds>,
) {
  const lb = alb.albArnSuffix;
  const tg = alb.targetGroupArnSuffix;
  const count = (id: string, metricName: string) => ({
    id,
    metric: {
      namespace: "AWS/ApplicationELB",
      metricName,
      dimensions: { LoadBalancer: lb },
      period: 60,
      stat: "Sum",
    },
    returnData: false,
  });
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
      count("target5xx", "HTTPCode_Target_5XX_Count"),
      count("elb5xx", "HTTPCode_ELB_5XX_Count"),
      count("requests", "RequestCount"),
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
}

/** The ECS service's average CPU and memory. */
function ecsAlarms(
  alarm: AlarmFactory,
  ecs: NonNullable<ObservabilityArgs["ecs"]>,
  th: Required<Thresholds>,
) {
  const dims = { ClusterName: ecs.clusterName, ServiceName: ecs.serviceName };
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
}

/** RDS CPU, free storage (GiB threshold, bytes metric) and connections. */
function databaseAlarms(
  alarm: AlarmFactory,
  database: NonNullable<ObservabilityArgs["database"]>,
  th: Required<Thresholds>,
) {
  const dims = { DBInstanceIdentifier: database.dbInstanceIdentifier };
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
}

/** Per cache node: engine CPU and memory usage. */
function cacheAlarms(
  alarm: AlarmFactory,
  cache: NonNullable<ObservabilityArgs["cache"]>,
  th: Required<Thresholds>,
) {
  cache.cacheClusterIds.forEach((id, i) => {
    const dims = { CacheClusterId: id };
    alarm(`cache-${i + 1}-engine-cpu`, `Cache node ${i + 1} engine CPU above ${th.cacheEngineCpuPercent}%`, {
      namespace: "AWS/ElastiCache",
      metricName: "EngineCPUUtilization",
      dimensions: dims,
      statistic: "Average",
      comparisonOperator: "GreaterThanThreshold",
      threshold: th.cacheEngineCpuPercent,
      treatMissingData: "breaching",
    });
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
}
