/**
 * The AWS Observability component's CloudWatch dashboard (components/aws/observability.ts): one metric
 * widget group per monitored section (ALB, ECS, RDS, cache), laid out two per row, and every widget sets
 * `region`, `view` and `period` (CloudWatch rejects or mis-renders widgets without them when the dashboard
 * is opened in another region). {@link dashboardWidgets} and {@link sectionWidgets} are pure.
 *
 * Cost (CloudWatch pricing): $3/month per dashboard, the first 3 free.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { ObservabilityArgs, ObservabilityKit } from "./observabilityArgs";

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

/** The widgets of every section present in `args`, in the order ALB, ECS, RDS, cache. */
export function sectionWidgets(
  args: Pick<ObservabilityArgs, "alb" | "ecs" | "database" | "cache">,
): MetricWidget[] {
  const widgets: MetricWidget[] = [];
  if (args.alb) {
    const lb = args.alb.albArnSuffix;
    const tg = args.alb.targetGroupArnSuffix;
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
    const { clusterName, serviceName } = args.ecs;
    widgets.push({
      title: "ECS service CPU and memory (%)",
      yAxisMax: 100,
      metrics: [
        ["AWS/ECS", "CPUUtilization", "ClusterName", clusterName, "ServiceName", serviceName],
        [".", "MemoryUtilization", ".", ".", ".", "."],
      ],
    });
  }
  if (args.database) {
    const id = args.database.dbInstanceIdentifier;
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
    widgets.push({
      title: "Cache engine CPU and memory (%)",
      yAxisMax: 100,
      metrics: args.cache.cacheClusterIds.flatMap((id) => [
        ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id],
        [".", "DatabaseMemoryUsagePercentage", ".", "."],
      ]),
    });
  }
  return widgets;
}

/** Creates `<name>-dashboard` (physical name from the component name) in `region`; returns its name. */
export function createDashboard(
  kit: ObservabilityKit,
  region: pulumi.Input<string>,
  widgets: MetricWidget[],
): string {
  const dashboardName = physicalName("aws:ecs", kit.name);
  const body = pulumi
    .all([region, pulumi.output(widgets)])
    .apply(([r, w]) => JSON.stringify({ widgets: dashboardWidgets(w as MetricWidget[], r) }));
  new aws.cloudwatch.Dashboard(
    ...applyTransform(
      kit.transform.dashboard,
      `${kit.name}-dashboard`,
      { dashboardName, dashboardBody: body },
      kit.childOpts(),
    ),
  );
  return dashboardName;
}
