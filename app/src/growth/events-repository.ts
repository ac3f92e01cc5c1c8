/**
 * PostgreSQL access for growth events, experiment exposures, privacy requests and retention. Every statement
 * goes through `Db.run` (span, latency sample). Tables: migrations/006_events.sql.
 */
import type { Db } from "../db";
import type { EventInput, EventType } from "./schemas";

/** An event ready to store: the validated input plus the visitor/session from the headers. */
export interface NewEvent extends EventInput {
  visitorId: string;
  sessionId: string | null;
  /** Number of search results (SEARCH_QUERY recorded by the search endpoint). */
  results?: number;
  occurredAt: string;
}

export interface StoredEventRow {
  id: string;
  type: EventType;
  sessionId: string | null;
  businessId: string | null;
  experimentKey: string | null;
  variantKey: string | null;
  query: string | null;
  category: string | null;
  province: string | null;
  city: string | null;
  results: number | null;
  occurredAt: string;
  receivedAt: string;
}

/** Rows deleted per statement by the retention job (short transactions, no long locks). */
export const PURGE_BATCH = 10_000;

export class EventRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores events, skipping ids already stored (idempotent retries). Returns how many rows were inserted; the
   * rest of the batch were duplicates.
   */
  async insert(events: NewEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const rows = events.map((e) => ({
      id: e.id.toLowerCase(),
      type: e.type,
      visitor_id: e.visitorId,
      session_id: e.sessionId,
      business_id: e.businessId?.toLowerCase() ?? null,
      experiment_key: e.experimentKey ?? null,
      variant_key: e.variantKey ?? null,
      query: e.query ?? null,
      category: e.category ?? null,
      province: e.province ?? null,
      city: e.city ?? null,
      results: e.results ?? null,
      occurred_at: e.occurredAt,
    }));
    return this.db.run("growth.events.insert", "INSERT INTO growth_events", async (sql) => {
      const inserted = await sql`
        INSERT INTO growth_events ${sql(rows)}
        ON CONFLICT (id) DO NOTHING
        RETURNING 1`;
      return inserted.length;
    });
  }

  /** The subset of `ids` that are listed businesses. */
  async existingBusinesses(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
    return this.db.run("growth.businesses.exist", "SELECT FROM businesses", async (sql) => {
      const rows = await sql<{ id: string }[]>`SELECT id FROM businesses WHERE id = ANY(${unique}::uuid[])`;
      return new Set(rows.map((r) => r.id));
    });
  }

  /** Records a visitor's first exposure to an experiment (later calls keep the first row). */
  async recordExposure(experimentKey: string, visitorId: string, variantKey: string): Promise<void> {
    await this.db.run("growth.exposure.insert", "INSERT INTO experiment_exposures", async (sql) => {
      await sql`
        INSERT INTO experiment_exposures (experiment_key, visitor_id, variant_key)
        VALUES (${experimentKey}, ${visitorId}, ${variantKey})
        ON CONFLICT (experiment_key, visitor_id) DO NOTHING`;
    });
  }

  /** Everything stored about a visitor (privacy export), oldest first. */
  async exportVisitor(visitorId: string): Promise<{
    events: StoredEventRow[];
    exposures: { experimentKey: string; variantKey: string; exposedAt: string }[];
  }> {
    return this.db.run("growth.privacy.export", "SELECT FROM growth_events", async (sql) => {
      const events = await sql<StoredEventRow[]>`
        SELECT id, type, session_id AS "sessionId", business_id AS "businessId",
               experiment_key AS "experimentKey", variant_key AS "variantKey", query, category, province, city,
               results, to_json(occurred_at)#>>'{}' AS "occurredAt", to_json(received_at)#>>'{}' AS "receivedAt"
        FROM growth_events WHERE visitor_id = ${visitorId}
        ORDER BY occurred_at, id`;
      const exposures = await sql<{ experimentKey: string; variantKey: string; exposedAt: string }[]>`
        SELECT experiment_key AS "experimentKey", variant_key AS "variantKey",
               to_json(exposed_at)#>>'{}' AS "exposedAt"
        FROM experiment_exposures WHERE visitor_id = ${visitorId}
        ORDER BY exposed_at`;
      return { events: [...events], exposures: [...exposures] };
    });
  }

  /** Deletes everything stored about a visitor (privacy erasure) in one transaction; returns row counts. */
  async eraseVisitor(visitorId: string): Promise<{ events: number; exposures: number }> {
    return this.db.run("growth.privacy.erase", "DELETE FROM growth_events", async (sql) =>
      sql.begin(async (tx) => {
        const events = await tx`DELETE FROM growth_events WHERE visitor_id = ${visitorId}`;
        const exposures = await tx`DELETE FROM experiment_exposures WHERE visitor_id = ${visitorId}`;
        return { events: events.count, exposures: exposures.count };
      }),
    );
  }

  /**
   * Deletes events and exposures older than `before`, and webhook receipts received before it, in batches of
   * PURGE_BATCH rows. Returns the counts per table.
   */
  async purgeBefore(before: Date): Promise<{ events: number; exposures: number; webhookMessages: number }> {
    const cutoff = before.toISOString();
    const loop = async (operation: string, statement: string) => {
      let total = 0;
      for (;;) {
        const n = await this.db.run(
          operation,
          statement,
          async (sql) => (await sql.unsafe(statement, [cutoff])).count,
        );
        total += n;
        if (n < PURGE_BATCH) return total;
      }
    };
    const events = await loop(
      "growth.retention.events",
      `DELETE FROM growth_events WHERE id IN (SELECT id FROM growth_events WHERE occurred_at < $1 LIMIT ${PURGE_BATCH})`,
    );
    const exposures = await loop(
      "growth.retention.exposures",
      `DELETE FROM experiment_exposures WHERE (experiment_key, visitor_id) IN (SELECT experiment_key, visitor_id FROM experiment_exposures WHERE exposed_at < $1 LIMIT ${PURGE_BATCH})`,
    );
    const webhookMessages = await loop(
      "growth.retention.webhooks",
      `DELETE FROM webhook_messages WHERE (provider, message_id) IN (SELECT provider, message_id FROM webhook_messages WHERE received_at < $1 LIMIT ${PURGE_BATCH})`,
    );
    return { events, exposures, webhookMessages };
  }
}
