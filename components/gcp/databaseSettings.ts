/**
 * The arguments of the GCP Database component (Cloud SQL for PostgreSQL), their validation and the pure
 * values derived from them (database flags, connection URL, server CA bundle). No resource is created here,
 * so all of it tests without mocks. See components/gcp/database.ts and docs/components/gcp-database.md.
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import { Transform } from "../shared/transform";
import { bool, intIn, oneOf, show } from "../shared/validate";
import { validateLabels } from "../shared/tags";
import { validatePrincipals } from "./iam";
import type { SecretAccessor } from "./secret";
import { cloudSqlMaxConnections, MAX_LOG_RETENTION_DAYS, parseSqlTier, SqlEdition } from "./sqlTiers";

export const POSTGRES_VERSIONS = ["16", "17"] as const;
export type PostgresVersion = (typeof POSTGRES_VERSIONS)[number];

/** Cloud SQL `databaseVersion` per major. */
export const DATABASE_VERSION: Record<PostgresVersion, string> = { "16": "POSTGRES_16", "17": "POSTGRES_17" };

/** PostgreSQL's port. */
export const POSTGRES_PORT = 5432;

/** Where the service mounts the server CA secret; `DATABASE_SSL_CA_FILE` points here. */
export const DATABASE_CA_FILE_PATH = "/etc/meridian/db/server-ca.pem";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof DAYS)[number];

/** Per-child `transform` hooks. */
export interface GcpDatabaseTransforms {
  instance?: Transform<gcp.sql.DatabaseInstanceArgs>;
  database?: Transform<gcp.sql.DatabaseArgs>;
  user?: Transform<gcp.sql.UserArgs>;
  password?: Transform<random.RandomPasswordArgs>;
  /** Both secrets (URL and CA). */
  secret?: Transform<gcp.secretmanager.SecretArgs>;
  secretVersion?: Transform<gcp.secretmanager.SecretVersionArgs>;
  accessor?: Transform<gcp.secretmanager.SecretIamMemberArgs>;
  service?: Transform<gcp.projects.ServiceArgs>;
}

export interface GcpDatabaseArgs {
  /** The project. @example "meridian-prod-123" */
  project: pulumi.Input<string>;
  /** The instance's region (the network's). @example "us-central1" */
  region: string;
  /** The VPC the private IP lives in: `network.networkId` (self link). */
  networkSelfLink: pulumi.Input<string>;
  /** The private services access range name (`network.privateServicesRangeName`): the instance's IP comes from it. */
  privateServicesRangeName: pulumi.Input<string>;
  /** The peering (`network.privateServicesConnection`): the instance is created after it. */
  privateServicesConnection: pulumi.Resource;
  /** Identities that read the URL and CA secrets (the runtime service account, the migrate job's). */
  accessors: SecretAccessor[];
  /** PostgreSQL major version. @default "17" */
  postgresVersion?: PostgresVersion;
  /**
   * Machine tier; the edition follows from it (`db-custom-*` and shared core: Enterprise; `db-perf-optimized-N-*`:
   * Enterprise Plus).
   * Cost (us-central1, Enterprise, cloud.google.com/sql/pricing, 2026-11): vCPU $0.0413/h, memory $0.007/GiB-h:
   * db-custom-1-3840 ≈ $50/month zonal; db-custom-2-7680 ≈ $100; REGIONAL doubles it.
   * @default "db-custom-1-3840"
   */
  tier?: string;
  /**
   * High availability: `REGIONAL` (a standby in a second zone, automatic failover). Requires backups and PITR.
   * Cost: doubles instance and storage cost.
   * @default false
   */
  highAvailability?: boolean;
  /** Initial SSD size in GB (10-65536). Cost: PD SSD $0.17/GB-month (×2 REGIONAL). @default 10 */
  diskSizeGb?: number;
  /** Autoresize ceiling in GB, greater than `diskSizeGb`. You pay only for what is allocated. @default 100 */
  maxDiskSizeGb?: number;
  /** Automated daily backups. @default true */
  backups?: boolean;
  /**
   * Automated backups kept (one a day, 1-365). Cost: backup storage $0.08/GB-month (2026-11).
   * @default 7
   */
  backupRetentionDays?: number;
  /** Point-in-time recovery (write-ahead logs kept on disk/Cloud Storage). Requires `backups`. @default true */
  pointInTimeRecovery?: boolean;
  /**
   * Days of transaction logs for PITR: 1-7 (Enterprise) or 1-35 (Enterprise Plus), at most `backupRetentionDays`.
   * @default min(backupRetentionDays, 7 or 35)
   */
  transactionLogRetentionDays?: number;
  /** Daily backup start, UTC `HH:MM`. @default "03:00" */
  backupStartTime?: string;
  /** Maintenance window, UTC: day and hour (one hour long). @default { day: "sun", hour: 4 } */
  maintenanceWindow?: { day: Weekday; hour: number };
  /**
   * Deletion protection everywhere: Cloud SQL's `deletionProtectionEnabled` (API, console, gcloud), the provider's
   * `deletionProtection`, Pulumi `protect`, and backups retained after deletion. Set it in prod.
   * @default false
   */
  deletionProtection?: boolean;
  /** Query Insights (free). @default true */
  queryInsights?: boolean;
  /** `log_min_duration_statement` in ms (-1 off). Cost: Cloud Logging $0.50/GiB after 50 GiB free. @default 500 */
  logMinDurationMs?: number;
  /** Database created on the instance. @default "meridian" */
  databaseName?: string;
  /** Built-in user the app connects as (member of cloudsqlsuperuser). @default "meridian_app" */
  username?: string;
  /** Enable sqladmin.googleapis.com and secretmanager.googleapis.com. @default true */
  enableApis?: boolean;
  /** Labels of the instance and the secrets. @default {} */
  labels?: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: GcpDatabaseTransforms;
}

export const GCP_DATABASE_DEFAULTS = {
  postgresVersion: "17" as PostgresVersion,
  tier: "db-custom-1-3840",
  highAvailability: false,
  diskSizeGb: 10,
  maxDiskSizeGb: 100,
  backups: true,
  backupRetentionDays: 7,
  pointInTimeRecovery: true,
  backupStartTime: "03:00",
  maintenanceWindow: { day: "sun" as Weekday, hour: 4 },
  deletionProtection: false,
  queryInsights: true,
  logMinDurationMs: 500,
  databaseName: "meridian",
  username: "meridian_app",
  enableApis: true,
} as const;

export interface GcpDatabaseSettings {
  region: string;
  postgresVersion: PostgresVersion;
  databaseVersion: string;
  tier: string;
  edition: SqlEdition;
  maxConnections: number;
  highAvailability: boolean;
  diskSizeGb: number;
  maxDiskSizeGb: number;
  backups: boolean;
  backupRetentionDays: number;
  pointInTimeRecovery: boolean;
  transactionLogRetentionDays: number;
  backupStartTime: string;
  maintenanceWindow: { day: number; hour: number };
  deletionProtection: boolean;
  queryInsights: boolean;
  logMinDurationMs: number;
  databaseName: string;
  username: string;
  enableApis: boolean;
  labels: Record<string, string>;
}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;
const RESERVED_USERS = ["postgres", "cloudsqlsuperuser", "cloudsqladmin", "cloudsqlagent", "public"];

/** Validates every arg and applies defaults; errors name the arg, the value and what is allowed. */
export function resolveGcpDatabaseArgs(args: GcpDatabaseArgs): GcpDatabaseSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = GCP_DATABASE_DEFAULTS;
  for (const key of ["project", "networkSelfLink", "privateServicesRangeName"] as const) {
    if (args[key] === undefined || args[key] === "")
      throw new Error(`${key} is ${show(args[key])}; required`);
  }
  if (typeof args.region !== "string" || !/^[a-z]+-[a-z]+\d+$/.test(args.region)) {
    throw new Error(`region is ${show(args.region)}; allowed: a GCP region such as "us-central1"`);
  }
  if (!args.privateServicesConnection) {
    throw new Error(
      `privateServicesConnection is ${show(args.privateServicesConnection)}; required (network.privateServicesConnection)`,
    );
  }
  validatePrincipals("accessors", args.accessors);
  const postgresVersion = oneOf(
    "postgresVersion",
    args.postgresVersion ?? d.postgresVersion,
    POSTGRES_VERSIONS,
  );
  const tier = parseSqlTier("tier", args.tier ?? d.tier);
  const diskSizeGb = intIn("diskSizeGb", args.diskSizeGb ?? d.diskSizeGb, 10, 65536, " (GB, PD SSD)");
  const maxDiskSizeGb = intIn(
    "maxDiskSizeGb",
    args.maxDiskSizeGb ?? Math.max(d.maxDiskSizeGb, diskSizeGb + 1),
    11,
    65536,
    " (GB)",
  );
  if (maxDiskSizeGb <= diskSizeGb) {
    throw new Error(
      `maxDiskSizeGb is ${maxDiskSizeGb}; allowed: greater than diskSizeGb (${diskSizeGb}) so autoresize can grow`,
    );
  }
  const backups = bool("backups", args.backups ?? d.backups);
  const backupRetentionDays = intIn(
    "backupRetentionDays",
    args.backupRetentionDays ?? d.backupRetentionDays,
    1,
    365,
    " (daily backups kept)",
  );
  const pointInTimeRecovery = bool("pointInTimeRecovery", args.pointInTimeRecovery ?? backups);
  if (pointInTimeRecovery && !backups) {
    throw new Error(
      `pointInTimeRecovery is true with backups false; allowed: point-in-time recovery only with backups`,
    );
  }
  const highAvailability = bool("highAvailability", args.highAvailability ?? d.highAvailability);
  if (highAvailability && !pointInTimeRecovery) {
    throw new Error(
      `highAvailability is true without backups and pointInTimeRecovery; allowed: REGIONAL availability only with both (Cloud SQL requirement)`,
    );
  }
  const maxLog = MAX_LOG_RETENTION_DAYS[tier.edition];
  const transactionLogRetentionDays = intIn(
    "transactionLogRetentionDays",
    args.transactionLogRetentionDays ?? Math.min(backupRetentionDays, maxLog),
    1,
    Math.min(maxLog, backupRetentionDays),
    ` (days, ${tier.edition} allows up to ${maxLog}, and at most backupRetentionDays ${backupRetentionDays})`,
  );
  const backupStartTime = args.backupStartTime ?? d.backupStartTime;
  if (typeof backupStartTime !== "string" || !/^([01]\d|2[0-3]):[0-5]\d$/.test(backupStartTime)) {
    throw new Error(
      `backupStartTime is ${show(backupStartTime)}; allowed: a UTC time "HH:MM" such as "03:00"`,
    );
  }
  const mw = args.maintenanceWindow ?? d.maintenanceWindow;
  const day = oneOf("maintenanceWindow.day", mw?.day, DAYS);
  const hour = intIn("maintenanceWindow.hour", mw?.hour, 0, 23, " (UTC)");
  const databaseName = args.databaseName ?? d.databaseName;
  if (typeof databaseName !== "string" || !IDENT.test(databaseName) || databaseName === "postgres") {
    throw new Error(
      `databaseName is ${show(databaseName)}; allowed: 1-63 of [a-z0-9_] starting with a letter, not "postgres"`,
    );
  }
  const username = args.username ?? d.username;
  if (
    typeof username !== "string" ||
    !IDENT.test(username) ||
    RESERVED_USERS.includes(username) ||
    username.startsWith("pg_")
  ) {
    throw new Error(
      `username is ${show(username)}; allowed: 1-63 of [a-z0-9_] starting with a letter, not ${RESERVED_USERS.map(show).join(", ")} or "pg_*"`,
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
    region: args.region,
    postgresVersion,
    databaseVersion: DATABASE_VERSION[postgresVersion],
    tier: tier.tier,
    edition: tier.edition,
    maxConnections: cloudSqlMaxConnections(tier.tier),
    highAvailability,
    diskSizeGb,
    maxDiskSizeGb,
    backups,
    backupRetentionDays,
    pointInTimeRecovery,
    transactionLogRetentionDays,
    backupStartTime,
    maintenanceWindow: { day: DAYS.indexOf(day) + 1, hour },
    deletionProtection: bool("deletionProtection", args.deletionProtection ?? d.deletionProtection),
    queryInsights: bool("queryInsights", args.queryInsights ?? d.queryInsights),
    logMinDurationMs,
    databaseName,
    username,
    enableApis: bool("enableApis", args.enableApis ?? d.enableApis),
    labels: validateLabels(args.labels),
  };
}

/**
 * The instance's database flags. PostGIS needs none: it is an extension the built-in user (a member of
 * `cloudsqlsuperuser`) creates with `CREATE EXTENSION postgis` (Cloud SQL "Configure PostgreSQL extensions",
 * 2026-11). `max_connections` is set to the tier's documented default so the pool formula sees a known value.
 */
export function databaseFlags(
  s: Pick<GcpDatabaseSettings, "maxConnections" | "logMinDurationMs">,
): gcp.types.input.sql.DatabaseInstanceSettingsDatabaseFlag[] {
  return [
    { name: "max_connections", value: String(s.maxConnections) },
    { name: "log_min_duration_statement", value: String(s.logMinDurationMs) },
    { name: "log_lock_waits", value: "on" },
    { name: "log_temp_files", value: "0" },
    { name: "log_checkpoints", value: "on" },
  ];
}

/**
 * The `DATABASE_URL`: `postgresql://user:pass@<private IP>:5432/db?sslmode=verify-full`. The server certificate
 * (shared CA mode) names the instance's DNS name, not its IP, so the app verifies that name through
 * `DATABASE_SSL_SERVERNAME` while connecting to the IP (no DNS record needed).
 */
export function cloudSqlUrl(p: {
  username: string;
  password: string;
  host: string;
  database: string;
}): string {
  const user = encodeURIComponent(p.username);
  const pass = encodeURIComponent(p.password);
  return `postgresql://${user}:${pass}@${p.host}:${POSTGRES_PORT}/${p.database}?sslmode=verify-full`;
}

/**
 * The name the server certificate carries: the `PRIVATE_SERVICES_ACCESS` entry of `dnsNames` (instance scope),
 * else `dnsName`, without the trailing dot. Throws when the instance reports none (per-instance CA mode).
 */
export function serverName(
  dnsNames: { connectionType: string; dnsScope: string; name: string }[] | undefined,
  dnsName: string | undefined,
): string {
  const psa = (dnsNames ?? []).find(
    (n) => n.connectionType === "PRIVATE_SERVICES_ACCESS" && (n.dnsScope ?? "INSTANCE") === "INSTANCE",
  );
  const name = psa?.name || dnsName;
  if (!name) {
    throw new Error(
      "the Cloud SQL instance reports no DNS name for private services access; verify-full needs the shared CA mode (GOOGLE_MANAGED_CAS_CA)",
    );
  }
  return name.replace(/\.$/, "");
}

/** The server CA bundle: every current CA certificate, PEM, one after another (rotation keeps old and new). */
export function caBundle(certs: { cert: string }[] | undefined): string {
  const pems = (certs ?? []).map((c) => c.cert.trim()).filter((c) => c.length > 0);
  if (pems.length === 0) throw new Error("the Cloud SQL instance reports no server CA certificate");
  return `${pems.join("\n")}\n`;
}
