/**
 * SEARCH_QUERY events recorded by the search endpoint itself (GET /api/search/businesses with an
 * `x-visitor-id` header), kept off the request's hot path.
 *
 * Where: a middleware on the search path registered before the cache front and the Redis response cache
 * (app.ts), so searches answered from either cache (HIT/STALE) are counted too; the cache's own background
 * refresh requests are not.
 * It runs after the response is built and records only 200 answers, with the query text, the number of
 * results and the best hit's category, province and city (read from the response body).
 *
 * How: fire-and-forget with a concurrency cap. The response is returned at once; reading the body copy and the
 * single-row insert run in the background, and a failure is logged as a warning, never surfaced to the
 * searcher. At most `maxInFlight` recordings run at once (default 4), so a slow database cannot pile up
 * background work or take more than that many pool connections from searches; beyond it, events are dropped
 * and counted (`dropped`, logged once per 1000). A periodic in-memory batch would save round trips under heavy
 * load but loses up to one interval of events on a crash and needs a flush on shutdown; at the directory's
 * search rates one insert per search is the simpler trade (not benchmarked). Events are analytics,
 * not records: losing a few under overload is acceptable, slowing search is not.
 */
import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { isInternalRefresh } from "../cache/middleware";
import type { Logger } from "../logger";
import type { EventRepository } from "./events-repository";
import type { RequestView } from "../requestView";
import { isStorableText } from "../schemas";
import { CLIENT_ID } from "./schemas";

/** The visitor id of an `x-visitor-id` value, when it is a valid one (CLIENT_ID). */
function visitorOf(header: string | undefined): string | undefined {
  return header !== undefined && CLIENT_ID.test(header) ? header : undefined;
}

/** The path whose GETs are recorded (the middleware is mounted on it, app.ts). */
export const SEARCH_PATH = "/api/search/businesses";

/** What the recorder reads of a search hit: where and what the best match is. */
export interface SearchHitSummary {
  category?: unknown;
  province?: unknown;
  city?: unknown;
}

const text = (v: unknown, max: number): string | undefined =>
  typeof v === "string" && v.length > 0 && v.length <= max ? v : undefined;

export class SearchRecorder {
  /** Events dropped because `maxInFlight` recordings were already running. */
  dropped = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly repo: EventRepository,
    private readonly logger: Logger,
    private readonly maxInFlight = 4,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when every recording started so far has been stored or has failed (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /**
   * True when a 200 answer to `req` would be recorded: a GET of the search path with a valid `x-visitor-id`
   * (the cache front's listener hands those to the chain, where this middleware runs).
   */
  records(req: RequestView): boolean {
    return (
      req.method === "GET" && req.path === SEARCH_PATH && visitorOf(req.header("x-visitor-id")) !== undefined
    );
  }

  /** The middleware for GET /api/search/businesses (see the module comment). */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      await next();
      if (c.req.method !== "GET" || c.res.status !== 200 || isInternalRefresh(c)) return;
      const visitorId = visitorOf(c.req.header("x-visitor-id"));
      if (visitorId === undefined) return;
      const query = (c.req.query("q") ?? "").trim().slice(0, 200);
      if (!isStorableText(query)) return;
      if (this.pending.size >= this.maxInFlight) {
        if (this.dropped++ % 1000 === 0) {
          this.logger.warn({ dropped: this.dropped }, "search event dropped: too many recordings in flight");
        }
        return;
      }
      const session = c.req.header("x-session-id");
      const occurredAt = new Date(this.now()).toISOString();
      const copy = c.res.clone();
      const task = (async () => {
        const body = (await copy.json()) as { items?: SearchHitSummary[] };
        const items = Array.isArray(body.items) ? body.items : [];
        const best = items[0] ?? {};
        await this.repo.insert([
          {
            id: randomUUID(),
            type: "SEARCH_QUERY",
            visitorId,
            sessionId: session && CLIENT_ID.test(session) ? session : null,
            query,
            category: text(best.category, 64),
            province: text(best.province, 100),
            city: text(best.city, 100),
            results: items.length,
            occurredAt,
          },
        ]);
      })()
        .catch((err: Error) =>
          this.logger.warn({ err: { name: err.name, message: err.message } }, "search event not stored"),
        )
        .finally(() => this.pending.delete(task));
      this.pending.add(task);
    };
  }
}
