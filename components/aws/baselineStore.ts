/**
 * The account baseline's audit log store: one customer managed KMS key (yearly rotation) and one private
 * bucket that CloudTrail and AWS Config write to, and nobody may delete from.
 *
 * Key policy (AWS CloudTrail User Guide, "Configure AWS KMS key policies for CloudTrail"; AWS Config
 * Developer Guide, "Permissions for the KMS key"; read 2026-11-30): the account administers the key through
 * IAM (the default statement); CloudTrail may generate data keys only for trails of this account
 * (`kms:EncryptionContext:aws:cloudtrail:arn`) and only for this trail (`aws:SourceArn`); the Config role
 * uses it through its own IAM policy.
 *
 * Bucket policy (CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail"): CloudTrail reads the
 * bucket ACL and writes under `AWSLogs/<account>/` with `bucket-owner-full-control`, both only for this
 * trail's ARN; every request must use TLS; object deletion is denied to every principal (expiry is done by
 * the lifecycle rule, which a bucket policy does not block), so a compromised admin must first change
 * the policy, which CloudTrail records.
 *
 * Cost: KMS key $1/month plus $0.03 per 10,000 requests (the S3 Bucket Key keeps these low); S3 Standard
 * $0.023/GB-month (aws.amazon.com/kms/pricing, aws.amazon.com/s3/pricing, us-east-1, read 2026-11-30).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { createPrivateBucket, denyInsecureTransport } from "./bucket";
import type { BaselineKit } from "./baselineKit";

export interface AuditLogStore {
  key: aws.kms.Key;
  bucket: aws.s3.Bucket;
  policy: aws.s3.BucketPolicy;
}

/** The trail's ARN, known before the trail exists (the key and bucket policies name it). */
export function trailArn(kit: BaselineKit): pulumi.Output<string> {
  const { partition, region, account } = kit.env;
  return pulumi.interpolate`arn:${partition}:cloudtrail:${region}:${account}:trail/${kit.s.trailName}`;
}

/** Creates the key, the bucket and its policy. */
export function createAuditLogStore(kit: BaselineKit): AuditLogStore {
  const { partition, account } = kit.env;
  const trail = trailArn(kit);
  const n = `${kit.name}-audit-logs`;
  const key = new aws.kms.Key(
    ...applyTransform(
      kit.t.key,
      `${n}-key`,
      {
        description: asciiDescription(`Encrypts the CloudTrail and AWS Config logs of ${kit.name}`),
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AccountAdministersThroughIam",
              Effect: "Allow",
              Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
              Action: "kms:*",
              Resource: "*",
            },
            {
              Sid: "CloudTrailEncryptsThisTrail",
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "kms:GenerateDataKey*",
              Resource: "*",
              Condition: {
                StringEquals: { "aws:SourceArn": trail },
                StringLike: {
                  "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${partition}:cloudtrail:*:${account}:trail/*`,
                },
              },
            },
            {
              Sid: "CloudTrailDescribesKey",
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "kms:DescribeKey",
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceArn": trail } },
            },
          ],
        }),
        tags: kit.tagsFor(`${n}-key`),
      },
      kit.childOpts(),
    ),
  );
  const { bucket, publicAccessBlock } = createPrivateBucket(kit, {
    name: n,
    encryption: { kmsKeyArn: key.arn },
    lifecycleRules: [
      {
        id: "expire-audit-logs",
        status: "Enabled",
        filter: {},
        expiration: { days: kit.s.retentionDays },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ],
    transform: { bucket: kit.t.bucket },
  });
  const policy = new aws.s3.BucketPolicy(
    ...applyTransform(
      kit.t.bucketPolicy,
      `${n}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "CloudTrailAclCheck",
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "s3:GetBucketAcl",
              Resource: bucket.arn,
              Condition: { StringEquals: { "aws:SourceArn": trail } },
            },
            {
              Sid: "CloudTrailWrite",
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${account}/*`,
              Condition: {
                StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail },
              },
            },
            {
              Sid: "DenyLogDeletion",
              Effect: "Deny",
              Principal: "*",
              Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
              Resource: pulumi.interpolate`${bucket.arn}/*`,
            },
            denyInsecureTransport(bucket.arn),
          ],
        }),
      },
      // S3 rejects a policy while the public access block is being applied.
      kit.childOpts({ dependsOn: [publicAccessBlock] }),
    ),
  );
  return { key, bucket, policy };
}
