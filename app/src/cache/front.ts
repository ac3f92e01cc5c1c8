/**
 * The cache front (#11): answers fresh cache hits from the in-process tier (local.ts) before the rest of the
 * app runs, and feeds that tier from the chain's own answers. One decision (`CacheFront.answer`, on a
 * requestView.ts view of the request), two adapters: the `node:http` listener the server uses (src/server.ts
 * `httpServer`), which writes a hit to the socket before @hono/node-server builds a Request and Hono routes it,
 * and the first Hono middleware (for `app.fetch` / `app.request()` callers, and requests the listener handed on).
 *
 * Why: a cached `GET /api/businesses/:id` through the whole chain costs ~200 µs of CPU (request context and
 * span, security headers, CORS, compression, timeout, body checks, a Redis round trip; docs/app-benchmark.md),
 * eight times the raw node:http floor; answered by the middleware, ~90 µs (Request/Response objects, routing
 * over a dozen middleware registrations); answered by the listener, a map lookup, a header copy and the write.
 *
 * Same answer as the chain, by construction: an entry holds the headers the chain itself produced for that
 * request (captured after `await next()` from a GET answered 200 with the cache's HIT or stored MISS, whatever
 * its encoding), minus the per-request ones (local.ts `PER_REQUEST_HEADERS`), which are recomputed here with
 * the chain's own functions: `X-Request-Id` (the incoming one when valid, as app.ts), `Age`, `X-Cache: HIT`,
 * CORS (cors.ts `simpleCorsHeaders`), the rate-limit decision and its headers (rateLimit/middleware.ts,
 * decided once: a request that is not allowed continues down the chain with the decision, which answers
 * 429/503 as always), and compression (gzip/deflate chosen from Accept-Encoding as Hono's compress does,
 * made once per entry). Metrics and the access log are recorded by observe.ts like every request; the
 * lookup counts as `http_cache_lookups_total{result="local_hit"}`. On the wire the listener's hit carries the
 * same headers and body bytes as the chain's answer, except message framing: it sends `Content-Length` where
 * the chain streams a compressed body chunked (test/cache-listener.test.ts compares them byte for byte).
 *
 * What always takes the full path: methods other than GET; paths not in plain normal form (only letters,
 * digits, `/`, `_`, `-` in the path as received: anything else is left to canonical-path.ts); requests
 * carrying `traceparent` (a traced caller gets its server span; hits answered here create none, like a CDN
 * hit); requests while the cache bypasses Redis after a failed invalidation; entries that are missing, stale
 * or of an old version (local.ts decides); every request when the tier is not synchronized with Redis; and, at
 * the listener, what @hono/node-server must judge first (absolute-form targets, Hosts outside its fast check:
 * `ADAPTER_HOST`) and searches the growth recorder stores an event for (it runs in the chain). A request the
 * listener made a rate-limit decision for and then handed on (not allowed, or a fault) reaches the middleware
 * with that decision, so it is never decided twice.
 */
import type { MiddlewareHandler } from "hono";
import { parseAccept } from "hono/utils/accept";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { deflateSync, gzipSync } from "node:zlib";
import { targetPath } from "../canonical-path";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { observeRequest, REQUEST_ID } from "../observe";
import type { RateDecision } from "../rateLimit/decision";
import { rateLimitHeaders, type RateLimiter } from "../rateLimit/middleware";
import { contextView, incomingView, type RequestView } from "../requestView";
import type { AppEnv, AppState } from "../types";
import { PER_REQUEST_HEADERS, type LocalCache, type LocalEntry } from "./local";
import { cachedRoute, isInternalRefresh, type ResponseCache } from "./middleware";
import { canonicalRequest, type CacheEntry } from "./store";

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

/** Metric labels per cached route, made once and never changed (prom-client keeps a series' first object). */
const LABELS = new Map<string, { lookup: { route: string; result: string } }>();
function labelsFor(route: string): { lookup: { route: string; result: string } } {
  let labels = LABELS.get(route);
  if (!labels) LABELS.set(route, (labels = { lookup: { route, result: "local_hit" } }));
  return labels;
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

/** A hit the front answers: headers as a flat name/value list (lower-case names), and what `record` needs. */
export interface FrontHit {
  kind: "hit";
  headers: string[];
  body: string | Uint8Array<ArrayBuffer>;
  /** The rate-limit decision made for it (allowed), handed to the chain if writing the hit fails. */
  decision?: RateDecision;
  route: string;
  path: string;
  requestId: string;
  /** `performance.now()` when the request arrived. */
  started: number;
}

/** What the front makes of a request: a hit it answers, or the chain (with a decision made, or a miss to keep). */
export type FrontAnswer =
  FrontHit | { kind: "chain"; decision?: RateDecision; keep?: { request: string; route: string } };

const CHAIN: FrontAnswer = Object.freeze({ kind: "chain" });

/**
 * Requests @hono/node-server turns into a Request without question (v2.1.8 `newRequest`/`buildUrl`): an
 * origin-form target and a Host of lower-case letters, digits, `.`, `_`, `-` (its `reValidHost`), with a port
 * 1-65535 (its fast check stops at 59999 and parses higher ones, which it accepts). Anything else — absolute-form
 * targets, a missing Host, Hosts it must parse (upper case, `user@host`, `a/b`, ports out of range) — goes to the
 * chain, where the adapter decides (400 for what it refuses), so the listener never answers what it would not.
 */
const ADAPTER_HOST =
  /^[a-z0-9._-]+(?::(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]))?$/;

/**
 * The cache front: one decision per request (`answer`), served by two adapters — the Hono middleware (mount
 * first, on `*`) and the `node:http` listener (`listener`), which answers hits before @hono/node-server builds
 * a Request and Hono routes it, and hands every other request to the chain untouched.
 */
export class CacheFront {
  /** Rate-limit decisions the listener made for requests it handed to the chain (decided once, see below). */
  private readonly decided = new WeakMap<IncomingMessage, RateDecision>();

  constructor(private readonly deps: FrontDeps) {}

  /**
   * The answer for `req` (see the module comment for what takes the full path). Synchronous unless a rate
   * limit decision is needed. `started` is `performance.now()` when the request arrived (for the metrics).
   * `passThrough(route, req)` true sends a cacheable request to the chain without a lookup. Throws only on
   * a fault of its own (the adapters then answer through the chain).
   */
  answer(
    req: RequestView,
    started: number,
    passThrough?: (route: string, req: RequestView) => boolean,
  ): FrontAnswer | Promise<FrontAnswer> {
    const { local, cache, limiter } = this.deps;
    if (req.method !== "GET") return CHAIN;
    // The target as received: origin form without a query (the common case) needs no URL parse; its
    // canonical key is the plain path + "?" (store.ts canonicalRequest).
    const target = req.target;
    const origin = target.startsWith("/");
    const bare = origin && !target.includes("?");
    const raw = bare ? target : targetPath(target);
    if (!PLAIN_PATH.test(raw)) return CHAIN;
    const route = cachedRoute(raw);
    if (!route || !local.serving || cache.bypassing || req.header("traceparent") !== undefined) return CHAIN;
    if (passThrough?.(route, req)) return CHAIN;
    let request = `${target}?`;
    if (!bare) {
      const url = URL.parse(origin ? `http://h${target}` : target);
      if (!url) return CHAIN; // not a URL: the chain answers 400
      request = canonicalRequest(url);
    }
    const entry = local.get(request);
    if (!entry) return { kind: "chain", keep: { request, route } };
    if (!limiter) return this.hit(req, request, entry, undefined, started);
    return limiter.decide(req).then((d): FrontAnswer => {
      // Not allowed: the chain answers it (429 / 503 / fail open) with this decision, never decided twice.
      if (d.kind !== "allowed" && d.kind !== "skip") return { kind: "chain", decision: d };
      try {
        return this.hit(req, request, entry, d, started);
      } catch (err) {
        this.fault(err, target);
        return { kind: "chain", decision: d };
      }
    });
  }

  /** A fresh hit: the entry's headers plus the per-request ones; per hit, one array copied from the entry's. */
  private hit(
    req: RequestView,
    request: string,
    entry: LocalEntry,
    decision: RateDecision | undefined,
    started: number,
  ): FrontHit {
    const incoming = req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const encoding = selectEncoding(req.header("accept-encoding"));
    const headers = (entry.flat ??= Object.entries(entry.headers).flat()).slice();
    const cors = this.deps.cors(req.header("origin"));
    for (const name in cors) headers.push(name, cors[name]);
    if (decision?.kind === "allowed") {
      const limits = rateLimitHeaders(decision.policy, decision.result);
      for (const name in limits) headers.push(name, limits[name]);
    }
    const age = Math.max(0, Math.floor((this.deps.now() - entry.at) / 1000));
    headers.push("age", String(age), "x-cache", "HIT", "x-request-id", requestId);
    let body: string | Uint8Array<ArrayBuffer> = entry.body;
    if (encoding) {
      headers.push("content-encoding", encoding);
      body = encoded(this.deps.local, request, entry, encoding);
    }
    return { kind: "hit", headers, body, decision, route: entry.route, path: req.path, requestId, started };
  }

  /** Records an answered hit like every answered request (metrics, dashboard window, access log). */
  private record(a: FrontHit): void {
    const { metrics, state, logger } = this.deps;
    metrics.cacheLookups.inc(labelsFor(a.route).lookup);
    const log = logger.isLevelEnabled("info") ? logger.child({ request_id: a.requestId }) : logger;
    observeRequest(metrics, state, log, {
      method: "GET",
      route: a.route,
      path: a.path,
      status: 200,
      seconds: (performance.now() - a.started) / 1000,
    });
  }

  /** A fault of the front itself (never a client's doing: what the front cannot answer goes to the chain). */
  private fault(err: unknown, target: string | undefined, written = false): void {
    this.deps.logger.error(
      { err: (err as Error).message, path: target },
      written
        ? "cache front failed mid-response; connection closed"
        : "cache front failed; answered by the chain",
    );
  }

  /** The Hono middleware (mount first, on `*`; after the search recorder, app.ts). */
  middleware(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      const started = performance.now();
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      const early = incoming && this.decided.get(incoming);
      if (early) {
        c.set("rateLimitDecision", early); // decided at the listener, answered by the chain
        return next();
      }
      if (isInternalRefresh(c)) return next();
      let a: FrontAnswer;
      try {
        a = await this.answer(contextView(c), started);
        if (a.kind === "hit") {
          const headers = new Headers();
          for (let i = 0; i < a.headers.length; i += 2) headers.append(a.headers[i], a.headers[i + 1]);
          const res = new Response(a.body, { status: 200, headers });
          this.record(a);
          return res;
        }
      } catch (err) {
        this.fault(err, c.req.path);
        return next();
      }
      if (a.decision) c.set("rateLimitDecision", a.decision);
      await next();
      if (a.keep) this.keep(c.get("cacheEntry"), c.res, a.keep.request, a.keep.route);
      return undefined;
    };
  }

  /**
   * The `node:http` listener: hits are written to the socket here (status, headers, `Content-Length`, body:
   * what @hono/node-server would write for the same Response); every other request goes to `chain` (the
   * app's listener) as it arrived: other methods, what the adapter must judge first (`ADAPTER_HOST`), and
   * searches carrying `x-visitor-id` (their growth event is recorded in the chain,
   * growth/search-recorder.ts) — `passThrough` says which requests those are.
   */
  listener(
    chain: RequestListener,
    passThrough?: (route: string, req: RequestView) => boolean,
  ): RequestListener {
    // A fault of the front never takes the process down (this runs in the server's `request` event): before
    // anything was written the chain answers the request (with the rate-limit decision already made, if
    // any); after, the response is cut (it cannot be repaired).
    const fail = (err: unknown, req: IncomingMessage, res: ServerResponse, decision?: RateDecision) => {
      const written = res.headersSent;
      this.fault(err, req.url, written);
      if (written) return void res.destroy();
      if (decision) this.decided.set(req, decision);
      void chain(req, res);
    };
    const settle = (a: FrontAnswer, req: IncomingMessage, res: ServerResponse) => {
      if (a.kind !== "hit") {
        if (a.decision) this.decided.set(req, a.decision);
        return void chain(req, res);
      }
      try {
        const length = typeof a.body === "string" ? Buffer.byteLength(a.body) : a.body.byteLength;
        a.headers.push("content-length", String(length));
        res.writeHead(200, a.headers);
        res.end(a.body);
      } catch (err) {
        return fail(err, req, res, a.decision);
      }
      this.record(a);
    };
    return (req, res) => {
      const host = req.headers.host;
      if (
        req.method !== "GET" ||
        !this.deps.local.serving ||
        req.url?.[0] !== "/" ||
        host === undefined ||
        !ADAPTER_HOST.test(host)
      ) {
        return void chain(req, res);
      }
      const started = performance.now();
      try {
        const a = this.answer(incomingView(req), started, passThrough);
        if (a instanceof Promise)
          a.then((x) => settle(x, req, res)).catch((err: unknown) => fail(err, req, res));
        else settle(a, req, res);
      } catch (err) {
        fail(err, req, res);
      }
    };
  }

  /**
   * After the chain answered: keep a fresh 200 the cache served or stored, as the chain sent it. A compressed
   * answer is kept too (most requests through a CDN accept gzip): compression only adds `Content-Encoding`,
   * which is per request here, and the body kept is the entry's own (identity) body.
   */
  private keep(served: CacheEntry | undefined, res: Response, request: string, route: string): void {
    if (!served || res.status !== 200) return;
    const kept: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!PER_REQUEST_HEADERS.has(name)) kept[name] = value;
    });
    this.deps.local.set(request, { v: served.v, at: served.at, route, headers: kept, body: served.body });
  }
}
