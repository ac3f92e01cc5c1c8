/**
 * The cache front (#11): the first middleware, answering fresh cache hits from the in-process tier
 * (local.ts) before the rest of the chain runs, and feeding that tier from the chain's own answers.
 *
 * Why: a cached `GET /api/businesses/:id` through the whole chain costs ~200 µs of CPU (request context and
 * span, security headers, CORS, compression, timeout, body checks, a Redis round trip; docs/app-benchmark.md),
 * eight times the raw node:http floor. A hit answered here costs a map lookup and a header copy.
 *
 * Same answer as the chain, by construction: an entry holds the headers the chain itself produced for that
 * request (captured after `await next()` from a GET answered 200 with the cache's HIT or stored MISS, whatever
 * its encoding), minus the per-request ones (local.ts `PER_REQUEST_HEADERS`), which are recomputed here with
 * the chain's own functions: `X-Request-Id` (the incoming one when valid, as app.ts), `Age`, `X-Cache: HIT`,
 * CORS (cors.ts `simpleCorsHeaders`), the rate-limit decision and its headers (rateLimit/middleware.ts,
 * decided once: a request that is not allowed continues down the chain with the decision, which answers
 * 429/503 as always), and compression (gzip/deflate chosen from Accept-Encoding as Hono's compress does,
 * made once per entry). Metrics and the access log are recorded by observe.ts like every request; the
 * lookup counts as `http_cache_lookups_total{result="local_hit"}`.
 *
 * What always takes the full path: methods other than GET; paths not in plain normal form (only letters,
 * digits, `/`, `_`, `-` in the path as received: anything else is left to canonical-path.ts); requests carrying `traceparent` (a
 * traced caller gets its server span; hits answered here create none, like a CDN hit); requests while the
 * cache bypasses Redis after a failed invalidation; entries that are missing, stale or of an old version
 * (local.ts decides); and every request when the tier is not synchronized with Redis.
 */
import type { MiddlewareHandler } from "hono";
import { parseAccept } from "hono/utils/accept";
import { randomUUID } from "node:crypto";
import { deflateSync, gzipSync } from "node:zlib";
import { receivedPath, receivedTarget } from "../canonical-path";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { observeRequest, REQUEST_ID } from "../observe";
import { rateLimitHeaders, type RateLimiter } from "../rateLimit/middleware";
import type { AppEnv, AppState } from "../types";
import { PER_REQUEST_HEADERS, type LocalCache, type LocalEntry } from "./local";
import { cachedRoute, isInternalRefresh, type ResponseCache } from "./middleware";
import { canonicalRequest } from "./store";

const PLAIN_PATH = /^\/[A-Za-z0-9/_-]*$/;

export interface FrontDeps {
  local: LocalCache;
  cache: ResponseCache;
  metrics: Metrics;
  state: AppState;
  logger: Logger;
  /** CORS headers for a request's Origin (cors.ts `simpleCorsHeaders`). */
  cors: (origin: string | undefined) => Record<string, string>;
  /** The rate limiter when rate limiting is on. */
  limiter?: RateLimiter;
  /** Milliseconds since the epoch (the app clock). */
  now: () => number;
}

type Encoding = "gzip" | "deflate";

/** Hono compress's choice (hono/middleware/compress `selectEncoding`): gzip first, then deflate, by q. */
function selectEncoding(header: string | undefined): Encoding | undefined {
  if (header === undefined) return undefined;
  const accepts = parseAccept(header);
  const wildcardQ = accepts.find((a) => a.type === "*")?.q;
  let best: { encoding: Encoding; q: number } | undefined;
  for (const enc of ["gzip", "deflate"] as const) {
    const explicit = accepts.find((a) => a.type.toLowerCase() === enc);
    const q = explicit ? explicit.q : (wildcardQ ?? 0);
    if (q === 1) return enc;
    if (q > 0 && (!best || q > best.q)) best = { encoding: enc, q };
  }
  return best?.encoding;
}

/** The entry's body in `encoding`, compressed on first use and then counted in the tier's byte budget. */
function encoded(
  local: LocalCache,
  request: string,
  entry: LocalEntry,
  encoding: Encoding,
): Uint8Array<ArrayBuffer> {
  entry.encoded ??= {};
  const known = entry.encoded[encoding];
  if (known) return known;
  const made = new Uint8Array((encoding === "gzip" ? gzipSync : deflateSync)(entry.body));
  entry.encoded[encoding] = made;
  local.resize(request, entry);
  return made;
}

/** The front middleware (mount first, on `*`). */
export function cacheFront(deps: FrontDeps): MiddlewareHandler<AppEnv> {
  const { local, cache, metrics, state, logger, limiter } = deps;
  return async (c, next) => {
    const started = performance.now();
    const path = c.req.path;
    const route = c.req.method === "GET" ? cachedRoute(path) : undefined;
    if (!route || isInternalRefresh(c)) return next();
    // The target as received: origin form without a query (the common case) needs no URL parse; its
    // canonical key is the plain path + "?" (store.ts canonicalRequest).
    const target = receivedTarget(c);
    const bare = target.startsWith("/") && !target.includes("?");
    if (!PLAIN_PATH.test(bare ? target : receivedPath(c))) return next();
    if (!local.serving || cache.bypassing || c.req.header("traceparent") !== undefined) return next();
    const request = bare ? `${target}?` : canonicalRequest(new URL(c.req.url));
    const entry = local.get(request);
    if (!entry) {
      await next();
      keep(request, route);
      return undefined;
    }
    let limitHeaders: Record<string, string> | undefined;
    if (limiter) {
      const d = await limiter.decide(c);
      if (d.kind !== "allowed" && d.kind !== "skip") {
        c.set("rateLimitDecision", d); // the chain answers it (429 / 503 / fail open), decided once
        return next();
      }
      if (d.kind === "allowed") limitHeaders = rateLimitHeaders(d.policy, d.result);
    }
    metrics.cacheLookups.inc({ route, result: "local_hit" });
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const encoding = selectEncoding(c.req.header("accept-encoding"));
    const headers: Record<string, string> = {
      ...entry.headers,
      ...deps.cors(c.req.header("origin")),
      ...limitHeaders,
      age: String(Math.max(0, Math.floor((deps.now() - entry.at) / 1000))),
      "x-cache": "HIT",
      "x-request-id": requestId,
    };
    let body: string | Uint8Array<ArrayBuffer> = entry.body;
    if (encoding) {
      headers["content-encoding"] = encoding;
      body = encoded(local, request, entry, encoding);
    }
    const log = logger.isLevelEnabled("info") ? logger.child({ request_id: requestId }) : logger;
    observeRequest(metrics, state, log, {
      method: "GET",
      route,
      path,
      status: 200,
      seconds: (performance.now() - started) / 1000,
    });
    return new Response(body, { status: 200, headers });

    /**
     * After the chain answered: keep a fresh 200 the cache served or stored, as the chain sent it. A compressed
     * answer is kept too (most requests through a CDN accept gzip): compression only adds `Content-Encoding`,
     * which is per request here, and the body kept is the entry's own (identity) body.
     */
    function keep(request: string, route: string): void {
      const served = c.get("cacheEntry");
      if (!served || c.res.status !== 200) return;
      const kept: Record<string, string> = {};
      c.res.headers.forEach((value, name) => {
        if (!PER_REQUEST_HEADERS.has(name)) kept[name] = value;
      });
      local.set(request, { v: served.v, at: served.at, route, headers: kept, body: served.body });
    }
  };
}
