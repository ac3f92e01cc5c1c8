/**
 * The retention job `purge-growth-events`: deletes growth events, experiment exposures and webhook receipts
 * older than EVENTS_RETENTION_DAYS (default 395: 13 months, a year-over-year comparison plus a month), in
 * batches (events-repository.ts `purgeBefore`). Schedule it daily: `node dist/cli.js job purge-growth-events`.
 */
import type { Db } from "../db";
import { EventRepository } from "./events-repository";

/** Result line printed by the CLI. */
export interface RetentionResult {
  job: "purge-growth-events";
  retentionDays: number;
  /** ISO timestamp: rows strictly older were deleted. */
  before: string;
  deleted: { events: number; exposures: number; webhookMessages: number };
  ms: number;
}

/** Deletes rows older than `retentionDays` days before `now` (milliseconds since the epoch). */
export async function purgeGrowthEvents(
  db: Db,
  retentionDays: number,
  now = Date.now(),
): Promise<RetentionResult> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError(`retentionDays must be a whole number >= 1 (got ${retentionDays})`);
  }
  const started = Date.now();
  const before = new Date(now - retentionDays * 86_400_000);
  const deleted = await new EventRepository(db).purgeBefore(before);
  return {
    job: "purge-growth-events",
    retentionDays,
    before: before.toISOString(),
    deleted,
    ms: Date.now() - started,
  };
}
