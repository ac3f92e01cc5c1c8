import { strict as assert } from "node:assert";
import { childrenOf, DATA_STORE_BASE, inputsOf, promiseOf } from "../../infra/offline/testing";
import { type Built, databaseSuite, T } from "./database.testkit";

const { suite, build } = databaseSuite();

describe("aws Database with RDS Proxy (mocks)", () => {
  describe("prod-like", () => {
    let b: Built;
    before(async () => {
      b = await build("db-prod", {
        engineVersion: "16",
        instanceClass: "db.m7g.large",
        allocatedStorageGb: 100,
        maxAllocatedStorageGb: 500,
        multiAz: true,
        deletionProtection: true,
        backupRetentionDays: 14,
        sslMode: "verify-full",
        allowedSecurityGroupIds: ["sg-0a11ce0000000001", "sg-0b0b000000000002"],
        kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        proxy: true,
      });
    });

    it("is Multi-AZ with deletion protection and a deterministic final snapshot", () => {
      const i = inputsOf(b.one(T.instance));
      assert.equal(i.multiAz, true);
      assert.equal(i.deletionProtection, true);
      assert.equal(i.skipFinalSnapshot, false);
      assert.equal(i.finalSnapshotIdentifier, "db-prod-final");
      assert.equal(i.deleteAutomatedBackups, false);
      assert.equal(i.backupRetentionPeriod, 14);
      assert.equal(i.engineVersion, "16.11");
      assert.equal(inputsOf(b.one(T.parameterGroup)).family, "postgres16");
      assert.equal(i.kmsKeyId, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
      assert.equal(i.performanceInsightsKmsKeyId, i.kmsKeyId);
      assert.equal(b.db.posture.highAvailability, true);
      assert.equal(b.db.posture.deletionProtection, true);
    });

    it("adds an RDS Proxy requiring TLS, reading the credentials secret, targeting the instance", () => {
      const p = inputsOf(b.one(T.proxy));
      assert.equal(p.engineFamily, "POSTGRESQL");
      assert.equal(p.requireTls, true);
      assert.equal(p.roleArn, b.one(T.role).outputs.arn);
      assert.deepEqual(p.vpcSubnetIds, DATA_STORE_BASE.subnetIds);
      assert.deepEqual(p.vpcSecurityGroupIds, [b.byName("db-prod-proxy-sg").id]);
      assert.equal(p.auths.length, 1);
      assert.equal(p.auths[0].authScheme, "SECRETS");
      assert.equal(p.auths[0].secretArn, b.byName("db-prod-credentials-secret").outputs.arn);
      const target = inputsOf(b.one(T.proxyTarget));
      assert.equal(target.dbInstanceIdentifier, "db-prod");
      assert.equal(target.targetGroupName, "default");
      assert.ok(
        b.one(T.proxy).dependencies.includes(b.one(T.rolePolicy).urn),
        "proxy before its permissions",
      );
    });

    it("gives the proxy role exactly secretsmanager:GetSecretValue on the credentials secret", () => {
      const trust = JSON.parse(inputsOf(b.one(T.role)).assumeRolePolicy);
      assert.deepEqual(trust.Statement[0].Principal, { Service: "rds.amazonaws.com" });
      assert.equal(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"], "123456789012");
      const doc = JSON.parse(inputsOf(b.one(T.rolePolicy)).policy);
      assert.equal(doc.Statement.length, 1);
      assert.equal(doc.Statement[0].Action, "secretsmanager:GetSecretValue");
      assert.equal(doc.Statement[0].Resource, b.byName("db-prod-credentials-secret").outputs.arn);
      assert.equal(b.db.identities.length, 1);
    });

    it("chains security groups: clients -> proxy -> database, database also admits the clients", () => {
      const dbSg = b.byName("db-prod-sg").id!;
      const proxySg = b.byName("db-prod-proxy-sg").id!;
      const rules = b.all(T.ingress).map(inputsOf);
      const into = (sg: string) =>
        rules
          .filter((r) => r.securityGroupId === sg)
          .map((r) => r.referencedSecurityGroupId)
          .sort();
      assert.deepEqual(into(dbSg), [proxySg, "sg-0b0b000000000002", "sg-0a11ce0000000001"].sort());
      assert.deepEqual(into(proxySg), ["sg-0a11ce0000000001", "sg-0b0b000000000002"]);
      for (const r of rules) assert.deepEqual([r.fromPort, r.toPort, r.ipProtocol], [5432, 5432, "tcp"]);
      const egress = inputsOf(b.one(T.egress));
      assert.deepEqual(
        [egress.securityGroupId, egress.referencedSecurityGroupId, egress.fromPort, egress.toPort],
        [proxySg, dbSg, 5432, 5432],
      );
    });

    it("allowFrom admits a client created later, to the instance and to the proxy", async () => {
      b.db.allowFrom("service", "sg-0c0c000000000003");
      await suite.session.settle();
      const rules = childrenOf(suite.session, b.urn)
        .filter((r) => r.type === T.ingress)
        .map(inputsOf)
        .filter((r) => r.referencedSecurityGroupId === "sg-0c0c000000000003");
      assert.deepEqual(
        rules.map((r) => r.securityGroupId).sort(),
        [b.byName("db-prod-sg").id, b.byName("db-prod-proxy-sg").id].sort(),
      );
      for (const r of rules) assert.deepEqual([r.fromPort, r.toPort], [5432, 5432]);
      const egress = childrenOf(suite.session, b.urn)
        .filter((r) => r.type === T.egress)
        .map(inputsOf)
        .filter((r) => r.securityGroupId === "sg-0c0c000000000003");
      assert.deepEqual(
        egress.map((r) => [r.referencedSecurityGroupId, r.fromPort, r.toPort]).sort(),
        [
          [b.byName("db-prod-sg").id, 5432, 5432],
          [b.byName("db-prod-proxy-sg").id, 5432, 5432],
        ].sort(),
      );
      assert.throws(
        () => b.db.allowFrom("Service Tasks", "sg-0c0c000000000003"),
        /allowFrom label "Service Tasks" is invalid/,
      );
    });

    it("points the URL secret at the proxy endpoint with the chosen sslmode", async () => {
      const url = inputsOf(b.byName("db-prod-url-secret-version")).secretString as string;
      const endpoint = b.one(T.proxy).outputs.endpoint as string;
      assert.match(
        url,
        new RegExp(`@${endpoint.replace(/\./g, "\\.")}:5432/meridian\\?sslmode=verify-full$`),
      );
      assert.equal(await promiseOf(b.db.proxyEndpoint!), endpoint);
      // The JSON credentials keep the instance address (for the proxy's target and admin access).
      const creds = JSON.parse(inputsOf(b.byName("db-prod-credentials-secret-version")).secretString);
      assert.equal(creds.host, b.one(T.instance).outputs.address);
    });

    it("no IAM statement has a wildcard action or resource", () => {
      for (const p of b.all(T.rolePolicy)) {
        for (const st of JSON.parse(inputsOf(p).policy).Statement) {
          for (const a of [st.Action].flat()) assert.ok(!String(a).includes("*"), `wildcard action ${a}`);
          for (const r of [st.Resource].flat()) assert.notEqual(r, "*");
        }
      }
    });
  });
});
