import { strict as assert } from "node:assert";
import {
  alertSpecs,
  connectionLimit,
  DEFAULT_THRESHOLDS,
  resolveThresholds,
  type AlertTargets,
} from "./alertPolicies";
import { checkAggregations, METRICS, parseFilter } from "./monitoringMetrics";
import { dashboardCharts, dashboardJson } from "./observabilityDashboard";

const FULL: AlertTargets = {
  uptimeCheckId: "meridian-prod-obs-ready-a1b2c3",
  loadBalancer: { urlMapName: "meridian-prod-edge-urlmap", backendServiceName: "meridian-prod-edge-api" },
  service: { serviceName: "meridian-prod-api" },
  database: { databaseId: "meridian-prod-1234:meridian-prod-db", maxConnections: 100 },
  cache: { instanceId: "projects/meridian-prod-1234/locations/us-central1/instances/meridian-prod-cache" },
};

const specs = alertSpecs(FULL, DEFAULT_THRESHOLDS);
const byKey = (key: string) => {
  const s = specs.find((x) => x.key === key);
  assert.ok(s, `no spec ${key}; have ${specs.map((x) => x.key).join(", ")}`);
  return s;
};

describe("gcp alert policies (pure)", () => {
  it("creates the seeds' policies for every target", () => {
    assert.deepEqual(
      specs.map((s) => s.key),
      [
        "uptime",
        "http-5xx-rate",
        "p95-latency",
        "service-cpu",
        "service-memory",
        "db-cpu",
        "db-disk",
        "db-connections",
        "cache-memory",
      ],
    );
  });

  it("every filter is a known metric on the right monitored resource, naming the exact target", () => {
    const targetOf: Record<string, [string, string]> = {
      uptime_url: ["check_id", FULL.uptimeCheckId as string],
      https_lb_rule: ["backend_target_name", "meridian-prod-edge-api"],
      cloud_run_revision: ["service_name", "meridian-prod-api"],
      cloudsql_database: ["database_id", "meridian-prod-1234:meridian-prod-db"],
      redis_instance: ["instance_id", FULL.cache!.instanceId as string],
    };
    for (const s of specs) {
      const c = s.condition;
      for (const f of [c.filter, c.denominatorFilter].filter((x) => x !== undefined)) {
        const parsed = parseFilter(f as string);
        const [label, value] = targetOf[parsed.resourceType];
        const labels = { ...parsed.resourceLabels, ...parsed.metricLabels };
        assert.equal(labels[label], value, `${s.key}: ${f}`);
      }
    }
  });

  it("aggregations fit each metric's kind and value type and end in a number", () => {
    for (const s of specs) {
      const c = s.condition;
      const metric = parseFilter(c.filter as string).metricType;
      checkAggregations(metric, c.aggregations as never);
      if (c.denominatorFilter) {
        assert.equal(parseFilter(c.denominatorFilter as string).metricType, metric, s.key);
        assert.deepEqual(c.denominatorAggregations, c.aggregations, `${s.key}: ratio periods must match`);
      }
      assert.ok(["COMPARISON_GT", "COMPARISON_LT"].includes(c.comparison as string), s.key);
      assert.match(c.duration as string, /^\d+s$/);
      assert.equal(
        Number.parseInt(c.duration as string, 10) % 60,
        0,
        `${s.key}: duration must be whole minutes`,
      );
      assert.match(c.evaluationMissingData as string, /^EVALUATION_MISSING_DATA_(ACTIVE|INACTIVE|NO_OP)$/);
      assert.ok(["CRITICAL", "ERROR", "WARNING"].includes(s.severity));
      assert.ok(s.summary.length > 20);
    }
  });

  it("uses the seeds' thresholds: uptime 1 minute, 5xx > 5% over 5 minutes, 80% saturation", () => {
    const up = byKey("uptime").condition;
    assert.equal(up.duration, "60s");
    assert.equal(up.thresholdValue, 1, "more than one checker location failing");
    assert.equal((up.aggregations as any)[0].crossSeriesReducer, "REDUCE_COUNT_FALSE");
    const e = byKey("http-5xx-rate").condition;
    assert.equal(e.thresholdValue, 0.05);
    assert.equal((e.aggregations as any)[0].alignmentPeriod, "300s");
    assert.match(e.filter as string, /metric\.labels\.response_code_class=500$/);
    assert.doesNotMatch(e.denominatorFilter as string, /response_code_class/);
    for (const k of ["service-cpu", "service-memory", "db-cpu", "db-disk", "cache-memory"]) {
      assert.equal(byKey(k).condition.thresholdValue, 0.8, k);
      assert.equal(byKey(k).condition.duration, "300s", k);
    }
    assert.equal(byKey("p95-latency").condition.thresholdValue, 1500, "request_latencies is in ms");
    assert.equal(
      (byKey("p95-latency").condition.aggregations as any)[0].crossSeriesReducer,
      "REDUCE_PERCENTILE_95",
    );
    assert.equal(byKey("db-connections").condition.thresholdValue, 80);
    assert.equal((byKey("db-connections").condition.aggregations as any)[0].crossSeriesReducer, "REDUCE_SUM");
  });

  it("thresholds override, and data stores treat silence as breaching while traffic ratios do not", () => {
    const th = resolveThresholds({ http5xxPercent: 1, p95LatencySeconds: 0.5, dbConnectionsPercent: 90 });
    const s = alertSpecs(FULL, th);
    const get = (k: string) => s.find((x) => x.key === k)!.condition;
    assert.equal(get("http-5xx-rate").thresholdValue, 0.01);
    assert.equal(get("p95-latency").thresholdValue, 500);
    assert.equal(get("db-connections").thresholdValue, 90);
    assert.equal(get("http-5xx-rate").evaluationMissingData, "EVALUATION_MISSING_DATA_INACTIVE");
    assert.equal(get("service-cpu").evaluationMissingData, "EVALUATION_MISSING_DATA_NO_OP");
    assert.equal(get("db-cpu").evaluationMissingData, "EVALUATION_MISSING_DATA_ACTIVE");
    assert.equal(connectionLimit(25, 80), 20);
    assert.equal(connectionLimit(1, 50), 1, "never 0");
  });

  it("reads the 5xx ratio from Cloud Run when there is no load balancer; sections are optional", () => {
    const s = alertSpecs({ service: FULL.service }, DEFAULT_THRESHOLDS);
    assert.deepEqual(
      s.map((x) => x.key),
      ["http-5xx-rate", "p95-latency", "service-cpu", "service-memory"],
    );
    const e = s[0].condition;
    assert.equal(parseFilter(e.filter as string).metricType, "run.googleapis.com/request_count");
    assert.equal(parseFilter(e.filter as string).metricLabels.response_code_class, "5xx");
    assert.deepEqual(alertSpecs({}, DEFAULT_THRESHOLDS), []);
    assert.deepEqual(
      alertSpecs({ database: FULL.database }, DEFAULT_THRESHOLDS).map((x) => x.key),
      ["db-cpu", "db-disk", "db-connections"],
    );
  });

  it("resolveThresholds names the bad key or value", () => {
    assert.throws(
      () => resolveThresholds({ cpu: 1 } as never),
      /thresholds\.cpu is not a threshold; allowed: http5xxPercent/,
    );
    assert.throws(
      () => resolveThresholds({ serviceCpuPercent: 150 }),
      /thresholds\.serviceCpuPercent is 150; allowed: a number from 1 to 100/,
    );
    assert.throws(() => resolveThresholds({ p95LatencySeconds: Number.NaN }), /p95LatencySeconds is NaN/);
  });
});

describe("monitoring filter checks (the validator can fail)", () => {
  it("parseFilter rejects unknown metrics, wrong resource types, unknown labels and malformed clauses", () => {
    assert.throws(
      () => parseFilter('metric.type="run.googleapis.com/nope" AND resource.type="cloud_run_revision"'),
      /no known metric/,
    );
    assert.throws(
      () => parseFilter('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_job"'),
      /resource\.type must be "cloud_run_revision"/,
    );
    assert.throws(
      () =>
        parseFilter(
          'metric.type="cloudsql.googleapis.com/database/cpu/utilization" AND resource.type="cloudsql_database" AND resource.labels.instance_id="x"',
        ),
      /cloudsql_database has no label instance_id/,
    );
    assert.throws(
      () => parseFilter('metric.type="run.googleapis.com/request_count" OR x'),
      /is not <field>="<value>"/,
    );
    assert.throws(
      () =>
        parseFilter(
          'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.labels.service_name=""',
        ),
      /empty value/,
    );
  });

  it("checkAggregations rejects aligners and reducers the metric does not support", () => {
    assert.throws(
      () =>
        checkAggregations("cloudsql.googleapis.com/database/cpu/utilization", [
          { perSeriesAligner: "ALIGN_DELTA" },
        ]),
      /ALIGN_DELTA does not apply/,
    );
    assert.throws(
      () =>
        checkAggregations("run.googleapis.com/request_latencies", [
          { perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_MAX", groupByFields: [] },
        ]),
      /REDUCE_MAX does not apply/,
    );
    assert.throws(
      () => checkAggregations("run.googleapis.com/request_latencies", [{ perSeriesAligner: "ALIGN_DELTA" }]),
      /a threshold needs a number/,
    );
    assert.throws(
      () =>
        checkAggregations("run.googleapis.com/request_count", [
          {
            perSeriesAligner: "ALIGN_DELTA",
            crossSeriesReducer: "REDUCE_SUM",
            groupByFields: ["resource.labels.database_id"],
          },
        ]),
      /cannot group by/,
    );
    assert.equal(
      checkAggregations("monitoring.googleapis.com/uptime_check/check_passed", [
        {
          perSeriesAligner: "ALIGN_NEXT_OLDER",
          crossSeriesReducer: "REDUCE_COUNT_FALSE",
          groupByFields: ["resource.labels.host"],
        },
      ]),
      "INT64",
    );
  });

  it("every metric in the catalogue is a googleapis.com metric with its resource type", () => {
    for (const [m, info] of Object.entries(METRICS)) {
      assert.match(m, /^[a-z]+\.googleapis\.com\/[a-z_/]+$/);
      assert.match(info.resourceType, /^[a-z_]+$/);
    }
  });
});

describe("gcp observability dashboard (pure)", () => {
  const charts = dashboardCharts(FULL as never, DEFAULT_THRESHOLDS);
  const json = dashboardJson("meridian-prod-obs", charts) as any;

  it("shows the golden signals, the data stores and the uptime check", () => {
    const titles = charts.map((c) => c.title).join(" | ");
    for (const word of ["Traffic", "Errors", "Latency", "Saturation", "Cloud SQL", "Memorystore", "Uptime"]) {
      assert.ok(titles.includes(word), `no ${word} chart: ${titles}`);
    }
  });

  it("every data set filters a known metric on the exact target with an explicit aggregation", () => {
    let checked = 0;
    for (const c of charts) {
      assert.ok(c.title && c.yLabel);
      for (const d of c.dataSets) {
        const q = d.timeSeriesQuery as any;
        const parts = q.timeSeriesFilter
          ? [q.timeSeriesFilter]
          : [q.timeSeriesFilterRatio.numerator, q.timeSeriesFilterRatio.denominator];
        for (const p of parts) {
          const f = parseFilter(p.filter);
          assert.ok(
            Object.values({ ...f.resourceLabels, ...f.metricLabels }).some((v) =>
              [
                "meridian-prod-edge-api",
                "meridian-prod-api",
                FULL.database!.databaseId,
                FULL.cache!.instanceId,
                FULL.uptimeCheckId,
              ].includes(v),
            ),
            p.filter,
          );
          assert.equal(p.aggregation.alignmentPeriod, "60s");
          const groupBy: string[] = p.aggregation.groupByFields ?? [];
          // Grouping by a metric label (the traffic chart) is fine on a chart; the checker knows resource labels.
          const agg = { ...p.aggregation, groupByFields: groupBy.filter((g) => g.startsWith("resource.")) };
          checkAggregations(f.metricType, [agg]);
          checked++;
        }
      }
    }
    assert.ok(checked >= 12, `only ${checked} filters`);
  });

  it("lays tiles out in a 48-column mosaic without overlap", () => {
    assert.equal(json.displayName, "meridian-prod-obs");
    assert.equal(json.mosaicLayout.columns, 48);
    const cells = new Set<string>();
    for (const t of json.mosaicLayout.tiles) {
      assert.ok(t.xPos + t.width <= 48);
      assert.ok(t.widget.title && t.widget.xyChart.dataSets.length > 0);
      for (let x = t.xPos; x < t.xPos + t.width; x++)
        for (let y = t.yPos; y < t.yPos + t.height; y++) {
          assert.ok(!cells.has(`${x},${y}`), `tiles overlap at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
    }
    assert.equal(json.mosaicLayout.tiles.length, charts.length);
  });
});
