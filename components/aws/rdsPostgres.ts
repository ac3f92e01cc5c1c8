/**
 * Facts about RDS for PostgreSQL the AWS Database component builds on: the majors it deploys and the minor
 * pinned per major (from the table the policy pack also reads, policies/lib/rdsVersions.ts), the server CA,
 * the port, the log exports, the parameter group's settings and the default `max_connections` per instance
 * class. Pure: no resources. Tested in rdsPostgres.test.ts and through the component
 * (database.mock.test.ts).
 */
import type * as aws from "@pulumi/aws";
import { RDS_ENGINE_VERSIONS } from "../../policies/lib/rdsVersions";

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

/** CloudWatch Logs exports of the instance. */
export const DATABASE_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** The parameters of the instance's parameter group. */
export function databaseParameters(s: {
  logMinDurationMs: number;
}): aws.types.input.rds.ParameterGroupParameter[] {
  return [
    // Refuse any connection without TLS (the default from PG 15 on RDS, set explicitly so it stays).
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
    // Static: takes effect after a reboot (new instances boot with it).
    { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
    { name: "log_min_duration_statement", value: String(s.logMinDurationMs), applyMethod: "immediate" },
  ];
}
