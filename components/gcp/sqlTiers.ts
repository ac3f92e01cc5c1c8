/**
 * Cloud SQL for PostgreSQL machine tiers: which edition a tier belongs to, how much memory it has, and the
 * `max_connections` Cloud SQL gives that memory by default. Pure, so it tests without mocks; the database
 * component sets the `max_connections` flag to this value explicitly, so the app's pool formula
 * (DB_MAX_CONNECTIONS, docs/app.md "Pool size formula") uses a number the server really has.
 */
import { show } from "../shared/validate";

/** Cloud SQL editions. Enterprise Plus runs only the `db-perf-optimized-N-*` tiers. */
export type SqlEdition = "ENTERPRISE" | "ENTERPRISE_PLUS";

/** What a tier is. */
export interface SqlTier {
  tier: string;
  edition: SqlEdition;
  vcpus: number;
  /** Memory in GiB. */
  memoryGib: number;
  /** Shared-core (db-f1-micro, db-g1-small): no SLA, not for production. */
  sharedCore: boolean;
}

/** Shared-core tiers (Cloud SQL "About instance settings": 0.6 and 1.7 GiB). */
const SHARED_CORE: Record<string, number> = { "db-f1-micro": 0.6, "db-g1-small": 1.7 };

/**
 * Enterprise Plus N2 performance-optimized tiers: vCPUs -> GiB (8 GiB per vCPU, 864 GiB at 128 vCPUs).
 * Source: Cloud SQL "About instance settings", machine series for Enterprise Plus (2026-11).
 */
const PERF_OPTIMIZED_N: Record<number, number> = {
  2: 16,
  4: 32,
  8: 64,
  16: 128,
  32: 256,
  48: 384,
  64: 512,
  80: 640,
  96: 768,
  128: 864,
};

/**
 * Parses and validates a tier: `db-custom-<vCPUs>-<MiB>` (Enterprise; vCPUs 1 or an even number up to 96,
 * memory a multiple of 256 MiB, at least 3840 MiB and 0.9-6.5 GiB per vCPU), `db-perf-optimized-N-<vCPUs>`
 * (Enterprise Plus) or a shared-core tier. Throws naming `arg`, the value and what is allowed.
 * Source: Cloud SQL "Create instances: custom machine types" (2026-11).
 */
export function parseSqlTier(arg: string, tier: unknown): SqlTier {
  const allowed =
    `allowed: "db-custom-<vCPUs>-<MiB>" (Enterprise, e.g. "db-custom-1-3840"), "db-perf-optimized-N-<vCPUs>" ` +
    `(Enterprise Plus, vCPUs ${Object.keys(PERF_OPTIMIZED_N).join("/")}) or "db-f1-micro"/"db-g1-small" (shared core)`;
  if (typeof tier !== "string") throw new Error(`${arg} is ${show(tier)}; ${allowed}`);
  if (tier in SHARED_CORE) {
    return { tier, edition: "ENTERPRISE", vcpus: 1, memoryGib: SHARED_CORE[tier], sharedCore: true };
  }
  const perf = /^db-perf-optimized-N-(\d+)$/.exec(tier);
  if (perf) {
    const vcpus = Number(perf[1]);
    const memoryGib = PERF_OPTIMIZED_N[vcpus];
    if (memoryGib === undefined) throw new Error(`${arg} is ${show(tier)}; ${allowed}`);
    return { tier, edition: "ENTERPRISE_PLUS", vcpus, memoryGib, sharedCore: false };
  }
  const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (!custom) throw new Error(`${arg} is ${show(tier)}; ${allowed}`);
  const vcpus = Number(custom[1]);
  const mib = Number(custom[2]);
  if (!(vcpus === 1 || (vcpus % 2 === 0 && vcpus >= 2 && vcpus <= 96))) {
    throw new Error(`${arg} is ${show(tier)}: ${vcpus} vCPUs; allowed: 1 or an even number from 2 to 96`);
  }
  if (mib % 256 !== 0 || mib < 3840) {
    throw new Error(
      `${arg} is ${show(tier)}: ${mib} MiB; allowed: a multiple of 256 MiB, at least 3840 (e.g. "db-custom-1-3840")`,
    );
  }
  const perCpu = mib / 1024 / vcpus;
  if (perCpu < 0.9 || perCpu > 6.5) {
    throw new Error(
      `${arg} is ${show(tier)}: ${perCpu.toFixed(2)} GiB per vCPU; allowed: 0.9 to 6.5 GiB per vCPU`,
    );
  }
  return { tier, edition: "ENTERPRISE", vcpus, memoryGib: mib / 1024, sharedCore: false };
}

/**
 * Cloud SQL for PostgreSQL's default `max_connections` by instance memory (Cloud SQL "Quotas and limits",
 * "Cloud SQL for PostgreSQL connection limits", https://cloud.google.com/sql/docs/postgres/quotas, 2026-11):
 * 0.6 GiB 25; 1.7 GiB 50; 3.75 to < 6 GiB 100; 6 to < 7.5 GiB 200; 7.5 to < 15 GiB 400; 15 to < 30 GiB 500;
 * 30 to < 60 GiB 600; 60 to < 120 GiB 800; 120 GiB and more 1000.
 * @example cloudSqlMaxConnections("db-custom-1-3840") // 100
 */
export function cloudSqlMaxConnections(tier: string): number {
  const gib = parseSqlTier("tier", tier).memoryGib;
  if (gib < 1) return 25;
  if (gib < 3.75) return 50;
  if (gib < 6) return 100;
  if (gib < 7.5) return 200;
  if (gib < 15) return 400;
  if (gib < 30) return 500;
  if (gib < 60) return 600;
  if (gib < 120) return 800;
  return 1000;
}

/** Days of transaction logs (the point-in-time recovery window) each edition allows. */
export const MAX_LOG_RETENTION_DAYS: Record<SqlEdition, number> = { ENTERPRISE: 7, ENTERPRISE_PLUS: 35 };
