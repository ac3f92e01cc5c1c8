/**
 * The offline model of Cloud SQL and Memorystore (data.ts): addresses, placeholder CA certificates and AUTH
 * strings, DNS names, ids.
 */
import { strict as assert } from "node:assert";
import { model, NUMBER, PROJECT } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("Cloud SQL and Memorystore", () => {
    const privateOnly = {
      name: "db",
      region: "us-central1",
      settings: { ipConfiguration: { ipv4Enabled: false, privateNetwork: "projects/p/global/networks/vpc" } },
    };

    it("gives a private-only instance a private address and no public one", () => {
      const r = model("gcp:sql/databaseInstance:DatabaseInstance", privateOnly);
      assert.equal(r.id, "db");
      assert.equal(r.s.connectionName, `${PROJECT}:us-central1:db`);
      assert.match(r.s.privateIpAddress, /^10\.61\.\d+\.3$/);
      assert.equal(r.s.publicIpAddress, "");
      assert.deepEqual(r.s.ipAddresses, [
        { ipAddress: r.s.privateIpAddress, type: "PRIVATE", timeToRetire: "" },
      ]);
      assert.equal(r.s.firstIpAddress, r.s.privateIpAddress);
      assert.equal(r.s.instanceType, "CLOUD_SQL_INSTANCE");
      assert.equal(r.s.pscServiceAttachmentLink, "");
      assert.equal(r.s.dnsName, "", "per-instance CA: no instance DNS name");
    });

    it("gives an instance a public IP unless ipv4Enabled is false, as Cloud SQL does", () => {
      const r = model("gcp:sql/databaseInstance:DatabaseInstance", { name: "db", settings: {} });
      assert.match(r.s.publicIpAddress, /^203\.0\.113\./);
      assert.equal(r.s.ipAddresses[0].type, "PRIMARY");
    });

    it("hands out a server CA PEM that is marked as a placeholder, and reports it", () => {
      const r = model("gcp:sql/databaseInstance:DatabaseInstance", privateOnly);
      const ca = r.s.serverCaCerts[0];
      assert.match(
        ca.cert,
        /^# OFFLINE PLACEHOLDER.*\n-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/,
      );
      const body = ca.cert.split("\n").slice(2, -2).join("");
      assert.match(Buffer.from(body, "base64").toString(), /^OFFLINE PLACEHOLDER: not a certificate/);
      assert.match(ca.sha1Fingerprint, /^[0-9a-f]{40}$/);
      assert.ok(r.notes.some((n) => /server CA certificates are offline placeholders/.test(n)));
    });

    it("names the instance in DNS with a CAS-based server CA", () => {
      const r = model("gcp:sql/databaseInstance:DatabaseInstance", {
        ...privateOnly,
        settings: {
          ipConfiguration: { ...privateOnly.settings.ipConfiguration, serverCaMode: "GOOGLE_MANAGED_CAS_CA" },
        },
      });
      assert.match(r.s.dnsName, /^[0-9a-f]{12}\.us-central1\.sql\.goog\.$/);
      assert.deepEqual(r.s.dnsNames, [
        { name: r.s.dnsName, connectionType: "PRIVATE_SERVICES_ACCESS", dnsScope: "INSTANCE" },
      ]);
    });

    it("models databases and users with the provider's ids", () => {
      const d = model("gcp:sql/database:Database", { name: "meridian", instance: "db" });
      assert.equal(d.id, `projects/${PROJECT}/instances/db/databases/meridian`);
      assert.equal(d.s.selfLink, `https://sqladmin.googleapis.com/sql/v1beta4/${d.id}`);
      assert.equal(model("gcp:sql/user:User", { name: "app", instance: "db" }).id, "app//db");
    });

    it("models a BASIC Redis instance: plain port, no CA, no AUTH string, no read endpoint", () => {
      const r = model("gcp:redis/instance:Instance", { name: "cache", tier: "BASIC", region: "us-central1" });
      assert.equal(r.id, `projects/${PROJECT}/locations/us-central1/instances/cache`);
      assert.equal(r.s.port, 6379);
      assert.equal(r.s.currentLocationId, "us-central1-a");
      assert.match(r.s.effectiveReservedIpRange, /\/29$/);
      assert.deepEqual(r.s.serverCaCerts, []);
      assert.equal(r.s.authString, "");
      assert.equal(r.s.readEndpoint, "");
      assert.equal(r.s.readEndpointPort, 0);
      assert.equal(
        r.s.persistenceIamIdentity,
        `serviceAccount:service-${NUMBER}@cloud-redis.iam.gserviceaccount.com`,
      );
    });

    it("models a STANDARD_HA instance with TLS, AUTH and a read replica", () => {
      const r = model("gcp:redis/instance:Instance", {
        name: "cache",
        tier: "STANDARD_HA",
        transitEncryptionMode: "SERVER_AUTHENTICATION",
        authEnabled: true,
        readReplicasMode: "READ_REPLICAS_ENABLED",
        replicaCount: 1,
        locationId: "us-central1-b",
      });
      assert.equal(r.s.port, 6378);
      assert.equal(r.s.readEndpointPort, 6378);
      assert.match(r.s.readEndpoint, /^10\.61\.\d+\.\d+$/);
      assert.notEqual(r.s.readEndpoint, r.s.host);
      assert.equal(r.s.currentLocationId, "us-central1-b");
      assert.notEqual(r.s.alternativeLocationId, "us-central1-b");
      assert.match(r.s.authString, /^offline-placeholder-/);
      assert.match(r.s.serverCaCerts[0].cert, /OFFLINE PLACEHOLDER/);
      assert.ok(r.notes.some((n) => /AUTH strings are offline placeholders/.test(n)));
    });
  });
});
