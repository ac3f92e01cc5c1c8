/**
 * The AWS CDN's assets bucket (components/aws/cdn.ts): private (`./bucket`: Block Public Access, owner
 * enforced, encrypted, versioned), noncurrent versions expired after `noncurrentVersionDays`, incomplete
 * multipart uploads aborted after 7 days; and its bucket policy: only this distribution reads (Origin
 * Access Control, `AWS:SourceArn`), nothing without TLS.
 *
 * Cost: S3 Standard $0.023/GB-month for every kept version, plus requests.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { createPrivateBucket, denyInsecureTransport, PrivateBucket } from "./bucket";
import type { CdnKit, CdnSettings } from "./cdnArgs";

/** Creates the bucket `<name>-assets` and its settings resources. */
export function createAssetsBucket(kit: CdnKit, s: CdnSettings): PrivateBucket {
  return createPrivateBucket(kit, {
    name: `${kit.name}-assets`,
    // A prefix (the provider appends a unique suffix): bucket names are global across all accounts.
    bucketPrefix: `${physicalName("aws:s3", kit.name, "assets").slice(0, 36).replace(/-+$/, "")}-`,
    encryption: s.encryption,
    lifecycleRules: [
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: s.noncurrentVersionDays },
      },
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ],
    transform: kit.transform,
  });
}

/** Creates `<name>-assets-policy`: `distribution` may read objects; every non-TLS request is denied. */
export function createAssetsBucketPolicy(
  kit: CdnKit,
  { bucket, publicAccessBlock }: PrivateBucket,
  distribution: aws.cloudfront.Distribution,
): aws.s3.BucketPolicy {
  return new aws.s3.BucketPolicy(
    ...applyTransform(
      kit.transform.bucketPolicy,
      `${kit.name}-assets-policy`,
      {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AllowCloudFrontRead",
              Effect: "Allow",
              Principal: { Service: "cloudfront.amazonaws.com" },
              Action: "s3:GetObject",
              Resource: pulumi.interpolate`${bucket.arn}/*`,
              Condition: { StringEquals: { "AWS:SourceArn": distribution.arn } },
            },
            denyInsecureTransport(bucket.arn),
          ],
        }),
      },
      // S3 rejects a policy while Block Public Access is being set; order them.
      kit.childOpts({ dependsOn: [publicAccessBlock] }),
    ),
  );
}
