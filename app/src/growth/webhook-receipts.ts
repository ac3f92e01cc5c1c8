/**
 * Webhook idempotency: a provider (WhatsApp Cloud API, Telegram) redelivers a message until it gets a 2xx, so
 * each message id must be processed once.
 *
 * Two guards: Redis `SET <REDIS_KEY_PREFIX>webhook:<provider>:<id> 1 NX EX <ttl>` (fast: a replay is dropped
 * without touching PostgreSQL) when Redis is configured, and always the `webhook_messages` primary key
 * (provider, message_id) with `INSERT ... ON CONFLICT DO NOTHING` (durable: holds when Redis forgot the key,
 * was flushed or is down). Redis goes through `RedisGateway` (command timeout, circuit breaker): a Redis
 * failure is logged and the PostgreSQL guard decides alone. If the PostgreSQL insert fails after Redis claimed the ids, the Redis keys are
 * deleted again (best effort), so the provider's retry is not mistaken for a replay.
 */
import type { Db } from "../db";
import type { Logger } from "../logger";
import type { RedisGateway } from "../redis";

export type Provider = "whatsapp" | "telegram";

export interface WebhookItem {
  /** The provider's message id (WhatsApp `messages[].id` / `statuses[].id`+status, Telegram `update_id`). */
  id: string;
  /** What it is (`text`, `image`, `status.read`, `message`, ...); stored, the content never is. */
  kind: string;
}

export interface ClaimResult {
  /** Items seen for the first time (to process). */
  fresh: WebhookItem[];
  /** Items already received (replays), by either guard. */
  duplicates: number;
}

export interface WebhookReceiptsOptions {
  /** Redis through the app's gateway (key prefix, timeouts, breaker); absent: PostgreSQL alone. */
  redis?: RedisGateway;
  /** Seconds a Redis key lives (WEBHOOK_IDEMPOTENCY_TTL_S). */
  ttlSeconds: number;
}

export class WebhookReceipts {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly opts: WebhookReceiptsOptions,
  ) {}

  /** The Redis key of one message (undefined without Redis). */
  key(provider: Provider, id: string): string | undefined {
    return this.opts.redis?.key("webhook", provider, id);
  }

  /** Claims items for processing; duplicates (within the batch, in Redis or in PostgreSQL) are filtered out. */
  async claim(provider: Provider, items: WebhookItem[]): Promise<ClaimResult> {
    const unique = [...new Map(items.map((i) => [i.id, i])).values()];
    let duplicates = items.length - unique.length;
    if (unique.length === 0) return { fresh: [], duplicates };
    let candidates = unique;
    let claimedInRedis: string[] = [];
    const redis = this.opts.redis;
    if (redis) {
      try {
        const results = await redis.run((r) => {
          const pipeline = r.pipeline();
          for (const i of unique)
            pipeline.set(redis.key("webhook", provider, i.id), "1", "EX", this.opts.ttlSeconds, "NX");
          return pipeline.exec();
        });
        candidates = unique.filter((_, n) => {
          const [err, reply] = results?.[n] ?? [new Error("no reply"), null];
          return err !== null || reply === "OK";
        });
        claimedInRedis = candidates.map((i) => redis.key("webhook", provider, i.id));
        duplicates += unique.length - candidates.length;
      } catch (err) {
        this.logger.warn(
          { err: { name: (err as Error).name, message: (err as Error).message }, provider },
          "webhook idempotency: Redis unavailable, relying on PostgreSQL",
        );
      }
    }
    if (candidates.length === 0) return { fresh: [], duplicates };
    let inserted: Set<string>;
    try {
      const rows = candidates.map((i) => ({ provider, message_id: i.id, kind: i.kind }));
      inserted = await this.db.run("webhook.receipts.insert", "INSERT INTO webhook_messages", async (sql) => {
        const r = await sql<{ message_id: string }[]>`
          INSERT INTO webhook_messages ${sql(rows)}
          ON CONFLICT (provider, message_id) DO NOTHING
          RETURNING message_id`;
        return new Set(r.map((x) => x.message_id));
      });
    } catch (err) {
      if (redis && claimedInRedis.length > 0) {
        await redis.run((r) => r.del(...claimedInRedis)).catch(() => undefined);
      }
      throw err;
    }
    const fresh = candidates.filter((i) => inserted.has(i.id));
    return { fresh, duplicates: duplicates + candidates.length - fresh.length };
  }
}
