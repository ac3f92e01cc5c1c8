/**
 * The ALB's access-log bucket: private (public access block, bucket owner enforced), SSE-S3 (the only
 * encryption ALB log delivery supports), versioned, expiring after `accessLogRetentionDays` (old versions
 * 7 days later), TLS-only, writable only by ELB log delivery under `alb/AWSLogs/<account>/`.
 * Cost: S3 Standard $0.023/GB-month. Tested in loadBalancer.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform } from "../shared/transform";
import { createPrivateBucket, denyInsecureTransport } from "./bucket";
import type { AwsEnvironment } from "./environment";
import type { ServiceKit } from "./serviceSettings";

/** The bucket `<name>-alb-logs` and its policy (enable the ALB's logs only after the policy exists). */
export function createAccessLogsBucket(
  kit: ServiceKit,
  env: AwsEnvironment,
): {
  bucket: aws.s3.Bucket;
  policy: aws.s3.BucketPolicy;
} {
  const n = `${kit.name}-alb-logs`;
  const { bucket, publicAccessBlock: pab } = createPrivateBucket(kit, {
    name: n,
    encryption: "AES256",
    lifecycleRules: [
      {
        id: "expire-access-logs",
        status: "Enabled",
        filter: {},
        expiration: { days: kit.s.accessLogRetentionDays },
        noncurrentVersionExpiration: { noncurrentDays: 7 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ],
    transform: { bucket: kit.t.accessLogsBucket, lifecycle: kit.t.accessLogsLifecycle },
  });
  const policy = new aws.s3.BucketPolicy(
    ...applyTransform(
      kit.t.accessLogsBucketPolicy,
      `${n}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ElbLogDelivery",
              Effect: "Allow",
              Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: pulumi.interpolate`${bucket.arn}/alb/AWSLogs/${env.account}/*`,
            },
            denyInsecureTransport(bucket.arn),
          ],
        }),
      },
      // S3 rejects a policy while the public access block is being applied.
      kit.childOpts({ dependsOn: [pab] }),
    ),
  );
  return { bucket, policy };
}
