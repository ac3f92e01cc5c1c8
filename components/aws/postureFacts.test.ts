import { strict as assert } from "node:assert";
import { describePolicyDocument } from "./policyWords";
import {
  AwsPostureInput,
  backupFacts,
  confirmOnDeploymentFacts,
  encryptionFacts,
  minOfCloudFrontPolicy,
  tlsHopFacts,
} from "./postureFacts";

const INPUT: AwsPostureInput = {
  database: { name: "db", backupRetentionDays: 14, proxy: true },
  cache: { name: "cache", snapshotRetentionDays: 0 },
  assetsBucket: { name: "assets", noncurrentVersionDays: 30 },
  albLogsBucket: { name: "alb-logs", retentionDays: 90 },
  logGroups: [{ name: "/svc" }, { name: "/flow", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" }],
  alarmTopic: { name: "alarms" },
  registry: { name: "api", encryption: "AES256" },
  viewer: { securityPolicy: "TLSv1.2_2021" },
  origin: {
    protocol: "https-only",
    sslProtocols: ["TLSv1.2"],
    albPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  },
  lbToTask: "HTTP",
  databaseTls: { minVersion: "TLSv1.2", clientVerification: "verify-full" },
};

describe("aws posture facts", () => {
  it("encryption: key kind per store; a given key makes it customer managed", () => {
    const e = Object.fromEntries(encryptionFacts(INPUT).map((f) => [f.store, f]));
    assert.equal(e["rds:db"].key, "aws-managed");
    assert.equal(e["elasticache:cache"].key, "aws-owned");
    assert.equal(e["s3:assets"].key, "sse-s3");
    assert.equal(e["logs:/svc"].key, "aws-owned");
    assert.deepEqual(e["logs:/flow"], {
      store: "logs:/flow",
      encrypted: true,
      key: "customer-managed",
      keyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
    });
    assert.equal(e["backup-vault:v"], undefined, "no vault, no entry");
    const withVault = encryptionFacts({
      ...INPUT,
      backupVault: { name: "v", keyArn: "k", retentionDays: 35 },
    });
    assert.equal(withVault.at(-1)!.key, "customer-managed");
  });

  it("TLS hops: versions, and http (not a TLS word) when CloudFront reaches the ALB over HTTP", () => {
    const https = tlsHopFacts(INPUT);
    assert.deepEqual(
      https.map((h) => [h.hop, h.protocol, h.minVersion]),
      [
        ["viewer", "https", "TLSv1.2"],
        ["cdn-to-origin", "https", "TLSv1.2"],
        ["lb-to-task", "http", null],
        ["app-to-database", "tls", "TLSv1.2"],
        ["app-to-cache", "tls", "TLSv1.2"],
      ],
    );
    assert.match(https[3].policy!, /RDS Proxy requireTls/);
    const http = tlsHopFacts({ ...INPUT, origin: { protocol: "http-only", sslProtocols: ["TLSv1.2"] } });
    assert.equal(http[1].protocol, "http");
    assert.equal(http[1].minVersion, null);
    assert.equal(minOfCloudFrontPolicy("TLSv1"), "TLSv1");
    assert.equal(minOfCloudFrontPolicy("TLSv1.2_2021"), "TLSv1.2");
  });

  it("backups: database, cache (none when 0 days), bucket versions; the vault only when there is one", () => {
    const b = backupFacts(INPUT).map((f) => `${f.store} ${f.kind} ${f.retentionDays}`);
    assert.deepEqual(b, [
      "rds:db automated-snapshots+pitr 14",
      "elasticache:cache none 0",
      "s3:assets object-versioning 30",
      "s3:alb-logs object-versioning 7",
    ]);
    const v = backupFacts({
      ...INPUT,
      cache: { name: "cache", snapshotRetentionDays: 7 },
      backupVault: { name: "v", retentionDays: 35 },
    });
    assert.ok(v.some((f) => f.kind === "backup-vault" && f.retentionDays === 35));
    assert.ok(v.some((f) => f.kind === "snapshots" && f.retentionDays === 7));
  });

  it("confirm on deployment: names the restore tests and the baseline when they exist", () => {
    assert.ok(
      confirmOnDeploymentFacts({ backupVault: true, accountBaseline: false }).some((s) =>
        /restore-test\.md/.test(s),
      ),
    );
    assert.ok(
      confirmOnDeploymentFacts({ backupVault: false, accountBaseline: false }).some((s) =>
        /accountBaseline is off/.test(s),
      ),
    );
    assert.ok(
      !confirmOnDeploymentFacts({ backupVault: false, accountBaseline: true }).some((s) => /is off/.test(s)),
    );
  });

  it("without a cache (meridian:cacheEnabled=false) no fact names ElastiCache", () => {
    const noCache: AwsPostureInput = { ...INPUT, cache: undefined };
    const facts = [
      ...encryptionFacts(noCache).map((f) => f.store),
      ...tlsHopFacts(noCache).map((h) => h.hop),
      ...backupFacts(noCache).map((b) => b.store),
      ...confirmOnDeploymentFacts({ backupVault: false, accountBaseline: false, cache: false }),
    ].join("\n");
    assert.doesNotMatch(facts, /elasticache|app-to-cache/i);
    assert.equal(encryptionFacts(noCache).length, encryptionFacts(INPUT).length - 1);
    assert.match(
      confirmOnDeploymentFacts({ backupVault: false, accountBaseline: false }).join("\n"),
      /ElastiCache's minimum TLS version/,
      "a cache unless told otherwise",
    );
  });

  it("policy documents in words: principals, actions, resources, conditions, NotAction", () => {
    const lines = describePolicyDocument(
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: ["a.amazonaws.com", "b.amazonaws.com"] },
            Action: "s3:GetObject",
            Resource: "arn:x/*",
          },
          {
            Effect: "Deny",
            Principal: "*",
            NotAction: ["s3:GetObject"],
            Resource: ["r1", "r2"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    );
    assert.deepEqual(lines, [
      "Allow Service:a.amazonaws.com,Service:b.amazonaws.com s3:GetObject on arn:x/*",
      'Deny * NOT s3:GetObject on r1,r2 if {"Bool":{"aws:SecureTransport":"false"}}',
    ]);
    assert.deepEqual(
      describePolicyDocument(
        JSON.stringify({ Statement: { Effect: "Allow", Action: "kms:*", Resource: "*" } }),
      ),
      ["Allow (no principal: identity policy) kms:* on *"],
    );
  });
});
