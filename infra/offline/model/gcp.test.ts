/**
 * The offline model of Google Cloud, family by family: ids in the provider's formats, the outputs
 * components read, and placeholders reported as such. (Secret and unknown handling through the runtime:
 * gcp/runtime.mock.test.ts.)
 */
import { strict as assert } from "node:assert";
import { GCP_MODELS } from "./gcp";
import { sslPolicyFeatures } from "./gcp/compute";
import { crc32c } from "./gcp/storage";
import { modelInvoke, modelResource, ModelEnv, ModelNote } from "./index";

const PROJECT = "meridian-test-1234";
const NUMBER = "100000000001";

function env(): ModelEnv & { notes: ModelNote[] } {
  const notes: ModelNote[] = [];
  return {
    config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
    providerInputs: () => undefined,
    note: (n) => notes.push(n),
    notes,
  };
}

/** Models one resource; returns its id, state, computed names and the notes it left. */
function model(type: string, inputs: Record<string, unknown>, name = "r") {
  const e = env();
  const r = modelResource({ type, name, inputs, custom: true }, e);
  return { ...r, s: r.state as Record<string, any>, notes: e.notes.map((n) => n.message) };
}

describe("offline model of Google Cloud", () => {
  describe("Cloud Run, Scheduler, Artifact Registry", () => {
    it("gives a Cloud Run service its id, both run.app URLs and a ready first revision", () => {
      const r = model("gcp:cloudrunv2/service:Service", { name: "api", location: "europe-west1" });
      assert.equal(r.id, `projects/${PROJECT}/locations/europe-west1/services/api`);
      assert.match(r.s.uri, /^https:\/\/api-[0-9a-f]{10}-ew\.a\.run\.app$/);
      assert.deepEqual(r.s.urls, [`https://api-${NUMBER}.europe-west1.run.app`, r.s.uri]);
      assert.match(r.s.latestReadyRevision, new RegExp(`^${r.id}/revisions/api-00001-[a-z]{3}$`));
      assert.equal(r.s.latestCreatedRevision, r.s.latestReadyRevision);
      assert.equal(r.s.terminalConditions[0].type, "Ready");
      assert.equal(r.s.terminalConditions[0].state, "CONDITION_SUCCEEDED");
      assert.equal(r.s.trafficStatuses[0].percent, 100);
      assert.ok(r.notes.some((n) => /run\.app URL hashes .* placeholders/.test(n)));
    });

    it("reports no run.app URL when the default URL is disabled", () => {
      const r = model("gcp:cloudrunv2/service:Service", { name: "api", defaultUriDisabled: true });
      assert.equal(r.s.uri, "");
      assert.deepEqual(r.s.urls, []);
    });

    it("models Cloud Run jobs and resource-level invoker bindings with the provider's ids", () => {
      const job = model("gcp:cloudrunv2/job:Job", { name: "migrate", location: "us-central1" });
      assert.equal(job.id, `projects/${PROJECT}/locations/us-central1/jobs/migrate`);
      assert.equal(job.s.executionCount, 0);
      const m = model("gcp:cloudrunv2/jobIamMember:JobIamMember", {
        name: "migrate",
        location: "us-central1",
        role: "roles/run.invoker",
        member: "serviceAccount:sched@p.iam.gserviceaccount.com",
      });
      assert.equal(
        m.id,
        `projects/${PROJECT}/locations/us-central1/jobs/migrate/roles/run.invoker/serviceAccount:sched@p.iam.gserviceaccount.com`,
      );
      assert.match(m.s.etag, /^[A-Za-z0-9+/]{11}=$/);
      const s = model("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", {
        name: `projects/${PROJECT}/locations/us-central1/services/api`,
        role: "roles/run.invoker",
        member: "serviceAccount:a@b",
      });
      assert.equal(
        s.id,
        `projects/${PROJECT}/locations/us-central1/services/api/roles/run.invoker/serviceAccount:a@b`,
      );
    });

    it("models Cloud Scheduler jobs (ENABLED unless paused) and Artifact Registry's registry URI", () => {
      const j = model("gcp:cloudscheduler/job:Job", { name: "nightly", region: "us-central1" });
      assert.equal(j.id, `projects/${PROJECT}/locations/us-central1/jobs/nightly`);
      assert.equal(j.s.state, "ENABLED");
      assert.equal(model("gcp:cloudscheduler/job:Job", { name: "n", paused: true }).s.state, "PAUSED");
      const repo = model("gcp:artifactregistry/repository:Repository", {
        repositoryId: "meridian",
        location: "us-central1",
        format: "DOCKER",
      });
      assert.equal(repo.id, `projects/${PROJECT}/locations/us-central1/repositories/meridian`);
      assert.equal(repo.s.name, "meridian");
      assert.equal(repo.s.registryUri, `us-central1-docker.pkg.dev/${PROJECT}/meridian`);
      const pull = model("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", {
        repository: "meridian",
        location: "us-central1",
        role: "roles/artifactregistry.reader",
        member: "serviceAccount:run@x",
      });
      assert.equal(
        pull.id,
        `projects/${PROJECT}/locations/us-central1/repositories/meridian/roles/artifactregistry.reader/serviceAccount:run@x`,
      );
    });
  });

  describe("load balancer (compute)", () => {
    it("gives global LB resources their collection ids, numeric ids and fingerprints", () => {
      const cases: [string, string, string[]][] = [
        ["gcp:compute/globalForwardingRule:GlobalForwardingRule", "forwardingRules", ["forwardingRuleId"]],
        ["gcp:compute/targetHttpsProxy:TargetHttpsProxy", "targetHttpsProxies", ["proxyId", "fingerprint"]],
        ["gcp:compute/targetHttpProxy:TargetHttpProxy", "targetHttpProxies", ["proxyId", "fingerprint"]],
        ["gcp:compute/uRLMap:URLMap", "urlMaps", ["mapId", "fingerprint"]],
        ["gcp:compute/backendService:BackendService", "backendServices", ["generatedId", "fingerprint"]],
        ["gcp:compute/backendBucket:BackendBucket", "backendBuckets", ["creationTimestamp"]],
        ["gcp:compute/securityPolicy:SecurityPolicy", "securityPolicies", ["fingerprint"]],
        ["gcp:compute/sSLPolicy:SSLPolicy", "sslPolicies", ["fingerprint", "enabledFeatures"]],
      ];
      for (const [type, collection, outs] of cases) {
        const r = model(type, { name: "edge" });
        assert.equal(r.id, `projects/${PROJECT}/global/${collection}/edge`, type);
        assert.equal(r.s.selfLink, `https://www.googleapis.com/compute/v1/${r.id}`, type);
        for (const o of outs) assert.ok(r.computed.includes(o), `${type} computes ${o}`);
      }
      assert.equal(typeof model(cases[0][0], { name: "x" }).s.forwardingRuleId, "number");
    });

    it("gives a forwarding rule without an address a documentation-range placeholder IP, and says so", () => {
      const r = model("gcp:compute/globalForwardingRule:GlobalForwardingRule", {
        name: "https",
        loadBalancingScheme: "EXTERNAL_MANAGED",
      });
      assert.match(r.s.ipAddress, /^203\.0\.113\.\d+$/);
      assert.ok(r.notes.some((n) => /203\.0\.113\.0\/24.*placeholders/.test(n)));
      const fixed = model("gcp:compute/globalForwardingRule:GlobalForwardingRule", {
        name: "https",
        ipAddress: "projects/p/global/addresses/ip",
      });
      assert.equal(fixed.s.ipAddress, "projects/p/global/addresses/ip", "an explicit address is kept");
    });

    it("models the serverless NEG as regional and the managed certificate's SANs, leaving expireTime unknown", () => {
      const neg = model("gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup", {
        name: "api-neg",
        region: "us-central1",
      });
      assert.equal(neg.id, `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/api-neg`);
      const cert = model("gcp:compute/managedSslCertificate:ManagedSslCertificate", {
        name: "cert",
        managed: { domains: ["api.example.com"] },
      });
      assert.equal(cert.id, `projects/${PROJECT}/global/sslCertificates/cert`);
      assert.deepEqual(cert.s.subjectAlternativeNames, ["api.example.com"]);
      assert.equal(typeof cert.s.certificateId, "number");
      assert.ok(!("expireTime" in cert.s), "expireTime is known only once Google provisions the certificate");
      assert.ok(cert.notes.some((n) => /DNS points at the load balancer/.test(n)));
    });

    it("enables the SSL features of the policy's profile", () => {
      const modern = model("gcp:compute/sSLPolicy:SSLPolicy", {
        name: "tls",
        profile: "MODERN",
        minTlsVersion: "TLS_1_2",
      });
      assert.ok(modern.s.enabledFeatures.includes("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
      assert.ok(
        !modern.s.enabledFeatures.some((f: string) => f.startsWith("TLS_RSA_")),
        "no RSA key exchange",
      );
      const restricted = sslPolicyFeatures("RESTRICTED", undefined);
      assert.ok(
        restricted.every((f) => /_(GCM|POLY1305)_/.test(f)),
        restricted.join(),
      );
      assert.ok(sslPolicyFeatures(undefined, undefined).includes("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
      assert.deepEqual(sslPolicyFeatures("CUSTOM", ["B", "A"]), ["A", "B"]);
    });
  });

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

  describe("Secret Manager, KMS and IAM", () => {
    it("names secrets and versions with the project number, pinned to version 1", () => {
      const s = model("gcp:secretmanager/secret:Secret", { secretId: "meridian-dev-db-url" });
      assert.equal(s.id, `projects/${PROJECT}/secrets/meridian-dev-db-url`);
      assert.equal(s.s.name, `projects/${NUMBER}/secrets/meridian-dev-db-url`);
      assert.equal(s.s.secretId, "meridian-dev-db-url");
      const v = model("gcp:secretmanager/secretVersion:SecretVersion", { secret: s.id, secretData: "x" });
      assert.equal(v.s.version, "1");
      assert.equal(v.s.name, `projects/${NUMBER}/secrets/meridian-dev-db-url/versions/1`);
      assert.equal(v.id, v.s.name);
      assert.ok(v.s.createTime);
      const m = model("gcp:secretmanager/secretIamMember:SecretIamMember", {
        secretId: s.id,
        role: "roles/secretmanager.secretAccessor",
        member: "serviceAccount:run@x",
      });
      assert.equal(m.id, `${s.id}/roles/secretmanager.secretAccessor/serviceAccount:run@x`);
      assert.ok(m.s.etag);
    });

    it("ids project-level and bucket-level IAM members as the provider does, with a condition title", () => {
      const p = model("gcp:projects/iAMMember:IAMMember", {
        project: PROJECT,
        role: "roles/logging.logWriter",
        member: "serviceAccount:run@x",
      });
      assert.equal(p.id, `${PROJECT}/roles/logging.logWriter/serviceAccount:run@x`);
      const b = model("gcp:storage/bucketIAMMember:BucketIAMMember", {
        bucket: "assets",
        role: "roles/storage.objectViewer",
        member: "serviceAccount:cdn@x",
        condition: { title: "only-public-prefix", expression: "true" },
      });
      assert.equal(b.id, "b/assets/roles/storage.objectViewer/serviceAccount:cdn@x/only-public-prefix");
    });

    it("gives service agents Google's email shape and KMS keys a primary version", () => {
      const agent = model("gcp:projects/serviceIdentity:ServiceIdentity", {
        service: "sqladmin.googleapis.com",
      });
      assert.equal(agent.s.email, `service-${NUMBER}@gcp-sa-cloud-sql.iam.gserviceaccount.com`);
      assert.equal(agent.s.member, `serviceAccount:${agent.s.email}`);
      const ring = model("gcp:kms/keyRing:KeyRing", { name: "ring", location: "us-central1" });
      assert.equal(ring.id, `projects/${PROJECT}/locations/us-central1/keyRings/ring`);
      const key = model("gcp:kms/cryptoKey:CryptoKey", { name: "k", keyRing: ring.id });
      assert.equal(key.id, `${ring.id}/cryptoKeys/k`);
      assert.deepEqual(key.s.primaries, [{ name: `${key.id}/cryptoKeyVersions/1`, state: "ENABLED" }]);
      const sa = model("gcp:serviceaccount/account:Account", { accountId: "meridian-run" });
      assert.equal(sa.s.email, `meridian-run@${PROJECT}.iam.gserviceaccount.com`);
      assert.match(sa.s.uniqueId, /^\d{21}$/);
    });
  });

  describe("Cloud Storage", () => {
    it("models buckets with the project number and objects with real checksums of inline content", () => {
      const b = model("gcp:storage/bucket:Bucket", { name: "meridian-assets" });
      assert.equal(b.id, "meridian-assets");
      assert.equal(b.s.url, "gs://meridian-assets");
      assert.equal(b.s.projectNumber, Number(NUMBER));
      const o = model("gcp:storage/bucketObject:BucketObject", {
        bucket: "meridian-assets",
        name: "index.html",
        content: "hello",
      });
      assert.equal(o.id, "meridian-assets-index.html");
      assert.equal(o.s.md5hexhash, "5d41402abc4b2a76b9719d911017c592");
      assert.equal(o.s.selfLink, "https://www.googleapis.com/storage/v1/b/meridian-assets/o/index.html");
      assert.match(o.s.mediaLink, /\/b\/meridian-assets\/o\/index\.html\?generation=\d+&alt=media$/);
      // CRC32C check value of "123456789" (RFC 3720 B.4) is 0xE3069283.
      assert.equal(crc32c(Buffer.from("123456789")), Buffer.from("e3069283", "hex").toString("base64"));
    });
  });

  describe("Cloud Monitoring, Logging, DNS", () => {
    it("names channels, policies (and their conditions), uptime checks and dashboards", () => {
      const ch = model("gcp:monitoring/notificationChannel:NotificationChannel", { type: "email" });
      assert.match(ch.s.name, new RegExp(`^projects/${PROJECT}/notificationChannels/\\d{19}$`));
      assert.equal(ch.id, ch.s.name);
      const ap = model("gcp:monitoring/alertPolicy:AlertPolicy", {
        displayName: "5xx",
        conditions: [{ displayName: "ratio" }],
      });
      assert.match(ap.s.name, new RegExp(`^projects/${PROJECT}/alertPolicies/\\d{19}$`));
      assert.match(ap.s.conditions[0].name, new RegExp(`^${ap.s.name}/conditions/\\d{19}$`));
      assert.equal(ap.s.conditions[0].displayName, "ratio");
      const up = model("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", {
        displayName: "Meridian ready",
      });
      assert.match(up.s.uptimeCheckId, /^meridian-ready-[0-9a-f]{10}$/);
      assert.equal(up.s.name, `projects/${PROJECT}/uptimeCheckConfigs/${up.s.uptimeCheckId}`);
      const d = model("gcp:monitoring/dashboard:Dashboard", { dashboardJson: "{}" });
      assert.match(d.id!, new RegExp(`^projects/${NUMBER}/dashboards/[0-9a-f-]{36}$`));
    });

    it("gives private zones Google's private name server and record sets the provider's id", () => {
      const z = model("gcp:dns/managedZone:ManagedZone", {
        name: "internal",
        dnsName: "m.internal.",
        visibility: "private",
      });
      assert.equal(z.id, `projects/${PROJECT}/managedZones/internal`);
      assert.deepEqual(z.s.nameServers, ["ns-gcp-private.googledomains.com."]);
      assert.match(z.s.managedZoneId, /^\d+$/);
      const pub = model("gcp:dns/managedZone:ManagedZone", { name: "pub", dnsName: "example.com." });
      assert.equal(pub.s.nameServers.length, 4);
      const rs = model("gcp:dns/recordSet:RecordSet", {
        managedZone: "internal",
        name: "db.m.internal.",
        type: "A",
      });
      assert.equal(rs.id, `projects/${PROJECT}/managedZones/internal/rrsets/db.m.internal./A`);
    });
  });

  describe("coverage and data sources", () => {
    it("models every type the GCP option uses (no type falls back to unknown outputs)", () => {
      const types = [
        "gcp:cloudrunv2/service:Service",
        "gcp:cloudrunv2/job:Job",
        "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        "gcp:cloudrunv2/jobIamMember:JobIamMember",
        "gcp:cloudscheduler/job:Job",
        "gcp:artifactregistry/repository:Repository",
        "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        "gcp:compute/globalAddress:GlobalAddress",
        "gcp:compute/globalForwardingRule:GlobalForwardingRule",
        "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
        "gcp:compute/targetHttpProxy:TargetHttpProxy",
        "gcp:compute/uRLMap:URLMap",
        "gcp:compute/backendService:BackendService",
        "gcp:compute/backendBucket:BackendBucket",
        "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
        "gcp:compute/sSLPolicy:SSLPolicy",
        "gcp:compute/managedSslCertificate:ManagedSslCertificate",
        "gcp:compute/securityPolicy:SecurityPolicy",
        "gcp:storage/bucket:Bucket",
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        "gcp:storage/bucketObject:BucketObject",
        "gcp:sql/databaseInstance:DatabaseInstance",
        "gcp:sql/database:Database",
        "gcp:sql/user:User",
        "gcp:redis/instance:Instance",
        "gcp:secretmanager/secret:Secret",
        "gcp:secretmanager/secretVersion:SecretVersion",
        "gcp:secretmanager/secretIamMember:SecretIamMember",
        "gcp:serviceaccount/account:Account",
        "gcp:projects/iAMMember:IAMMember",
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "gcp:monitoring/alertPolicy:AlertPolicy",
        "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
        "gcp:monitoring/dashboard:Dashboard",
        "gcp:logging/projectBucketConfig:ProjectBucketConfig",
        "gcp:logging/projectSink:ProjectSink",
        "gcp:logging/projectExclusion:ProjectExclusion",
        "gcp:dns/managedZone:ManagedZone",
        "gcp:dns/recordSet:RecordSet",
        "gcp:kms/keyRing:KeyRing",
        "gcp:kms/cryptoKey:CryptoKey",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
      ];
      const missing = types.filter((t) => !GCP_MODELS[t]);
      assert.deepEqual(missing, []);
      for (const type of types) {
        const r = model(type, { name: "x" });
        assert.ok(r.id, type);
        assert.ok(!r.notes.some((n) => /no offline model/.test(n)), type);
      }
    });

    it("answers the storage service agent, network and global address lookups", () => {
      const e = env();
      const sa = modelInvoke("gcp:storage/getProjectServiceAccount:getProjectServiceAccount", {}, e);
      assert.equal(sa.emailAddress, `service-${NUMBER}@gs-project-accounts.iam.gserviceaccount.com`);
      const net = modelInvoke("gcp:compute/getNetwork:getNetwork", { name: "vpc" }, e);
      assert.equal(net.id, `projects/${PROJECT}/global/networks/vpc`);
      const ip = modelInvoke("gcp:compute/getGlobalAddress:getGlobalAddress", { name: "edge-ip" }, e);
      assert.match(ip.address as string, /^203\.0\.113\./);
      assert.ok(e.notes.every((n) => !/no offline model/.test(n.message)));
    });
    it("getIAMPolicy returns the policy document its bindings describe, so rules can read policyData", () => {
      const e = env();
      const bindings = [{ role: "roles/run.invoker", members: ["allUsers"] }];
      const r = modelInvoke("gcp:organizations/getIAMPolicy:getIAMPolicy", { bindings }, e);
      assert.deepEqual(JSON.parse(r.policyData as string), { bindings });
      const empty = modelInvoke("gcp:organizations/getIAMPolicy:getIAMPolicy", {}, e);
      assert.deepEqual(JSON.parse(empty.policyData as string), { bindings: [] });
      assert.ok(e.notes.every((n) => !/no offline model/.test(n.message)));
    });
  });
});
