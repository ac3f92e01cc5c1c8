import { strict as assert } from "node:assert";
import { componentSuite, inputsOf } from "../../infra/offline/testing";
import { DEFAULT_THRESHOLDS, resolveThresholds } from "./alertPolicies";
import { gatewayBackendPattern, GKE_METRICS, gkeAlertSpecs, type GkeAlertTargets } from "./gkeAlertSpecs";
import type * as AlertsModule from "./gkeAlerts";
import { checkAggregations, parseFilter } from "./monitoringMetrics";

const PROJECT = "meridian-test-1234";
const POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
const TARGETS: GkeAlertTargets = {
  backend: { namespace: "meridian", serviceName: "meridian-api", port: 80 },
  deployment: { clusterName: "meridian-prod-gke", namespace: "meridian", name: "meridian-api" },
};
const specs = gkeAlertSpecs(TARGETS, DEFAULT_THRESHOLDS);

/** The clauses `parseFilter` does not read (regex matches, GKE's system metadata), and the rest of the filter. */
function split(filter: string) {
  const parts = filter.split(" AND ");
  const special = parts.filter((p) => /=monitoring\.regex\.full_match\(|^metadata\.system_labels\./.test(p));
  return { special, rest: parts.filter((p) => !special.includes(p)).join(" AND ") };
}

describe("gcp GKE alert specs (pure)", () => {
  it("adds the 5xx ratio at the load balancer and the Deployment's CPU and memory against its limits", () => {
    assert.deepEqual(
      specs.map((s) => [s.key, s.severity]),
      [
        ["http-5xx-rate", "CRITICAL"],
        ["pod-cpu", "WARNING"],
        ["pod-memory", "WARNING"],
      ],
    );
  });

  it("every filter is a known metric on its monitored resource, with aggregations that give a number", () => {
    for (const s of specs) {
      const c = s.condition;
      for (const [f, aggs] of [
        [c.filter, c.aggregations],
        [c.denominatorFilter, c.denominatorAggregations],
      ] as const) {
        if (f === undefined) continue;
        const { special, rest } = split(f as string);
        const parsed = parseFilter(rest, GKE_METRICS);
        for (const clause of special) {
          const label = /^resource\.labels\.([a-z_]+)=/.exec(clause)?.[1];
          if (label) assert.ok(GKE_METRICS[parsed.metricType].resourceLabels.includes(label), clause);
        }
        const v = checkAggregations(parsed.metricType, aggs as never, GKE_METRICS);
        assert.ok(["INT64", "DOUBLE"].includes(v), `${s.key}: ${v}`);
      }
    }
  });

  it("the 5xx ratio: response_code_class 500 over all requests of the Gateway's backend for the API Service", () => {
    const c = specs[0].condition;
    assert.match(c.filter as string, / AND metric\.labels\.response_code_class=500$/);
    assert.equal(split(c.denominatorFilter as string).special.length, 1);
    assert.equal(c.thresholdValue, 0.05);
    const re = new RegExp(`^${gatewayBackendPattern(TARGETS.backend)}$`);
    // Names as GKE's Gateway controller writes them (gkegw1-<4>-<namespace>-<service>-<port>-<12>).
    assert.ok(re.test("gkegw1-k3x9-meridian-meridian-api-80-q2w3e4r5t6y7"));
    for (const other of [
      "gkegw1-k3x9-meridian-meridian-api-8080-q2w3e4r5t6y7",
      "gkegw1-k3x9-other-meridian-api-80-q2w3e4r5t6y7",
      "gkegw1-k3x9-meridian-meridian-api-migrate-80-q2w3e4r5t6y7",
      "meridian-prod-edge-api",
    ])
      assert.ok(!re.test(other), other);
    assert.ok((c.filter as string).includes(`full_match("${gatewayBackendPattern(TARGETS.backend)}")`));
  });

  it("Pod CPU/memory: only the Deployment's containers (not the migrate Job's or the CronJob's), memory non-evictable", () => {
    for (const s of specs.slice(1)) {
      const f = s.condition.filter as string;
      assert.ok(f.includes('metadata.system_labels.top_level_controller_type="Deployment"'), f);
      assert.ok(f.includes('metadata.system_labels.top_level_controller_name="meridian-api"'), f);
      assert.ok(f.includes('resource.labels.cluster_name="meridian-prod-gke"'), f);
      assert.equal(s.condition.thresholdValue, 0.8);
      assert.equal(s.condition.duration, "300s");
    }
    assert.match(specs[2].condition.filter as string, /metric\.labels\.memory_type="non-evictable"$/);
    assert.doesNotMatch(specs[1].condition.filter as string, /memory_type/);
  });

  it("takes the shared thresholds", () => {
    const th = resolveThresholds({ http5xxPercent: 2, serviceCpuPercent: 70, serviceMemoryPercent: 90 });
    assert.deepEqual(
      gkeAlertSpecs(TARGETS, th).map((s) => s.condition.thresholdValue),
      [0.02, 0.7, 0.9],
    );
  });

  it("refuses targets it cannot name, saying which field and what is allowed", () => {
    const bad: [Partial<GkeAlertTargets["backend"]>, RegExp][] = [
      [{ port: 0 }, /backend\.port is 0; allowed: an integer from 1 to 65535/],
      [{ namespace: "Meridian" }, /backend\.namespace is "Meridian"; allowed: a DNS label/],
      [
        { serviceName: "a".repeat(40) },
        /backend service name; allowed: namespace, service and port of at most 38/,
      ],
    ];
    for (const [patch, re] of bad)
      assert.throws(
        () => gkeAlertSpecs({ ...TARGETS, backend: { ...TARGETS.backend, ...patch } }, DEFAULT_THRESHOLDS),
        re,
      );
    assert.throws(
      () =>
        gkeAlertSpecs(
          { ...TARGETS, deployment: { ...TARGETS.deployment, name: "api_1" } },
          DEFAULT_THRESHOLDS,
        ),
      /deployment\.name is "api_1"; allowed: a DNS label/,
    );
  });
});

const suite = componentSuite({
  load: () => import("./gkeAlerts"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

async function build(name: string, args: Partial<AlertsModule.GkeAlertsArgs> = {}) {
  return suite.capture(
    new suite.mod.GkeAlerts(name, {
      project: PROJECT,
      targets: TARGETS,
      dashboard: "meridian-prod-obs",
      ...args,
    }),
  );
}

describe("gcp GkeAlerts (mocks)", () => {
  it("creates one policy per spec, notifying the given channel, documented like Observability's", async () => {
    const b = await build("meridian-prod-alerts", {
      notificationChannel: "projects/p/notificationChannels/42",
      labels: { environment: "prod" },
    });
    assert.deepEqual(b.component.alarmNames, [
      "meridian-prod-alerts-http-5xx-rate",
      "meridian-prod-alerts-pod-cpu",
      "meridian-prod-alerts-pod-memory",
    ]);
    const policies = b.all(POLICY).map(inputsOf);
    assert.equal(policies.length, 3, b.children.map((c) => `${c.type} ${c.name}`).join("\n"));
    for (const p of policies) {
      assert.deepEqual(p.notificationChannels, ["projects/p/notificationChannels/42"]);
      assert.deepEqual(p.userLabels, { environment: "prod" });
      assert.match(
        p.documentation.content,
        /Runbook: docs\/runbooks\/README\.md .* Dashboard: meridian-prod-obs\./,
      );
      assert.equal(p.conditions.length, 1);
    }
    const cpu = policies.find((p) => p.displayName.startsWith("meridian-prod-alerts-pod-cpu: "));
    assert.ok(cpu, policies.map((p) => p.displayName).join(", "));
    assert.equal(cpu.conditions[0].conditionThreshold.thresholdValue, 0.8);
  });

  it("without a channel the incidents open without notifying anyone; the transform reaches every policy", async () => {
    const b = await build("alerts-quiet", { transform: { alertPolicy: { enabled: false } } });
    const policies = b.all(POLICY).map(inputsOf);
    assert.equal(policies.length, 3);
    for (const p of policies) {
      assert.deepEqual(p.notificationChannels, []);
      assert.equal(p.enabled, false);
    }
  });

  it("validates before creating anything, naming the component", () => {
    assert.throws(
      () =>
        new suite.mod.GkeAlerts("bad", {
          project: PROJECT,
          targets: TARGETS,
          dashboard: "d",
          thresholds: { serviceCpuPercent: 0 },
        }),
      /GkeAlerts "bad": thresholds\.serviceCpuPercent is 0; allowed: a number from 1 to 100/,
    );
  });
});
