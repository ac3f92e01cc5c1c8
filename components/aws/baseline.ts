/**
 * The opt-in account baseline auditors expect of an AWS account (`meridian:accountBaseline`): CloudTrail
 * in every region with log file validation, KMS-encrypted, into a locked-down bucket; GuardDuty; an AWS
 * Config recorder with its delivery channel; an IAM Access Analyzer. One building block per file
 * (baselineStore, baselineTrail, baselineConfig, baselineGuardDuty, baselineAccessAnalyzer); costs and
 * sources in each and in docs/components/aws-baseline.md.
 *
 * These are account-wide (CloudTrail covers every region; GuardDuty, Config and the analyzer are one per
 * account and region): create the baseline in one stack per account, never in two.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Posture, ResourcePolicyFact } from "../shared/contracts";
import { childKit } from "../shared/component";
import { resolveArgs } from "../shared/validate";
import { createAccessAnalyzer } from "./baselineAccessAnalyzer";
import { createConfigRecorder, CONFIG_PREFIX } from "./baselineConfig";
import { createGuardDuty } from "./baselineGuardDuty";
import {
  AccountBaselineArgs,
  AccountBaselineSettings,
  BaselineKit,
  resolveAccountBaselineArgs,
} from "./baselineKit";
import { createAuditLogStore } from "./baselineStore";
import { resourcePolicyFact } from "./policyWords";
import { createTrail } from "./baselineTrail";
import { awsEnvironment } from "./environment";

export type { AccountBaselineArgs } from "./baselineKit";

/** What the posture says about the baseline. */
export interface AccountBaselinePosture {
  cloudTrail: {
    name: pulumi.Output<string>;
    multiRegion: boolean;
    logFileValidation: boolean;
    encryption: "customer-managed KMS key";
    destination: pulumi.Output<string>;
    retentionDays: number;
  };
  guardDuty: { detectorId: pulumi.Output<string>; findingPublishingFrequency: string };
  config: {
    recorder: string;
    allSupported: boolean;
    recordingFrequency: string;
    destination: pulumi.Output<string>;
  };
  accessAnalyzer: { name: pulumi.Output<string>; type: "ACCOUNT" };
}

/**
 * @example
 * new AccountBaseline("meridian-prod-baseline", { tags });
 *
 * ## Cost
 * About $10-25/month for a small account: GuardDuty by volume ($3-10), Config by items recorded ($5-15),
 * trail storage and the KMS key (~$2); Access Analyzer (external access) free. docs/components/aws-baseline.md.
 */
export class AccountBaseline extends pulumi.ComponentResource {
  public readonly trailArn: pulumi.Output<string>;
  public readonly bucketName: pulumi.Output<string>;
  public readonly keyArn: pulumi.Output<string>;
  public readonly detectorId: pulumi.Output<string>;
  public readonly analyzerArn: pulumi.Output<string>;
  public readonly identities: Posture["identities"];
  public readonly posture: AccountBaselinePosture;
  /** The audit log bucket's and key's policies in words. */
  public readonly resourcePolicies: ResourcePolicyFact[];
  public readonly settings: AccountBaselineSettings;

  constructor(name: string, args: AccountBaselineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("AccountBaseline", name, () => resolveAccountBaselineArgs(name, args));
    super("meridian:aws:AccountBaseline", name, {}, opts);
    this.settings = settings;
    const kit: BaselineKit = {
      ...childKit(this, settings.tags),
      parent: this,
      name,
      t: args.transform ?? {},
      env: awsEnvironment(this),
      s: settings,
    };

    const store = createAuditLogStore(kit);
    const trail = createTrail(kit, store);
    const config = createConfigRecorder(kit, store);
    const detector = createGuardDuty(kit);
    const analyzer = createAccessAnalyzer(kit);

    this.trailArn = trail.arn;
    this.bucketName = store.bucket.bucket;
    this.keyArn = store.key.arn;
    this.detectorId = detector.id;
    this.analyzerArn = analyzer.arn;
    this.identities = [config.identity];
    this.resourcePolicies = [
      resourcePolicyFact(`s3:${name}-audit-logs`, "bucket-policy", store.policy.policy),
      resourcePolicyFact(store.key.arn, "key-policy", store.key.policy),
    ];
    this.posture = {
      cloudTrail: {
        name: trail.name,
        multiRegion: true,
        logFileValidation: true,
        encryption: "customer-managed KMS key",
        destination: pulumi.interpolate`s3://${store.bucket.bucket}/AWSLogs/`,
        retentionDays: settings.retentionDays,
      },
      guardDuty: { detectorId: detector.id, findingPublishingFrequency: settings.findingPublishingFrequency },
      config: {
        recorder: "default",
        allSupported: true,
        recordingFrequency: settings.configRecordingFrequency,
        destination: pulumi.interpolate`s3://${store.bucket.bucket}/${CONFIG_PREFIX}/`,
      },
      accessAnalyzer: { name: analyzer.analyzerName, type: "ACCOUNT" },
    };
    this.registerOutputs({
      trailArn: this.trailArn,
      bucketName: this.bucketName,
      keyArn: this.keyArn,
      detectorId: this.detectorId,
      analyzerArn: this.analyzerArn,
    });
  }
}
