/**
 * The Cloud Monitoring metrics Meridian alerts and charts on, described well enough to check filters and
 * aggregations without a project: metric kind and value type, monitored resource type and labels (Google
 * Cloud metrics list, https://cloud.google.com/monitoring/api/metrics_gcp, read 2026-11), and which aligners
 * and reducers accept what (Monitoring API `Aggregation`,
 * https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#Aligner).
 *
 * {@link parseFilter} and {@link checkAggregations} are the structural validation of `./alertPolicies`
 * and `./observabilityDashboard` (there is no promtool-like checker for Monitoring filters).
 */
import { show } from "../shared/validate";

/** What each metric is, so specs (and tests) can check filters and aligners against it. */
export interface MetricInfo {
  resourceType: string;
  kind: "GAUGE" | "DELTA";
  valueType: "BOOL" | "INT64" | "DOUBLE" | "DISTRIBUTION";
  /** Resource labels a filter may name. */
  resourceLabels: string[];
  /** Metric labels a filter may name. */
  metricLabels: string[];
}

/** The metrics Meridian alerts and charts on (Google Cloud metrics list, read 2026-11). */
export const METRICS: Record<string, MetricInfo> = {
  "monitoring.googleapis.com/uptime_check/check_passed": {
    resourceType: "uptime_url",
    kind: "GAUGE",
    valueType: "BOOL",
    resourceLabels: ["project_id", "host"],
    metricLabels: ["check_id", "checker_location"],
  },
  "loadbalancing.googleapis.com/https/request_count": {
    resourceType: "https_lb_rule",
    kind: "DELTA",
    valueType: "INT64",
    resourceLabels: ["url_map_name", "backend_target_name", "forwarding_rule_name", "project_id"],
    metricLabels: ["response_code", "response_code_class", "cache_result"],
  },
  "run.googleapis.com/request_count": {
    resourceType: "cloud_run_revision",
    kind: "DELTA",
    valueType: "INT64",
    resourceLabels: ["service_name", "revision_name", "location", "project_id"],
    metricLabels: ["response_code", "response_code_class"],
  },
  "run.googleapis.com/request_latencies": {
    resourceType: "cloud_run_revision",
    kind: "DELTA",
    valueType: "DISTRIBUTION",
    resourceLabels: ["service_name", "revision_name", "location", "project_id"],
    metricLabels: ["response_code", "response_code_class"],
  },
  "run.googleapis.com/container/cpu/utilizations": {
    resourceType: "cloud_run_revision",
    kind: "DELTA",
    valueType: "DISTRIBUTION",
    resourceLabels: ["service_name", "revision_name", "location", "project_id"],
    metricLabels: [],
  },
  "run.googleapis.com/container/memory/utilizations": {
    resourceType: "cloud_run_revision",
    kind: "DELTA",
    valueType: "DISTRIBUTION",
    resourceLabels: ["service_name", "revision_name", "location", "project_id"],
    metricLabels: [],
  },
  "run.googleapis.com/container/instance_count": {
    resourceType: "cloud_run_revision",
    kind: "GAUGE",
    valueType: "INT64",
    resourceLabels: ["service_name", "revision_name", "location", "project_id"],
    metricLabels: ["state"],
  },
  "cloudsql.googleapis.com/database/cpu/utilization": {
    resourceType: "cloudsql_database",
    kind: "GAUGE",
    valueType: "DOUBLE",
    resourceLabels: ["database_id", "project_id", "region"],
    metricLabels: [],
  },
  "cloudsql.googleapis.com/database/disk/utilization": {
    resourceType: "cloudsql_database",
    kind: "GAUGE",
    valueType: "DOUBLE",
    resourceLabels: ["database_id", "project_id", "region"],
    metricLabels: [],
  },
  "cloudsql.googleapis.com/database/postgresql/num_backends": {
    resourceType: "cloudsql_database",
    kind: "GAUGE",
    valueType: "INT64",
    resourceLabels: ["database_id", "project_id", "region"],
    metricLabels: ["database"],
  },
  "redis.googleapis.com/stats/memory/usage_ratio": {
    resourceType: "redis_instance",
    kind: "GAUGE",
    valueType: "DOUBLE",
    resourceLabels: ["instance_id", "node_id", "region", "project_id"],
    metricLabels: ["role"],
  },
};

/** A monitoring filter, parsed: `metric.type`, `resource.type` and every label equality. */
export interface ParsedFilter {
  metricType: string;
  resourceType: string;
  resourceLabels: Record<string, string>;
  metricLabels: Record<string, string>;
}

/**
 * Parses the `AND`-joined equality filters Meridian writes and checks them against {@link METRICS} (or
 * another catalogue of the same shape, e.g. the GKE metrics of `./gkeAlertSpecs`):
 * known metric, matching resource type, only labels the metric and resource have. Throws naming the problem.
 */
export function parseFilter(filter: string, catalogue: Record<string, MetricInfo> = METRICS): ParsedFilter {
  const clause =
    /^(metric\.type|resource\.type|resource\.labels\.[a-z_]+|metric\.labels\.[a-z_]+)=("(?:[^"\\]|\\.)*"|\d+)$/;
  const out: Partial<ParsedFilter> & Pick<ParsedFilter, "resourceLabels" | "metricLabels"> = {
    resourceLabels: {},
    metricLabels: {},
  };
  for (const part of filter.split(" AND ")) {
    const m = clause.exec(part.trim());
    if (!m) throw new Error(`filter clause ${show(part)} is not <field>="<value>"`);
    const value = m[2].startsWith('"') ? m[2].slice(1, -1) : m[2];
    if (value === "") throw new Error(`filter clause ${show(part)} has an empty value`);
    if (m[1] === "metric.type") out.metricType = value;
    else if (m[1] === "resource.type") out.resourceType = value;
    else if (m[1].startsWith("resource.labels.")) out.resourceLabels[m[1].slice(16)] = value;
    else out.metricLabels[m[1].slice(14)] = value;
  }
  const info = out.metricType ? catalogue[out.metricType] : undefined;
  if (!info) throw new Error(`filter ${show(filter)} names no known metric.type`);
  if (out.resourceType !== info.resourceType) {
    throw new Error(
      `filter ${show(filter)}: resource.type must be "${info.resourceType}" for ${out.metricType}`,
    );
  }
  for (const k of Object.keys(out.resourceLabels)) {
    if (!info.resourceLabels.includes(k)) throw new Error(`filter: ${info.resourceType} has no label ${k}`);
  }
  for (const k of Object.keys(out.metricLabels)) {
    if (!info.metricLabels.includes(k)) throw new Error(`filter: ${out.metricType} has no label ${k}`);
  }
  return out as ParsedFilter;
}

/** Value type after an aligner, or undefined when the aligner does not accept the input (Monitoring API, Aligner). */
const ALIGNERS: Record<
  string,
  (kind: MetricInfo["kind"], v: MetricInfo["valueType"]) => MetricInfo["valueType"] | undefined
> = {
  ALIGN_NEXT_OLDER: (_k, v) => v,
  ALIGN_DELTA: (k, v) => (k === "DELTA" && v !== "BOOL" ? v : undefined),
  ALIGN_RATE: (k, v) => (k === "DELTA" && v !== "BOOL" ? "DOUBLE" : undefined),
  ALIGN_MEAN: (_k, v) => (v === "BOOL" ? undefined : "DOUBLE"),
  ALIGN_PERCENTILE_95: (_k, v) => (v === "DISTRIBUTION" ? "DOUBLE" : undefined),
  ALIGN_MAX: (_k, v) => (v === "INT64" || v === "DOUBLE" ? v : undefined),
  ALIGN_FRACTION_TRUE: (k, v) => (k === "GAUGE" && v === "BOOL" ? "DOUBLE" : undefined),
};

/** Value type after a cross-series reducer, or undefined when the reducer does not accept the input. */
const REDUCERS: Record<string, (v: MetricInfo["valueType"]) => MetricInfo["valueType"] | undefined> = {
  REDUCE_COUNT_FALSE: (v) => (v === "BOOL" ? "INT64" : undefined),
  REDUCE_SUM: (v) => (v === "BOOL" ? undefined : v),
  REDUCE_MAX: (v) => (v === "INT64" || v === "DOUBLE" ? v : undefined),
  REDUCE_MEAN: (v) => (v === "BOOL" ? undefined : "DOUBLE"),
  REDUCE_PERCENTILE_50: (v) => (v === "BOOL" ? undefined : "DOUBLE"),
  REDUCE_PERCENTILE_95: (v) => (v === "BOOL" ? undefined : "DOUBLE"),
  REDUCE_PERCENTILE_99: (v) => (v === "BOOL" ? undefined : "DOUBLE"),
};

/**
 * Checks a threshold condition's aggregations against the metric's kind and value type, and that the
 * result is a number a threshold can compare (not a distribution). Returns the resulting value type.
 */
export function checkAggregations(
  metricType: string,
  aggregations: { perSeriesAligner?: string; crossSeriesReducer?: string; groupByFields?: string[] }[],
  catalogue: Record<string, MetricInfo> = METRICS,
): MetricInfo["valueType"] {
  const info = catalogue[metricType];
  if (!info) throw new Error(`unknown metric ${metricType}`);
  let v: MetricInfo["valueType"] | undefined = info.valueType;
  for (const a of aggregations) {
    const aligner = a.perSeriesAligner ? ALIGNERS[a.perSeriesAligner] : undefined;
    if (a.perSeriesAligner && !aligner)
      throw new Error(`${metricType}: aligner ${a.perSeriesAligner} is not one Meridian checks`);
    if (aligner) {
      v = aligner(info.kind, v as MetricInfo["valueType"]);
      if (!v)
        throw new Error(
          `${metricType} (${info.kind} ${info.valueType}): ${a.perSeriesAligner} does not apply`,
        );
    }
    if (a.crossSeriesReducer) {
      const reducer = REDUCERS[a.crossSeriesReducer];
      v = reducer?.(v as MetricInfo["valueType"]);
      if (!v)
        throw new Error(`${metricType}: ${a.crossSeriesReducer} does not apply after ${a.perSeriesAligner}`);
      for (const g of a.groupByFields ?? []) {
        const label = /^resource\.labels\.([a-z_]+)$/.exec(g)?.[1];
        if (!label || !info.resourceLabels.includes(label))
          throw new Error(`${metricType}: cannot group by ${g}`);
      }
    }
  }
  if (v === "DISTRIBUTION")
    throw new Error(`${metricType}: the aggregated value is a distribution; a threshold needs a number`);
  return v as MetricInfo["valueType"];
}
