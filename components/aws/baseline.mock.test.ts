import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as BaselineKit from "./baselineKit";

const T = {
  key: "aws:kms/key:Key",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  trail: "aws:cloudtrail/trail:Trail",
  recorder: "aws:cfg/recorder:Recorder",
  channel: "aws:cfg/deliveryChannel:DeliveryChannel",
  status: "aws:cfg/recorderStatus:RecorderStatus",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  detector: "aws:guardduty/detector:Detector",
  analyzer: "aws:accessanalyzer/analyzer:Analyzer",
} as const;

const suite = componentSuite({
  load: async () => ({ baseline: await import("./baseline"), kit: await import("./baselineKit") }),
});

async function build(name: string, args: Partial<BaselineKit.AccountBaselineArgs> = {}) {
  return suite.capture(new suite.mod.baseline.AccountBaseline(name, { tags: TEST_TAGS, ...args }));
}

describe("aws AccountBaseline (mocks)", () => {
  it("CloudTrail: every region, global events, log file validation, the baseline's KMS key, after the bucket policy", async () => {
    const b = await build("bl");
    const trail = b.one(T.trail);
    const t = inputsOf(trail);
    assert.equal(t.isMultiRegionTrail, true);
    assert.equal(t.includeGlobalServiceEvents, true);
    assert.equal(t.enableLogFileValidation, true);
    assert.equal(t.enableLogging, true);
    assert.equal(t.kmsKeyId, b.one(T.key).outputs.arn);
    assert.equal(t.s3BucketName, b.one(T.bucket).id);
    assert.equal(t.name, "bl-trail");
    assert.ok(
      trail.dependencies.includes(b.one(T.bucketPolicy).urn),
      "the trail waits for the bucket policy",
    );
    assert.equal(t.tags.environment, TEST_TAGS.environment);
  });

  it("the log bucket is locked down: private, KMS, versioned, expiring, TLS-only, no deletes, writes only by this trail", async () => {
    const b = await build("bl-store", { retentionDays: 400 });
    assert.equal(inputsOf(b.one(T.key)).enableKeyRotation, true);
    const pab = inputsOf(b.one(T.pab));
    assert.ok(
      pab.blockPublicAcls && pab.blockPublicPolicy && pab.ignorePublicAcls && pab.restrictPublicBuckets,
    );
    assert.equal(inputsOf(b.one(T.versioning)).versioningConfiguration.status, "Enabled");
    const sse = inputsOf(b.one(T.encryption)).rules[0].applyServerSideEncryptionByDefault;
    assert.deepEqual(sse, { sseAlgorithm: "aws:kms", kmsMasterKeyId: b.one(T.key).outputs.arn });
    assert.equal(inputsOf(b.one(T.lifecycle)).rules[0].expiration.days, 400);
    const policy = JSON.parse(inputsOf(b.one(T.bucketPolicy)).policy);
    const sids = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    const trailArn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/bl-store-trail";
    assert.equal(sids.CloudTrailWrite.Condition.StringEquals["aws:SourceArn"], trailArn);
    assert.equal(sids.CloudTrailWrite.Condition.StringEquals["s3:x-amz-acl"], "bucket-owner-full-control");
    assert.match(sids.CloudTrailWrite.Resource, /\/AWSLogs\/123456789012\/\*$/);
    assert.equal(sids.CloudTrailAclCheck.Action, "s3:GetBucketAcl");
    assert.deepEqual(sids.DenyLogDeletion.Action, ["s3:DeleteObject", "s3:DeleteObjectVersion"]);
    assert.equal(sids.DenyLogDeletion.Effect, "Deny");
    assert.equal(sids.DenyInsecureTransport.Condition.Bool["aws:SecureTransport"], "false");
    const keyPolicy = JSON.parse(inputsOf(b.one(T.key)).policy);
    const ct = keyPolicy.Statement.find((s: { Sid: string }) => s.Sid === "CloudTrailEncryptsThisTrail");
    assert.equal(ct.Condition.StringEquals["aws:SourceArn"], trailArn);
    assert.equal(
      ct.Condition.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"],
      "arn:aws:cloudtrail:*:123456789012:trail/*",
    );
  });

  it("AWS Config: recorder of all types with its own role, delivery to config/ with the key, recorder on", async () => {
    const b = await build("bl-cfg", { configRecordingFrequency: "DAILY" });
    const rec = inputsOf(b.one(T.recorder));
    assert.deepEqual(rec.recordingGroup, { allSupported: true, includeGlobalResourceTypes: true });
    assert.equal(rec.recordingMode.recordingFrequency, "DAILY");
    assert.equal(rec.roleArn, b.one(T.role).outputs.arn);
    const ch = inputsOf(b.one(T.channel));
    assert.equal(ch.s3KeyPrefix, "config");
    assert.equal(ch.s3KmsKeyArn, b.one(T.key).outputs.arn);
    assert.equal(inputsOf(b.one(T.status)).isEnabled, true);
    const trust = JSON.parse(inputsOf(b.one(T.role)).assumeRolePolicy);
    assert.deepEqual(trust.Statement[0].Principal, { Service: "config.amazonaws.com" });
    assert.equal(
      inputsOf(b.one(T.attachment)).policyArn,
      "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
    );
    const inline = JSON.parse(inputsOf(b.one(T.rolePolicy)).policy);
    assert.deepEqual(
      inline.Statement.map((s: { Action: string | string[] }) => s.Action),
      ["s3:PutObject", "s3:GetBucketAcl", ["kms:GenerateDataKey", "kms:Decrypt"]],
    );
    const ids = await promiseOf(pulumi.output(b.component.identities));
    assert.match(ids[0].permissions.at(-1)!, /AWS_ConfigRole: AWS's description: read-only/);
  });

  it("GuardDuty detector and an ACCOUNT access analyzer; posture; tags", async () => {
    const b = await build("bl-det", { findingPublishingFrequency: "ONE_HOUR" });
    const d = inputsOf(b.one(T.detector));
    assert.equal(d.enable, true);
    assert.equal(d.findingPublishingFrequency, "ONE_HOUR");
    assert.equal(inputsOf(b.one(T.analyzer)).type, "ACCOUNT");
    const p = b.component.posture;
    assert.equal(p.cloudTrail.retentionDays, 365);
    assert.equal(await promiseOf(p.cloudTrail.name), "bl-det-trail");
    assert.match(await promiseOf(p.config.destination), /^s3:\/\/.+\/config\/$/);
    const grants = await promiseOf(pulumi.output(b.component.resourcePolicies[0].grants));
    assert.ok(
      grants.some((g) => /^Deny \* s3:DeleteObject,s3:DeleteObjectVersion/.test(g)),
      grants.join("\n"),
    );
    for (const type of [T.key, T.bucket, T.trail, T.role, T.detector, T.analyzer]) {
      assert.equal(inputsOf(b.one(type)).tags["cost-center"], TEST_TAGS["cost-center"], type);
    }
  });

  it("validation names the arg, the bad value and what is allowed", () => {
    const bad = (args: object, re: RegExp) =>
      assert.throws(() => new suite.mod.baseline.AccountBaseline("bl-bad", { tags: TEST_TAGS, ...args }), re);
    bad(
      { retentionDays: 30 },
      /AccountBaseline "bl-bad": retentionDays is 30; allowed: an integer from 90 to 36500/,
    );
    bad(
      { findingPublishingFrequency: "DAILY" },
      /findingPublishingFrequency is "DAILY"; allowed: "FIFTEEN_MINUTES"/,
    );
    bad(
      { configRecordingFrequency: "HOURLY" },
      /configRecordingFrequency is "HOURLY"; allowed: "CONTINUOUS", "DAILY"/,
    );
    bad({ transform: 3 }, /transform is 3; allowed: an object of per-child transforms/);
  });

  it("transform patches a child", async () => {
    const b = await build("bl-tf", { transform: { detector: { findingPublishingFrequency: "SIX_HOURS" } } });
    assert.equal(inputsOf(b.one(T.detector)).findingPublishingFrequency, "SIX_HOURS");
  });
});
