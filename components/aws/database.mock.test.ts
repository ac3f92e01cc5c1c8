import { strict as assert } from "node:assert";
import { DATA_STORE_BASE, inputsOf, isSecretInput, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as DatabaseModule from "./database";
import { type Built, databaseSuite, T, UNTAGGABLE } from "./database.testkit";

const TAGS = TEST_TAGS;

const { suite, build } = databaseSuite();

describe("aws Database (mocks)", () => {
  describe("defaults (dev-like)", () => {
    let b: Built;
    before(async () => {
      b = await build("db-dev");
    });

    it("creates an encrypted, private PostgreSQL 17 instance on gp3 with autoscaling", () => {
      const i = inputsOf(b.one(T.instance));
      assert.equal(i.identifier, "db-dev");
      assert.equal(i.engine, "postgres");
      assert.equal(i.engineVersion, "17.7");
      assert.equal(i.instanceClass, "db.t4g.micro");
      assert.equal(i.storageType, "gp3");
      assert.equal(i.storageEncrypted, true);
      assert.equal(i.allocatedStorage, 20);
      assert.equal(i.maxAllocatedStorage, 100);
      assert.equal(i.publiclyAccessible, false);
      assert.equal(i.caCertIdentifier, "rds-ca-rsa2048-g1");
      assert.equal(i.iamDatabaseAuthenticationEnabled, true);
      assert.equal(i.copyTagsToSnapshot, true);
      assert.equal(i.autoMinorVersionUpgrade, true);
      assert.equal(i.performanceInsightsEnabled, true);
      assert.equal(i.performanceInsightsRetentionPeriod, 7);
      assert.equal(i.backupRetentionPeriod, 7);
      assert.deepEqual(i.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
      assert.equal(i.dbSubnetGroupName, b.one(T.subnetGroup).outputs.name);
      assert.deepEqual(inputsOf(b.one(T.subnetGroup)).subnetIds, DATA_STORE_BASE.subnetIds);
    });

    it("dev defaults: single-AZ, no deletion protection, no final snapshot", () => {
      const i = inputsOf(b.one(T.instance));
      assert.equal(i.multiAz, false);
      assert.equal(i.deletionProtection, false);
      assert.equal(i.skipFinalSnapshot, true);
      assert.equal(i.finalSnapshotIdentifier, undefined);
    });

    it("attaches a parameter group forcing TLS 1.2+ with pg_stat_statements", () => {
      const pg = b.one(T.parameterGroup);
      const p = inputsOf(pg);
      assert.equal(p.family, "postgres17");
      const params = Object.fromEntries(p.parameters.map((x: any) => [x.name, x.value]));
      assert.equal(params["rds.force_ssl"], "1");
      assert.equal(params.ssl_min_protocol_version, "TLSv1.2");
      assert.equal(params.shared_preload_libraries, "pg_stat_statements");
      assert.equal(params.log_min_duration_statement, "500");
      const spl = p.parameters.find((x: any) => x.name === "shared_preload_libraries");
      assert.equal(spl.applyMethod, "pending-reboot", "static parameter");
      assert.equal(inputsOf(b.one(T.instance)).parameterGroupName, pg.outputs.name);
    });

    it("security group admits 5432 only from the allowed groups (referenced groups, no CIDR)", () => {
      const sg = b.one(T.securityGroup);
      const sgIn = inputsOf(sg);
      assert.equal(sgIn.ingress, undefined, "no inline rules");
      assert.equal(sgIn.egress, undefined);
      assert.match(sgIn.description, /^[\x20-\x7e]+$/);
      assert.deepEqual(inputsOf(b.one(T.instance)).vpcSecurityGroupIds, [sg.id]);
      const rules = b.all(T.ingress).map(inputsOf);
      assert.equal(rules.length, 1);
      assert.deepEqual(
        rules.map((r) => [
          r.securityGroupId,
          r.referencedSecurityGroupId,
          r.ipProtocol,
          r.fromPort,
          r.toPort,
        ]),
        [[sg.id, "sg-0a11ce0000000001", "tcp", 5432, 5432]],
      );
      for (const r of rules) {
        assert.equal(r.cidrIpv4, undefined);
        assert.equal(r.cidrIpv6, undefined);
        assert.equal(r.prefixListId, undefined);
      }
    });

    it("generates the password with @pulumi/random (URL-safe) and passes it only as a secret", async () => {
      const pw = inputsOf(b.one(T.password));
      assert.equal(pw.special, false);
      assert.ok(pw.length >= 32);
      const instance = b.one(T.instance);
      assert.ok(isSecretInput(instance.inputs.password), "instance password is not a secret");
      for (const v of b.all(T.secretVersion))
        assert.ok(isSecretInput(v.inputs.secretString), `${v.name} not secret`);
      const plain = inputsOf(instance).password as string;
      assert.ok(plain.length >= 32);
      // Never in the component's registered outputs, nor in config.
      const registered = JSON.stringify(suite.session.byUrn(b.urn)!.outputs);
      assert.ok(!registered.includes(plain), "password leaked into the component outputs");
    });

    it("stores a URL secret with sslmode and a JSON credentials secret, recovery window 7", () => {
      const url = inputsOf(b.byName("db-dev-url-secret-version")).secretString as string;
      const address = b.one(T.instance).outputs.address as string;
      const plain = inputsOf(b.one(T.instance)).password as string;
      assert.equal(url, `postgres://meridian_admin:${plain}@${address}:5432/meridian?sslmode=verify-full`);
      assert.ok(!url.includes("sslrootcert"), "postgres.js would forward sslrootcert to the server");
      const creds = JSON.parse(inputsOf(b.byName("db-dev-credentials-secret-version")).secretString);
      assert.deepEqual(creds, {
        username: "meridian_admin",
        password: plain,
        engine: "postgres",
        host: address,
        port: 5432,
        dbname: "meridian",
      });
      const secrets = b.all(T.secret).map(inputsOf);
      assert.deepEqual(secrets.map((s) => s.name).sort(), [
        "db-dev/database/credentials",
        "db-dev/database/url",
      ]);
      for (const s of secrets) assert.equal(s.recoveryWindowInDays, 7);
      assert.equal(
        inputsOf(b.byName("db-dev-url-secret-version")).secretId,
        b.byName("db-dev-url-secret").id,
      );
    });

    it("creates no proxy and no role by default", () => {
      assert.equal(b.all(T.proxy).length, 0);
      assert.equal(b.all(T.role).length, 0);
    });

    it("tags every taggable resource and parents every child", () => {
      for (const r of b.children.filter((c) => c.custom)) {
        assert.equal(r.parent, b.urn, `${r.name} not a direct child`);
        const tags = inputsOf(r).tags;
        if (UNTAGGABLE.has(r.type)) continue;
        assert.ok(tags, `${r.name} (${r.type}) has no tags`);
        for (const [k, v] of Object.entries(TAGS)) assert.equal(tags[k], v, `${r.name} tag ${k}`);
        assert.equal(tags.Name, r.name);
      }
    });

    it("exposes outputs, posture and secret names", async () => {
      const d = b.db;
      const inst = b.one(T.instance);
      assert.equal(await promiseOf(d.address), inst.outputs.address);
      assert.equal(await promiseOf(d.instanceIdentifier), "db-dev");
      assert.equal(await promiseOf(d.instanceArn), "arn:aws:rds:us-east-1:123456789012:db:db-dev");
      assert.equal(await promiseOf(d.port), 5432);
      assert.equal(await promiseOf(d.securityGroupId), b.one(T.securityGroup).id);
      assert.equal(await promiseOf(d.connectionUrlSecretArn), b.byName("db-dev-url-secret").outputs.arn);
      assert.equal(
        await promiseOf(d.credentialsSecretArn),
        b.byName("db-dev-credentials-secret").outputs.arn,
      );
      assert.equal(d.proxyEndpoint, undefined);
      assert.deepEqual(d.posture, {
        engine: "postgres",
        version: "17.7",
        tlsRequired: true,
        clientVerification: "verify-full",
        encryptedAtRest: true,
        backupRetentionDays: 7,
        pointInTimeRecovery: true,
        deletionProtection: false,
        highAvailability: false,
      });
      assert.deepEqual(d.secretNames, ["db-dev/database/url", "db-dev/database/credentials"]);
      const registered = suite.session.byUrn(b.urn)!.outputs;
      for (const k of [
        "endpoint",
        "connectionUrlSecretArn",
        "credentialsSecretArn",
        "posture",
        "secretNames",
      ]) {
        assert.ok(k in registered, `registerOutputs lacks ${k}`);
      }
    });
  });

  it("secretRecoveryWindowDays 0 and transforms reach the children", async () => {
    const b = await build("db-tf", {
      secretRecoveryWindowDays: 0,
      finalSnapshot: true,
      transform: {
        instance: { monitoringInterval: 60 },
        secret: (args) => {
          args.description = "patched";
        },
      },
    });
    const i = inputsOf(b.one(T.instance));
    assert.equal(i.monitoringInterval, 60);
    assert.equal(i.engine, "postgres", "object form merges");
    assert.equal(i.skipFinalSnapshot, false);
    for (const s of b.all(T.secret).map(inputsOf)) {
      assert.equal(s.recoveryWindowInDays, 0);
      assert.equal(s.description, "patched");
    }
  });

  describe("validation (synchronous, before any resource)", () => {
    const throwsSync = (args: Partial<DatabaseModule.DatabaseArgs>, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Database("db-invalid", { ...DATA_STORE_BASE, ...args }), pattern);
      assert.equal(suite.session.resources.length, before, "a failed validation registered resources");
    };

    it("names the arg, the bad value and what is allowed", () => {
      throwsSync(
        { instanceClass: "t4g.micro" },
        /Database "db-invalid": instanceClass is "t4g\.micro"; allowed: .*"db\." prefix/,
      );
      throwsSync({ engineVersion: "15" as never }, /engineVersion is "15"; allowed: "16", "17"/);
      throwsSync({ engineFullVersion: "16.11" }, /engineFullVersion is "16\.11"; allowed: a "17\.<minor>"/);
      throwsSync({ backupRetentionDays: 3 }, /backupRetentionDays is 3; allowed: an integer from 7 to 35/);
      throwsSync({ backupRetentionDays: 36 }, /backupRetentionDays is 36/);
      throwsSync(
        { allocatedStorageGb: 100, maxAllocatedStorageGb: 100 },
        /maxAllocatedStorageGb is 100; allowed: greater than allocatedStorageGb \(100\)/,
      );
      throwsSync(
        { allocatedStorageGb: 10 },
        /allocatedStorageGb is 10; allowed: an integer from 20 to 65536/,
      );
      throwsSync(
        { allowedSecurityGroupIds: "sg-0a11ce0000000001" as never },
        /allowedSecurityGroupIds is "sg-0a11ce0000000001"; allowed: a list of security group ids/,
      );
      throwsSync(
        { allowedSecurityGroupIds: ["10.0.0.0/16"] },
        /allowedSecurityGroupIds contains "10\.0\.0\.0\/16"/,
      );
      throwsSync(
        { subnetIds: ["subnet-0aaaaaaaaaaaaaaa1"] },
        /subnetIds is \["subnet-0aaaaaaaaaaaaaaa1"\]; allowed: at least two/,
      );
      throwsSync({ masterUsername: "postgres" }, /masterUsername is "postgres"; allowed: any name but/);
      throwsSync({ masterUsername: "Admin!" }, /masterUsername is "Admin!"; allowed: 1-63 lowercase/);
      throwsSync(
        { secretRecoveryWindowDays: 3 },
        /secretRecoveryWindowDays is 3; allowed: 0 .* or an integer from 7 to 30/,
      );
      throwsSync({ sslMode: "disable" as never }, /sslMode is "disable"; allowed: "require", "verify-full"/);
      throwsSync(
        { maintenanceWindow: "sunday 4am" },
        /maintenanceWindow is "sunday 4am"; allowed: a UTC window/,
      );
      throwsSync({ tags: undefined as never }, /tags is undefined; allowed: a map of strings/);
    });
  });
});
