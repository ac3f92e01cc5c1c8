import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as ObservabilityModule from "./observability";

const T = {
  topic: "aws:sns/topic:Topic",
  key: "aws:kms/key:Key",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
} as const;

const TAGS = TEST_TAGS;
const FULL: Partial<ObservabilityModule.ObservabilityArgs> = {
  alertEmail: "oncall@example.com",
  alb: {
    albArnSuffix: "app/meridian-prod/0123456789abcdef",
    targetGroupArnSuffix: "targetgroup/meridian-prod-api/fedcba9876543210",
  },
  ecs: { clusterName: "meridian-prod", serviceName: "api" },
  database: { dbInstanceIdentifier: "meridian-prod-db" },
  cache: { cacheClusterIds: ["meridian-prod-cache-001", "meridian-prod-cache-002"] },
};

const suite = componentSuite({
  load: () => import("./observability"),
  config: { "aws:region": "eu-west-1" },
});

async function build(name: string, args: Partial<ObservabilityModule.ObservabilityArgs> = {}) {
  const c = await suite.capture(new suite.mod.Observability(name, { tags: TAGS, ...args }));
  const { children, all } = c;
  const alarm = (suffix: string) => {
    const r = children.find((c) => c.name === `${name}-${suffix}`);
    assert.ok(
      r,
      `no alarm ${suffix}; have ${all(T.alarm)
        .map((a) => a.name)
        .join(", ")}`,
    );
    return inputsOf(r);
  };
  return { ...c, obs: c.component, alarm };
}
type Built = Awaited<ReturnType<typeof build>>;

describe("aws Observability (mocks)", () => {
  describe("every section", () => {
    let b: Built;
    before(async () => {
      b = await build("obs", FULL);
    });

    it("creates a KMS-encrypted topic (customer managed key CloudWatch may use) and the email subscription", () => {
      const key = b.one(T.key);
      assert.equal(inputsOf(key).enableKeyRotation, true);
      const policy = JSON.parse(inputsOf(key).policy);
      const cw = policy.Statement.find((s: any) => s.Principal.Service === "cloudwatch.amazonaws.com");
      assert.deepEqual(cw.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
      const topic = inputsOf(b.one(T.topic));
      assert.equal(topic.kmsMasterKeyId, key.outputs.arn);
      assert.notEqual(
        topic.kmsMasterKeyId,
        "alias/aws/sns",
        "CloudWatch cannot publish with the AWS managed key",
      );
      const sub = inputsOf(b.one(T.subscription));
      assert.deepEqual(
        [sub.protocol, sub.endpoint, sub.topic],
        ["email", "oncall@example.com", b.one(T.topic).outputs.arn],
      );
    });

    it("every alarm notifies the topic on ALARM and OK and sets treatMissingData deliberately", () => {
      const topicArn = b.one(T.topic).outputs.arn;
      const alarms = b.all(T.alarm);
      assert.equal(alarms.length, 12);
      for (const a of alarms.map(inputsOf)) {
        assert.deepEqual(a.alarmActions, [topicArn], a.name);
        assert.deepEqual(a.okActions, [topicArn], a.name);
        assert.ok(["notBreaching", "breaching", "missing", "ignore"].includes(a.treatMissingData), a.name);
        assert.equal(a.actionsEnabled, true);
        assert.match(a.alarmDescription, /^[\x20-\x7e]+$/);
      }
      assert.deepEqual([...b.obs.alarmNames].sort(), alarms.map((a) => inputsOf(a).name).sort());
    });

    it("ALB 5xx rate is metric math 5xx / requests * 100 over the threshold", () => {
      const a = b.alarm("alb-5xx-rate");
      assert.equal(a.threshold, 5);
      assert.equal(a.comparisonOperator, "GreaterThanThreshold");
      assert.equal(a.treatMissingData, "notBreaching");
      const q = Object.fromEntries(a.metricQueries.map((m: any) => [m.id, m]));
      assert.equal(q.rate.returnData, true);
      assert.match(q.rate.expression, /100 \* .*target5xx.* \/ requests/);
      assert.equal(q.target5xx.metric.metricName, "HTTPCode_Target_5XX_Count");
      assert.equal(q.requests.metric.metricName, "RequestCount");
      assert.equal(q.requests.metric.dimensions.LoadBalancer, "app/meridian-prod/0123456789abcdef");
      assert.equal(a.metricName, undefined);
    });

    it("p95 latency, unhealthy hosts, ECS, RDS and cache alarms have the right metrics", () => {
      const p95 = b.alarm("alb-p95-latency");
      assert.equal(p95.extendedStatistic, "p95");
      assert.equal(p95.metricName, "TargetResponseTime");
      assert.equal(p95.statistic, undefined);
      const uh = b.alarm("alb-unhealthy-hosts");
      assert.deepEqual(
        [uh.metricName, uh.comparisonOperator, uh.threshold],
        ["UnHealthyHostCount", "GreaterThanThreshold", 0],
      );
      assert.equal(uh.dimensions.TargetGroup, "targetgroup/meridian-prod-api/fedcba9876543210");
      for (const [suffix, metric] of [
        ["ecs-cpu", "CPUUtilization"],
        ["ecs-memory", "MemoryUtilization"],
      ]) {
        const a = b.alarm(suffix);
        assert.deepEqual([a.namespace, a.metricName, a.threshold], ["AWS/ECS", metric, 80]);
        assert.deepEqual(a.dimensions, { ClusterName: "meridian-prod", ServiceName: "api" });
      }
      assert.equal(b.alarm("db-cpu").metricName, "CPUUtilization");
      const storage = b.alarm("db-free-storage");
      assert.deepEqual(
        [storage.metricName, storage.comparisonOperator, storage.threshold],
        ["FreeStorageSpace", "LessThanThreshold", 5 * 1024 ** 3],
      );
      assert.equal(b.alarm("db-connections").metricName, "DatabaseConnections");
      for (const [i, id] of ["meridian-prod-cache-001", "meridian-prod-cache-002"].entries()) {
        const cpu = b.alarm(`cache-${i + 1}-engine-cpu`);
        const mem = b.alarm(`cache-${i + 1}-memory`);
        assert.deepEqual(cpu.dimensions, { CacheClusterId: id });
        assert.equal(cpu.metricName, "EngineCPUUtilization");
        assert.equal(mem.metricName, "DatabaseMemoryUsagePercentage");
        assert.equal(mem.namespace, "AWS/ElastiCache");
      }
    });

    it("every dashboard widget sets region, view and period", async () => {
      const d = inputsOf(b.one(T.dashboard));
      assert.equal(d.dashboardName, "obs");
      const body = JSON.parse(d.dashboardBody);
      assert.ok(body.widgets.length >= 7, `only ${body.widgets.length} widgets`);
      for (const w of body.widgets) {
        assert.equal(w.properties.region, "eu-west-1", w.properties.title);
        assert.equal(w.properties.view, "timeSeries", w.properties.title);
        assert.equal(w.properties.period, 60, w.properties.title);
        assert.ok(Array.isArray(w.properties.metrics) && w.properties.metrics.length > 0);
        for (const row of w.properties.metrics) {
          assert.ok(!JSON.stringify(row).includes("{}"), "an unresolved output in a metric row");
        }
      }
      assert.equal(b.obs.dashboardName, "obs");
      assert.equal(await promiseOf(b.obs.topicArn), b.one(T.topic).outputs.arn);
    });

    it("tags the taggable children", () => {
      for (const r of b.children.filter(
        (c) => c.custom && [T.topic, T.key, T.alarm].includes(c.type as never),
      )) {
        const tags = inputsOf(r).tags;
        for (const [k, v] of Object.entries(TAGS)) assert.equal(tags[k], v, `${r.name} ${k}`);
        assert.equal(tags.Name, r.name);
      }
    });
  });

  it("sections are optional; a given topic key is used; thresholds override the defaults", async () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const b = await build("obs-db", {
      database: { dbInstanceIdentifier: "db-1" },
      thresholds: { dbCpuPercent: 90 },
      topicKmsKeyArn: key,
    });
    assert.equal(b.all(T.key).length, 0);
    assert.equal(b.all(T.subscription).length, 0);
    assert.equal(inputsOf(b.one(T.topic)).kmsMasterKeyId, key);
    assert.deepEqual(
      b
        .all(T.alarm)
        .map((a) => a.name)
        .sort(),
      ["obs-db-db-connections", "obs-db-db-cpu", "obs-db-db-free-storage"],
    );
    assert.equal(b.alarm("db-cpu").threshold, 90);
    for (const w of JSON.parse(inputsOf(b.one(T.dashboard)).dashboardBody).widgets) {
      assert.ok(w.properties.region && w.properties.view && w.properties.period);
    }
  });

  it("validation names the arg, the bad value and what is allowed", () => {
    const throwsSync = (args: Partial<ObservabilityModule.ObservabilityArgs>, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Observability("obs-invalid", { tags: TAGS, ...args }), pattern);
      assert.equal(suite.session.resources.length, before);
    };
    throwsSync(
      { alertEmail: "oncall" },
      /Observability "obs-invalid": alertEmail is "oncall"; allowed: an email address/,
    );
    throwsSync(
      { thresholds: { ecsCpuPercent: 150 } },
      /thresholds\.ecsCpuPercent is 150; allowed: a number from 1 to 100/,
    );
    throwsSync(
      { thresholds: { cpu: 1 } as never },
      /thresholds\.cpu is not a threshold; allowed: alb5xxPercent/,
    );
    throwsSync(
      { cache: { cacheClusterIds: [] } },
      /cache\.cacheClusterIds is \[\]; allowed: a non-empty list/,
    );
  });
});
