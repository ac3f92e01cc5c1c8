/**
 * AWS Backup restore testing for an RDS instance: a plan that, on a schedule, picks the latest recovery
 * point of the vault, restores it as a new instance in the database's own isolated subnets and security
 * group, keeps it for a validation window (during which a check may report a validation result), and then
 * lets AWS Backup delete it. Proof that the backups restore, not only that they exist. The restore runs as
 * the Backup component's restore role (backupRoles.ts), which may never touch the source database.
 *
 * Facts (AWS Backup Developer Guide, "Restore testing", read 2026-11-30): restore testing picks a recovery
 * point by `LATEST_WITHIN_WINDOW` or `RANDOM_WITHIN_WINDOW` from the included vaults; the restored
 * resource is deleted by AWS Backup when the validation window ends (1-168 hours) or when a validation
 * result is put earlier; without overrides RDS is restored into the default VPC, which Meridian's
 * accounts may not have, so the subnet group and security groups are overridden here
 * (`RestoreMetadataOverrides`, keys case-insensitive; docs: "Restore testing inferred metadata").
 * Plan and selection names: 1-50 characters, letters, digits and underscores.
 *
 * Cost: restore testing is charged per restore test job (aws.amazon.com/backup/pricing, "Restore testing";
 * the figure used here, $1.50 per job in us-east-1, is from memory and NOT re-checked on 2026-11-30: confirm
 * it) plus the restored instance for the hours until it is deleted (instance-hours at its class's price,
 * storage pro rata). Weekly with a 4-hour window on prod's db.m7g.large Multi-AZ (~$0.34/h x 2): about
 * 4 x ($1.50 + 4 h x $0.68) = ~$17/month; on a db.t4g.micro about $7.
 * The restored copy's deletion: "once the optional validation completes or the validation window closes,
 * AWS Backup deletes the resources involved with the restore test" (AWS Backup Developer Guide,
 * "Restore testing").
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { intIn, oneOf, show } from "../shared/validate";
import type { CreatedRole } from "./iam";

export interface RestoreTestingTransforms {
  plan?: Transform<aws.backup.RestoreTestingPlanArgs>;
  selection?: Transform<aws.backup.RestoreTestingSelectionArgs>;
}

/** Restore testing of the database, as the `restoreTesting` arg of the Backup component. */
export interface RestoreTestingArgs {
  /**
   * Where the restored copy lives: the database's DB subnet group (isolated subnets). Without it AWS
   * Backup restores into the default VPC.
   * @example database.subnetGroupName
   */
  dbSubnetGroupName: pulumi.Input<string>;
  /**
   * Security groups of the restored copy (the database's own group: the tasks that may validate it can
   * reach it, nothing else).
   * @example [database.securityGroupId]
   */
  securityGroupIds: pulumi.Input<string>[];
  /**
   * EventBridge schedule of the restore test (UTC).
   * @default "cron(0 9 ? * TUE *)" (weekly, Tuesday 09:00 UTC: after the daily backup, in working hours)
   */
  scheduleExpression?: string;
  /**
   * Hours the restore job may wait to start (1-168).
   * @default 8
   */
  startWindowHours?: number;
  /**
   * Hours the restored instance is kept for validation before AWS Backup deletes it (1-168).
   * Cost: the restored instance's hourly price for this long, every test.
   * @default 4
   */
  validationWindowHours?: number;
  /**
   * How the recovery point is picked among those of the last `selectionWindowDays`.
   * @default "LATEST_WITHIN_WINDOW"
   */
  algorithm?: "LATEST_WITHIN_WINDOW" | "RANDOM_WITHIN_WINDOW";
  /**
   * Days back the recovery point may be from (1-365).
   * @default 7
   */
  selectionWindowDays?: number;
  /** Patches the plan's or the selection's args. @default none */
  transform?: RestoreTestingTransforms;
}

export interface RestoreTestingSettings {
  scheduleExpression: string;
  startWindowHours: number;
  validationWindowHours: number;
  algorithm: "LATEST_WITHIN_WINDOW" | "RANDOM_WITHIN_WINDOW";
  selectionWindowDays: number;
}

export const RESTORE_TEST_DEFAULT_SCHEDULE = "cron(0 9 ? * TUE *)";

/** Validates the restore testing args (errors name the field) and applies defaults. */
export function resolveRestoreTestingArgs(args: RestoreTestingArgs): RestoreTestingSettings {
  if (args === null || typeof args !== "object") {
    throw new Error(`restoreTesting is ${show(args)}; allowed: an object`);
  }
  if (args.dbSubnetGroupName === undefined || args.dbSubnetGroupName === "") {
    throw new Error(
      `restoreTesting.dbSubnetGroupName is ${show(args.dbSubnetGroupName)}; allowed: a DB subnet group name`,
    );
  }
  if (!Array.isArray(args.securityGroupIds) || args.securityGroupIds.length === 0) {
    throw new Error(
      `restoreTesting.securityGroupIds is ${show(args.securityGroupIds)}; allowed: a non-empty list of security group ids`,
    );
  }
  const scheduleExpression = args.scheduleExpression ?? RESTORE_TEST_DEFAULT_SCHEDULE;
  if (!/^(cron\([^)]+\)|rate\(\d+ (hours?|days?)\))$/.test(scheduleExpression)) {
    throw new Error(
      `restoreTesting.scheduleExpression is ${show(scheduleExpression)}; allowed: an EventBridge cron(...) or rate(N days) expression`,
    );
  }
  return {
    scheduleExpression,
    startWindowHours: intIn("restoreTesting.startWindowHours", args.startWindowHours ?? 8, 1, 168),
    validationWindowHours: intIn(
      "restoreTesting.validationWindowHours",
      args.validationWindowHours ?? 4,
      1,
      168,
    ),
    algorithm: oneOf("restoreTesting.algorithm", args.algorithm ?? "LATEST_WITHIN_WINDOW", [
      "LATEST_WITHIN_WINDOW",
      "RANDOM_WITHIN_WINDOW",
    ] as const),
    selectionWindowDays: intIn("restoreTesting.selectionWindowDays", args.selectionWindowDays ?? 7, 1, 365),
  };
}

/** A restore testing plan's name: 1-50 letters, digits and underscores. */
export function restoreTestingName(name: string, suffix: string): string {
  const s = `${name}_${suffix}`.replace(/[^A-Za-z0-9_]/g, "_").replace(/_+/g, "_");
  return s.length <= 50 ? s : `${s.slice(0, 41)}_${suffix.slice(0, 8)}`;
}

/** What the posture says about restore testing. */
export interface RestoreTestingPosture {
  schedule: string;
  validationWindowHours: number;
  recoveryPointSelection: string;
  cleanup: string;
}

/** Creates the plan and the RDS selection, children of `parent`. */
export function createRestoreTesting(
  parent: pulumi.Resource,
  name: string,
  p: {
    vaultArn: pulumi.Input<string>;
    /** The restore role (backupRoles.ts): the selection waits for its inline Deny. */
    role: CreatedRole;
    resourceArns: pulumi.Input<string>[];
    tags: Record<string, string>;
  },
  args: RestoreTestingArgs,
  s: RestoreTestingSettings,
): { planName: pulumi.Output<string>; posture: RestoreTestingPosture } {
  const t = args.transform ?? {};
  const plan = new aws.backup.RestoreTestingPlan(
    ...applyTransform(
      t.plan,
      `${name}-restore-test`,
      {
        name: restoreTestingName(name, "restore_test"),
        scheduleExpression: s.scheduleExpression,
        scheduleExpressionTimezone: "Etc/UTC",
        startWindowHours: s.startWindowHours,
        recoveryPointSelection: {
          algorithm: s.algorithm,
          includeVaults: [p.vaultArn],
          recoveryPointTypes: ["SNAPSHOT"],
          selectionWindowDays: s.selectionWindowDays,
        },
        tags: { ...p.tags, Name: `${name}-restore-test` },
      },
      { parent },
    ),
  );
  new aws.backup.RestoreTestingSelection(
    ...applyTransform(
      t.selection,
      `${name}-restore-test-db`,
      {
        name: restoreTestingName(name, "database"),
        restoreTestingPlanName: plan.name,
        protectedResourceType: "RDS",
        protectedResourceArns: p.resourceArns,
        iamRoleArn: p.role.role.arn,
        validationWindowHours: s.validationWindowHours,
        restoreMetadataOverrides: {
          dbsubnetgroupname: args.dbSubnetGroupName,
          vpcsecuritygroupids: pulumi.output(args.securityGroupIds).apply((ids) => JSON.stringify(ids)),
        },
      },
      { parent, dependsOn: p.role.policy ? [p.role.policy] : [] },
    ),
  );
  return {
    planName: plan.name,
    posture: {
      schedule: `${s.scheduleExpression} UTC`,
      validationWindowHours: s.validationWindowHours,
      recoveryPointSelection: `${s.algorithm} of the last ${s.selectionWindowDays} days (snapshots in the vault)`,
      cleanup: `AWS Backup deletes the restored instance after the ${s.validationWindowHours}-hour validation window`,
    },
  };
}
