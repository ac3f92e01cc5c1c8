/**
 * Meridian's Cloud Monitoring alert policies on GCP, as data: which metric, on which monitored resource,
 * aggregated how, compared with what, for how long, and what the responder reads. The Observability
 * component turns each {@link AlertSpec} into a `gcp.monitoring.AlertPolicy`; tests check the specs
 * structurally against `./monitoringMetrics` (metric kind, value type, resource type, labels, aligners).
 *
 * Filters use the Monitoring filter syntax (https://cloud.google.com/monitoring/api/v3/filters) and metric
 * names from the Google Cloud metrics list (https://cloud.google.com/monitoring/api/metrics_gcp). Threshold
 * conditions throughout: MQL is deprecated, and PromQL would need promtool (not installed here) to be validated.
 *
 * Thresholds come from the operations seeds: health failing 1 minute, error rate > 5% over 5 minutes,
 * CPU/RAM > 80%, p95 latency (> 1 s in one seed; AWS uses 1.5 s), plus database and cache saturation.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as gcp from "@pulumi/gcp";
import { show } from "../shared/validate";

type In = pulumi.Input<string>;
export type Severity = "CRITICAL" | "ERROR" | "WARNING";
type Condition = gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold;

/** Thresholds of the alert policies. */
export interface Thresholds {
  /** 5xx responses as a percentage of requests, over 5 minutes. @default 5 */
  http5xxPercent?: number;
  /** p95 request latency of the Cloud Run service, seconds, for 5 minutes. @default 1.5 */
  p95LatencySeconds?: number;
  /** Cloud Run container CPU utilisation, percent (mean over instances), for 5 minutes. @default 80 */
  serviceCpuPercent?: number;
  /** Cloud Run container memory utilisation, percent, for 5 minutes. @default 80 */
  serviceMemoryPercent?: number;
  /** Cloud SQL CPU utilisation, percent, for 5 minutes. @default 80 */
  dbCpuPercent?: number;
  /** Cloud SQL disk utilisation, percent, for 5 minutes. @default 80 */
  dbDiskPercent?: number;
  /** Cloud SQL backends (connections) as a percentage of `database.maxConnections`, for 5 minutes. @default 80 */
  dbConnectionsPercent?: number;
  /** Memorystore memory usage ratio, percent of maxmemory, for 5 minutes. @default 80 */
  cacheMemoryPercent?: number;
}

export const DEFAULT_THRESHOLDS: Required<Thresholds> = {
  http5xxPercent: 5,
  p95LatencySeconds: 1.5,
  serviceCpuPercent: 80,
  serviceMemoryPercent: 80,
  dbCpuPercent: 80,
  dbDiskPercent: 80,
  dbConnectionsPercent: 80,
  cacheMemoryPercent: 80,
};

export const THRESHOLD_LIMITS: Record<keyof Thresholds, [number, number]> = {
  http5xxPercent: [0.1, 100],
  p95LatencySeconds: [0.01, 300],
  serviceCpuPercent: [1, 100],
  serviceMemoryPercent: [1, 100],
  dbCpuPercent: [1, 100],
  dbDiskPercent: [1, 100],
  dbConnectionsPercent: [1, 100],
  cacheMemoryPercent: [1, 100],
};

/** Validates threshold overrides (known keys, numbers within limits) and applies the defaults. */
export function resolveThresholds(given: Thresholds = {}): Required<Thresholds> {
  const out = { ...DEFAULT_THRESHOLDS };
  for (const [k, v] of Object.entries(given ?? {})) {
    const limits = THRESHOLD_LIMITS[k as keyof Thresholds];
    if (!limits) {
      throw new Error(
        `thresholds.${k} is not a threshold; allowed: ${Object.keys(THRESHOLD_LIMITS).join(", ")}`,
      );
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < limits[0] || v > limits[1]) {
      throw new Error(`thresholds.${k} is ${show(v)}; allowed: a number from ${limits[0]} to ${limits[1]}`);
    }
    out[k as keyof Thresholds] = v;
  }
  return out;
}

/** The monitored resources to alert on; each section is optional and adds its policies. */
export interface AlertTargets {
  /** The uptime check's id (`UptimeCheckConfig.uptimeCheckId`). */
  uptimeCheckId?: In;
  /** The external Application Load Balancer: URL map and the API's backend service names. */
  loadBalancer?: { urlMapName: In; backendServiceName: In };
  /** The Cloud Run service name. */
  service?: { serviceName: In };
  /** Cloud SQL: `database_id` is `project:instance`; `maxConnections` is the instance's `max_connections`. */
  database?: { databaseId: In; maxConnections: number };
  /** Memorystore: `instance_id` is `projects/P/locations/R/instances/I`. */
  cache?: { instanceId: In };
}

/** One alert policy, before it becomes a resource. */
export interface AlertSpec {
  /** Logical/physical suffix, e.g. `uptime`, `http-5xx-rate`. */
  key: string;
  displayName: string;
  severity: Severity;
  /** What it means and what to do first (Markdown). */
  summary: string;
  condition: Condition;
}

/** Builds a filter string; stays a plain string when every value is one (so pure tests see strings). */
export function filterText(strings: TemplateStringsArray, ...values: In[]): In {
  if (values.every((v) => typeof v === "string")) {
    return strings.reduce((acc, s, i) => acc + s + (i < values.length ? (values[i] as string) : ""), "");
  }
  return pulumi.interpolate(strings, ...values);
}

const MIN = "60s";
const FIVE_MIN = "300s";

/**
 * A ratio condition (e.g. 5xx / all requests): both series summed by `groupBy` over 5 minutes (ALIGN_DELTA,
 * REDUCE_SUM, DELTA counters), open when the ratio exceeds `percent`%, INACTIVE without traffic.
 */
export function ratioCondition(numerator: In, denominator: In, groupBy: string, percent: number): Condition {
  const sum = () => ({
    alignmentPeriod: FIVE_MIN,
    perSeriesAligner: "ALIGN_DELTA",
    crossSeriesReducer: "REDUCE_SUM",
    groupByFields: [groupBy],
  });
  return {
    filter: numerator,
    denominatorFilter: denominator,
    aggregations: [sum()],
    denominatorAggregations: [sum()],
    comparison: "COMPARISON_GT",
    thresholdValue: percent / 100,
    duration: "0s",
    evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
    trigger: { count: 1 },
  };
}

/**
 * A utilisation condition (a 0-1 gauge or distribution): mean per series over 1 minute, `reducer` across
 * series grouped by `groupByFields`, open when above `percent`% for 5 minutes; NO_OP without data (keeps
 * state across scale-to-zero and deploys).
 */
export function saturationCondition(
  filter: In,
  groupByFields: string[],
  percent: number,
  reducer = "REDUCE_MAX",
): Condition {
  return {
    filter,
    aggregations: [
      { alignmentPeriod: MIN, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: reducer, groupByFields },
    ],
    comparison: "COMPARISON_GT",
    thresholdValue: percent / 100,
    duration: FIVE_MIN,
    evaluationMissingData: "EVALUATION_MISSING_DATA_NO_OP",
    trigger: { count: 1 },
  };
}

/**
 * The alert specs for the given targets. `evaluationMissingData` mirrors AWS's `treatMissingData`:
 * traffic ratios and latency are INACTIVE without data (no traffic, nothing wrong), Cloud Run saturation is
 * NO_OP (keep state across scale-to-zero and deploys), data stores are ACTIVE (they report every minute:
 * silence means down), the uptime check is ACTIVE (a check that stops reporting is a failure).
 */
export function alertSpecs(targets: AlertTargets, th: Required<Thresholds>): AlertSpec[] {
  const specs: AlertSpec[] = [];
  const add = (s: AlertSpec) => specs.push(s);

  if (targets.uptimeCheckId !== undefined) {
    add({
      key: "uptime",
      displayName: "Uptime check /health/ready failing",
      severity: "CRITICAL",
      summary:
        "More than one checker region has failed `/health/ready` through the load balancer for 1 minute: " +
        "users cannot reach the API, or it is not ready (database, cache or migrations).",
      condition: {
        filter: filterText`metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.labels.check_id="${targets.uptimeCheckId}"`,
        aggregations: [
          {
            alignmentPeriod: MIN,
            perSeriesAligner: "ALIGN_NEXT_OLDER",
            crossSeriesReducer: "REDUCE_COUNT_FALSE",
            groupByFields: ["resource.labels.host"],
          },
        ],
        comparison: "COMPARISON_GT",
        thresholdValue: 1,
        duration: MIN,
        evaluationMissingData: "EVALUATION_MISSING_DATA_ACTIVE",
        trigger: { count: 1 },
      },
    });
  }

  // 5xx ratio: from the load balancer when there is one (what users see, including the 502/503s the LB
  // returns when the serverless NEG cannot reach Cloud Run, which never show in Cloud Run's own metrics);
  // from Cloud Run's request_count otherwise.
  const ratio = (numerator: In, denominator: In, groupBy: string) =>
    ratioCondition(numerator, denominator, groupBy, th.http5xxPercent);
  const lb = targets.loadBalancer;
  const svc = targets.service;
  if (lb) {
    const base = filterText`metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.labels.url_map_name="${lb.urlMapName}" AND resource.labels.backend_target_name="${lb.backendServiceName}"`;
    add({
      key: "http-5xx-rate",
      displayName: `API 5xx above ${th.http5xxPercent}% of requests (load balancer)`,
      severity: "CRITICAL",
      summary: `More than ${th.http5xxPercent}% of API requests through the load balancer returned 5xx over the last 5 minutes.`,
      condition: ratio(
        filterText`${base} AND metric.labels.response_code_class=500`,
        base,
        "resource.labels.backend_target_name",
      ),
    });
  } else if (svc) {
    const base = filterText`metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.labels.service_name="${svc.serviceName}"`;
    add({
      key: "http-5xx-rate",
      displayName: `API 5xx above ${th.http5xxPercent}% of requests (Cloud Run)`,
      severity: "CRITICAL",
      summary: `More than ${th.http5xxPercent}% of requests reaching the Cloud Run service returned 5xx over the last 5 minutes.`,
      condition: ratio(
        filterText`${base} AND metric.labels.response_code_class="5xx"`,
        base,
        "resource.labels.service_name",
      ),
    });
  }

  if (svc) {
    const run = (metric: string) =>
      filterText`metric.type="${metric}" AND resource.type="cloud_run_revision" AND resource.labels.service_name="${svc.serviceName}"`;
    add({
      key: "p95-latency",
      displayName: `API p95 latency above ${th.p95LatencySeconds}s`,
      severity: "WARNING",
      summary: `The 95th percentile of Cloud Run request latency has been above ${th.p95LatencySeconds} s for 5 minutes.`,
      condition: {
        filter: run("run.googleapis.com/request_latencies"),
        // Merge the revisions' distributions, then take the percentile: an exact p95 of the service.
        aggregations: [
          {
            alignmentPeriod: MIN,
            perSeriesAligner: "ALIGN_DELTA",
            crossSeriesReducer: "REDUCE_PERCENTILE_95",
            groupByFields: ["resource.labels.service_name"],
          },
        ],
        comparison: "COMPARISON_GT",
        thresholdValue: th.p95LatencySeconds * 1000, // request_latencies is in milliseconds
        duration: FIVE_MIN,
        evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
        trigger: { count: 1 },
      },
    });
    for (const [key, metric, pct, what] of [
      ["service-cpu", "run.googleapis.com/container/cpu/utilizations", th.serviceCpuPercent, "CPU"],
      [
        "service-memory",
        "run.googleapis.com/container/memory/utilizations",
        th.serviceMemoryPercent,
        "memory",
      ],
    ] as const) {
      add({
        key,
        displayName: `Cloud Run ${what} above ${pct}%`,
        severity: "WARNING",
        summary: `Mean container ${what} utilisation of the service's busiest revision has been above ${pct}% for 5 minutes.`,
        condition: saturationCondition(run(metric), ["resource.labels.service_name"], pct),
      });
    }
  }

  const db = targets.database;
  if (db) {
    const sql = (metric: string) =>
      filterText`metric.type="${metric}" AND resource.type="cloudsql_database" AND resource.labels.database_id="${db.databaseId}"`;
    const gauge = (
      key: string,
      metric: string,
      value: number,
      severity: Severity,
      name: string,
      summary: string,
      reducer = "REDUCE_MAX",
    ) =>
      add({
        key,
        displayName: name,
        severity,
        summary,
        condition: {
          filter: sql(metric),
          aggregations: [
            {
              alignmentPeriod: MIN,
              perSeriesAligner: "ALIGN_MEAN",
              crossSeriesReducer: reducer,
              groupByFields: ["resource.labels.database_id"],
            },
          ],
          comparison: "COMPARISON_GT",
          thresholdValue: value,
          duration: FIVE_MIN,
          evaluationMissingData: "EVALUATION_MISSING_DATA_ACTIVE",
          trigger: { count: 1 },
        },
      });
    gauge(
      "db-cpu",
      "cloudsql.googleapis.com/database/cpu/utilization",
      th.dbCpuPercent / 100,
      "WARNING",
      `Cloud SQL CPU above ${th.dbCpuPercent}%`,
      `Cloud SQL CPU utilisation has been above ${th.dbCpuPercent}% for 5 minutes.`,
    );
    gauge(
      "db-disk",
      "cloudsql.googleapis.com/database/disk/utilization",
      th.dbDiskPercent / 100,
      "ERROR",
      `Cloud SQL disk above ${th.dbDiskPercent}%`,
      `Cloud SQL disk utilisation has been above ${th.dbDiskPercent}% for 5 minutes; a full disk stops writes.`,
    );
    const limit = connectionLimit(db.maxConnections, th.dbConnectionsPercent);
    gauge(
      "db-connections",
      "cloudsql.googleapis.com/database/postgresql/num_backends",
      limit,
      "ERROR",
      `Cloud SQL connections above ${limit} (${th.dbConnectionsPercent}% of ${db.maxConnections})`,
      `PostgreSQL backends (all databases) have been above ${limit} of max_connections ${db.maxConnections} for 5 minutes; new connections will soon be refused.`,
      "REDUCE_SUM",
    );
  }

  if (targets.cache) {
    add({
      key: "cache-memory",
      displayName: `Memorystore memory above ${th.cacheMemoryPercent}%`,
      severity: "ERROR",
      summary: `A Memorystore node has used more than ${th.cacheMemoryPercent}% of maxmemory for 5 minutes; keys will be evicted.`,
      condition: {
        filter: filterText`metric.type="redis.googleapis.com/stats/memory/usage_ratio" AND resource.type="redis_instance" AND resource.labels.instance_id="${targets.cache.instanceId}"`,
        // Per node (no cross-series reduction): a STANDARD_HA primary or replica alone can fill up.
        aggregations: [{ alignmentPeriod: MIN, perSeriesAligner: "ALIGN_MEAN" }],
        comparison: "COMPARISON_GT",
        thresholdValue: th.cacheMemoryPercent / 100,
        duration: FIVE_MIN,
        evaluationMissingData: "EVALUATION_MISSING_DATA_ACTIVE",
        trigger: { count: 1 },
      },
    });
  }
  return specs;
}

/** The connections alert threshold: `pct`% of max_connections, rounded down, at least 1. */
export function connectionLimit(maxConnections: number, pct: number): number {
  return Math.max(1, Math.floor((maxConnections * pct) / 100));
}
