/**
 * Scheduled jobs, run as `node dist/cli.js job <name>` by the platform's scheduler (EventBridge Scheduler /
 * Cloud Scheduler) in the same image. Each job exits non-zero on failure.
 */
import type { Db } from "./db";
import { loadConfig } from "./env";
import { purgeGrowthEvents } from "./growth/retention";

export interface JobResult {
  job: string;
  skipped?: string;
  [detail: string]: unknown;
}

export type Job = (db: Db) => Promise<JobResult>;

/** Advisory lock key for the counts refresh, so overlapping schedules never run it twice at once. */
const COUNTS_LOCK_KEY = "7306916081990541423";

export const JOBS: Record<string, Job> = {
  /** Delete growth events, exposures and webhook receipts older than EVENTS_RETENTION_DAYS (growth/retention.ts). */
  "purge-growth-events": async (db) => ({
    ...(await purgeGrowthEvents(db, loadConfig().EVENTS_RETENTION_DAYS)),
  }),
  /** Refresh the `business_counts` materialized view (counts per category and province). */
  "refresh-category-counts": async (db) => {
    const started = Date.now();
    return db.run(
      "job.refresh_category_counts",
      "REFRESH MATERIALIZED VIEW CONCURRENTLY business_counts",
      async (sql) => {
        const conn = await sql.reserve();
        try {
          const [{ locked }] = await conn.unsafe<{ locked: boolean }[]>(
            `SELECT pg_try_advisory_lock(${COUNTS_LOCK_KEY}) AS locked`,
          );
          if (!locked) return { job: "refresh-category-counts", skipped: "another run holds the lock" };
          try {
            const [{ populated }] = await conn.unsafe<{ populated: boolean }[]>(
              "SELECT relispopulated AS populated FROM pg_class WHERE oid = 'business_counts'::regclass",
            );
            // CONCURRENTLY needs an already-populated view; the first run fills it with a plain refresh.
            await conn.unsafe(`REFRESH MATERIALIZED VIEW ${populated ? "CONCURRENTLY " : ""}business_counts`);
            const [{ groups, businesses }] = await conn.unsafe<
              { groups: string; businesses: string | null }[]
            >("SELECT count(*) AS groups, sum(businesses) AS businesses FROM business_counts");
            return {
              job: "refresh-category-counts",
              concurrently: populated,
              groups: Number(groups),
              businesses: Number(businesses ?? 0),
              ms: Date.now() - started,
            };
          } finally {
            await conn.unsafe(`SELECT pg_advisory_unlock(${COUNTS_LOCK_KEY})`);
          }
        } finally {
          conn.release();
        }
      },
    );
  },
};

export async function runJob(name: string, db: Db): Promise<JobResult> {
  const job = JOBS[name];
  if (!job) throw new Error(`unknown job "${name}"; known jobs: ${Object.keys(JOBS).join(", ")}`);
  return job(db);
}
