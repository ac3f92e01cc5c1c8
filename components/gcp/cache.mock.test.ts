import { strict as assert } from "node:assert";
import * as gcp from "@pulumi/gcp";
import { componentSuite, inputsOf, isSecretInput } from "../../infra/offline/testing";
import type * as CacheModule from "./cache";

const T = {
  instance: "gcp:redis/instance:Instance",
  secret: "gcp:secretmanager/secret:Secret",
  accessor: "gcp:secretmanager/secretIamMember:SecretIamMember",
} as const;

const PROJECT = "meridian-test-1234";
const suite = componentSuite({
  load: () => import("./cache"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

type Args = Partial<CacheModule.GcpCacheArgs>;
let connection: gcp.servicenetworking.Connection | undefined;

function args(extra: Args = {}): CacheModule.GcpCacheArgs {
  connection ??= new gcp.servicenetworking.Connection("psa", {
    network: "projects/p/global/networks/n",
    service: "servicenetworking.googleapis.com",
    reservedPeeringRanges: ["meridian-psa"],
  });
  return {
    project: PROJECT,
    region: "us-central1",
    networkSelfLink: "https://www.googleapis.com/compute/v1/projects/p/global/networks/n",
    privateServicesRangeName: "meridian-psa",
    privateServicesConnection: connection,
    accessors: [{ principal: "meridian-dev-runtime", member: "serviceAccount:rt@p.iam.gserviceaccount.com" }],
    labels: { app: "meridian" },
    ...extra,
  };
}

async function build(name: string, extra: Args = {}) {
  const c = await suite.capture(new suite.mod.Cache(name, args(extra)));
  return { ...c, cache: c.component };
}

describe("gcp Cache (mocks)", () => {
  describe("dev defaults", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
      b = await build("cache-dev");
    });

    it("is BASIC, 1 GB, Redis 7.2, without replicas or persistence", () => {
      const i = inputsOf(b.one(T.instance));
      assert.equal(i.tier, "BASIC");
      assert.equal(i.memorySizeGb, 1);
      assert.equal(i.redisVersion, "REDIS_7_2");
      assert.equal(i.readReplicasMode, "READ_REPLICAS_DISABLED");
      assert.equal(i.replicaCount, undefined);
      assert.deepEqual(i.persistenceConfig, { persistenceMode: "DISABLED" });
    });

    it("requires TLS and AUTH, on the private services access range only", () => {
      const i = inputsOf(b.one(T.instance));
      assert.equal(i.transitEncryptionMode, "SERVER_AUTHENTICATION");
      assert.equal(i.authEnabled, true);
      assert.equal(i.connectMode, "PRIVATE_SERVICE_ACCESS");
      assert.equal(i.reservedIpRange, "meridian-psa");
      assert.equal(i.authorizedNetwork, "https://www.googleapis.com/compute/v1/projects/p/global/networks/n");
      assert.deepEqual(b.cache.posture, { tls: true, auth: true, encryptedAtRest: true });
    });

    it("has a weekly maintenance window and labels", () => {
      const i = inputsOf(b.one(T.instance));
      assert.deepEqual(i.maintenancePolicy.weeklyMaintenanceWindows, [
        { day: "SUNDAY", startTime: { hours: 5, minutes: 0 } },
      ]);
      assert.deepEqual(i.labels, { app: "meridian" });
      assert.notEqual(b.one(T.instance).options.protect, true);
      assert.equal(inputsOf(b.one(T.instance)).deletionProtection, false);
    });

    it("writes a rediss:// URL secret and a CA secret, one accessor binding each", () => {
      assert.deepEqual(
        b
          .all(T.secret)
          .map((s) => inputsOf(s).secretId)
          .sort(),
        ["cache-dev-redis-ca", "cache-dev-redis-url"],
      );
      const v = b.byName("cache-dev-url-version");
      assert.ok(isSecretInput(v.inputs.secretData));
      const data = inputsOf(v).secretData;
      assert.match(data, /^rediss:\/\/:[^@]+@10\.61\.\d+\.\d+:6378$/);
      assert.match(inputsOf(b.byName("cache-dev-ca-version")).secretData, /BEGIN CERTIFICATE/);
      const acc = b.all(T.accessor).map(inputsOf);
      assert.equal(acc.length, 2);
      for (const a of acc) assert.equal(a.role, "roles/secretmanager.secretAccessor");
      assert.deepEqual(b.cache.grants.map((g) => g.on).sort(), [
        "secret cache-dev-redis-ca",
        "secret cache-dev-redis-url",
      ]);
      assert.deepEqual([...b.cache.secretNames].sort(), ["cache-dev-redis-ca", "cache-dev-redis-url"]);
      assert.equal(b.cache.caFilePath, "/etc/meridian/redis/server-ca.pem");
    });
  });

  describe("prod", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
      b = await build("cache-prod", { replicas: 1, deletionProtection: true });
    });

    it("is STANDARD_HA, 5 GB, with a read replica and RDB snapshots", () => {
      const i = inputsOf(b.one(T.instance));
      assert.equal(i.tier, "STANDARD_HA");
      assert.equal(i.memorySizeGb, 5);
      assert.equal(i.readReplicasMode, "READ_REPLICAS_ENABLED");
      assert.equal(i.replicaCount, 1);
      assert.deepEqual(i.persistenceConfig, { persistenceMode: "RDB", rdbSnapshotPeriod: "TWELVE_HOURS" });
    });

    it("is protected from deletion", () => {
      assert.equal(inputsOf(b.one(T.instance)).deletionProtection, true);
      assert.equal(b.one(T.instance).options.protect, true);
    });
  });

  describe("validation (nothing registered)", () => {
    const cases: [Args, RegExp][] = [
      [{ replicas: 1, memorySizeGb: 2 }, /memorySizeGb is 2 with replicas 1; allowed: at least 5 GB/],
      [{ replicas: 6 }, /replicas is 6; allowed: an integer from 0 to 5/],
      [{ redisVersion: "REDIS_5_0" as never }, /redisVersion is "REDIS_5_0"; allowed: "REDIS_7_2"/],
      [{ snapshotPeriod: "DAILY" as never }, /snapshotPeriod is "DAILY"/],
      [{ region: "us central" }, /region is "us central"/],
    ];
    for (const [extra, re] of cases) {
      it(`refuses ${JSON.stringify(extra)}`, async () => {
        const before = suite.session.resources.length;
        assert.throws(
          () => new suite.mod.Cache("cache-bad", args(extra)),
          (e: Error) => /^Cache "cache-bad": /.test(e.message) && re.test(e.message),
        );
        await suite.session.settle();
        assert.equal(suite.session.resources.length, before);
      });
    }
  });
});
