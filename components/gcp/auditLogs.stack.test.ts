/**
 * The GCP half of `meridian:accountBaseline` as a reviewer previews it (components/gcp/auditLogs.ts, built by
 * stacks/gcpFoundation.ts for both runtimes): prod with the flag has the audit configs of exactly the
 * runtime's services, the locked 400-day bucket, the baseline in posture and 0 mandatory policy violations.
 */
import { strict as assert } from "node:assert";
import { preview } from "../../infra/offline/test/cli";

type Doc = any;
const AUDIT = "gcp:projects/iAMAuditConfig:IAMAuditConfig";

function prodWithBaseline(runtime: "cloudrun" | "gke"): Doc {
  const r = preview([
    ...["--stack", "prod", "--cloud", "gcp", "--config", "meridian:accountBaseline=true"],
    ...(runtime === "gke" ? ["--config", "meridian:runtime=gke"] : []),
    ...["-f", "json", "-q"],
  ]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe("GCP accountBaseline: Data Access audit logs in the prod preview", function () {
  this.timeout(180_000);

  for (const runtime of ["cloudrun", "gke"] as const) {
    it(`${runtime}: one audit config per used service, the locked bucket, posture, 0 mandatory violations`, () => {
      const doc = prodWithBaseline(runtime);
      assert.equal(doc.policy.mandatory, 0, JSON.stringify(doc.policy.findings, null, 1));
      const services = doc.resources
        .filter((x: Doc) => x.type === AUDIT)
        .map((x: Doc) => x.inputs.service)
        .sort();
      const runtimeServices =
        runtime === "gke" ? ["container.googleapis.com", "sts.googleapis.com"] : ["run.googleapis.com"];
      assert.deepEqual(
        services,
        [
          "artifactregistry.googleapis.com",
          "iam.googleapis.com",
          "iamcredentials.googleapis.com",
          "redis.googleapis.com",
          "secretmanager.googleapis.com",
          "sqladmin.googleapis.com",
          "storage.googleapis.com",
          ...runtimeServices,
        ].sort(),
      );
      const bucket = doc.resources.find(
        (x: Doc) =>
          x.type === "gcp:logging/projectBucketConfig:ProjectBucketConfig" && /-audit-logs$/.test(x.name),
      );
      assert.deepEqual([bucket.inputs.retentionDays, bucket.inputs.locked], [400, true]);
      const b = doc.outputs.posture.accountBaseline;
      assert.equal(b.kind, "gcp-cloud-audit-logs");
      assert.deepEqual(
        b.dataAccess.services.map((s: Doc) => s.service),
        services,
      );
      assert.ok(b.dataAccess.services.every((s: Doc) => s.exemptedMembers.length === 0));
      assert.match(b.dataAccess.destination, /^logging:projects\/.+\/buckets\/meridian-prod-audit$/);
      assert.equal(b.adminActivity.destination, "logging:_Required");
    });
  }
});
