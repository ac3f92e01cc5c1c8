import { strict as assert } from "node:assert";
import * as gcp from "@pulumi/gcp";
import { componentSuite, inputsOf, isSecretInput } from "../../infra/offline/testing";
import type * as DatabaseModule from "./database";

const T = {
  instance: "gcp:sql/databaseInstance:DatabaseInstance",
  database: "gcp:sql/database:Database",
  user: "gcp:sql/user:User",
  password: "random:index/randomPassword:RandomPassword",
  secret: "gcp:secretmanager/secret:Secret",
  version: "gcp:secretmanager/secretVersion:SecretVersion",
  accessor: "gcp:secretmanager/secretIamMember:SecretIamMember",
  service: "gcp:projects/service:Service",
} as const;

const PROJECT = "meridian-test-1234";
const suite = componentSuite({
  load: () => import("./database"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

type Args = Partial<DatabaseModule.GcpDatabaseArgs>;
let connection: gcp.servicenetworking.Connection | undefined;

async function build(name: string, args: Args = {}) {
  connection ??= new gcp.servicenetworking.Connection("psa", {
    network: "projects/p/global/networks/n",
    service: "servicenetworking.googleapis.com",
    reservedPeeringRanges: ["meridian-psa"],
  });
  const c = await suite.capture(
    new suite.mod.Database(name, {
      project: PROJECT,
      region: "us-central1",
      networkSelfLink: "https://www.googleapis.com/compute/v1/projects/p/global/networks/n",
      privateServicesRangeName: "meridian-psa",
      privateServicesConnection: connection,
      accessors: [
        { principal: "meridian-dev-runtime", member: "serviceAccount:rt@p.iam.gserviceaccount.com" },
      ],
      labels: { app: "meridian", environment: "test" },
      ...args,
    }),
  );
  return { ...c, db: c.component };
}

describe("gcp Database (mocks)", () => {
  describe("dev defaults", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
      b = await build("db-dev");
    });

    it("has a private IP only: no public IPv4, no authorized networks, on the PSA range", () => {
      const ip = inputsOf(b.one(T.instance)).settings.ipConfiguration;
      assert.equal(ip.ipv4Enabled, false);
      assert.deepEqual(ip.authorizedNetworks ?? [], []);
      assert.equal(ip.privateNetwork, "https://www.googleapis.com/compute/v1/projects/p/global/networks/n");
      assert.equal(ip.allocatedIpRange, "meridian-psa");
    });

    it("requires TLS and uses the shared CA whose certificates carry a DNS name (verify-full)", () => {
      const ip = inputsOf(b.one(T.instance)).settings.ipConfiguration;
      assert.equal(ip.sslMode, "ENCRYPTED_ONLY");
      assert.equal(ip.serverCaMode, "GOOGLE_MANAGED_CAS_CA");
      assert.equal(b.db.posture.clientVerification, "verify-full");
    });

    it("is PostgreSQL 17 on an Enterprise custom tier, zonal, SSD with an autoresize limit", () => {
      const i = inputsOf(b.one(T.instance));
      assert.equal(i.databaseVersion, "POSTGRES_17");
      assert.equal(i.settings.tier, "db-custom-1-3840");
      assert.equal(i.settings.edition, "ENTERPRISE");
      assert.equal(i.settings.availabilityType, "ZONAL");
      assert.equal(i.settings.diskType, "PD_SSD");
      assert.equal(i.settings.diskAutoresize, true);
      assert.equal(i.settings.diskAutoresizeLimit, 100);
    });

    it("backs up daily with PITR, 7 backups and 7 days of logs", () => {
      const bc = inputsOf(b.one(T.instance)).settings.backupConfiguration;
      assert.equal(bc.enabled, true);
      assert.equal(bc.pointInTimeRecoveryEnabled, true);
      assert.equal(bc.transactionLogRetentionDays, 7);
      assert.deepEqual(bc.backupRetentionSettings, { retainedBackups: 7, retentionUnit: "COUNT" });
      assert.deepEqual(b.db.backups, {
        automatedDays: 7,
        pointInTimeRecovery: true,
        pointInTimeRecoveryDays: 7,
        independentVaultDays: 0,
      });
    });

    it("sets max_connections to the tier's default and exposes it for the pool formula", () => {
      const flags = inputsOf(b.one(T.instance)).settings.databaseFlags as { name: string; value: string }[];
      assert.deepEqual(
        flags.find((f) => f.name === "max_connections"),
        { name: "max_connections", value: "100" },
      );
      assert.equal(b.db.maxConnections, 100);
      assert.ok(flags.some((f) => f.name === "log_min_duration_statement" && f.value === "500"));
    });

    it("has Query Insights, a Sunday 04:00 maintenance window and labels", () => {
      const st = inputsOf(b.one(T.instance)).settings;
      assert.equal(st.insightsConfig.queryInsightsEnabled, true);
      assert.deepEqual(st.maintenanceWindow, { day: 7, hour: 4, updateTrack: "stable" });
      assert.deepEqual(st.userLabels, { app: "meridian", environment: "test" });
    });

    it("can be destroyed in dev: no deletion protection anywhere", () => {
      const r = b.one(T.instance);
      assert.equal(inputsOf(r).deletionProtection, false);
      assert.equal(inputsOf(r).settings.deletionProtectionEnabled, false);
      assert.notEqual(r.options.protect, true);
    });

    it("is created after the private services connection", () => {
      assert.ok(
        b.one(T.instance).dependencies.includes(connection!.urn as unknown as string) ||
          b.one(T.instance).dependencies.some((d) => d.endsWith("::psa")),
      );
    });

    it("creates the database and a built-in user with a generated, secret password", () => {
      assert.equal(inputsOf(b.one(T.database)).name, "meridian");
      const user = b.one(T.user);
      assert.equal(inputsOf(user).type, "BUILT_IN");
      assert.equal(inputsOf(user).name, "meridian_app");
      assert.ok(isSecretInput(user.inputs.password), "the password input must be secret");
      assert.equal(inputsOf(b.one(T.password)).special, false);
    });

    it("stores the URL and the CA in two secrets with one accessor each, pinned refs", () => {
      const ids = b
        .all(T.secret)
        .map((s) => inputsOf(s).secretId)
        .sort();
      assert.deepEqual(ids, ["db-dev-server-ca", "db-dev-url"]);
      assert.deepEqual([...b.db.secretNames].sort(), ids);
      assert.equal(b.db.urlSecret.secretId, "db-dev-url");
      assert.equal(b.db.caSecret.secretId, "db-dev-server-ca");
      const accessors = b.all(T.accessor).map(inputsOf);
      assert.equal(accessors.length, 2);
      for (const a of accessors) {
        assert.equal(a.role, "roles/secretmanager.secretAccessor");
        assert.equal(a.member, "serviceAccount:rt@p.iam.gserviceaccount.com");
      }
      assert.deepEqual(b.db.grants.map((g) => g.on).sort(), ["secret db-dev-server-ca", "secret db-dev-url"]);
      const urlVersion = b.byName("db-dev-url-version");
      assert.ok(isSecretInput(urlVersion.inputs.secretData), "the URL secret data must be secret");
    });

    it("writes a verify-full URL to the private IP", () => {
      const data = inputsOf(b.byName("db-dev-url-version")).secretData;
      assert.match(
        data,
        /^postgresql:\/\/meridian_app:[A-Za-z0-9]+@10\.61\.\d+\.\d+:5432\/meridian\?sslmode=verify-full$/,
      );
      assert.match(inputsOf(b.byName("db-dev-ca-version")).secretData, /-----BEGIN CERTIFICATE-----/);
      assert.equal(b.db.caFilePath, "/etc/meridian/db/server-ca.pem");
    });

    it("enables sqladmin and secretmanager without disabling them on destroy", () => {
      const services = b.all(T.service).map(inputsOf);
      assert.deepEqual(services.map((s) => s.service).sort(), [
        "secretmanager.googleapis.com",
        "sqladmin.googleapis.com",
      ]);
      for (const s of services) assert.equal(s.disableOnDestroy, false);
    });

    it("reports the posture in the contract's shape", () => {
      assert.deepEqual(b.db.posture, {
        engine: "postgres",
        version: "17",
        tlsRequired: true,
        clientVerification: "verify-full",
        encryptedAtRest: true,
        backupRetentionDays: 7,
        pointInTimeRecovery: true,
        deletionProtection: false,
        highAvailability: false,
      });
    });
  });

  describe("prod", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
      b = await build("db-prod", {
        tier: "db-custom-2-7680",
        highAvailability: true,
        deletionProtection: true,
        backupRetentionDays: 14,
        postgresVersion: "16",
      });
    });

    it("is REGIONAL with 14 backups and the Enterprise maximum of 7 days of logs", () => {
      const st = inputsOf(b.one(T.instance)).settings;
      assert.equal(st.availabilityType, "REGIONAL");
      assert.equal(st.backupConfiguration.backupRetentionSettings.retainedBackups, 14);
      assert.equal(st.backupConfiguration.transactionLogRetentionDays, 7);
      // The posture tells the two windows apart: 14 backups, but point-in-time recovery reaches 7 days back.
      assert.deepEqual([b.db.backups.automatedDays, b.db.backups.pointInTimeRecoveryDays], [14, 7]);
      assert.equal(inputsOf(b.one(T.instance)).databaseVersion, "POSTGRES_16");
      assert.equal(b.db.maxConnections, 400);
    });

    it("is protected three ways: Cloud SQL, the provider and Pulumi protect; backups outlive it", () => {
      const r = b.one(T.instance);
      assert.equal(inputsOf(r).settings.deletionProtectionEnabled, true);
      assert.equal(inputsOf(r).deletionProtection, true);
      assert.equal(inputsOf(r).settings.retainBackupsOnDelete, true);
      assert.equal(r.options.protect, true);
      for (const s of b.all(T.secret)) assert.equal(inputsOf(s).deletionProtection, true);
      assert.equal(b.db.posture.deletionProtection, true);
      assert.equal(b.db.posture.highAvailability, true);
    });
  });

  describe("validation (nothing registered)", () => {
    const cases: [Args, RegExp][] = [
      [{ tier: "db-n1-standard-1" }, /tier is "db-n1-standard-1"; allowed: "db-custom-/],
      [{ tier: "db-custom-3-3840" }, /tier is "db-custom-3-3840": 3 vCPUs; allowed: 1 or an even number/],
      [{ postgresVersion: "15" as never }, /postgresVersion is "15"; allowed: "16", "17"/],
      [{ backups: false, pointInTimeRecovery: true }, /pointInTimeRecovery is true with backups false/],
      [
        { backups: false, highAvailability: true },
        /highAvailability is true without backups and pointInTimeRecovery/,
      ],
      [
        { transactionLogRetentionDays: 8 },
        /transactionLogRetentionDays is 8; allowed: an integer from 1 to 7/,
      ],
      [{ backupRetentionDays: 0 }, /backupRetentionDays is 0; allowed: an integer from 1 to 365/],
      [
        { diskSizeGb: 100, maxDiskSizeGb: 50 },
        /maxDiskSizeGb is 50; allowed: greater than diskSizeGb \(100\)/,
      ],
      [{ username: "postgres" }, /username is "postgres"/],
      [
        { accessors: [{ principal: "anyone", member: "allUsers" }] },
        /accessors\[0\]\.member is "allUsers".*public/,
      ],
      [
        { accessors: [{ principal: "x", member: "allAuthenticatedUsers" }] },
        /accessors\[0\]\.member is "allAuthenticatedUsers".*public/,
      ],
      [{ maintenanceWindow: { day: "sunday" as never, hour: 4 } }, /maintenanceWindow.day is "sunday"/],
    ];
    for (const [args, re] of cases) {
      it(`refuses ${JSON.stringify(args)}`, async () => {
        const before = suite.session.resources.length;
        assert.throws(
          () =>
            new suite.mod.Database("db-bad", {
              ...({} as DatabaseModule.GcpDatabaseArgs),
              project: PROJECT,
              region: "us-central1",
              networkSelfLink: "n",
              privateServicesRangeName: "r",
              privateServicesConnection: connection!,
              accessors: [],
              ...args,
            }),
          (e: Error) => {
            assert.match(e.message, /^Database "db-bad": /);
            assert.match(e.message, re);
            return true;
          },
        );
        await suite.session.settle();
        assert.equal(suite.session.resources.length, before);
      });
    }
  });
});
