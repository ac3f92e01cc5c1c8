/**
 * The account's CloudTrail trail: every region (`isMultiRegionTrail`), global service events (IAM, STS,
 * CloudFront), log file integrity validation (signed hourly digest files: `aws cloudtrail
 * validate-logs` proves no file was changed or removed), encrypted with the baseline's KMS key, into the
 * audit log bucket. Management events only (read and write): data events (S3 object reads, Lambda invokes)
 * are charged per event and are not turned on here.
 *
 * Cost (aws.amazon.com/cloudtrail/pricing, read 2026-11-30): the first copy of management events in each
 * region is free; S3 storage of the log files and KMS requests are the cost (~$1-3/month for a small
 * account). A second trail recording management events would be charged $2.00 per 100,000 events.
 */
import * as aws from "@pulumi/aws";
import { applyTransform } from "../shared/transform";
import type { BaselineKit } from "./baselineKit";
import type { AuditLogStore } from "./baselineStore";

export function createTrail(kit: BaselineKit, store: AuditLogStore): aws.cloudtrail.Trail {
  return new aws.cloudtrail.Trail(
    ...applyTransform(
      kit.t.trail,
      `${kit.name}-trail`,
      {
        name: kit.s.trailName,
        s3BucketName: store.bucket.id,
        kmsKeyId: store.key.arn,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
        tags: kit.tagsFor(`${kit.name}-trail`),
      },
      // CloudTrail checks the bucket policy and the key policy when the trail is created.
      kit.childOpts({ dependsOn: [store.policy, store.key] }),
    ),
  );
}
