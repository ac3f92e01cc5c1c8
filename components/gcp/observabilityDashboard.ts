/**
 * The Cloud Monitoring dashboard of a Meridian environment on GCP, as data: the four golden signals of the
 * API (traffic, errors, latency, saturation), then the database, the cache and the uptime check. Pure: it
 * takes resolved names and returns the `dashboardJson` object (Dashboard REST resource,
 * https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards), so tests read it directly.
 *
 * Every tile sets a title and every data set a filter with an explicit aggregation (alignment period,
 * aligner, reducer): the console otherwise picks its own, and charts then disagree with the alerts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { connectionLimit, type AlertTargets, type Thresholds } from "./alertPolicies";

/** The targets with every name resolved. */
export type ResolvedTargets = pulumi.Unwrap<AlertTargets>;

interface Aggregation {
  alignmentPeriod: string;
  perSeriesAligner: string;
  crossSeriesReducer?: string;
  groupByFields?: string[];
}

interface DataSet {
  timeSeriesQuery: Record<string, unknown>;
  plotType: "LINE" | "STACKED_AREA";
  legendTemplate?: string;
}

/** One chart: a title, its data sets, and optional threshold lines (the alert's value). */
export interface Chart {
  title: string;
  dataSets: DataSet[];
  yLabel: string;
  thresholds?: number[];
}

const agg = (
  perSeriesAligner: string,
  crossSeriesReducer?: string,
  groupByFields?: string[],
): Aggregation => ({
  alignmentPeriod: "60s",
  perSeriesAligner,
  ...(crossSeriesReducer ? { crossSeriesReducer, groupByFields: groupByFields ?? [] } : {}),
});

const series = (filter: string, aggregation: Aggregation, legendTemplate?: string): DataSet => ({
  timeSeriesQuery: { timeSeriesFilter: { filter, aggregation } },
  plotType: "LINE",
  ...(legendTemplate ? { legendTemplate } : {}),
});

/** The charts for the given targets, in reading order. */
export function dashboardCharts(t: ResolvedTargets, th: Required<Thresholds>): Chart[] {
  const charts: Chart[] = [];
  const run = (metric: string) =>
    `metric.type="${metric}" AND resource.type="cloud_run_revision" AND resource.labels.service_name="${t.service?.serviceName}"`;
  const lbBase = t.loadBalancer
    ? `metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.labels.url_map_name="${t.loadBalancer.urlMapName}" AND resource.labels.backend_target_name="${t.loadBalancer.backendServiceName}"`
    : undefined;

  // Traffic and errors: the load balancer's view when there is one, Cloud Run's otherwise.
  const base = lbBase ?? (t.service ? run("run.googleapis.com/request_count") : undefined);
  if (base) {
    const fiveXx = lbBase
      ? `${base} AND metric.labels.response_code_class=500`
      : `${base} AND metric.labels.response_code_class="5xx"`;
    charts.push({
      title: "Traffic: requests/s by response class",
      yLabel: "requests/s",
      dataSets: [series(base, agg("ALIGN_RATE", "REDUCE_SUM", ["metric.labels.response_code_class"]))],
    });
    charts.push({
      title: "Errors: 5xx share of requests",
      yLabel: "ratio",
      thresholds: [th.http5xxPercent / 100],
      dataSets: [
        {
          timeSeriesQuery: {
            timeSeriesFilterRatio: {
              numerator: { filter: fiveXx, aggregation: agg("ALIGN_RATE", "REDUCE_SUM") },
              denominator: { filter: base, aggregation: agg("ALIGN_RATE", "REDUCE_SUM") },
            },
          },
          plotType: "LINE",
        },
      ],
    });
  }
  if (t.service) {
    const latency = run("run.googleapis.com/request_latencies");
    charts.push({
      title: "Latency: p50 / p95 / p99 (ms)",
      yLabel: "ms",
      thresholds: [th.p95LatencySeconds * 1000],
      dataSets: (["50", "95", "99"] as const).map((p) =>
        series(
          latency,
          agg("ALIGN_DELTA", `REDUCE_PERCENTILE_${p}`, ["resource.labels.service_name"]),
          `p${p}`,
        ),
      ),
    });
    charts.push({
      title: "Saturation: Cloud Run CPU and memory (mean)",
      yLabel: "utilisation",
      thresholds: [th.serviceCpuPercent / 100],
      dataSets: [
        series(
          run("run.googleapis.com/container/cpu/utilizations"),
          agg("ALIGN_MEAN", "REDUCE_MAX", ["resource.labels.service_name"]),
          "cpu",
        ),
        series(
          run("run.googleapis.com/container/memory/utilizations"),
          agg("ALIGN_MEAN", "REDUCE_MAX", ["resource.labels.service_name"]),
          "memory",
        ),
      ],
    });
    charts.push({
      title: "Saturation: Cloud Run instances by state",
      yLabel: "instances",
      dataSets: [
        series(
          run("run.googleapis.com/container/instance_count"),
          agg("ALIGN_MAX", "REDUCE_SUM", ["metric.labels.state"]),
        ),
      ],
    });
  }
  if (t.database) {
    const sql = (metric: string) =>
      `metric.type="${metric}" AND resource.type="cloudsql_database" AND resource.labels.database_id="${t.database?.databaseId}"`;
    charts.push({
      title: "Cloud SQL: CPU and disk utilisation",
      yLabel: "utilisation",
      thresholds: [th.dbCpuPercent / 100],
      dataSets: [
        series(sql("cloudsql.googleapis.com/database/cpu/utilization"), agg("ALIGN_MEAN"), "cpu"),
        series(sql("cloudsql.googleapis.com/database/disk/utilization"), agg("ALIGN_MEAN"), "disk"),
      ],
    });
    charts.push({
      title: `Cloud SQL: connections (max_connections ${t.database.maxConnections})`,
      yLabel: "backends",
      thresholds: [connectionLimit(t.database.maxConnections, th.dbConnectionsPercent)],
      dataSets: [
        series(
          sql("cloudsql.googleapis.com/database/postgresql/num_backends"),
          agg("ALIGN_MEAN", "REDUCE_SUM", ["resource.labels.database_id"]),
        ),
      ],
    });
  }
  if (t.cache) {
    charts.push({
      title: "Memorystore: memory usage ratio per node",
      yLabel: "ratio",
      thresholds: [th.cacheMemoryPercent / 100],
      dataSets: [
        series(
          `metric.type="redis.googleapis.com/stats/memory/usage_ratio" AND resource.type="redis_instance" AND resource.labels.instance_id="${t.cache.instanceId}"`,
          agg("ALIGN_MEAN"),
        ),
      ],
    });
  }
  if (t.uptimeCheckId) {
    charts.push({
      title: "Uptime check /health/ready: share of checks passing",
      yLabel: "fraction",
      dataSets: [
        series(
          `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.labels.check_id="${t.uptimeCheckId}"`,
          agg("ALIGN_FRACTION_TRUE", "REDUCE_MEAN", ["resource.labels.host"]),
        ),
      ],
    });
  }
  return charts;
}

/** The `dashboardJson` object: a 48-column mosaic, two charts per row, 24 x 16 each. */
export function dashboardJson(displayName: string, charts: Chart[]): Record<string, unknown> {
  return {
    displayName,
    mosaicLayout: {
      columns: 48,
      tiles: charts.map((c, i) => ({
        xPos: (i % 2) * 24,
        yPos: Math.floor(i / 2) * 16,
        width: 24,
        height: 16,
        widget: {
          title: c.title,
          xyChart: {
            dataSets: c.dataSets,
            timeshiftDuration: "0s",
            yAxis: { label: c.yLabel, scale: "LINEAR" },
            ...(c.thresholds
              ? { thresholds: c.thresholds.map((value) => ({ value, targetAxis: "Y1" })) }
              : {}),
          },
        },
      })),
    },
  };
}
