/**
 * The rows of the IAM proof for the roles whose permissions come (mostly) from AWS managed policies:
 * AWS Backup's two roles (backups; restores and restore testing) and the AWS Config recorder of the
 * opt-in account baseline. Their `broad` checks state, as allowed, what the managed policies grant beyond
 * Meridian's own resources (docs/iam-proof.md, "Accepted breadth"): if AWS narrows a policy, the proof
 * says so. The Backup roles' inline Deny is proven as an explicit Deny on the protected database.
 */
import type { PreviewGraph } from "../cost/graph";
import * as f from "./facts";
import { ofType } from "./roles";
import type { Check, Row } from "./rows";

const c = (action: string, resource: string, why: string, extra: Partial<Check> = {}): Check => ({
  action,
  resource,
  why,
  ...extra,
});
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
const SELECTION = "aws:backup/selection:Selection";
const RESTORE_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";

/** Every object ARN of the graph's buckets (one sample key each). */
const objectsOfBuckets = (g: PreviewGraph) =>
  f.arnsOf(g, "aws:s3/bucket:Bucket", "bucket").map((b) => `arn:aws:s3:::${b}/any-key`);

/** The protected instances' manual snapshots (a final snapshot), which neither Backup role may delete. */
const finalSnapshots = (g: PreviewGraph, region: string, account: string) =>
  ofType(g, "aws:rds/instance:Instance").flatMap((i) =>
    typeof i.inputs.finalSnapshotIdentifier === "string"
      ? [`arn:aws:rds:${region}:${account}:snapshot:${i.inputs.finalSnapshotIdentifier}`]
      : [],
  );

/** What neither AWS Backup role may do, whatever its duty. */
function backupRoleDenies(g: PreviewGraph, protectedArns: string[], account: string): Check[] {
  const region = f.region(g);
  const vaults = f.arnsOf(g, "aws:backup/vault:Vault");
  const vaultKeys = ofType(g, "aws:backup/vault:Vault").map((v) => v.inputs.kmsKeyArn as string);
  const touch = (db: string) => [
    c("rds:DeleteDBInstance", db, "delete the protected database", { explicit: true }),
    c("rds:ModifyDBInstance", db, "modify the protected database", { explicit: true }),
    c("rds:RebootDBInstance", db, "reboot the protected database", { explicit: true }),
    c("rds:StopDBInstance", db, "stop the protected database", { explicit: true }),
    c("rds:DeleteTenantDatabase", db, "delete the protected database's tenant databases", { explicit: true }),
  ];
  return [
    ...protectedArns.flatMap(touch),
    ...finalSnapshots(g, region, account).map((s) =>
      c("rds:DeleteDBSnapshot", s, "delete the database's final (manual) snapshot"),
    ),
    ...vaults.map((v) => c("backup:DeleteBackupVault", v, "delete its vault")),
    c(
      "backup:DeleteRecoveryPoint",
      `arn:aws:backup:${region}:${account}:recovery-point:any`,
      "delete a recovery point through AWS Backup",
    ),
    ...objectsOfBuckets(g).map((o) => c("s3:GetObject", o, "read bucket objects")),
    ...f
      .arnsOf(g, "aws:secretsmanager/secret:Secret")
      .map((s) => c("secretsmanager:GetSecretValue", s, "read a secret")),
    ...vaultKeys.map((k) => c("kms:Decrypt", k, "decrypt with the vault key outside a service")),
    c("iam:CreateRole", `arn:aws:iam::${account}:role/escalate`, "create roles"),
  ];
}

/** A restored copy's ARN: restore tests name it `awsbackup-restore-test-<random>`. */
const restoredDbOf = (region: string, account: string) =>
  `arn:aws:rds:${region}:${account}:db:awsbackup-restore-test-1`;

const backup: Row = {
  id: "AWS Backup backup role (the plan's selection)",
  service: "backup.amazonaws.com",
  roles: (g) => uniq(ofType(g, SELECTION).map((s) => s.inputs.iamRoleArn as string)),
  checks(g, role, account) {
    const selected = uniq(
      ofType(g, SELECTION)
        .filter((s) => s.inputs.iamRoleArn === role)
        .flatMap((s) => s.inputs.resources as string[]),
    );
    const region = f.region(g);
    const restoredDb = restoredDbOf(region, account);
    return {
      allow: [
        ...selected.flatMap((db) => [
          c("rds:CreateDBSnapshot", db, "snapshot a selected database"),
          c("rds:DescribeDBInstances", db, "read the selected database"),
        ]),
        ...f
          .arnsOf(g, "aws:backup/vault:Vault")
          .map((v) => c("backup:CopyIntoBackupVault", v, "store recovery points in its vault")),
        c(
          "rds:DeleteDBSnapshot",
          `arn:aws:rds:${region}:${account}:snapshot:awsbackup:job-1`,
          "delete an expired recovery point's snapshot (lifecycle)",
        ),
      ],
      deny: [
        ...backupRoleDenies(g, selected, account),
        c("rds:RestoreDBInstanceFromDBSnapshot", restoredDb, "restore: the restore role's duty"),
        c("rds:DeleteDBInstance", restoredDb, "delete any instance, even a restored copy"),
        c(
          "rds:CreateDBSnapshot",
          `arn:aws:rds:${region}:${f.OTHER_ACCOUNT}:db:other`,
          "another account's database",
          { resourceAccount: f.OTHER_ACCOUNT },
        ),
      ],
      broad: [
        c(
          "rds:CreateDBSnapshot",
          `arn:aws:rds:${region}:${account}:db:other`,
          "any database of the account (ForBackup: Resource *)",
        ),
        c(
          "rds:ModifyDBInstance",
          `arn:aws:rds:${region}:${account}:db:other`,
          "modify any other instance (ForBackup: db:*, for continuous backups); the protected one is denied",
        ),
      ],
      sourceArn: `arn:aws:backup:${region}:${account}:backup-plan:any`,
    };
  },
};

const restore: Row = {
  id: "AWS Backup restore role (restore testing, restores)",
  service: "backup.amazonaws.com",
  roles: (g) => uniq(ofType(g, RESTORE_SELECTION).map((s) => s.inputs.iamRoleArn as string)),
  checks(g, role, account) {
    const tested = uniq(
      ofType(g, RESTORE_SELECTION)
        .filter((s) => s.inputs.iamRoleArn === role)
        .flatMap((s) => s.inputs.protectedResourceArns as string[]),
    );
    const region = f.region(g);
    const restoredDb = restoredDbOf(region, account);
    return {
      allow: [
        c("backup:StartRestoreJob", "*", "restore testing starts restore jobs"),
        c("rds:RestoreDBInstanceFromDBSnapshot", restoredDb, "restore a recovery point as a new instance"),
        c(
          "rds:DeleteDBInstance",
          restoredDb,
          "delete a restored copy (ForRestores; the scheduled clean-up runs as the restore testing service-linked role)",
        ),
      ],
      deny: [
        ...backupRoleDenies(g, tested, account),
        ...tested.map((db) => c("rds:CreateDBSnapshot", db, "snapshot: the backup role's duty")),
        ...f
          .arnsOf(g, "aws:backup/vault:Vault")
          .map((v) => c("backup:CopyIntoBackupVault", v, "write recovery points: the backup role's duty")),
      ],
      broad: [
        c(
          "rds:DeleteDBInstance",
          `arn:aws:rds:${region}:${account}:db:other`,
          "delete any other instance (ForRestores: Resource *, for restore testing's clean-up); the protected one is denied",
        ),
      ],
      sourceArn: `arn:aws:backup:${region}:${account}:restore-testing-plan:any`,
    };
  },
};

const config: Row = {
  id: "AWS Config recorder role (account baseline)",
  service: "config.amazonaws.com",
  roles: (g) => uniq(ofType(g, "aws:cfg/recorder:Recorder").map((r) => r.inputs.roleArn as string)),
  checks(g, role, account) {
    const channels = ofType(g, "aws:cfg/deliveryChannel:DeliveryChannel");
    if (channels.length !== 1)
      throw new Error(`${role}: expected one Config delivery channel, found ${channels.length}`);
    const ch = channels[0].inputs as { s3BucketName: string; s3KeyPrefix?: string; s3KmsKeyArn?: string };
    const bucket = `arn:aws:s3:::${ch.s3BucketName}`;
    const prefix = ch.s3KeyPrefix ? `${ch.s3KeyPrefix}/` : "";
    const object = `${bucket}/${prefix}AWSLogs/${account}/Config/${f.region(g)}/2026/1/1/ConfigSnapshot/x.json.gz`;
    const bp = f.bucketPolicy(g, ch.s3BucketName);
    const rp = bp ? { resourcePolicy: bp } : {};
    const acl = { "s3:x-amz-acl": "bucket-owner-full-control" };
    const kp = ch.s3KmsKeyArn ? { resourcePolicy: f.keyPolicy(g, ch.s3KmsKeyArn) } : {};
    const otherKeys = f.arnsOf(g, "aws:kms/key:Key").filter((k) => k !== ch.s3KmsKeyArn);
    return {
      allow: [
        c("s3:PutObject", object, "deliver configuration snapshots", { ...rp, context: acl }),
        c("s3:GetBucketAcl", bucket, "check the bucket before delivering", rp),
        ...(ch.s3KmsKeyArn ? [c("kms:GenerateDataKey", ch.s3KmsKeyArn, "encrypt deliveries", kp)] : []),
        c("ec2:DescribeSecurityGroups", "*", "record resource configurations (AWS_ConfigRole)"),
      ],
      deny: [
        c("s3:PutObject", object, "deliver without bucket-owner-full-control", rp),
        c(
          "s3:PutObject",
          `${bucket}/AWSLogs/${account}/CloudTrail/x.json.gz`,
          "write into CloudTrail's prefix",
          {
            ...rp,
            context: acl,
          },
        ),
        c("s3:DeleteObject", object, "delete delivered logs", rp),
        ...objectsOfBuckets(g).map((o) => c("s3:GetObject", o, "read bucket objects")),
        ...f
          .arnsOf(g, "aws:secretsmanager/secret:Secret")
          .map((s) => c("secretsmanager:GetSecretValue", s, "read a secret value")),
        ...otherKeys.map((k) =>
          c("kms:GenerateDataKey", k, "use another key", { resourcePolicy: f.keyPolicy(g, k) }),
        ),
      ],
      broad: [
        c(
          "secretsmanager:DescribeSecret",
          f.arnsOf(g, "aws:secretsmanager/secret:Secret")[0] ?? "*",
          "metadata of every resource (AWS_ConfigRole)",
        ),
        c("s3:GetBucketPolicy", bucket, "resource policies of every resource (AWS_ConfigRole)", rp),
      ],
    };
  },
};

export const MANAGED_ROWS: Row[] = [backup, restore, config];
