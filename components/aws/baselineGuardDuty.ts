/**
 * An Amazon GuardDuty detector for the account and region: threat detection from CloudTrail management
 * events, VPC flow logs and DNS logs (the foundational sources, always on), findings published to
 * EventBridge at the configured frequency. One detector per account and region.
 *
 * Cost (aws.amazon.com/guardduty/pricing, read 2026-11-30): 30-day free trial, then by volume analysed:
 * $4.00 per million CloudTrail management events, $1.00/GB of VPC flow and DNS logs (first 500 GB); a
 * small account is typically $3-10/month.
 */
import * as aws from "@pulumi/aws";
import { applyTransform } from "../shared/transform";
import type { BaselineKit } from "./baselineKit";

export function createGuardDuty(kit: BaselineKit): aws.guardduty.Detector {
  return new aws.guardduty.Detector(
    ...applyTransform(
      kit.t.detector,
      `${kit.name}-guardduty`,
      {
        enable: true,
        findingPublishingFrequency: kit.s.findingPublishingFrequency,
        tags: kit.tagsFor(`${kit.name}-guardduty`),
      },
      kit.childOpts(),
    ),
  );
}
