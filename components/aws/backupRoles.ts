/**
 * The roles AWS Backup assumes for Meridian, one per duty, neither able to touch the database it protects:
 *
 * - the **backup role** (the backup plan's selection): the AWS managed `AWSBackupServiceRolePolicyForBackup`
 *   only. It snapshots the selected resources, copies into vaults and lets expired recovery points
 *   (`snapshot:awsbackup:*`) be deleted.
 * - the **restore role** (restore testing, and a restore an operator starts with `--iam-role-arn`): the
 *   AWS managed `AWSBackupServiceRolePolicyForRestores` only. It creates the restored copy. Restore
 *   testing's scheduled clean-up runs as AWS Backup's service-linked role
 *   `AWSServiceRoleForBackupRestoreTesting`, which may delete only resources tagged
 *   `awsbackup-restore-test` (its policy `AWSServiceRolePolicyForBackupRestoreTesting` v3, AWS Managed
 *   Policy Reference, read 2026-11-30); ForRestores also lets this role delete instances.
 *
 * Both are trusted by `backup.amazonaws.com` of this account only (`createServiceRole`: `aws:SourceAccount`)
 * and carry the same inline **explicit Deny** of {@link PROTECTED_RESOURCE_DENY} on the selected
 * resources' own ARNs. The managed policies grant those actions on every instance of the account
 * (ForRestores: `rds:DeleteDBInstance` and `rds:DeleteTenantDatabase` on `*`, for restore testing's
 * clean-up; ForBackup: `rds:ModifyDBInstance` on `db:*`); the Deny leaves restored
 * copies (other identifiers, `awsbackup-restore-test-...` for restore tests) deletable and makes the
 * source untouchable whatever AWS later adds to the managed policies.
 *
 * Why the Deny costs Backup nothing here (AWS Backup Developer Guide, read 2026-11-30: "Amazon Relational
 * Database Service backups", "Continuous backups and point-in-time recovery", "Restore testing"):
 * periodic snapshot backups of RDS are `CreateDBSnapshot` / `CopyDBSnapshot` of the source, restores create
 * a new instance from a snapshot, restore testing deletes only the resource it restored (tagged, see
 * above). Changing the
 * source instance (its backup retention) is what AWS Backup's *continuous* backups (PITR) do; Meridian's
 * plan has no continuous rule. A plan transformed to `enableContinuousBackup: true` would need the
 * `Modify*` actions taken out of the Deny. Manual snapshots (the database's final snapshot) are not
 * deletable by either role: ForBackup's `rds:DeleteDBSnapshot` is limited to `snapshot:awsbackup:*`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import type { Transform } from "../shared/transform";
import { createServiceRole, type CreatedRole, type Statement } from "./iam";

export const BACKUP_PRINCIPAL = "backup.amazonaws.com";

/**
 * The AWS managed policy of each duty. AWS maintains them per supported service (RDS, EBS, DynamoDB, EFS,
 * ...) with the exact actions Backup needs, including the ones AWS does not let a policy scope
 * (rds:DescribeDBSnapshots, tag:GetResources, ...); a hand-written copy would drift as AWS adds
 * requirements, and failures would only show as failed backup jobs. Their breadth on other resources is
 * stated and checked by the IAM proof (docs/iam-proof.md, "Accepted breadth").
 */
export const BACKUP_ROLE_POLICY = "service-role/AWSBackupServiceRolePolicyForBackup";
export const RESTORE_ROLE_POLICY = "service-role/AWSBackupServiceRolePolicyForRestores";

/**
 * Actions both roles are explicitly denied on the protected resources' ARNs: deleting, modifying,
 * rebooting or stopping the RDS instance, or deleting its tenant databases (the RDS actions the two
 * managed policies grant on instances, and their neighbours). Meridian selects one RDS instance; an Aurora
 * cluster ARN would need the cluster actions (`rds:DeleteDBCluster`, `rds:ModifyDBCluster`, ...) added.
 */
export const PROTECTED_RESOURCE_DENY: readonly string[] = [
  "rds:DeleteDBInstance",
  "rds:ModifyDBInstance",
  "rds:RebootDBInstance",
  "rds:StopDBInstance",
  "rds:DeleteTenantDatabase",
];

/** The inline Deny statement that protects `resourceArns` from the role it is attached to. */
export function protectedResourceDeny(resourceArns: pulumi.Input<string>[]): Statement {
  return {
    sid: "NeverTouchTheProtectedResources",
    effect: "Deny",
    actions: [...PROTECTED_RESOURCE_DENY],
    resources: resourceArns,
  };
}

export interface BackupRoleTransforms {
  role?: Transform<aws.iam.RoleArgs>;
  policy?: Transform<aws.iam.RolePolicyArgs>;
}

/** Creates the role of one duty (`backup` or `restore`) as a child of the Backup component. */
export function createBackupRole(
  duty: "backup" | "restore",
  p: {
    name: string;
    account: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    resourceArns: pulumi.Input<string>[];
    tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
    transform?: BackupRoleTransforms;
  },
  opts: pulumi.CustomResourceOptions,
): CreatedRole {
  const policy = duty === "backup" ? BACKUP_ROLE_POLICY : RESTORE_ROLE_POLICY;
  return createServiceRole(
    {
      name: `${p.name}-${duty}-role`,
      service: BACKUP_PRINCIPAL,
      description:
        duty === "backup"
          ? `AWS Backup of ${p.name}: creates recovery points of the selected resources; never deletes or modifies them`
          : `AWS Backup restores of ${p.name}: restores recovery points and cleans up restore tests; never touches the source`,
      account: p.account,
      statements: [protectedResourceDeny(p.resourceArns)],
      managedPolicyArns: [pulumi.interpolate`arn:${p.partition}:iam::aws:policy/${policy}`],
      tags: p.tags,
      transform: p.transform,
    },
    opts,
  );
}

/** The posture entry of a role, with its duty in words. */
export function dutyIdentity(role: CreatedRole, duty: string): Posture["identities"][number] {
  return {
    ...role.identity,
    permissions: pulumi.output(role.identity.permissions).apply((ps) => [duty, ...ps]),
  };
}
