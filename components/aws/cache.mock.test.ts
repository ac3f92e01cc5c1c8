import { strict as assert } from "node:assert";
import {
  childrenOf,
  componentSuite,
  DATA_STORE_BASE,
  inputsOf,
  isSecretInput,
  promiseOf,
  TEST_TAGS,
} from "../../infra/offline/testing";
import type * as CacheModule from "./cache";

const T = {
  group: "aws:elasticache/replicationGroup:ReplicationGroup",
  subnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  token: "random:index/randomPassword:RandomPassword",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;
const UNTAGGABLE = new Set<string>([T.token, T.secretVersion]);

const TAGS = TEST_TAGS;

const suite = componentSuite({ load: () => import("./cache") });

async function build(name: string, args: Partial<CacheModule.CacheArgs> = {}) {
  const c = await suite.capture(new suite.mod.Cache(name, { ...DATA_STORE_BASE, ...args }));
  return { ...c, cache: c.component };
}
type Built = Awaited<ReturnType<typeof build>>;

describe("aws Cache (mocks)", () => {
  describe("defaults (dev: one node)", () => {
    let b: Built;
    before(async () => {
      b = await build("cache-dev");
    });

    it("creates a Valkey replication group, cluster mode off, one node, no failover", () => {
      const g = inputsOf(b.one(T.group));
      assert.equal(g.replicationGroupId, "cache-dev");
      assert.equal(g.engine, "valkey");
      assert.equal(g.engineVersion, "8.0");
      assert.equal(g.clusterMode, "disabled");
      assert.equal(g.numCacheClusters, 1);
      assert.equal(g.automaticFailoverEnabled, false);
      assert.equal(g.multiAzEnabled, false);
      assert.equal(g.port, 6379);
      assert.equal(g.subnetGroupName, b.one(T.subnetGroup).outputs.name);
      assert.deepEqual(inputsOf(b.one(T.subnetGroup)).subnetIds, DATA_STORE_BASE.subnetIds);
    });

    it("requires TLS in transit, encrypts at rest and uses an AUTH token only as a secret", () => {
      const group = b.one(T.group);
      const g = inputsOf(group);
      assert.equal(g.transitEncryptionEnabled, true);
      assert.equal(g.transitEncryptionMode, "required");
      assert.equal(g.atRestEncryptionEnabled, true);
      assert.ok(isSecretInput(group.inputs.authToken), "authToken is not a secret");
      const tok = inputsOf(b.one(T.token));
      assert.equal(tok.special, false, 'no @, " or / in the token');
      assert.ok(tok.length >= 16 && tok.length <= 128);
      assert.match(g.authToken, /^[A-Za-z0-9]{16,128}$/);
      const registered = JSON.stringify(suite.session.byUrn(b.urn)!.outputs);
      assert.ok(!registered.includes(g.authToken), "token leaked into the component outputs");
    });

    it("stores a rediss:// URL secret and the token secret", () => {
      const g = inputsOf(b.one(T.group));
      const host = b.one(T.group).outputs.primaryEndpointAddress as string;
      const url = b.byName("cache-dev-url-secret-version");
      assert.ok(isSecretInput(url.inputs.secretString));
      assert.equal(inputsOf(url).secretString, `rediss://:${g.authToken}@${host}:6379`);
      assert.equal(inputsOf(b.byName("cache-dev-auth-secret-version")).secretString, g.authToken);
      assert.deepEqual(b.cache.secretNames, ["cache-dev/cache/url", "cache-dev/cache/auth-token"]);
      for (const s of b.all(T.secret)) assert.equal(inputsOf(s).recoveryWindowInDays, 7);
    });

    it("admits 6379 only from the allowed groups", () => {
      const sg = b.one(T.securityGroup);
      assert.equal(inputsOf(sg).ingress, undefined);
      assert.deepEqual(inputsOf(b.one(T.group)).securityGroupIds, [sg.id]);
      const rules = b.all(T.ingress).map(inputsOf);
      assert.deepEqual(
        rules.map((r) => [r.securityGroupId, r.referencedSecurityGroupId, r.fromPort, r.toPort, r.cidrIpv4]),
        [[sg.id, "sg-0a11ce0000000001", 6379, 6379, undefined]],
      );
    });

    it("allowFrom admits a client created after the cache", async () => {
      b.cache.allowFrom("service", "sg-0c0c000000000003");
      await suite.session.settle();
      const sg = b.one(T.securityGroup);
      const rule = childrenOf(suite.session, b.urn)
        .filter((r) => r.type === T.ingress)
        .map(inputsOf)
        .find((r) => r.referencedSecurityGroupId === "sg-0c0c000000000003");
      assert.ok(rule, "no rule for the later client");
      assert.deepEqual([rule.securityGroupId, rule.fromPort, rule.toPort], [sg.id, 6379, 6379]);
      const egress = childrenOf(suite.session, b.urn)
        .filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        .map(inputsOf);
      assert.deepEqual(
        egress.map((r) => [r.securityGroupId, r.referencedSecurityGroupId, r.fromPort, r.toPort]),
        [["sg-0c0c000000000003", sg.id, 6379, 6379]],
      );
    });

    it("delivers the slow log to a log group with retention", () => {
      const lg = b.one(T.logGroup);
      assert.equal(inputsOf(lg).name, "/meridian/cache-dev/cache-slow-log");
      assert.equal(inputsOf(lg).retentionInDays, 30);
      assert.deepEqual(inputsOf(b.one(T.group)).logDeliveryConfigurations, [
        {
          destination: lg.outputs.name,
          destinationType: "cloudwatch-logs",
          logFormat: "json",
          logType: "slow-log",
        },
      ]);
      assert.deepEqual(b.cache.logRetention, { "/meridian/cache-dev/cache-slow-log": 30 });
    });

    it("tags every taggable resource, exposes outputs and posture", async () => {
      for (const r of b.children.filter((c) => c.custom)) {
        assert.equal(r.parent, b.urn);
        if (UNTAGGABLE.has(r.type)) continue;
        const tags = inputsOf(r).tags;
        assert.ok(tags, `${r.name} has no tags`);
        for (const [k, v] of Object.entries(TAGS)) assert.equal(tags[k], v);
        assert.equal(tags.Name, r.name);
      }
      assert.equal(await promiseOf(b.cache.primaryEndpoint), b.one(T.group).outputs.primaryEndpointAddress);
      assert.equal(await promiseOf(b.cache.port), 6379);
      assert.equal(await promiseOf(b.cache.replicationGroupId), "cache-dev");
      assert.equal(await promiseOf(b.cache.urlSecretArn), b.byName("cache-dev-url-secret").outputs.arn);
      assert.equal(await promiseOf(b.cache.authSecretArn), b.byName("cache-dev-auth-secret").outputs.arn);
      assert.deepEqual(b.cache.posture, { tls: true, auth: true, encryptedAtRest: true });
      assert.deepEqual(b.cache.memberClusters, ["cache-dev-001"]);
      assert.ok("memberClusters" in suite.session.byUrn(b.urn)!.outputs);
    });
  });

  it("prod: a replica turns on automatic failover and Multi-AZ, and two member clusters", async () => {
    const b = await build("cache-prod", {
      replicas: 1,
      nodeType: "cache.t4g.small",
      engine: "redis",
      snapshotRetentionDays: 7,
    });
    const g = inputsOf(b.one(T.group));
    assert.equal(g.numCacheClusters, 2);
    assert.equal(g.automaticFailoverEnabled, true);
    assert.equal(g.multiAzEnabled, true);
    assert.equal(g.engine, "redis");
    assert.equal(g.engineVersion, "7.1");
    assert.equal(g.snapshotRetentionLimit, 7);
    assert.deepEqual(b.cache.memberClusters, ["cache-prod-001", "cache-prod-002"]);
  });

  describe("validation", () => {
    const throwsSync = (args: Partial<CacheModule.CacheArgs>, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Cache("cache-invalid", { ...DATA_STORE_BASE, ...args }), pattern);
      assert.equal(suite.session.resources.length, before);
    };

    it("failover and Multi-AZ need a replica", () => {
      throwsSync(
        { automaticFailover: true },
        /Cache "cache-invalid": automaticFailover is true with replicas 0; allowed: automaticFailover only with replicas >= 1/,
      );
      throwsSync(
        { multiAz: true },
        /multiAz is true with automaticFailover false; allowed: multiAz only with automaticFailover/,
      );
      throwsSync(
        { replicas: 1, automaticFailover: false, multiAz: true },
        /multiAz is true with automaticFailover false/,
      );
    });

    it("names the arg, the bad value and what is allowed", () => {
      throwsSync({ engine: "memcached" as never }, /engine is "memcached"; allowed: "valkey", "redis"/);
      throwsSync(
        { engineVersion: "6.2" },
        /engineVersion is "6\.2" for engine "valkey"; allowed: "7\.2", "8\.0", "8\.1"/,
      );
      throwsSync(
        { engine: "redis", engineVersion: "8.0" },
        /engineVersion is "8\.0" for engine "redis"; allowed: "7\.1"/,
      );
      throwsSync({ nodeType: "t4g.micro" }, /nodeType is "t4g\.micro"; allowed: .*"cache\." prefix/);
      throwsSync({ replicas: 6 }, /replicas is 6; allowed: an integer from 0 to 5/);
      throwsSync(
        { snapshotRetentionDays: 40 },
        /snapshotRetentionDays is 40; allowed: an integer from 0 to 35/,
      );
      throwsSync({ slowLogRetentionDays: 10 }, /slowLogRetentionDays is 10; allowed \(CloudWatch Logs\)/);
      throwsSync(
        { allowedSecurityGroupIds: ["0.0.0.0/0"] },
        /allowedSecurityGroupIds contains "0\.0\.0\.0\/0"; allowed: security group ids/,
      );
      throwsSync(
        { maintenanceWindow: "05:00-06:00" },
        /maintenanceWindow is "05:00-06:00"; allowed: a UTC window "ddd/,
      );
    });
  });
});
