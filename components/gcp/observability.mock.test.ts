import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";
import { parseFilter } from "./monitoringMetrics";
import type * as ObservabilityModule from "./observability";

const PROJECT = "meridian-test-1234";
const T = {
  channel: "gcp:monitoring/notificationChannel:NotificationChannel",
  uptime: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  policy: "gcp:monitoring/alertPolicy:AlertPolicy",
  dashboard: "gcp:monitoring/dashboard:Dashboard",
  service: "gcp:projects/service:Service",
  bucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  sink: "gcp:logging/projectSink:ProjectSink",
  exclusion: "gcp:logging/projectExclusion:ProjectExclusion",
} as const;
const LABELS = {
  app: "meridian",
  environment: "test",
  owner: "platform",
  "cost-center": "cc-1234",
  "managed-by": "pulumi",
};

type Args = Partial<ObservabilityModule.ObservabilityArgs>;
const FULL: Args = {
  alertEmail: "oncall@example.com",
  uptime: { host: "api.example.com" },
  loadBalancer: { urlMapName: "meridian-test-edge-urlmap", backendServiceName: "meridian-test-edge-api" },
  service: { serviceName: "meridian-test-api" },
  database: { databaseId: `${PROJECT}:meridian-test-db`, maxConnections: 100 },
  cache: { instanceId: `projects/${PROJECT}/locations/us-central1/instances/meridian-test-cache` },
  logs: {
    retentionDays: 90,
    serviceNames: ["meridian-test-api"],
    jobNames: ["meridian-test-migrate", "meridian-test-job"],
  },
};

const suite = componentSuite({
  load: () => import("./observability"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

async function build(name: string, args: Args = {}) {
  const c = await suite.capture(
    new suite.mod.Observability(name, { project: PROJECT, region: "us-central1", labels: LABELS, ...args }),
  );
  const policy = (key: string) => inputsOf(c.byName(`${name}-${key}`));
  return { ...c, obs: c.component, policy };
}
type Built = Awaited<ReturnType<typeof build>>;

describe("gcp Observability (mocks)", () => {
  describe("every section", () => {
    let b: Built;
    before(async () => {
      b = await build("obs", FULL);
    });

    it("sends every policy to the email channel, with severity, documentation and labels", async () => {
      const channel = b.one(T.channel);
      const ch = inputsOf(channel);
      assert.deepEqual([ch.type, ch.labels.email_address, ch.enabled], ["email", "oncall@example.com", true]);
      const policies = b.all(T.policy);
      assert.equal(policies.length, 9);
      for (const p of policies.map(inputsOf)) {
        assert.deepEqual(p.notificationChannels, [channel.outputs.name], p.displayName);
        assert.ok(["CRITICAL", "ERROR", "WARNING"].includes(p.severity), p.displayName);
        assert.equal(p.combiner, "OR");
        assert.equal(p.conditions.length, 1);
        assert.equal(p.documentation.mimeType, "text/markdown");
        assert.match(p.documentation.content, /Runbook: docs\/runbooks\/README\.md/);
        assert.ok(p.documentation.subject.length <= 255);
        assert.deepEqual(
          p.alertStrategy.notificationPrompts,
          ["OPENED", "CLOSED"],
          "notify on close, like AWS okActions",
        );
        assert.deepEqual(p.userLabels, LABELS);
        assert.match(p.displayName, /^[\x20-\x7e]+$/);
      }
      assert.deepEqual(
        [...b.obs.alarmNames].sort(),
        policies.map((p) => p.name).sort(),
        "alarmNames are the policies' logical names",
      );
      assert.equal(await promiseOf(b.obs.notificationChannelId!), channel.outputs.name);
      assert.equal(b.obs.posture.alarms.names, b.obs.alarmNames);
    });

    it("probes https://<host>/health/ready through the load balancer from several regions", () => {
      const u = inputsOf(b.one(T.uptime));
      assert.deepEqual(u.monitoredResource, {
        type: "uptime_url",
        labels: { project_id: PROJECT, host: "api.example.com" },
      });
      assert.equal(u.httpCheck.useSsl, true);
      assert.equal(u.httpCheck.validateSsl, true);
      assert.equal(u.httpCheck.port, 443);
      assert.equal(u.httpCheck.path, "/health/ready");
      assert.deepEqual(u.httpCheck.acceptedResponseStatusCodes, [{ statusValue: 200 }]);
      assert.deepEqual(u.contentMatchers, [{ content: '"status":"ready"', matcher: "CONTAINS_STRING" }]);
      assert.equal(u.period, "60s");
      assert.deepEqual(u.selectedRegions, ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"]);
      assert.deepEqual(u.userLabels, LABELS);
    });

    it("filters name the exact monitored resources passed in", () => {
      const expect: Record<string, [string, string]> = {
        "http-5xx-rate": ["backend_target_name", "meridian-test-edge-api"],
        "p95-latency": ["service_name", "meridian-test-api"],
        "service-cpu": ["service_name", "meridian-test-api"],
        "service-memory": ["service_name", "meridian-test-api"],
        "db-cpu": ["database_id", `${PROJECT}:meridian-test-db`],
        "db-disk": ["database_id", `${PROJECT}:meridian-test-db`],
        "db-connections": ["database_id", `${PROJECT}:meridian-test-db`],
        "cache-memory": ["instance_id", FULL.cache!.instanceId as string],
      };
      for (const [key, [label, value]] of Object.entries(expect)) {
        const c = b.policy(key).conditions[0].conditionThreshold;
        assert.equal(parseFilter(c.filter).resourceLabels[label], value, key);
      }
      assert.equal(b.policy("db-connections").conditions[0].conditionThreshold.thresholdValue, 80);
      assert.equal(b.policy("http-5xx-rate").conditions[0].conditionThreshold.thresholdValue, 0.05);
      assert.equal(b.policy("uptime").severity, "CRITICAL");
    });

    it("the uptime alert watches this check's id", async () => {
      const id = await promiseOf(b.obs.uptimeCheckId!);
      const c = b.policy("uptime").conditions[0].conditionThreshold;
      assert.equal(parseFilter(c.filter).metricLabels.check_id, id);
      assert.equal(c.duration, "60s");
    });

    it("the dashboard charts every section", () => {
      const d = JSON.parse(inputsOf(b.one(T.dashboard)).dashboardJson);
      assert.equal(d.displayName, "obs");
      const titles = d.mosaicLayout.tiles.map((t: any) => t.widget.title).join(" | ");
      for (const w of ["Traffic", "Errors", "Latency", "Saturation", "Cloud SQL", "Memorystore", "Uptime"])
        assert.ok(titles.includes(w), `${w} missing from ${titles}`);
      assert.ok(!inputsOf(b.one(T.dashboard)).dashboardJson.includes("undefined"));
    });

    it("routes the service's, jobs' and load balancer's logs to a bucket with the retention, stored once", async () => {
      const bucket = inputsOf(b.one(T.bucket));
      assert.deepEqual(
        [bucket.bucketId, bucket.location, bucket.retentionDays],
        ["obs-logs", "us-central1", 90],
      );
      const sink = inputsOf(b.one(T.sink));
      for (const part of [
        'resource.type="cloud_run_revision" AND resource.labels.service_name="meridian-test-api"',
        'resource.type="cloud_run_job" AND resource.labels.job_name="meridian-test-migrate"',
        'resource.type="cloud_run_job" AND resource.labels.job_name="meridian-test-job"',
        'resource.type="http_load_balancer" AND resource.labels.url_map_name="meridian-test-edge-urlmap"',
        'NOT logName:"cloudaudit.googleapis.com"',
      ])
        assert.ok(sink.filter.includes(part), `${part} not in ${sink.filter}`);
      assert.equal(inputsOf(b.one(T.exclusion)).filter, sink.filter);
      assert.ok(
        b.one(T.exclusion).dependencies.includes(b.one(T.sink).urn),
        "exclusion before sink would drop logs",
      );
      assert.deepEqual(b.obs.posture.logRetentionDays, { "obs-logs": 90 });
      assert.equal(await promiseOf(b.obs.logBucketId!), b.one(T.bucket).id);
    });

    it("enables the Monitoring and Logging APIs first, creates no IAM binding, parents everything", () => {
      const apis = b.all(T.service);
      assert.deepEqual(apis.map((a) => inputsOf(a).service).sort(), [
        "logging.googleapis.com",
        "monitoring.googleapis.com",
      ]);
      for (const r of b.children.filter((c) => c.type !== T.service)) {
        for (const a of apis) assert.ok(r.dependencies.includes(a.urn), `${r.name} before ${a.name}`);
        assert.equal(r.parent, b.urn, r.name);
        assert.doesNotMatch(r.type, /IamMember|IamBinding|IamPolicy/);
      }
      assert.deepEqual(b.obs.grants, []);
    });
  });

  it("without alertEmail: policies exist with no channel, and posture says nobody is notified", async () => {
    const b = await build("obs-quiet", { database: FULL.database });
    assert.equal(b.all(T.channel).length, 0);
    assert.equal(b.all(T.uptime).length, 0);
    assert.equal(b.all(T.bucket).length, 0);
    assert.equal(b.all(T.policy).length, 3);
    for (const p of b.all(T.policy)) assert.deepEqual(inputsOf(p).notificationChannels, []);
    assert.equal(b.obs.posture.alarms.destination, null);
    assert.equal(b.obs.notificationChannelId, undefined);
    assert.equal(b.obs.uptimeCheckId, undefined);
    assert.deepEqual(b.obs.posture.logRetentionDays, {});
  });

  it("reads the 5xx ratio from Cloud Run without a load balancer; thresholds and transforms apply", async () => {
    const seen: string[] = [];
    const b = await build("obs-run", {
      service: FULL.service,
      thresholds: { serviceCpuPercent: 90, p95LatencySeconds: 0.8 },
      runbookUrl: "https://example.com/runbooks",
      enableApis: false,
      transform: {
        alertPolicy: (args, _opts, name) => {
          seen.push(name);
          if (name.endsWith("-service-cpu")) args.enabled = false;
        },
        dashboard: { deletionPolicy: "ABANDON" },
      },
    });
    assert.equal(b.all(T.service).length, 0);
    const five = b.policy("http-5xx-rate").conditions[0].conditionThreshold;
    assert.equal(parseFilter(five.filter).metricType, "run.googleapis.com/request_count");
    assert.equal(b.policy("service-cpu").conditions[0].conditionThreshold.thresholdValue, 0.9);
    assert.equal(b.policy("p95-latency").conditions[0].conditionThreshold.thresholdValue, 800);
    assert.equal(b.policy("service-cpu").enabled, false);
    assert.equal(b.policy("service-memory").enabled, true);
    assert.deepEqual(b.policy("p95-latency").documentation.links, [
      { displayName: "runbook", url: "https://example.com/runbooks" },
    ]);
    assert.deepEqual(seen.sort(), [
      "obs-run-http-5xx-rate",
      "obs-run-p95-latency",
      "obs-run-service-cpu",
      "obs-run-service-memory",
    ]);
    assert.equal(inputsOf(b.one(T.dashboard)).deletionPolicy, "ABANDON");
  });

  it("validation names the arg, the bad value and what is allowed, before any resource", () => {
    const throwsSync = (args: Args, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(
        () =>
          new suite.mod.Observability("obs-invalid", {
            project: PROJECT,
            region: "us-central1",
            labels: LABELS,
            ...args,
          }),
        pattern,
      );
      assert.equal(suite.session.resources.length, before, "a failed validation registered resources");
    };
    throwsSync(
      { alertEmail: "oncall" },
      /Observability "obs-invalid": alertEmail is "oncall"; allowed: an email address/,
    );
    throwsSync(
      { uptime: { host: "https://api.example.com/" } },
      /uptime\.host is "https:\/\/api\.example\.com\/"; allowed: a DNS name/,
    );
    throwsSync(
      { uptime: { host: "api.example.com", regions: ["EUROPE", "ASIA_PACIFIC"] } },
      /has 2 checker location\(s\); allowed: regions with at least 3/,
    );
    throwsSync(
      { uptime: { host: "api.example.com", regions: ["MARS" as never] } },
      /uptime\.regions\[0\] is "MARS"; allowed: "USA"/,
    );
    throwsSync({ uptime: { host: "api.example.com", path: "health" } }, /uptime\.path is "health"/);
    throwsSync(
      { thresholds: { dbDiskPercent: 0 } },
      /thresholds\.dbDiskPercent is 0; allowed: a number from 1 to 100/,
    );
    throwsSync({ database: { databaseId: "p:i", maxConnections: 0 } }, /database\.maxConnections is 0/);
    throwsSync(
      { logs: { retentionDays: 0, serviceNames: ["a"] } },
      /logs\.retentionDays is 0; allowed: an integer from 1 to 3650/,
    );
    throwsSync(
      { logs: { retentionDays: 30, serviceNames: [] } },
      /logs\.serviceNames is \[\]; allowed: at least one/,
    );
    throwsSync({ runbookUrl: "docs/runbooks" }, /runbookUrl is "docs\/runbooks"; allowed: an http\(s\) URL/);
    throwsSync({ region: "Iowa" }, /region is "Iowa"/);
    throwsSync({ labels: { Team: "x" } }, /labels key "Team" is invalid/);
    throwsSync({ enableApis: "yes" as never }, /enableApis is "yes"; allowed: true or false/);
  });
});
