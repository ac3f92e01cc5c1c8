/**
 * Meridian's PostgreSQL on AWS: one RDS for PostgreSQL instance (16 or 17) in the isolated subnets, TLS
 * forced by its parameter group, storage encrypted (gp3, autoscaling), automated backups with PITR,
 * Performance Insights, IAM authentication, a master password generated with @pulumi/random and stored in
 * Secrets Manager (never in config) together with the connection URL the service reads as `DATABASE_URL`,
 * and an optional RDS Proxy that requires TLS.
 *
 * Validation is pure and exported ({@link resolveDatabaseArgs}, {@link databaseUrl}) so it tests without
 * mocks. See docs/components/aws-database.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { applyTransform, Transform } from "../shared/transform";
import { bool, intIn, oneOf, resolveArgs, show } from "../shared/validate";
import { createServiceRole } from "./iam";
import { validateTags } from "./network";
import { awsEnvironment } from "./environment";
import { RDS_ENGINE_VERSIONS, rdsVersionProblem } from "../../policies/lib/rdsVersions";
import { childKit, type ChildKit } from "../shared/component";

/** PostgreSQL major versions the component deploys. */
export const POSTGRES_MAJORS = ["16", "17"] as const;
export type PostgresMajor = (typeof POSTGRES_MAJORS)[number];

/**
 * The full engine version pinned per major, from the table the pack's `aws-rds-engine-version` rule also
 * reads (policies/lib/rdsVersions.ts): RDS deprecated 16.5-16.8 and 17.1-17.4 on 2026-05-31 (no new
 * instances from 2026-05-01), and upgrades them to 16.11+/17.7+, so those are the pins. Override with
 * `engineFullVersion` when AWS releases a newer minor (or after it auto-upgraded the instance); a minor the
 * table says takes no new instances is refused.
 */
export const POSTGRES_VERSIONS: Record<PostgresMajor, string> = {
  "16": `16.${RDS_ENGINE_VERSIONS.postgres["16"].pinned}`,
  "17": `17.${RDS_ENGINE_VERSIONS.postgres["17"].pinned}`,
};

/** The CA the instance's server certificate is issued by (RSA 2048, 1-year leaf certificates, auto-rotated). */
export const RDS_CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";

/** PostgreSQL's port. */
export const POSTGRES_PORT = 5432;

/** GiB of memory per size, for the burstable (t) and general-purpose (m) families; memory-optimised (r) has twice. */
const SIZE_GIB: Record<string, number> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  "2xlarge": 32,
  "4xlarge": 64,
  "8xlarge": 128,
  "12xlarge": 192,
  "16xlarge": 256,
};

/**
 * RDS PostgreSQL's default `max_connections` for an instance class: `LEAST(DBInstanceClassMemory / 9531392,
 * 5000)`, where DBInstanceClassMemory is the class's memory less what the OS and RDS processes reserve
 * (about 10%, more on the smallest classes, so this estimate errs high by a few connections there). It
 * feeds the app's pool formula (DB_MAX_CONNECTIONS). Unknown classes get 100, PostgreSQL's own default.
 * @example rdsMaxConnections("db.t4g.micro") // 101
 */
export function rdsMaxConnections(instanceClass: string): number {
  const m = /^db\.([a-z])[0-9a-z-]*\.([0-9]*x?large|micro|small|medium)$/.exec(instanceClass);
  const gib = m ? SIZE_GIB[m[2]] : undefined;
  if (!m || gib === undefined) return 100;
  const memory = gib * (m[1] === "r" || m[1] === "x" ? 2 : 1) * 1024 ** 3 * 0.9;
  return Math.min(Math.floor(memory / 9531392), 5000);
}

/** The `sslmode` written into the connection URL. */
export const SSL_MODES = ["require", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Usernames RDS for PostgreSQL reserves or that are PostgreSQL roles already. */
const RESERVED_USERNAMES = ["postgres", "rdsadmin", "rdsrepladmin", "rds_superuser", "admin", "public"];

/** CloudWatch Logs exports of the instance. */
export const DATABASE_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** Per-child `transform` hooks (partial args merged over the component's, or a function editing them). */
export interface DatabaseTransforms {
  securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  /** Every ingress rule of the database (and proxy) security group. */
  ingressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
  subnetGroup?: Transform<aws.rds.SubnetGroupArgs>;
  parameterGroup?: Transform<aws.rds.ParameterGroupArgs>;
  instance?: Transform<aws.rds.InstanceArgs>;
  password?: Transform<random.RandomPasswordArgs>;
  /** Both secrets (`<name>-url-secret`, `<name>-credentials-secret`). */
  secret?: Transform<aws.secretsmanager.SecretArgs>;
  secretVersion?: Transform<aws.secretsmanager.SecretVersionArgs>;
  proxy?: Transform<aws.rds.ProxyArgs>;
  proxySecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  proxyEgressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
  /** The egress rules {@link Database.allowFrom} adds to a client's security group. */
  clientEgressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
  proxyRole?: Transform<aws.iam.RoleArgs>;
  proxyPolicy?: Transform<aws.iam.RolePolicyArgs>;
  proxyTargetGroup?: Transform<aws.rds.ProxyDefaultTargetGroupArgs>;
  proxyTarget?: Transform<aws.rds.ProxyTargetArgs>;
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

/** The validated args with defaults applied. */
export interface DatabaseSettings {
  major: PostgresMajor;
  fullVersion: string;
  family: string;
  instanceClass: string;
  allocatedStorageGb: number;
  maxAllocatedStorageGb: number;
  multiAz: boolean;
  deletionProtection: boolean;
  finalSnapshot: boolean;
  backupRetentionDays: number;
  backupWindow: string;
  maintenanceWindow: string;
  performanceInsights: boolean;
  autoMinorVersionUpgrade: boolean;
  logMinDurationMs: number;
  databaseName: string;
  masterUsername: string;
  sslMode: SslMode;
  proxy: boolean;
  secretRecoveryWindowDays: number;
  tags: Tags;
}

const DAY = "(mon|tue|wed|thu|fri|sat|sun)";
const HHMM = "([01]\\d|2[0-3]):[0-5]\\d";

/** Validates a `hh24:mi-hh24:mi` window. */
export function validateDailyWindow(arg: string, value: unknown): string {
  if (typeof value !== "string" || !new RegExp(`^${HHMM}-${HHMM}$`).test(value)) {
    throw new Error(
      `${arg} is ${show(value)}; allowed: a UTC window "hh24:mi-hh24:mi" such as "03:00-03:30"`,
    );
  }
  return value;
}

/** Validates a `ddd:hh24:mi-ddd:hh24:mi` window. */
export function validateWeeklyWindow(arg: string, value: unknown): string {
  if (typeof value !== "string" || !new RegExp(`^${DAY}:${HHMM}-${DAY}:${HHMM}$`).test(value)) {
    throw new Error(
      `${arg} is ${show(value)}; allowed: a UTC window "ddd:hh24:mi-ddd:hh24:mi" such as "sun:04:00-sun:05:00"`,
    );
  }
  return value;
}

/** Validates the allowed security groups: a list (possibly empty); literal ids must look like `sg-...`. */
export function validateSecurityGroupIds(arg: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    throw new Error(
      `${arg} is ${show(value)}; allowed: a list of security group ids (the clients' groups); ` +
        `no CIDR access is offered`,
    );
  }
  for (const id of value) {
    if (typeof id === "string" && !/^sg-[0-9a-f]{8,17}$/.test(id)) {
      throw new Error(
        `${arg} contains ${show(id)}; allowed: security group ids such as "sg-0123456789abcdef0"`,
      );
    }
  }
}

/** Validates every arg synchronously and applies defaults. Errors name the arg, the value and what is allowed. */
export function resolveDatabaseArgs(args: DatabaseArgs): DatabaseSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = DATABASE_DEFAULTS;
  if (args.vpcId === undefined || args.vpcId === "")
    throw new Error(`vpcId is ${show(args.vpcId)}; allowed: a VPC id`);
  if (args.subnetIds === undefined || (Array.isArray(args.subnetIds) && args.subnetIds.length < 2)) {
    throw new Error(
      `subnetIds is ${show(args.subnetIds)}; allowed: at least two subnet ids in different AZs (the isolated tier)`,
    );
  }
  validateSecurityGroupIds("allowedSecurityGroupIds", args.allowedSecurityGroupIds);
  const major = oneOf("engineVersion", args.engineVersion ?? d.engineVersion, POSTGRES_MAJORS);
  const fullVersion = args.engineFullVersion ?? POSTGRES_VERSIONS[major];
  if (typeof fullVersion !== "string" || !new RegExp(`^${major}\\.\\d+$`).test(fullVersion)) {
    throw new Error(
      `engineFullVersion is ${show(fullVersion)}; allowed: a "${major}.<minor>" version of the same major as ` +
        `engineVersion ${show(major)}, such as ${show(POSTGRES_VERSIONS[major])}`,
    );
  }
  const deprecated = rdsVersionProblem("postgres", fullVersion);
  if (deprecated) throw new Error(`engineFullVersion is ${show(fullVersion)}: ${deprecated}`);
  const instanceClass = args.instanceClass ?? d.instanceClass;
  if (typeof instanceClass !== "string" || !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) {
    throw new Error(
      `instanceClass is ${show(instanceClass)}; allowed: an RDS instance class with the "db." prefix, such as "db.t4g.micro"`,
    );
  }
  const allocatedStorageGb = intIn(
    "allocatedStorageGb",
    args.allocatedStorageGb ?? d.allocatedStorageGb,
    20,
    65536,
    " (GiB, gp3)",
  );
  const maxAllocatedStorageGb = intIn(
    "maxAllocatedStorageGb",
    args.maxAllocatedStorageGb ?? Math.max(d.maxAllocatedStorageGb, allocatedStorageGb + 1),
    21,
    65536,
    " (GiB)",
  );
  if (maxAllocatedStorageGb <= allocatedStorageGb) {
    throw new Error(
      `maxAllocatedStorageGb is ${maxAllocatedStorageGb}; allowed: greater than allocatedStorageGb (${allocatedStorageGb}) ` +
        `so storage autoscaling can grow`,
    );
  }
  const deletionProtection = bool("deletionProtection", args.deletionProtection ?? d.deletionProtection);
  const backupWindow = validateDailyWindow("backupWindow", args.backupWindow ?? d.backupWindow);
  const maintenanceWindow = validateWeeklyWindow(
    "maintenanceWindow",
    args.maintenanceWindow ?? d.maintenanceWindow,
  );
  const databaseName = args.databaseName ?? d.databaseName;
  if (typeof databaseName !== "string" || !/^[a-z][a-z0-9_]{0,62}$/.test(databaseName)) {
    throw new Error(
      `databaseName is ${show(databaseName)}; allowed: 1-63 lowercase letters, digits or "_", starting with a letter`,
    );
  }
  const masterUsername = args.masterUsername ?? d.masterUsername;
  if (typeof masterUsername !== "string" || !/^[a-z][a-z0-9_]{0,62}$/.test(masterUsername)) {
    throw new Error(
      `masterUsername is ${show(masterUsername)}; allowed: 1-63 lowercase letters, digits or "_", starting with a letter`,
    );
  }
  if (RESERVED_USERNAMES.includes(masterUsername) || masterUsername.startsWith("pg_")) {
    throw new Error(
      `masterUsername is ${show(masterUsername)}; allowed: any name but ${RESERVED_USERNAMES.map(show).join(", ")} ` +
        `or "pg_*" (reserved by PostgreSQL or RDS)`,
    );
  }
  const secretRecoveryWindowDays = args.secretRecoveryWindowDays ?? d.secretRecoveryWindowDays;
  if (
    secretRecoveryWindowDays !== 0 &&
    (typeof secretRecoveryWindowDays !== "number" ||
      !Number.isInteger(secretRecoveryWindowDays) ||
      secretRecoveryWindowDays < 7 ||
      secretRecoveryWindowDays > 30)
  ) {
    throw new Error(
      `secretRecoveryWindowDays is ${show(secretRecoveryWindowDays)}; allowed: 0 (delete at once) or an integer from 7 to 30`,
    );
  }
  const logMinDurationMs = args.logMinDurationMs ?? d.logMinDurationMs;
  if (typeof logMinDurationMs !== "number" || !Number.isInteger(logMinDurationMs) || logMinDurationMs < -1) {
    throw new Error(
      `logMinDurationMs is ${show(logMinDurationMs)}; allowed: -1 (off), 0 (all) or a positive integer`,
    );
  }
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return {
    major,
    fullVersion,
    family: `postgres${major}`,
    instanceClass,
    allocatedStorageGb,
    maxAllocatedStorageGb,
    multiAz: bool("multiAz", args.multiAz ?? d.multiAz),
    deletionProtection,
    finalSnapshot: bool("finalSnapshot", args.finalSnapshot ?? deletionProtection),
    backupRetentionDays: intIn(
      "backupRetentionDays",
      args.backupRetentionDays ?? d.backupRetentionDays,
      7,
      35,
      " (days of backups and point-in-time recovery)",
    ),
    backupWindow,
    maintenanceWindow,
    performanceInsights: bool("performanceInsights", args.performanceInsights ?? d.performanceInsights),
    autoMinorVersionUpgrade: bool(
      "autoMinorVersionUpgrade",
      args.autoMinorVersionUpgrade ?? d.autoMinorVersionUpgrade,
    ),
    logMinDurationMs,
    databaseName,
    masterUsername,
    sslMode: oneOf("sslMode", args.sslMode ?? d.sslMode, SSL_MODES),
    proxy: bool("proxy", args.proxy ?? d.proxy),
    secretRecoveryWindowDays,
    tags: validateTags(args.tags),
  };
}

/** The parameters of the instance's parameter group. */
export function databaseParameters(
  s: Pick<DatabaseSettings, "logMinDurationMs">,
): aws.types.input.rds.ParameterGroupParameter[] {
  return [
    // Refuse any connection without TLS (the default from PG 15 on RDS, set explicitly so it stays).
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
    // Static: takes effect after a reboot (new instances boot with it).
    { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
    { name: "log_min_duration_statement", value: String(s.logMinDurationMs), applyMethod: "immediate" },
  ];
}

/**
 * The connection URL: `postgres://user:pass@host:5432/db?sslmode=<mode>`. User and password are
 * percent-encoded. No `sslrootcert` parameter: postgres.js (the app's driver) forwards unknown URL
 * parameters to the server as startup parameters, and PostgreSQL rejects `sslrootcert` there.
 */
export function databaseUrl(parts: {
  username: string;
  password: string;
  host: string;
  port: number;
  database: string;
  sslMode: SslMode;
}): string {
  const user = encodeURIComponent(parts.username);
  const pass = encodeURIComponent(parts.password);
  return `postgres://${user}:${pass}@${parts.host}:${parts.port}/${parts.database}?sslmode=${parts.sslMode}`;
}

/**
 * A production PostgreSQL for the Meridian API on RDS.
 *
 * @example
 * const db = new Database("meridian-prod-db", {
 *   vpcId: network.vpcId,
 *   subnetIds: network.isolatedSubnetIds,
 *   allowedSecurityGroupIds: [serviceSecurityGroupId],
 *   engineVersion: "17",
 *   instanceClass: "db.m7g.large",
 *   multiAz: true,
 *   deletionProtection: true,
 *   backupRetentionDays: 14,
 *   proxy: true,
 *   tags,
 * });
 * // service: secrets: [{ name: "DATABASE_URL", valueFrom: db.connectionUrlSecretArn }]
 *
 * ## Cost (us-east-1 list prices)
 * - dev (db.t4g.micro, 20 GiB gp3, single-AZ): ≈ $11.68 + $2.30 ≈ $14/month.
 * - prod (db.m7g.large Multi-AZ, 100 GiB): ≈ $238 + $23 ≈ $261/month; RDS Proxy ≈ $22+/month.
 * - Secrets Manager: $0.40/secret-month (two secrets) + $0.05 per 10,000 API calls.
 * - Performance Insights 7 days: free. Log exports: CloudWatch Logs $0.50/GB ingested.
 */
export class Database extends pulumi.ComponentResource {
  private readonly childOpts: ChildKit["childOpts"];
  private readonly tagsFor: ChildKit["tagsFor"];
  /** `host:port` of the instance. */
  public readonly endpoint: pulumi.Output<string>;
  /** Host name of the instance. */
  public readonly address: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly instanceIdentifier: pulumi.Output<string>;
  public readonly instanceArn: pulumi.Output<string>;
  /** The database security group (admits only the allowed groups and the proxy). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Secret holding the connection URL (`DATABASE_URL`); points at the proxy when there is one. */
  public readonly connectionUrlSecretArn: pulumi.Output<string>;
  /** Secret holding `{username, password, host, port, dbname, engine}` (the proxy reads it). */
  public readonly credentialsSecretArn: pulumi.Output<string>;
  /** The proxy's endpoint, when `proxy` is on. */
  public readonly proxyEndpoint?: pulumi.Output<string>;
  /** The proxy's security group, when `proxy` is on. */
  public readonly proxySecurityGroupId?: pulumi.Output<string>;
  /** What auditors read about the database. */
  public readonly posture: NonNullable<Posture["database"]>;
  /** The roles this component creates (the proxy's), with their exact permissions. */
  public readonly identities: Posture["identities"];
  /** Names (never values) of the secrets this component creates. */
  public readonly secretNames: string[];
  /** The settings the component resolved (validated args with defaults). */
  public readonly settings: DatabaseSettings;

  private readonly baseName: string;
  private readonly transforms: DatabaseTransforms;

  constructor(name: string, args: DatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Database", name, () => resolveDatabaseArgs(args));
    super("meridian:aws:Database", name, {}, opts);
    this.baseName = name;
    this.settings = settings;
    ({ childOpts: this.childOpts, tagsFor: this.tagsFor } = childKit(this, settings.tags));
    this.transforms = args.transform ?? {};
    const s = settings;

    const sg = this.securityGroup(
      `${name}-sg`,
      "db",
      args.vpcId,
      `PostgreSQL ${name}: 5432 from the allowed groups only`,
      this.transforms.securityGroup,
    );
    (args.allowedSecurityGroupIds ?? []).forEach((id, i) =>
      this.ingress(`${name}-ingress-${i}`, sg.id, id, `PostgreSQL from allowed group ${i}`),
    );

    const subnetGroup = new aws.rds.SubnetGroup(
      ...applyTransform(
        this.transforms.subnetGroup,
        `${name}-subnets`,
        {
          name: physicalName("aws:rds", name, "subnets"),
          description: asciiDescription(`Isolated subnets of ${name}`),
          subnetIds: args.subnetIds,
          tags: this.tagsFor(`${name}-subnets`),
        },
        this.childOpts(),
      ),
    );

    const parameterGroup = new aws.rds.ParameterGroup(
      ...applyTransform(
        this.transforms.parameterGroup,
        `${name}-params`,
        {
          // The major is part of the name: an upgrade creates the new group before the old is deleted.
          name: physicalName("aws:rds", name, s.family),
          family: s.family,
          description: asciiDescription(`TLS-only PostgreSQL ${s.major} settings of ${name}`),
          parameters: databaseParameters(s),
          tags: this.tagsFor(`${name}-params`),
        },
        this.childOpts(),
      ),
    );

    const password = new random.RandomPassword(
      ...applyTransform(
        this.transforms.password,
        `${name}-master-password`,
        // Letters and digits only: safe in a URL, in libpq keyword strings and in shells.
        { length: 32, special: false, minLower: 2, minUpper: 2, minNumeric: 2 },
        this.childOpts(),
      ),
    );

    const identifier = physicalName("aws:rds", name);
    const instance = new aws.rds.Instance(
      ...applyTransform(
        this.transforms.instance,
        name,
        {
          identifier,
          engine: "postgres",
          engineVersion: s.fullVersion,
          instanceClass: s.instanceClass,
          dbName: s.databaseName,
          username: s.masterUsername,
          password: password.result,
          port: POSTGRES_PORT,
          storageType: "gp3",
          allocatedStorage: s.allocatedStorageGb,
          maxAllocatedStorage: s.maxAllocatedStorageGb,
          storageEncrypted: true,
          kmsKeyId: args.kmsKeyArn,
          multiAz: s.multiAz,
          dbSubnetGroupName: subnetGroup.name,
          vpcSecurityGroupIds: [sg.id],
          parameterGroupName: parameterGroup.name,
          publiclyAccessible: false,
          caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
          iamDatabaseAuthenticationEnabled: true,
          backupRetentionPeriod: s.backupRetentionDays,
          backupWindow: s.backupWindow,
          maintenanceWindow: s.maintenanceWindow,
          copyTagsToSnapshot: true,
          deleteAutomatedBackups: !s.deletionProtection,
          deletionProtection: s.deletionProtection,
          skipFinalSnapshot: !s.finalSnapshot,
          finalSnapshotIdentifier: s.finalSnapshot ? physicalName("aws:rds", identifier, "final") : undefined,
          performanceInsightsEnabled: s.performanceInsights,
          performanceInsightsRetentionPeriod: s.performanceInsights ? 7 : undefined,
          performanceInsightsKmsKeyId: s.performanceInsights ? args.kmsKeyArn : undefined,
          autoMinorVersionUpgrade: s.autoMinorVersionUpgrade,
          allowMajorVersionUpgrade: false,
          enabledCloudwatchLogsExports: [...DATABASE_LOG_EXPORTS],
          applyImmediately: false,
          tags: this.tagsFor(name),
        },
        this.childOpts(),
      ),
    );

    const credentialsSecretName = physicalName("aws:secret", `${name}/database/credentials`);
    const urlSecretName = physicalName("aws:secret", `${name}/database/url`);
    const credentialsSecret = this.secret(
      `${name}-credentials-secret`,
      credentialsSecretName,
      `Master credentials of ${name} (JSON: username, password, host, port, dbname)`,
    );
    this.secretVersion(
      `${name}-credentials-secret-version`,
      credentialsSecret,
      pulumi.jsonStringify({
        username: s.masterUsername,
        password: password.result,
        engine: "postgres",
        host: instance.address,
        port: POSTGRES_PORT,
        dbname: s.databaseName,
      }),
    );

    let urlHost: pulumi.Output<string> = instance.address;
    let identities: Posture["identities"] = [];
    if (s.proxy) {
      const proxy = this.createProxy(args, sg, instance, credentialsSecret);
      urlHost = proxy.endpoint;
      identities = [proxy.identity];
      this.proxyEndpoint = proxy.endpoint;
      this.proxySecurityGroupId = proxy.securityGroupId;
    }

    const urlSecret = this.secret(
      `${name}-url-secret`,
      urlSecretName,
      `DATABASE_URL of ${name} (TLS ${s.sslMode})`,
    );
    this.secretVersion(
      `${name}-url-secret-version`,
      urlSecret,
      pulumi.secret(
        pulumi.all([password.result, urlHost]).apply(([pass, host]) =>
          databaseUrl({
            username: s.masterUsername,
            password: pass,
            host,
            port: POSTGRES_PORT,
            database: s.databaseName,
            sslMode: s.sslMode,
          }),
        ),
      ),
    );

    this.endpoint = instance.endpoint;
    this.address = instance.address;
    this.port = instance.port;
    this.instanceIdentifier = instance.identifier;
    this.instanceArn = instance.arn;
    this.securityGroupId = sg.id;
    this.connectionUrlSecretArn = urlSecret.arn;
    this.credentialsSecretArn = credentialsSecret.arn;
    this.identities = identities;
    this.secretNames = [urlSecretName, credentialsSecretName];
    this.posture = {
      engine: "postgres",
      version: s.fullVersion,
      tlsRequired: true,
      clientVerification: s.sslMode,
      encryptedAtRest: true,
      backupRetentionDays: s.backupRetentionDays,
      pointInTimeRecovery: s.backupRetentionDays > 0,
      deletionProtection: s.deletionProtection,
      highAvailability: s.multiAz,
    };

    this.registerOutputs({
      endpoint: this.endpoint,
      address: this.address,
      port: this.port,
      instanceIdentifier: this.instanceIdentifier,
      instanceArn: this.instanceArn,
      securityGroupId: this.securityGroupId,
      connectionUrlSecretArn: this.connectionUrlSecretArn,
      credentialsSecretArn: this.credentialsSecretArn,
      proxyEndpoint: this.proxyEndpoint,
      proxySecurityGroupId: this.proxySecurityGroupId,
      posture: this.posture,
      identities: this.identities,
      secretNames: this.secretNames,
    });
  }

  /** A security group without inline rules (the provider removes AWS's default allow-all egress rule). */
  private securityGroup(
    logicalName: string,
    suffix: string,
    vpcId: pulumi.Input<string>,
    description: string,
    transform: Transform<aws.ec2.SecurityGroupArgs> | undefined,
  ): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
      ...applyTransform(
        transform,
        logicalName,
        {
          vpcId,
          name: physicalName("aws:securityGroup", this.baseName, suffix),
          description: asciiDescription(description),
          tags: this.tagsFor(logicalName),
        },
        this.childOpts(),
      ),
    );
  }

  /**
   * Connects one more client security group on 5432, both ways: ingress to the database's group (and the
   * proxy's, with a proxy) and egress from the client's group to exactly that group. For clients created
   * after the database, e.g. the service (its task group depends on this component's secrets). `label`
   * names the rules: ASCII, unique per database, stable (renaming replaces the rules).
   */
  public allowFrom(label: string, securityGroupId: pulumi.Input<string>): void {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(label))
      throw new Error(
        `Database "${this.baseName}": allowFrom label "${label}" is invalid; allowed: [a-z][a-z0-9-]{0,30}`,
      );
    const targets: [string, pulumi.Output<string>][] = [["", this.securityGroupId]];
    if (this.proxySecurityGroupId) targets.push(["proxy-", this.proxySecurityGroupId]);
    for (const [prefix, target] of targets) {
      const via = prefix ? " via proxy" : "";
      this.ingress(
        `${this.baseName}-${prefix}ingress-${label}`,
        target,
        securityGroupId,
        `PostgreSQL${via} from ${label}`,
      );
      const egressName = `${this.baseName}-${prefix}egress-${label}`;
      new aws.vpc.SecurityGroupEgressRule(
        ...applyTransform(
          this.transforms.clientEgressRule,
          egressName,
          {
            securityGroupId,
            referencedSecurityGroupId: target,
            ipProtocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            description: asciiDescription(`PostgreSQL${via} to ${this.baseName}`),
            tags: this.tagsFor(egressName),
          },
          this.childOpts(),
        ),
      );
    }
  }

  /** One 5432 ingress rule from a referenced security group. */
  private ingress(
    logicalName: string,
    securityGroupId: pulumi.Input<string>,
    from: pulumi.Input<string>,
    description: string,
  ): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(
      ...applyTransform(
        this.transforms.ingressRule,
        logicalName,
        {
          securityGroupId,
          referencedSecurityGroupId: from,
          ipProtocol: "tcp",
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          description: asciiDescription(description),
          tags: this.tagsFor(logicalName),
        },
        this.childOpts(),
      ),
    );
  }

  private secret(logicalName: string, secretName: string, description: string): aws.secretsmanager.Secret {
    return new aws.secretsmanager.Secret(
      ...applyTransform(
        this.transforms.secret,
        logicalName,
        {
          name: secretName,
          description: asciiDescription(description),
          recoveryWindowInDays: this.settings.secretRecoveryWindowDays,
          tags: this.tagsFor(logicalName),
        },
        this.childOpts(),
      ),
    );
  }

  private secretVersion(
    logicalName: string,
    secret: aws.secretsmanager.Secret,
    value: pulumi.Input<string>,
  ): aws.secretsmanager.SecretVersion {
    return new aws.secretsmanager.SecretVersion(
      ...applyTransform(
        this.transforms.secretVersion,
        logicalName,
        { secretId: secret.id, secretString: pulumi.secret(value) },
        this.childOpts(),
      ),
    );
  }

  /**
   * The RDS Proxy: its own security group (5432 from the allowed groups, egress 5432 to the database group
   * only), the database group admitting it, a role that may read exactly the credentials secret, TLS
   * required, and the instance as its only target.
   */
  private createProxy(
    args: DatabaseArgs,
    dbSg: aws.ec2.SecurityGroup,
    instance: aws.rds.Instance,
    credentialsSecret: aws.secretsmanager.Secret,
  ): {
    endpoint: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    identity: Posture["identities"][number];
  } {
    const name = this.baseName;
    const sg = this.securityGroup(
      `${name}-proxy-sg`,
      "db-proxy",
      args.vpcId,
      `RDS Proxy ${name}: 5432 from the allowed groups only`,
      this.transforms.proxySecurityGroup,
    );
    (args.allowedSecurityGroupIds ?? []).forEach((id, i) =>
      this.ingress(`${name}-proxy-ingress-${i}`, sg.id, id, `PostgreSQL via proxy from allowed group ${i}`),
    );
    this.ingress(`${name}-ingress-proxy`, dbSg.id, sg.id, "PostgreSQL from the RDS Proxy");
    new aws.vpc.SecurityGroupEgressRule(
      ...applyTransform(
        this.transforms.proxyEgressRule,
        `${name}-proxy-egress`,
        {
          securityGroupId: sg.id,
          referencedSecurityGroupId: dbSg.id,
          ipProtocol: "tcp",
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          description: "PostgreSQL to the database only",
          tags: this.tagsFor(`${name}-proxy-egress`),
        },
        this.childOpts(),
      ),
    );

    const env = awsEnvironment(this);
    const role = createServiceRole(
      {
        name: `${name}-proxy-role`,
        service: "rds.amazonaws.com",
        description: `RDS Proxy of ${name}: reads the database credentials secret`,
        account: env.account,
        sourceArn: pulumi.interpolate`arn:${env.partition}:rds:${env.region}:${env.account}:db-proxy:*`,
        statements: [
          {
            sid: "ReadDatabaseCredentials",
            actions: ["secretsmanager:GetSecretValue"],
            resources: [credentialsSecret.arn],
          },
        ],
        tags: this.tagsFor(`${name}-proxy-role`),
        transform: { role: this.transforms.proxyRole, policy: this.transforms.proxyPolicy },
      },
      this.childOpts(),
    );

    const proxyName = physicalName("aws:rds", name, "proxy").slice(0, 60).replace(/-+$/, "");
    const proxy = new aws.rds.Proxy(
      ...applyTransform(
        this.transforms.proxy,
        `${name}-proxy`,
        {
          name: proxyName,
          engineFamily: "POSTGRESQL",
          requireTls: true,
          roleArn: role.role.arn,
          vpcSubnetIds: args.subnetIds,
          vpcSecurityGroupIds: [sg.id],
          idleClientTimeout: 1800,
          debugLogging: false,
          auths: [
            {
              authScheme: "SECRETS",
              secretArn: credentialsSecret.arn,
              iamAuth: "DISABLED",
              clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
              description: "Master credentials from Secrets Manager",
            },
          ],
          tags: this.tagsFor(`${name}-proxy`),
        },
        // The role must be allowed to read the secret before the proxy first connects.
        this.childOpts({ dependsOn: role.policy ? [role.policy] : [] }),
      ),
    );
    const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
      ...applyTransform(
        this.transforms.proxyTargetGroup,
        `${name}-proxy-target-group`,
        {
          dbProxyName: proxy.name,
          connectionPoolConfig: {
            maxConnectionsPercent: 90,
            maxIdleConnectionsPercent: 50,
            connectionBorrowTimeout: 120,
          },
        },
        this.childOpts(),
      ),
    );
    new aws.rds.ProxyTarget(
      ...applyTransform(
        this.transforms.proxyTarget,
        `${name}-proxy-target`,
        // The default target group is always named "default".
        { dbProxyName: proxy.name, targetGroupName: "default", dbInstanceIdentifier: instance.identifier },
        this.childOpts({ dependsOn: [targetGroup] }),
      ),
    );
    return { endpoint: proxy.endpoint, securityGroupId: sg.id, identity: role.identity };
  }
}
