import { strict as assert } from "node:assert";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";

const PROJECT = "meridian-test-1234";
const suite = componentSuite({
  load: () => import("./logRouting"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("meridian:test:Holder", name, {}, {});
  }
}

/** A custom resource to depend on (a component with no children expands to no dependency). */
const api = (name: string) =>
  new gcp.projects.Service(name, { project: PROJECT, service: "logging.googleapis.com" });

const args = (over: Record<string, unknown> = {}) => ({
  project: PROJECT,
  location: "us-central1",
  bucketId: "svc-logs",
  sinkName: "svc-logs-sink",
  exclusionName: "svc-logs-excl",
  retentionDays: 45,
  filter: 'resource.type="cloud_run_revision" AND resource.labels.service_name="api"',
  descriptions: { bucket: "b", sink: "s", exclusion: "e" },
  ...over,
});

describe("gcp createLogRouting (mocks)", () => {
  it("creates a bucket with the retention, a sink into it and the same filter excluded from _Default", async () => {
    const holder = new Holder("lr");
    const dep = api("lr-dep");
    const r = suite.mod.createLogRouting("lr-logs", args(), { parent: holder, dependsOn: [dep] });
    const c = await suite.capture(holder);
    const bucket = c.byName("lr-logs");
    const sink = c.byName("lr-logs-sink");
    const excl = c.byName("lr-logs-exclusion");
    assert.deepEqual(
      [inputsOf(bucket).bucketId, inputsOf(bucket).retentionDays, inputsOf(bucket).location],
      ["svc-logs", 45, "us-central1"],
    );
    assert.equal(inputsOf(sink).destination, `logging.googleapis.com/${bucket.id}`);
    assert.equal(inputsOf(sink).uniqueWriterIdentity, true);
    assert.equal(inputsOf(sink).name, "svc-logs-sink");
    assert.equal(inputsOf(excl).filter, inputsOf(sink).filter);
    assert.equal(inputsOf(excl).name, "svc-logs-excl");
    const depUrn = await promiseOf(dep.urn);
    assert.ok(excl.dependencies.includes(sink.urn), "the exclusion waits for the sink");
    for (const x of [bucket, sink, excl])
      assert.ok(x.dependencies.includes(depUrn), `${x.name} lost dependsOn`);
    assert.deepEqual(r.retention, { name: "svc-logs", days: 45 });
    assert.equal(await promiseOf(r.bucketId), bucket.id);
  });

  it("keeps a single-resource dependsOn and applies transforms", async () => {
    const holder = new Holder("lr2");
    const dep = api("lr2-dep");
    suite.mod.createLogRouting(
      "lr2-logs",
      args({ transform: { logBucket: { locked: true }, logExclusion: (a: any) => (a.disabled = true) } }),
      { parent: holder, dependsOn: dep },
    );
    const c = await suite.capture(holder);
    const excl = c.byName("lr2-logs-exclusion");
    assert.ok(excl.dependencies.includes(await promiseOf(dep.urn)));
    assert.ok(excl.dependencies.includes(c.byName("lr2-logs-sink").urn));
    assert.equal(inputsOf(c.byName("lr2-logs")).locked, true);
    assert.equal(inputsOf(excl).disabled, true);
  });

  it("rejects a bad retention or an empty filter before creating anything", () => {
    const before = suite.session.resources.length;
    assert.throws(
      () => suite.mod.createLogRouting("bad", args({ retentionDays: 4000 }), {}),
      /retentionDays is 4000; allowed: an integer from 1 to 3650/,
    );
    assert.throws(
      () => suite.mod.createLogRouting("bad", args({ filter: " " }), {}),
      /filter is " "; allowed: a non-empty/,
    );
    assert.equal(suite.session.resources.length, before);
  });
});
