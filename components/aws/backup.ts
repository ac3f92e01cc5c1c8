/**
 * AWS Backup for Meridian's data: a vault encrypted with a KMS key (created with rotation, or given), a
 * daily plan at a configured hour with a retention, an optional copy to another vault (another region or
 * account), and a selection of resources by ARN (the database). AWS Backup assumes one role per duty:
 * the backup role for the plan, the restore role for restore testing (backupRoles.ts); both are
 * explicitly denied deleting, modifying, rebooting or stopping the resources they protect.
 *
 * This is on top of RDS's own automated backups (PITR, 7-35 days): AWS Backup keeps longer, independent
 * recovery points in a vault that the database's own deletion does not remove. See
 * docs/components/aws-backup.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { childKit } from "../shared/component";
import { applyTransform, Transform } from "../shared/transform";
import { intIn, resolveArgs, show } from "../shared/validate";
import { type BackupRoleTransforms, createBackupRole, dutyIdentity } from "./backupRoles";
import { validateTags } from "./network";
import { awsEnvironment } from "./environment";
import {
  createRestoreTesting,
  resolveRestoreTestingArgs,
  RestoreTestingArgs,
  RestoreTestingPosture,
  RestoreTestingSettings,
  RestoreTestingTransforms,
} from "./restoreTesting";

/** What each role is for, first line of its posture entry. */
export const DUTY = {
  backup:
    "duty: backups only (the plan's selection); explicit Deny of deleting, modifying, rebooting or stopping the protected resources",
  restore:
    "duty: restores and restore testing only; explicit Deny of deleting, modifying, rebooting or stopping the protected resources (restored copies stay deletable)",
} as const;

export { BACKUP_PRINCIPAL } from "./backupRoles";

export interface BackupTransforms {
  vault?: Transform<aws.backup.VaultArgs>;
  vaultKey?: Transform<aws.kms.KeyArgs>;
  plan?: Transform<aws.backup.PlanArgs>;
  selection?: Transform<aws.backup.SelectionArgs>;
  /** The backup role (AWSBackupServiceRolePolicyForBackup) and its inline Deny policy. */
  role?: Transform<aws.iam.RoleArgs>;
  rolePolicy?: Transform<aws.iam.RolePolicyArgs>;
  /** The restore role (AWSBackupServiceRolePolicyForRestores), created with `restoreTesting`. */
  restoreRole?: BackupRoleTransforms;
  restoreTesting?: RestoreTestingTransforms;
}

export interface BackupArgs {
  /**
   * ARNs of the resources to back up (the RDS instance's `instanceArn`). At least one. Both Backup roles
   * are explicitly denied deleting, modifying, rebooting or stopping them (backupRoles.ts).
   * @example [db.instanceArn]
   */
  resourceArns: pulumi.Input<string>[];
  /**
   * Hour of the day (UTC, 0-23) the daily backup starts (within a 1-hour start window). Keep it away from
   * the RDS backup window.
   * @default 5
   */
  scheduleHourUtc?: number;
  /**
   * Days each recovery point is kept (1-36500).
   * Cost: RDS snapshot storage in the vault $0.095/GB-month (warm).
   * @default 35
   */
  retentionDays?: number;
  /**
   * A vault ARN to copy each recovery point to (another region or account, for disaster recovery).
   * Cost: cross-region data transfer $0.02/GB plus storage in the other vault.
   * @default none
   */
  copyToVaultArn?: pulumi.Input<string>;
  /** Days the copies are kept. @default retentionDays */
  copyRetentionDays?: number;
  /**
   * KMS key ARN for the vault. Default: a key created here with yearly rotation.
   * Cost: $1/month per key.
   * @default a new customer managed key
   */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * Scheduled restore tests of the RDS resources (AWS Backup restore testing: restored, kept for a
   * validation window, deleted; components/aws/restoreTesting.ts, docs/runbooks/restore-test.md).
   * Cost: a per-job restore testing charge plus the restored instance's hours (~$17/month weekly in prod).
   * @default none (no restore tests)
   */
  restoreTesting?: Omit<RestoreTestingArgs, "transform">;
  /** Tags for every taggable child (plus its `Name`). */
  tags: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: BackupTransforms;
}

export interface BackupSettings {
  scheduleHourUtc: number;
  retentionDays: number;
  copyRetentionDays: number;
  schedule: string;
  /** The vault's key: created here (customer managed, rotating) or given. */
  vaultKey: "created" | "given";
  restoreTesting?: RestoreTestingSettings;
  tags: Tags;
}

/** Validates every arg synchronously and applies defaults. */
export function resolveBackupArgs(args: BackupArgs): BackupSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  if (!Array.isArray(args.resourceArns) || args.resourceArns.length === 0) {
    throw new Error(`resourceArns is ${show(args.resourceArns)}; allowed: a non-empty list of resource ARNs`);
  }
  for (const arn of args.resourceArns) {
    if (typeof arn === "string" && !/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/.test(arn)) {
      throw new Error(
        `resourceArns contains ${show(arn)}; allowed: resource ARNs such as "arn:aws:rds:<region>:<account>:db:<id>"`,
      );
    }
  }
  const scheduleHourUtc = intIn("scheduleHourUtc", args.scheduleHourUtc ?? 5, 0, 23);
  const retentionDays = intIn("retentionDays", args.retentionDays ?? 35, 1, 36500);
  const copyRetentionDays = intIn("copyRetentionDays", args.copyRetentionDays ?? retentionDays, 1, 36500);
  if (args.copyRetentionDays !== undefined && args.copyToVaultArn === undefined) {
    throw new Error(
      `copyRetentionDays is ${args.copyRetentionDays} without copyToVaultArn; allowed: only with copyToVaultArn`,
    );
  }
  if (
    typeof args.copyToVaultArn === "string" &&
    !/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:.+$/.test(args.copyToVaultArn)
  ) {
    throw new Error(
      `copyToVaultArn is ${show(args.copyToVaultArn)}; allowed: a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)`,
    );
  }
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return {
    scheduleHourUtc,
    retentionDays,
    copyRetentionDays,
    schedule: `cron(0 ${scheduleHourUtc} * * ? *)`,
    vaultKey: args.kmsKeyArn === undefined ? "created" : "given",
    restoreTesting:
      args.restoreTesting === undefined ? undefined : resolveRestoreTestingArgs(args.restoreTesting),
    tags: validateTags(args.tags),
  };
}

/**
 * A backup vault, daily plan and selection.
 *
 * @example
 * new Backup("meridian-prod-backup", { resourceArns: [db.instanceArn], retentionDays: 35, tags });
 *
 * ## Cost
 * Vault storage of RDS snapshots $0.095/GB-month (incremental after the first); restores free (RDS);
 * KMS key $1/month; cross-region copies add $0.02/GB transfer and the other vault's storage.
 */
export class Backup extends pulumi.ComponentResource {
  public readonly vaultArn: pulumi.Output<string>;
  public readonly vaultName: pulumi.Output<string>;
  public readonly planId: pulumi.Output<string>;
  /** The backup role, and the restore role with `restoreTesting`: duty, Deny and managed policy each. */
  public readonly identities: Posture["identities"];
  /** The vault's KMS key (customer managed: created here or given). */
  public readonly vaultKeyArn: pulumi.Output<string>;
  /** The role AWS Backup assumes for backups (the plan's selection). */
  public readonly roleArn: pulumi.Output<string>;
  /**
   * The role AWS Backup assumes for restores: restore testing, and the `--iam-role-arn` of a restore an
   * operator starts (docs/runbooks/restore-test.md). Undefined without `restoreTesting`.
   */
  public readonly restoreRoleArn?: pulumi.Output<string>;
  /** Restore testing as configured, or undefined without `restoreTesting`. */
  public readonly restoreTesting?: RestoreTestingPosture & { planName: pulumi.Output<string> };
  public readonly settings: BackupSettings;

  constructor(name: string, args: BackupArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Backup", name, () => resolveBackupArgs(args));
    super("meridian:aws:Backup", name, {}, opts);
    this.settings = settings;
    const s = settings;
    const t = args.transform ?? {};
    const { childOpts, tagsFor } = childKit(this, s.tags);
    const { account, partition } = awsEnvironment(this);

    let kmsKeyArn = args.kmsKeyArn;
    if (kmsKeyArn === undefined) {
      const key = new aws.kms.Key(
        ...applyTransform(
          t.vaultKey,
          `${name}-vault-key`,
          {
            description: asciiDescription(`Encrypts the backup vault of ${name}`),
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags: tagsFor(`${name}-vault-key`),
          },
          childOpts(),
        ),
      );
      kmsKeyArn = key.arn;
    }

    const vault = new aws.backup.Vault(
      ...applyTransform(
        t.vault,
        `${name}-vault`,
        {
          // 2-50 characters: letters, digits, hyphens, underscores.
          name: physicalName("aws:ecs", name, "vault").slice(0, 50).replace(/-+$/, ""),
          kmsKeyArn,
          forceDestroy: false,
          tags: tagsFor(`${name}-vault`),
        },
        childOpts(),
      ),
    );

    const plan = new aws.backup.Plan(
      ...applyTransform(
        t.plan,
        `${name}-plan`,
        {
          name: physicalName("aws:ecs", name, "daily"),
          rules: [
            {
              ruleName: "daily",
              targetVaultName: vault.name,
              schedule: s.schedule,
              scheduleExpressionTimezone: "Etc/UTC",
              startWindow: 60,
              completionWindow: 360,
              lifecycle: { deleteAfter: s.retentionDays },
              recoveryPointTags: s.tags,
              copyActions: args.copyToVaultArn
                ? [
                    {
                      destinationVaultArn: args.copyToVaultArn,
                      lifecycle: { deleteAfter: s.copyRetentionDays },
                    },
                  ]
                : undefined,
            },
          ],
          tags: tagsFor(`${name}-plan`),
        },
        childOpts(),
      ),
    );

    // One role per duty, each denied any change to the protected resources (backupRoles.ts).
    const roleParams = { name, account, partition, resourceArns: args.resourceArns };
    const role = createBackupRole(
      "backup",
      {
        ...roleParams,
        tags: tagsFor(`${name}-backup-role`),
        transform: { role: t.role, policy: t.rolePolicy },
      },
      childOpts(),
    );
    const restoreRole =
      args.restoreTesting === undefined
        ? undefined
        : createBackupRole(
            "restore",
            { ...roleParams, tags: tagsFor(`${name}-restore-role`), transform: t.restoreRole },
            childOpts(),
          );

    new aws.backup.Selection(
      ...applyTransform(
        t.selection,
        `${name}-selection`,
        {
          name: physicalName("aws:ecs", name, "resources").slice(0, 50),
          planId: plan.id,
          iamRoleArn: role.role.arn,
          resources: args.resourceArns,
        },
        // The Deny is in place before AWS Backup first assumes the role.
        { ...childOpts(), dependsOn: role.policy ? [role.policy] : [] },
      ),
    );

    if (args.restoreTesting !== undefined && s.restoreTesting !== undefined && restoreRole !== undefined) {
      const rt = createRestoreTesting(
        this,
        name,
        { vaultArn: vault.arn, role: restoreRole, resourceArns: args.resourceArns, tags: s.tags },
        { ...args.restoreTesting, transform: t.restoreTesting },
        s.restoreTesting,
      );
      this.restoreTesting = { ...rt.posture, planName: rt.planName };
    }

    this.roleArn = role.role.arn;
    this.restoreRoleArn = restoreRole?.role.arn;
    this.vaultKeyArn = pulumi.output(kmsKeyArn);
    this.vaultArn = vault.arn;
    this.vaultName = vault.name;
    this.planId = plan.id;
    this.identities = [
      dutyIdentity(role, DUTY.backup),
      ...(restoreRole ? [dutyIdentity(restoreRole, DUTY.restore)] : []),
    ];
    this.registerOutputs({
      vaultArn: this.vaultArn,
      vaultName: this.vaultName,
      planId: this.planId,
      identities: this.identities,
      restoreRoleArn: this.restoreRoleArn,
      restoreTestingPlanName: this.restoreTesting?.planName,
    });
  }
}
