/**
 * The arguments of the AWS Database component (RDS for PostgreSQL): their types, documentation, costs and
 * defaults. Each building block declares its own children's `transform` hooks (`./databaseAccess`,
 * `./databaseSecrets`, `./databaseProxy`); {@link DatabaseTransforms} gathers them. Validation is in
 * `./databaseSettings`.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { Transform } from "../shared/transform";
import type { DatabaseAccessTransforms } from "./databaseAccess";
import type { DatabaseProxyTransforms } from "./databaseProxy";
import type { DatabaseSecretTransforms, SslMode } from "./databaseSecrets";
import type { PostgresMajor } from "./rdsPostgres";

/**
 * Per-child `transform` hooks (partial args merged over the component's, or a function editing them): the
 * subnet group, parameter group and instance here; the security group and rules
 * ({@link DatabaseAccessTransforms}); the password and secrets ({@link DatabaseSecretTransforms}); the RDS
 * Proxy, its security group, role and targets ({@link DatabaseProxyTransforms}).
 */
export interface DatabaseTransforms
  extends DatabaseAccessTransforms, DatabaseSecretTransforms, DatabaseProxyTransforms {
  subnetGroup?: Transform<aws.rds.SubnetGroupArgs>;
  parameterGroup?: Transform<aws.rds.ParameterGroupArgs>;
  instance?: Transform<aws.rds.InstanceArgs>;
}

export interface DatabaseArgs {
  /** The VPC the database lives in (`network.vpcId`). */
  vpcId: pulumi.Input<string>;
  /**
   * Subnets of the DB subnet group: the isolated tier (`network.isolatedSubnetIds`), at least two AZs (RDS
   * requires two even for a single-AZ instance).
   */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Security groups allowed to connect on 5432 (the service's tasks, the migrate task). The database
   * security group gets one ingress rule per group (referenced group, never a CIDR). Append only:
   * rules are named by position. Clients created after the database (the service, whose task group
   * depends on this component's secrets) are admitted with {@link Database.allowFrom} instead.
   * @default [] (no client until allowFrom is called)
   * @example [service.taskSecurityGroupId]
   */
  allowedSecurityGroupIds?: pulumi.Input<string>[];
  /**
   * PostgreSQL major version; the full version is pinned by {@link POSTGRES_VERSIONS}. A major upgrade
   * replaces the parameter group and is applied with `allowMajorVersionUpgrade` (set it via `transform`).
   * @default "17"
   */
  engineVersion?: PostgresMajor;
  /**
   * Full engine version override (`"17.8"`), same major as `engineVersion`. Needed after AWS auto-upgraded
   * the minor version, or the next `pulumi up` would try to downgrade it (RDS rejects that).
   * @default POSTGRES_VERSIONS[engineVersion]
   */
  engineFullVersion?: string;
  /**
   * Instance class (`db.` prefix).
   * Cost: db.t4g.micro ≈ $11.68/month single-AZ (us-east-1, $0.016/h); db.t4g.small ≈ $23.36; db.m7g.large
   * ≈ $119. Multi-AZ doubles it.
   * @default "db.t4g.micro"
   * @example "db.m7g.large"
   */
  instanceClass?: string;
  /**
   * Initial gp3 storage in GiB (20-65536).
   * Cost: gp3 $0.115/GB-month (3,000 IOPS and 125 MB/s included below 400 GiB); doubled with Multi-AZ.
   * @default 20
   */
  allocatedStorageGb?: number;
  /**
   * Storage autoscaling ceiling in GiB; must be greater than `allocatedStorageGb`. You pay only for what is
   * allocated (autoscaling grows by at least 10% when free space falls under 10%).
   * @default 100
   */
  maxAllocatedStorageGb?: number;
  /**
   * KMS key ARN for storage and Performance Insights encryption. Storage is always encrypted; without a
   * key RDS uses the AWS managed key `aws/rds` (snapshots then cannot be shared across accounts).
   * Cost: $1/month per customer managed key.
   * @default undefined (aws/rds)
   */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * A standby in a second AZ with synchronous replication and automatic failover (60-120 s).
   * Cost: doubles instance and storage cost.
   * @default false
   */
  multiAz?: boolean;
  /**
   * Deletion protection (RDS refuses to delete the instance). Set it in prod.
   * @default false
   */
  deletionProtection?: boolean;
  /**
   * Take a final snapshot (named `<identifier>-final`) when the instance is deleted. Defaults to the
   * value of `deletionProtection` (prod). Cost: snapshot storage $0.095/GB-month until deleted.
   * @default deletionProtection
   */
  finalSnapshot?: boolean;
  /**
   * Days of automated backups and point-in-time recovery (7-35).
   * Cost: backup storage up to the size of the database is free; beyond that $0.095/GB-month.
   * @default 7
   */
  backupRetentionDays?: number;
  /**
   * Daily backup window, UTC (`hh24:mi-hh24:mi`, at least 30 minutes, not overlapping maintenance).
   * @default "03:00-03:30"
   */
  backupWindow?: string;
  /**
   * Weekly maintenance window, UTC (`ddd:hh24:mi-ddd:hh24:mi`).
   * @default "sun:04:00-sun:05:00"
   */
  maintenanceWindow?: string;
  /**
   * Performance Insights with 7 days of retention (the free tier).
   * @default true
   */
  performanceInsights?: boolean;
  /**
   * Let RDS apply minor version upgrades in the maintenance window. After one, set `engineFullVersion` to
   * the new version (see there).
   * @default true
   */
  autoMinorVersionUpgrade?: boolean;
  /**
   * `log_min_duration_statement` in ms: statements slower than this are logged (-1 disables).
   * Cost: CloudWatch Logs ingestion $0.50/GB.
   * @default 500
   */
  logMinDurationMs?: number;
  /** Name of the database created on the instance. @default "meridian" */
  databaseName?: string;
  /** Master username (lowercase, not a reserved name). @default "meridian_admin" */
  masterUsername?: string;
  /**
   * `sslmode` of the connection URL secret. `"verify-full"`: encrypted, and the client checks the chain and
   * the host name, so it must trust the RDS root CAs when it connects to the instance (the Meridian API:
   * `DATABASE_SSL_CA_BUNDLE=aws-rds`; libpq: `sslrootcert=` the RDS global bundle; Node: `NODE_EXTRA_CA_CERTS`);
   * the RDS Proxy's certificate is issued by Amazon Trust Services, which public trust stores hold.
   * `"require"`: encrypted, server identity not verified (for clients that cannot be given the CA).
   * @default "verify-full"
   */
  sslMode?: SslMode;
  /**
   * An RDS Proxy (TLS required, secrets auth with the credentials secret) in front of the instance; the
   * URL secret then points at the proxy. Cost: $0.015 per vCPU-hour of the instance, minimum 2 vCPUs
   * (≈ $21.90/month).
   * @default false
   */
  proxy?: boolean;
  /**
   * Days a deleted secret can be restored (7-30), or 0 to delete at once (dev: lets a destroyed stack be
   * recreated with the same secret names).
   * @default 7
   */
  secretRecoveryWindowDays?: number;
  /** Tags for every taggable child (plus its `Name`). Pass the standard set (`awsTags(...)`). */
  tags: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: DatabaseTransforms;
}

export const DATABASE_DEFAULTS = {
  engineVersion: "17" as PostgresMajor,
  instanceClass: "db.t4g.micro",
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  multiAz: false,
  deletionProtection: false,
  backupRetentionDays: 7,
  backupWindow: "03:00-03:30",
  maintenanceWindow: "sun:04:00-sun:05:00",
  performanceInsights: true,
  autoMinorVersionUpgrade: true,
  logMinDurationMs: 500,
  databaseName: "meridian",
  masterUsername: "meridian_admin",
  sslMode: "verify-full" as SslMode,
  proxy: false,
  secretRecoveryWindowDays: 7,
} as const;
