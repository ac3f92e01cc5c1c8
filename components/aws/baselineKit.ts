/**
 * The account baseline's args, validated settings and the kit its building blocks take
 * (baselineStore.ts, baselineTrail.ts, baselineConfig.ts, baselineGuardDuty.ts, baselineAccessAnalyzer.ts).
 */
import type * as aws from "@pulumi/aws";
import { physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import type { Transform } from "../shared/transform";
import { intIn, oneOf, show } from "../shared/validate";
import type { AwsEnvironment } from "./environment";
import type { PartKit } from "./partKit";
import { validateTags } from "./validate";

export interface BaselineTransforms {
  key?: Transform<aws.kms.KeyArgs>;
  bucket?: Transform<aws.s3.BucketArgs>;
  bucketPolicy?: Transform<aws.s3.BucketPolicyArgs>;
  trail?: Transform<aws.cloudtrail.TrailArgs>;
  recorder?: Transform<aws.cfg.RecorderArgs>;
  deliveryChannel?: Transform<aws.cfg.DeliveryChannelArgs>;
  configRole?: Transform<aws.iam.RoleArgs>;
  detector?: Transform<aws.guardduty.DetectorArgs>;
  analyzer?: Transform<aws.accessanalyzer.AnalyzerArgs>;
}

export interface AccountBaselineArgs {
  /**
   * Days the audit log bucket keeps CloudTrail and AWS Config files (S3 lifecycle expiry; 90-36500).
   * Cost: S3 Standard $0.023/GB-month.
   * @default 365 (a year of history, CIS AWS Foundations 3.x)
   */
  retentionDays?: number;
  /**
   * How often GuardDuty publishes updated findings to EventBridge.
   * @default "FIFTEEN_MINUTES"
   */
  findingPublishingFrequency?: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS";
  /**
   * AWS Config recording: `CONTINUOUS` records every change ($0.003 per item), `DAILY` one snapshot a day
   * per changed resource ($0.012 per item; cheaper for resources that change often).
   * @default "CONTINUOUS"
   */
  configRecordingFrequency?: "CONTINUOUS" | "DAILY";
  /** Tags for every taggable child (plus its `Name`). */
  tags: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: BaselineTransforms;
}

export interface AccountBaselineSettings {
  retentionDays: number;
  findingPublishingFrequency: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS";
  configRecordingFrequency: "CONTINUOUS" | "DAILY";
  /** The trail's physical name (known in advance: the key and bucket policies name its ARN). */
  trailName: string;
  tags: Tags;
}

/** Validates every arg synchronously (errors name the arg) and applies defaults. */
export function resolveAccountBaselineArgs(name: string, args: AccountBaselineArgs): AccountBaselineSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return {
    retentionDays: intIn("retentionDays", args.retentionDays ?? 365, 90, 36500),
    findingPublishingFrequency: oneOf(
      "findingPublishingFrequency",
      args.findingPublishingFrequency ?? "FIFTEEN_MINUTES",
      ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"] as const,
    ),
    configRecordingFrequency: oneOf(
      "configRecordingFrequency",
      args.configRecordingFrequency ?? "CONTINUOUS",
      ["CONTINUOUS", "DAILY"] as const,
    ),
    // CloudTrail names: 3-128 characters, letters, digits, periods, underscores and hyphens.
    trailName: physicalName("aws:ecs", name, "trail"),
    tags: validateTags(args.tags),
  };
}

/** What each building block of the baseline takes. */
export interface BaselineKit extends PartKit<BaselineTransforms> {
  env: AwsEnvironment;
  s: AccountBaselineSettings;
}
