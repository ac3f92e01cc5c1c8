/**
 * The posture document's cross-component sections (issue #13) on the AWS stacks as a reviewer previews
 * them: encryption with key kinds, TLS per hop (dev's plain-HTTP origin says `http`), backups of every data
 * store, resource policies read from the real documents, WAF log retention, restore testing in prod, and
 * the opt-in account baseline (`meridian:accountBaseline=true`) with 0 mandatory policy violations.
 */
import { strict as assert } from "node:assert";
import { Doc, graph, stackDoc } from "./test/stackGraphs";

describe("posture completeness (AWS)", function () {
  this.timeout(180_000);

  it("dev: the ALB served over plain HTTP says http, on the endpoint and the CDN-to-origin hop", () => {
    const p = graph("dev", "aws").outputs.posture;
    const alb = p.publicEndpoints.find((e: Doc) => e.kind === "alb");
    assert.equal(alb.tls, "http");
    const hops = Object.fromEntries(p.tlsHops.map((h: Doc) => [h.hop, h]));
    assert.deepEqual(Object.keys(hops), [
      "viewer",
      "cdn-to-origin",
      "lb-to-task",
      "app-to-database",
      "app-to-cache",
    ]);
    assert.equal(hops["cdn-to-origin"].protocol, "http");
    assert.equal(hops["cdn-to-origin"].minVersion, null);
    assert.equal(hops.viewer.minVersion, "TLSv1", "dev: CloudFront's default certificate allows TLS 1.0");
    assert.equal(p.restoreTesting, null);
    assert.equal(p.accountBaseline, null);
    assert.ok(p.confirmOnDeployment.some((s: string) => /meridian:accountBaseline is off/.test(s)));
  });

  it("prod: encryption per store with key kind, TLS versions per hop, backups of every store, WAF logs", () => {
    const p = graph("prod", "aws").outputs.posture;
    const enc = Object.fromEntries(p.encryption.map((e: Doc) => [e.store, e.key]));
    assert.equal(enc["rds:meridian-prod-db"], "aws-managed");
    assert.equal(enc["secretsmanager:*"], "aws-managed");
    assert.equal(enc["s3:meridian-prod-api-alb-logs"], "sse-s3");
    assert.equal(enc["sns:meridian-prod-obs-alarms"], "customer-managed");
    assert.equal(enc["backup-vault:meridian-prod-backup-vault"], "customer-managed");
    assert.ok(p.encryption.every((e: Doc) => e.encrypted === true));
    const hops = Object.fromEntries(p.tlsHops.map((h: Doc) => [h.hop, h]));
    assert.equal(hops.viewer.minVersion, "TLSv1.2");
    assert.equal(hops["cdn-to-origin"].protocol, "https");
    assert.match(hops["cdn-to-origin"].policy, /ELBSecurityPolicy-TLS13-1-2-2021-06/);
    assert.equal(hops["app-to-database"].minVersion, "TLSv1.2");
    const backups = p.dataStoreBackups.map((b: Doc) => `${b.store} ${b.kind} ${b.retentionDays}`);
    assert.ok(backups.includes("rds:meridian-prod-db backup-vault 35"), backups.join("\n"));
    assert.ok(backups.includes("elasticache:meridian-prod-cache snapshots 7"), backups.join("\n"));
    assert.ok(backups.includes("s3:meridian-prod-cdn-assets object-versioning 30"), backups.join("\n"));
    assert.equal(p.logRetentionDays["aws-waf-logs-meridian-prod-edge-waf"], 90);
    assert.equal(p.logRetentionDays["aws-waf-logs-meridian-prod-alb-waf"], 90);
  });

  it("prod: resource policies from the deployed documents (OAC reads, TLS-only) and managed policies in words", () => {
    const p = graph("prod", "aws").outputs.posture;
    const assets = p.resourcePolicies.find((r: Doc) => r.resource === "s3:meridian-prod-cdn-assets");
    assert.match(
      assets.grants[0],
      /^Allow Service:cloudfront\.amazonaws\.com s3:GetObject on .*AWS:SourceArn/,
    );
    assert.match(assets.grants[1], /^Deny \* s3:\* .*aws:SecureTransport/);
    const topicKey = p.resourcePolicies.find(
      (r: Doc) =>
        r.kind === "key-policy" && r.grants.some((g: string) => /cloudwatch\.amazonaws\.com/.test(g)),
    );
    assert.ok(topicKey, "the alarm topic's key policy");
    for (const duty of ["backup", "restore"]) {
      const role = p.identities.find((i: Doc) => i.name.startsWith(`meridian-prod-backup-${duty}-role`));
      const lines: string[] = role.permissions;
      const db = "arn:aws:rds:us-east-1:123456789012:db:meridian-prod-db";
      assert.match(lines[0], /^duty: /);
      assert.ok(lines.includes(`DENY rds:DeleteDBInstance on ${db}`), lines.join("\n"));
      const managed = lines.filter((l) => l.startsWith("managed policy "));
      assert.equal(managed.length, 1, lines.join("\n"));
      assert.match(managed[0], /: AWS's description: /);
    }
  });

  it("prod: a weekly restore test of the database, validated and deleted after the window", () => {
    const doc = graph("prod", "aws");
    const rt = doc.outputs.posture.restoreTesting;
    assert.equal(rt.planName, "meridian_prod_backup_restore_test");
    assert.equal(rt.validationWindowHours, 4);
    const sel = doc.resources.find(
      (r: Doc) => r.type === "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    );
    assert.equal(sel.inputs.protectedResourceType, "RDS");
  });

  it("prod with meridian:accountBaseline=true: the baseline in posture, 0 mandatory violations", () => {
    const doc = stackDoc("prod", "aws", ["meridian:accountBaseline=true"]);
    assert.equal(doc.policy.mandatory, 0, JSON.stringify(doc.policy.findings, null, 1));
    const b = doc.outputs.posture.accountBaseline;
    assert.equal(b.cloudTrail.multiRegion, true);
    assert.equal(b.cloudTrail.logFileValidation, true);
    assert.equal(b.cloudTrail.encryption, "customer-managed KMS key");
    assert.equal(b.accessAnalyzer.type, "ACCOUNT");
    for (const type of [
      "aws:cloudtrail/trail:Trail",
      "aws:guardduty/detector:Detector",
      "aws:cfg/recorder:Recorder",
      "aws:cfg/deliveryChannel:DeliveryChannel",
      "aws:cfg/recorderStatus:RecorderStatus",
      "aws:accessanalyzer/analyzer:Analyzer",
    ]) {
      assert.equal(doc.resources.filter((x: Doc) => x.type === type).length, 1, type);
    }
    assert.equal(doc.outputs.posture.logRetentionDays["s3:meridian-prod-baseline-audit-logs"], 365);
    assert.ok(doc.outputs.posture.identities.some((i: Doc) => /baseline-config-role/.test(i.name)));
  });
});
