/**
 * The GCP model through the offline runtime, with @pulumi/gcp's own classes in preview mode, as the
 * engine runs a program: outputs the provider marks secret come back secret, values only Google knows
 * after provisioning stay unknown, and placeholders are named in the session's notes.
 */
import { strict as assert } from "node:assert";
import type * as gcpType from "@pulumi/gcp";
import { isSecretInput, OfflineSession, ofType, startMocks } from "../../testing";
import { SIG } from "../../runtime";

const PROJECT = "meridian-test-1234";

describe("GCP model through the offline runtime (preview)", () => {
  let session: OfflineSession;
  let gcp: typeof gcpType;
  before(async () => {
    session = await startMocks({
      config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
      preview: true,
    });
    gcp = await import("@pulumi/gcp");
    new gcp.redis.Instance("cache", {
      name: "cache",
      memorySizeGb: 1,
      tier: "STANDARD_HA",
      authEnabled: true,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      readReplicasMode: "READ_REPLICAS_ENABLED",
      replicaCount: 1,
      labels: { app: "meridian" },
    });
    new gcp.sql.DatabaseInstance("db", {
      name: "db",
      databaseVersion: "POSTGRES_16",
      settings: {
        tier: "db-custom-1-3840",
        ipConfiguration: { ipv4Enabled: false, privateNetwork: "projects/p/global/networks/vpc" },
      },
    });
    new gcp.compute.ManagedSslCertificate("cert", {
      name: "cert",
      managed: { domains: ["api.example.com"] },
    });
    new gcp.cloudrunv2.Service("api", {
      name: "api",
      location: "us-central1",
      template: { containers: [{ image: "us-docker.pkg.dev/cloudrun/container/hello" }] },
    });
    await session.settle();
  });

  const one = (type: string) => {
    const found = ofType(session, type);
    assert.equal(found.length, 1, type);
    return found[0];
  };

  it("keeps Memorystore's AUTH string and the labels the provider marks secret secret", () => {
    const redis = one("gcp:redis/instance:Instance");
    assert.ok(isSecretInput(redis.outputs.authString), JSON.stringify(redis.outputs.authString));
    assert.ok(isSecretInput(redis.outputs.effectiveLabels));
    assert.equal(redis.outputs.port, 6378);
    assert.ok(!isSecretInput(redis.outputs.readEndpoint));
  });

  it("keeps Cloud SQL's server CA certificates secret, as the provider does", () => {
    const db = one("gcp:sql/databaseInstance:DatabaseInstance");
    assert.ok(isSecretInput(db.outputs.serverCaCerts));
    assert.equal(db.outputs.connectionName, `${PROJECT}:us-central1:db`);
    assert.equal(db.outputs.publicIpAddress, "");
  });

  it("leaves a managed certificate's expireTime unknown and its SANs known", () => {
    const cert = one("gcp:compute/managedSslCertificate:ManagedSslCertificate");
    assert.equal(cert.outputs.expireTime, SIG.unknown);
    assert.deepEqual(cert.outputs.subjectAlternativeNames, ["api.example.com"]);
    assert.equal(cert.id, `projects/${PROJECT}/global/sslCertificates/cert`);
  });

  it("computes a Cloud Run service's URLs and revisions (not unknown)", () => {
    const api = one("gcp:cloudrunv2/service:Service");
    assert.match(String(api.outputs.uri), /^https:\/\/api-[0-9a-f]{10}-uc\.a\.run\.app$/);
    assert.match(String(api.outputs.latestReadyRevision), /\/revisions\/api-00001-[a-z]{3}$/);
    assert.ok(!api.computed.includes("creator"), "who deployed it is known only to Google");
    assert.equal(api.outputs.creator, SIG.unknown);
  });

  it("names each kind of placeholder once in the notes", () => {
    const messages = session.notes.map((n) => n.message);
    for (const re of [/AUTH strings/, /server CA certificates/, /run\.app URL hashes/, /project number/]) {
      assert.equal(messages.filter((m) => re.test(m)).length, 1, `${re}: ${messages.join(" | ")}`);
    }
    assert.ok(!messages.some((m) => /no offline model/.test(m)), messages.join(" | "));
  });
});
