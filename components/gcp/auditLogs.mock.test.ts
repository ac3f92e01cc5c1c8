import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";
import type * as Args from "./auditLogsArgs";

const PROJECT = "meridian-test-1234";
const T = {
  audit: "gcp:projects/iAMAuditConfig:IAMAuditConfig",
  bucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  sink: "gcp:logging/projectSink:ProjectSink",
  exclusion: "gcp:logging/projectExclusion:ProjectExclusion",
  api: "gcp:projects/service:Service",
} as const;

const suite = componentSuite({
  load: async () => ({ c: await import("./auditLogs"), a: await import("./auditLogsArgs") }),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

const SERVICES = ["storage.googleapis.com", "secretmanager.googleapis.com"];

async function build(name: string, over: Partial<Args.AuditLogsArgs> = {}) {
  return suite.capture(
    new suite.mod.c.AuditLogs(name, { project: PROJECT, region: "us-central1", services: SERVICES, ...over }),
  );
}

describe("gcp AuditLogs (mocks)", () => {
  it("one IAMAuditConfig per service with ADMIN_READ, DATA_READ and DATA_WRITE and no exempted members", async () => {
    const b = await build("al");
    const configs = b.all(T.audit).map(inputsOf);
    assert.deepEqual(configs.map((c) => c.service).sort(), [...SERVICES].sort());
    for (const c of configs) {
      assert.equal(c.project, PROJECT);
      assert.deepEqual(c.auditLogConfigs, [
        { logType: "ADMIN_READ" },
        { logType: "DATA_READ" },
        { logType: "DATA_WRITE" },
      ]);
    }
    assert.deepEqual(
      b.all(T.audit).map((r) => r.name),
      ["al-secretmanager", "al-storage"],
    );
  });

  it("routes exactly those services' Data Access entries to a 400-day bucket and out of _Default, before the configs", async () => {
    const b = await build("al-route");
    const bucket = inputsOf(b.one(T.bucket));
    assert.equal(bucket.retentionDays, 400);
    assert.equal(bucket.location, "us-central1");
    assert.equal(bucket.locked, undefined, "not locked unless asked");
    const sink = b.one(T.sink);
    const filter = inputsOf(sink).filter;
    assert.equal(
      filter,
      'log_id("cloudaudit.googleapis.com/data_access") AND (protoPayload.serviceName="secretmanager.googleapis.com" OR protoPayload.serviceName="storage.googleapis.com")',
    );
    assert.equal(inputsOf(b.one(T.exclusion)).filter, filter);
    assert.equal(inputsOf(sink).destination, `logging.googleapis.com/${b.one(T.bucket).id}`);
    for (const audit of b.all(T.audit)) {
      assert.ok(audit.dependencies.includes(b.one(T.exclusion).urn), `${audit.name} waits for the routing`);
    }
    assert.deepEqual(
      b
        .all(T.api)
        .map((r) => inputsOf(r).service)
        .sort(),
      ["cloudresourcemanager.googleapis.com", "logging.googleapis.com"],
    );
  });

  it("GKE: the Kubernetes API's k8s.io entries are routed with container.googleapis.com", () => {
    const services = suite.mod.a.meridianAuditedServices({ runtime: "gke" });
    assert.ok(services.includes("container.googleapis.com") && services.includes("sts.googleapis.com"));
    assert.ok(!services.includes("run.googleapis.com"));
    assert.match(suite.mod.a.dataAccessFilter(services), /protoPayload\.serviceName="k8s\.io"/);
    const run = suite.mod.a.meridianAuditedServices({ runtime: "cloudrun", cmek: true });
    assert.ok(run.includes("run.googleapis.com") && run.includes("cloudkms.googleapis.com"));
    assert.ok(!run.includes("container.googleapis.com"));
    assert.deepEqual(run, [...run].sort());
  });

  it("locked, retention and log types; a user bucket transform still applies over the lock", async () => {
    const b = await build("al-lock", {
      locked: true,
      retentionDays: 730,
      logTypes: ["DATA_WRITE", "ADMIN_READ"],
      transform: { logBucket: { description: "mine" } },
    });
    const bucket = inputsOf(b.one(T.bucket));
    assert.equal(bucket.locked, true);
    assert.equal(bucket.retentionDays, 730);
    assert.equal(bucket.description, "mine");
    assert.deepEqual(inputsOf(b.all(T.audit)[0]).auditLogConfigs, [
      { logType: "ADMIN_READ" },
      { logType: "DATA_WRITE" },
    ]);
    const p = b.component.posture;
    assert.equal(p.dataAccess.retentionDays, 730);
    assert.equal(p.dataAccess.locked, true);
    assert.match(
      await promiseOf(p.dataAccess.destination as never),
      /^logging:projects\/.+\/buckets\/al-lock$/,
    );
    assert.deepEqual(b.component.retention, { name: "al-lock", days: 730 });
  });

  it("posture: Admin Activity and System Event in _Required 400 days; without the bucket Data Access stays in _Default", async () => {
    const b = await build("al-nob", { dedicatedBucket: false, enableApis: false });
    assert.equal(b.all(T.bucket).length + b.all(T.sink).length + b.all(T.api).length, 0);
    const p = b.component.posture;
    assert.deepEqual(p.adminActivity, {
      services: "all",
      destination: "logging:_Required",
      retentionDays: 400,
      locked: true,
    });
    assert.equal(p.systemEvent.destination, "logging:_Required");
    assert.deepEqual(
      { d: p.dataAccess.destination, r: p.dataAccess.retentionDays },
      { d: "logging:_Default", r: 30 },
    );
    const storage = p.dataAccess.services.find((s) => s.service === "storage.googleapis.com");
    assert.deepEqual(storage?.exemptedMembers, []);
    assert.match(storage?.records ?? "", /object reads/);
    assert.equal(b.component.logBucketId, undefined);
  });

  it("validation names the arg, the bad value and what is allowed", () => {
    const bad = (over: object, re: RegExp) =>
      assert.throws(
        () =>
          new suite.mod.c.AuditLogs("al-bad", {
            project: PROJECT,
            region: "us-central1",
            services: SERVICES,
            ...over,
          }),
        re,
      );
    bad({ services: [] }, /AuditLogs "al-bad": services is \[\]; allowed: a non-empty list/);
    bad({ services: ["allServices"] }, /services contains "allServices"; allowed: .*not "allServices"/);
    bad({ services: ["storage.googleapis.com", "storage.googleapis.com"] }, /a service is listed twice/);
    bad({ logTypes: ["ADMIN_WRITE"] }, /logTypes is \["ADMIN_WRITE"\]; allowed: .*"DATA_READ"/);
    bad({ logTypes: [] }, /logTypes is \[\]; allowed: a non-empty list/);
    bad({ retentionDays: 7 }, /retentionDays is 7; allowed: an integer from 30 to 3650 \(fewer than 30/);
    bad({ locked: "yes" }, /locked is "yes"; allowed: true or false/);
    bad({ region: "mars" }, /region is "mars"; allowed: a GCP region name/);
    bad({ project: "" }, /project is ""; allowed: a GCP project id/);
    bad({ transform: 3 }, /transform is 3; allowed: an object of per-child transforms/);
  });

  it("transform patches every audit config (function form gets the logical name)", async () => {
    const b = await build("al-tf", {
      transform: {
        auditConfig: (a, _o, name) => {
          if (name.endsWith("-storage")) a.auditLogConfigs = [{ logType: "DATA_WRITE" }];
        },
      },
    });
    const byService = Object.fromEntries(b.all(T.audit).map((r) => [inputsOf(r).service, inputsOf(r)]));
    assert.deepEqual(byService["storage.googleapis.com"].auditLogConfigs, [{ logType: "DATA_WRITE" }]);
    assert.equal(byService["secretmanager.googleapis.com"].auditLogConfigs.length, 3);
  });
});
