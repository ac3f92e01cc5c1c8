/**
 * The AWS Database's args validated and resolved into {@link DatabaseSettings} ({@link resolveDatabaseArgs}):
 * synchronous, pure (no resources), every error naming the arg, the value and what is allowed. The engine
 * versions come from `./rdsPostgres` (the pack's table). Tested through the component in
 * database.mock.test.ts ("validation") and in infra/offline/policy/fieldCases.test.ts.
 */
import { Tags } from "../shared/tags";
import { bool, intIn, oneOf, show } from "../shared/validate";
import { rdsVersionProblem } from "../../policies/lib/rdsVersions";
import { DATABASE_DEFAULTS, type DatabaseArgs } from "./databaseArgs";
import { SSL_MODES, type SslMode } from "./databaseSecrets";
import { POSTGRES_MAJORS, POSTGRES_VERSIONS, type PostgresMajor } from "./rdsPostgres";
import {
  validateDailyWindow,
  validateSecurityGroupIds,
  validateTags,
  validateWeeklyWindow,
} from "./validate";

/** Usernames RDS for PostgreSQL reserves or that are PostgreSQL roles already. */
const RESERVED_USERNAMES = ["postgres", "rdsadmin", "rdsrepladmin", "rds_superuser", "admin", "public"];

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
