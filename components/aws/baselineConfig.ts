/**
 * AWS Config for the account: a recorder of every supported resource type (global types such as IAM
 * included), its delivery channel to the audit log bucket (`config/` prefix, KMS-encrypted with the
 * baseline key, a configuration snapshot daily), and the recorder turned on. The recorder uses a role of
 * its own with the AWS managed policy `service-role/AWS_ConfigRole` (read-only Describe/List/Get on the
 * supported services, which AWS updates as Config adds resource types) and an inline policy that may only
 * write under its prefix and use the key.
 *
 * AWS allows one recorder and one delivery channel per account and region: turn the baseline on in one
 * stack per account and region.
 *
 * Cost (aws.amazon.com/config/pricing, read 2026-11-30): $0.003 per configuration item recorded
 * (continuous) or $0.012 (daily, per resource that changed); a small account records a few thousand
 * items a month, ~$5-15/month. No Config rules are created here ($0.001 per evaluation).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { applyTransform } from "../shared/transform";
import type { BaselineKit } from "./baselineKit";
import type { AuditLogStore } from "./baselineStore";
import { createServiceRole } from "./iam";

/** The AWS managed policy of a customer-managed Config role (AWS Config Developer Guide, "IAM role"). */
export const CONFIG_MANAGED_POLICY = "service-role/AWS_ConfigRole";
export const CONFIG_PREFIX = "config";

export function createConfigRecorder(
  kit: BaselineKit,
  store: AuditLogStore,
): { recorder: aws.cfg.Recorder; identity: Posture["identities"][number] } {
  const { account, partition } = kit.env;
  const role = createServiceRole(
    {
      name: `${kit.name}-config-role`,
      service: "config.amazonaws.com",
      description: `AWS Config recorder of ${kit.name}: reads resource configurations, writes them to the audit log bucket`,
      account,
      managedPolicyArns: [pulumi.interpolate`arn:${partition}:iam::aws:policy/${CONFIG_MANAGED_POLICY}`],
      statements: [
        {
          sid: "DeliverSnapshotsAndHistory",
          actions: ["s3:PutObject"],
          resources: [pulumi.interpolate`${store.bucket.arn}/${CONFIG_PREFIX}/AWSLogs/${account}/*`],
          condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        { sid: "CheckBucketAcl", actions: ["s3:GetBucketAcl"], resources: [store.bucket.arn] },
        {
          sid: "EncryptDeliveries",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: [store.key.arn],
        },
      ],
      tags: kit.tagsFor(`${kit.name}-config-role`),
      transform: { role: kit.t.configRole },
    },
    kit.childOpts(),
  );
  const recorder = new aws.cfg.Recorder(
    ...applyTransform(
      kit.t.recorder,
      `${kit.name}-config-recorder`,
      {
        name: "default",
        roleArn: role.role.arn,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        recordingMode: { recordingFrequency: kit.s.configRecordingFrequency },
      },
      kit.childOpts(),
    ),
  );
  const channel = new aws.cfg.DeliveryChannel(
    ...applyTransform(
      kit.t.deliveryChannel,
      `${kit.name}-config-delivery`,
      {
        name: "default",
        s3BucketName: store.bucket.id,
        s3KeyPrefix: CONFIG_PREFIX,
        s3KmsKeyArn: store.key.arn,
        snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      },
      // A delivery channel needs the recorder; the role must be able to write before the first delivery.
      kit.childOpts({ dependsOn: [recorder, ...(role.policy ? [role.policy] : [])] }),
    ),
  );
  new aws.cfg.RecorderStatus(
    `${kit.name}-config-recorder-status`,
    { name: recorder.name, isEnabled: true },
    kit.childOpts({ dependsOn: [channel] }),
  );
  return { recorder, identity: role.identity };
}
