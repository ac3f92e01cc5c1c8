/**
 * Stale-while-revalidate response cache in Redis for the four public directory reads:
 * `GET /api/businesses`, `/api/businesses/nearby`, `/api/businesses/:id`, `/api/search/businesses`.
 *
 * - fresh (age < CACHE_MAX_AGE_S): served from Redis (`X-Cache: HIT`);
 * - stale (age < CACHE_MAX_AGE_S + CACHE_STALE_WHILE_REVALIDATE_S): served from Redis (`X-Cache: STALE`) and
 *   one background refresh is started: at most one per instance (in-process set) and one across instances
 *   (the Redis lock, CACHE_REFRESH_LOCK_MS), so a hot stale key costs one database query, not a stampede;
 * - otherwise (`X-Cache: MISS`): the handler runs and a 200 JSON response is stored; concurrent misses for the
 *   same request on one instance wait for that one computation instead of each querying (metric `coalesced`).
 * Served responses carry `Cache-Control: public, max-age=<fresh>, stale-while-revalidate=<stale>` and `Age`,
 * so browsers and the CDN apply the same freshness.
 *
 * Invalidation: a successful (status < 400) POST/PUT/PATCH/DELETE under `/api/businesses` increments the cache
 * version before its response is sent (store.ts), so the writer's next read already sees the change. If Redis
 * is unavailable at that moment, this instance bypasses the cache until a retry (every second) succeeds.
 *
 * Redis unavailable: reads bypass the cache (`X-Cache: BYPASS`) and are served from PostgreSQL.
 * The background refresh re-enters the app (`refetch`) with an in-process marker in the Hono env that a client
 * cannot set; that request skips the cache lookup and the rate limiter.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { setResponseHeader } from "../headers";
import type { AppEnv } from "../types";
import type { LocalCache } from "./local";
import { CacheStore, canonicalRequest, type CacheEntry } from "./store";

const INTERNAL_REFRESH = Symbol("meridian.cacheRefresh");

/** True for the cache's own background refresh request (never for a client request). */
export function isInternalRefresh(c: Context): boolean {
  const env = c.env as Record<symbol, unknown> | undefined;
  return typeof env === "object" && env !== null && env[INTERNAL_REFRESH] === true;
}

/** The cached route template for `path`, or undefined when the path is not cached. */
export function cachedRoute(path: string): string | undefined {
  if (path === "/api/businesses") return "/api/businesses";
  if (path === "/api/businesses/nearby") return "/api/businesses/nearby";
  if (/^\/api\/businesses\/[^/]+$/.test(path)) return "/api/businesses/:id";
  if (path === "/api/search/businesses") return "/api/search/businesses";
  return undefined;
}

export interface ResponseCacheDeps {
  store: CacheStore;
  metrics: Metrics;
  logger: Logger;
  /** Milliseconds since the epoch (the app clock, `deps.now`). */
  now: () => number;
  /** How long a refresh holds the cross-instance lock (ms). */
  lockMs: number;
  /** Re-enter the app for a background refresh: `app.fetch(request, env)`. */
  refetch: (request: Request, env: Record<symbol, unknown>) => Response | Promise<Response>;
  /** The in-process tier (local.ts), told every version this middleware learns from Redis. */
  local?: LocalCache;
}

export class ResponseCache {
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly computing = new Map<string, Promise<CacheEntry | undefined>>();
  private invalidationPending = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(private readonly deps: ResponseCacheDeps) {}

  private get cacheControl(): string {
    const { freshS, staleS } = this.deps.store;
    return `public, max-age=${freshS}, stale-while-revalidate=${staleS}`;
  }

  /** Resolves when every background refresh started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.refreshing.size > 0) await Promise.all([...this.refreshing.values()]);
  }

  /** True while reads bypass the cache because an invalidation could not reach Redis (retried every second). */
  get bypassing(): boolean {
    return this.invalidationPending;
  }

  /** Stop the invalidation retry timer and the in-process tier (its subscriber connection). */
  close(): void {
    clearTimeout(this.retryTimer);
    this.deps.local?.close();
  }

  private serve(c: Context, entry: CacheEntry, state: "HIT" | "STALE" | "MISS"): Response {
    const age = Math.max(0, Math.floor((this.deps.now() - entry.at) / 1000));
    return c.body(entry.body, 200, {
      "Content-Type": entry.type,
      "Cache-Control": this.cacheControl,
      Age: String(age),
      Vary: "Accept-Encoding", // the CORS middleware adds Origin
      "X-Cache": state,
    });
  }

  /** Run the handler and store its 200 JSON response under `version`; resolves with the stored entry. */
  private async computeAndStore(
    c: Context,
    next: () => Promise<void>,
    request: string,
    version: string,
  ): Promise<CacheEntry | undefined> {
    const at = this.deps.now();
    await next();
    const res = c.res;
    const type = res.headers.get("content-type") ?? "";
    if (res.status !== 200 || !type.startsWith("application/json")) return undefined;
    const entry = { v: version, at, type, body: await res.clone().text() };
    try {
      await this.deps.store.store(request, entry);
    } catch {
      // Redis went away between lookup and store: the response is still served.
    }
    return entry;
  }

  private startRefresh(c: Context, request: string): void {
    if (this.refreshing.has(request)) return;
    const url = c.req.url;
    const task = (async () => {
      let release: (() => Promise<void>) | undefined;
      try {
        release = await this.deps.store.lock(request, this.deps.lockMs);
        if (!release) {
          this.deps.metrics.cacheRefreshes.inc({ outcome: "skipped" });
          return;
        }
        const res = await this.deps.refetch(new Request(url), { [INTERNAL_REFRESH]: true });
        await res.arrayBuffer();
        this.deps.metrics.cacheRefreshes.inc({ outcome: res.status === 200 ? "ok" : "error" });
      } catch (err) {
        this.deps.metrics.cacheRefreshes.inc({ outcome: "error" });
        this.deps.logger.warn({ err: (err as Error).message }, "cache refresh failed");
      } finally {
        await release?.().catch(() => undefined);
        this.refreshing.delete(request);
      }
    })();
    this.refreshing.set(request, task);
  }

  /** The read middleware (mount on `/api/*`; it acts on the four cached routes only). */
  reads(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      const route = cachedRoute(c.req.path);
      if (!route || (c.req.method !== "GET" && c.req.method !== "HEAD")) return next();
      const request = canonicalRequest(new URL(c.req.url));
      const count = (result: string) => this.deps.metrics.cacheLookups.inc({ route, result });
      if (isInternalRefresh(c)) {
        let version: string;
        try {
          version = (await this.deps.store.lookup(request)).version;
        } catch {
          return next();
        }
        await this.computeAndStore(c, next, request, version);
        return undefined;
      }
      let found: Awaited<ReturnType<CacheStore["lookup"]>> | undefined;
      if (!this.invalidationPending) {
        try {
          found = await this.deps.store.lookup(request);
        } catch {
          found = undefined;
        }
      }
      if (!found) {
        count("bypass");
        await next();
        setResponseHeader(c, "X-Cache", "BYPASS");
        return undefined;
      }
      const freshness = found.entry
        ? this.deps.store.freshness(found.entry, found.version, this.deps.now())
        : "expired";
      this.deps.local?.observe(found.version);
      if (found.entry && freshness === "fresh") {
        count("hit");
        c.set("cacheEntry", found.entry);
        return this.serve(c, found.entry, "HIT");
      }
      if (found.entry && freshness === "stale") {
        count("stale");
        this.startRefresh(c, request);
        return this.serve(c, found.entry, "STALE");
      }
      // Concurrent misses for the same request on this instance wait for the first one (single flight).
      const inflight = this.computing.get(request);
      const shared = inflight ? await inflight : undefined;
      if (shared && shared.v === found.version) {
        count("coalesced");
        c.set("cacheEntry", shared);
        return this.serve(c, shared, "MISS");
      }
      count("miss");
      const computing = this.computeAndStore(c, next, request, found.version);
      const settled = computing.catch(() => undefined);
      this.computing.set(request, settled);
      let stored: CacheEntry | undefined;
      try {
        stored = await computing;
      } finally {
        if (this.computing.get(request) === settled) this.computing.delete(request);
      }
      setResponseHeader(c, "X-Cache", "MISS");
      if (stored) {
        c.set("cacheEntry", stored);
        setResponseHeader(c, "Cache-Control", this.cacheControl);
        setResponseHeader(c, "Vary", "Accept-Encoding"); // the CORS middleware adds Origin
      }
      return undefined;
    };
  }

  private async bump(): Promise<void> {
    try {
      this.deps.local?.observe(await this.deps.store.bumpVersion());
      this.invalidationPending = false;
    } catch {
      if (!this.invalidationPending) {
        this.deps.logger.warn(
          "cache invalidation failed (Redis unavailable); bypassing the cache until it succeeds",
        );
      }
      this.invalidationPending = true;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.bump(), 1000);
      this.retryTimer.unref();
    }
  }

  /** Invalidate every cached response now (all instances); if Redis is down, bypass and retry as for writes. */
  invalidate(): Promise<void> {
    return this.bump();
  }

  /** The invalidation middleware (mount on `/api/*`): successful writes under /api/businesses bump the version. */
  invalidation(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      await next();
      const m = c.req.method;
      if (m === "GET" || m === "HEAD" || m === "OPTIONS") return;
      if (!/^\/api\/businesses(\/|$)/.test(c.req.path) || c.res.status >= 400) return;
      await this.bump();
    };
  }
}
