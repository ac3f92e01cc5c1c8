/**
 * `createApp(deps)`: the Hono application, with every dependency injected (config, database, logger,
 * metrics, readiness checks, Redis, clock; see types.ts). The server entrypoint, the tests and the benchmark
 * build it the same way.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
} from "@opentelemetry/api";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { every } from "hono/combine";
import { compress } from "hono/compress";
import { HTTPException } from "hono/http-exception";
import { matchedRoutes } from "hono/route";
import { secureHeaders } from "hono/secure-headers";
import { timeout } from "hono/timeout";
import { randomUUID } from "node:crypto";
import type { RequestListener } from "node:http";
import { decodeContentEncoding, headContentLength, jsonOnly } from "./body";
import { canonicalPath } from "./canonical-path";
import { corsMiddleware, simpleCorsHeaders } from "./cors";
import { setResponseHeader } from "./headers";
import { createMetrics, type Metrics } from "./metrics";
import { observeRequest, REQUEST_ID } from "./observe";
import { ResponseCache } from "./cache/middleware";
import { CacheStore, defineCacheScripts } from "./cache/store";
import { CacheFront } from "./cache/front";
import { LocalCache } from "./cache/local";
import { rateLimiter } from "./rateLimit/middleware";
import { defineGcra } from "./rateLimit/script";
import { RedisGateway } from "./redis";
import { latestVersion } from "./migrate";
import { ProblemError, problemResponse } from "./problem";
import { BusinessRepository } from "./repository";
import { registerBusinessRoutes } from "./routes/businesses";
import { registerAnalyticsRoutes } from "./routes/analytics";
import { registerEventRoutes, searchRecorder } from "./routes/events";
import { registerExperimentRoutes } from "./routes/experiments";
import { registerPrivacyRoutes } from "./routes/privacy";
import { registerWebhookRoutes } from "./routes/webhooks";
import { isImageUpload, registerImageRoutes } from "./routes/images";
import { registerHealthRoutes } from "./routes/health";
import { addCommonResponses } from "./routes/openapiCommon";
import type { AppDeps, AppEnv, AppState } from "./types";
import { RollingWindow } from "./window";
import { SEARCH_PATH } from "./growth/search-recorder";

export type { AppDeps, AppEnv, AppState, ReadinessCheck } from "./types";

export interface BuiltApp {
  /** Redis through the circuit breaker (#11), when `deps.redis` was given. */
  redis?: RedisGateway;
  /** The stale-while-revalidate response cache (#11), when Redis is given and CACHE_ENABLED. */
  cache?: ResponseCache;
  /** The cache's in-process tier for fresh hits (cache/local.ts), when CACHE_LOCAL_MAX_BYTES > 0. */
  localCache?: LocalCache;
  app: OpenAPIHono<AppEnv>;
  /**
   * The `node:http` listener to serve with, around `chain` (@hono/node-server's `getRequestListener(app.fetch)`):
   * with the in-process tier on, the cache front answers fresh hits before Hono sees them (cache/front.ts);
   * otherwise `chain` itself.
   */
  listener(chain: RequestListener): RequestListener;
  metrics: Metrics;
  state: AppState;
  /**
   * Resolves when the background work requests started has finished: cache refreshes and search-event
   * recordings (the server awaits it after draining, before closing Redis and the pool).
   */
  idle(): Promise<void>;
}

const headerGetter: TextMapGetter<Headers> = {
  get: (h, k) => h.get(k) ?? undefined,
  keys: (h) => {
    const keys: string[] = [];
    h.forEach((_, k) => keys.push(k));
    return keys;
  },
};
const tracer = trace.getTracer("meridian-api.http");

/**
 * The route template of the handler that produced the response (e.g. `/api/businesses/:id`), or `unmatched`
 * when only middleware ran (404). `c.req.routeIndex` is the index of the last handler dispatched.
 */
function routeTemplate(c: Context): string {
  const routes = matchedRoutes(c);
  const route = routes.at(c.req.routeIndex);
  if (route && route.method !== "ALL") return route.path;
  // Answered by middleware (401, 413, 415, CORS preflight): label with the route that would have handled it.
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  return routes.find((r) => r.method === method)?.path ?? "unmatched";
}

export function createApp(deps: AppDeps): BuiltApp {
  const { config, db, logger } = deps;
  const metrics = deps.metrics ?? createMetrics(db);
  const state: AppState = { draining: false, http: new RollingWindow(5000, 5 * 60_000) };
  const repo = new BusinessRepository(db);
  const redis = deps.redis ? new RedisGateway(deps.redis, config, logger) : undefined;
  if (deps.redis) {
    // Every Lua script is defined before the first command (auto-pipelining; cache/store.ts).
    defineGcra(deps.redis);
    defineCacheScripts(deps.redis);
  }
  const corsPolicy = {
    origins: config.CORS_ALLOWED_ORIGINS,
    methods: config.CORS_ALLOWED_METHODS,
    headers: config.CORS_ALLOWED_HEADERS,
    exposed: config.CORS_EXPOSED_HEADERS,
    maxAgeS: config.CORS_MAX_AGE_S,
  };

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return undefined;
      const where = result.target === "json" ? "body" : result.target;
      const errors = result.error.issues.map((i) => ({
        field: [where, ...i.path.map(String)].join("."),
        message: i.code === "unrecognized_keys" ? `unknown field(s): ${i.keys.join(", ")}` : i.message,
      }));
      return problemResponse(
        c,
        400,
        `invalid ${where}: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`,
        {
          errors,
        },
      );
    },
  });

  // The response cache (#11): stale-while-revalidate in Redis (cache/middleware.ts, mounted at 7b) and its
  // in-process tier for fresh hits (cache/local.ts), answered by the cache front before anything else.
  const now = deps.now ?? Date.now;
  const store =
    redis &&
    config.CACHE_ENABLED === "true" &&
    config.CACHE_MAX_AGE_S + config.CACHE_STALE_WHILE_REVALIDATE_S > 0
      ? new CacheStore(redis, config.CACHE_MAX_AGE_S, config.CACHE_STALE_WHILE_REVALIDATE_S)
      : undefined;
  const local =
    deps.redis && store && config.CACHE_LOCAL_MAX_BYTES > 0 && config.CACHE_MAX_AGE_S > 0
      ? new LocalCache({
          maxBytes: config.CACHE_LOCAL_MAX_BYTES,
          freshS: config.CACHE_MAX_AGE_S,
          channel: store.versionKey,
          readVersion: () => store.readVersion(),
          now,
          logger,
        })
      : undefined;
  const cache = store
    ? new ResponseCache({
        store,
        metrics,
        logger,
        now,
        lockMs: config.CACHE_REFRESH_LOCK_MS,
        refetch: (request, env) => app.fetch(request, env),
        local,
      })
    : undefined;
  const limiter =
    redis && config.RATE_LIMIT_ENABLED === "true" ? rateLimiter({ config, redis, metrics }) : undefined;
  // Growth: the search endpoint records SEARCH_QUERY for searches with x-visitor-id, whatever answers them —
  // the handler, the Redis cache or the cache front — so it is registered before all of them
  // (growth/search-recorder.ts; in the background, never delaying the response).
  const recorder = searchRecorder({ db, logger, now: deps.now });
  app.use(SEARCH_PATH, recorder.middleware());

  let front: CacheFront | undefined;
  if (local && cache && deps.redis) {
    local.follow(deps.redis.duplicate());
    // The subscriber lives as long as the client it was duplicated from: closing the app's client (quit or
    // disconnect, `end`: no reconnection follows) closes it too, so no connection outlives the app.
    deps.redis.once("end", () => local.close());
    const cors = simpleCorsHeaders(corsPolicy);
    front = new CacheFront({ local, cache, metrics, state, logger, cors, limiter, now });
    app.use("*", front.middleware());
  }
  // Searches the recorder stores an event for take the chain at the listener (the recorder runs there).
  const listener = (chain: RequestListener): RequestListener =>
    front ? front.listener(chain, (_route, req) => recorder.records(req)) : chain;

  // 1. Request context: id, trace span, RED metrics, access log. Outermost, so it sees every final status.
  app.use("*", async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const method = c.req.method;
    const parent = propagation.extract(ROOT_CONTEXT, c.req.raw.headers, headerGetter);
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": method, "url.path": c.req.path, "http.request_id": requestId },
      },
      parent,
    );
    const spanContext = trace.setSpan(parent, span);
    metrics.inFlight.inc({ method });
    await context.with(spanContext, async () => {
      const log = logger.child({ request_id: requestId });
      c.set("requestId", requestId);
      c.set("log", log);
      try {
        await next();
      } finally {
        const route = routeTemplate(c);
        const status = c.res.status;
        const seconds = (performance.now() - started) / 1000;
        metrics.inFlight.dec({ method });
        observeRequest(metrics, state, log, { method, route, path: c.req.path, status, seconds });
        // In place after next(): c.header() here would rebuild the response (headers.ts).
        setResponseHeader(c, "x-request-id", requestId);
        const carrier: Record<string, string> = {};
        propagation.inject(spanContext, carrier);
        if (carrier.traceparent) setResponseHeader(c, "traceparent", carrier.traceparent);
        span.updateName(`${method} ${route}`);
        span.setAttributes({ "http.route": route, "http.response.status_code": status });
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
  });

  // 1b. Route on the normalised path only: 308 to it when the raw path differs (`/%6detrics`, `/api/%2e%2e/…`).
  app.use("*", canonicalPath());
  // 1c. HEAD answers carry the Content-Length of the GET body (the Node adapter sends none; body.ts).
  app.use("*", headContentLength());

  // 2. Security headers for a JSON API: deny all content sources and framing; HSTS.
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
      strictTransportSecurity: `max-age=${config.HSTS_MAX_AGE_S}; includeSubDomains`,
      crossOriginResourcePolicy: "same-site",
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
    }),
  );

  // 3. CORS strictly from the environment: only listed origins get CORS headers (none listed: no cross-origin).
  app.use("*", corsMiddleware(corsPolicy));

  // 3b. Rate limiting per client IP and API key (#11, rateLimit/): before any work is done for the request.
  if (limiter) app.use("/api/*", limiter.middleware());

  // 4. Compression (gzip/deflate by Accept-Encoding, bodies >= 1 KiB).
  app.use("*", compress({ threshold: 1024 }));

  // 5. Request timeout for API routes (the database statement_timeout matches it).
  app.use(
    "/api/*",
    timeout(
      config.REQUEST_TIMEOUT_MS,
      () => new HTTPException(503, { message: `request exceeded ${config.REQUEST_TIMEOUT_MS} ms` }),
    ),
  );

  // 6. Writes: JSON only (415 otherwise; media types parsed by body.ts), Content-Encoding gzip/deflate/br
  // decoded under the body limit (413 beyond, 415 for other codings), bounded body (413).
  const requireJson = jsonOnly();
  const decodeBody = decodeContentEncoding(config.BODY_LIMIT_BYTES);
  // GET and HEAD requests carry no body (a fetch Request cannot have one): skipped without reading
  // `c.req.raw.body`, which under @hono/node-server builds a full undici Request per request. The image
  // upload is the one non-JSON write: routes/images.ts checks its type and size itself.
  const jsonBodyLimit = bodyLimit({
    maxSize: config.BODY_LIMIT_BYTES,
    onError: (c) => problemResponse(c, 413, `request body exceeds ${config.BODY_LIMIT_BYTES} bytes`),
  });
  const bodyChecks = every(requireJson, decodeBody, jsonBodyLimit);
  app.use("/api/*", async (c, next) => {
    const m = c.req.method;
    return m === "GET" || m === "HEAD" || isImageUpload(c) ? next() : bodyChecks(c, next);
  });

  // 7. Public GET responses are cacheable for a short time and may be served stale while revalidating.
  const publicCache = `public, max-age=${config.CACHE_MAX_AGE_S}, stale-while-revalidate=${config.CACHE_STALE_WHILE_REVALIDATE_S}`;
  for (const path of ["/api/businesses", "/api/businesses/*", "/api/search/*", "/api/categories"]) {
    app.use(path, async (c, next) => {
      await next();
      if (
        (c.req.method === "GET" || c.req.method === "HEAD") &&
        c.res.status === 200 &&
        !c.res.headers.has("Cache-Control")
      ) {
        setResponseHeader(c, "Cache-Control", publicCache);
        setResponseHeader(c, "Vary", "Origin, Accept-Encoding");
      }
    });
  }

  // 7b. Stale-while-revalidate cache in Redis for the public directory reads; admin writes invalidate (#11).
  if (cache) {
    app.use("/api/*", cache.invalidation());
    app.use("/api/*", cache.reads());
  }

  registerHealthRoutes(app, {
    redis,
    config,
    db,
    state,
    metrics,
    expectedSchemaVersion: deps.expectedSchemaVersion ?? latestVersion(),
    readinessChecks: deps.readinessChecks ?? [],
  });
  registerBusinessRoutes(app, { config, repo });
  registerEventRoutes(app, { config, db, now: deps.now });
  registerAnalyticsRoutes(app, { config, db, now: deps.now });
  registerExperimentRoutes(app, { db });
  registerPrivacyRoutes(app, { config, db, now: deps.now });
  registerWebhookRoutes(app, { config, db, logger, redis });
  registerImageRoutes(app, { config, db, logger, storage: deps.storage });

  // The document is generated once (on first request) from the routes' schemas; the responses every
  // operation can produce (308, 429, 503, 500) and the common headers are added in one place.
  let openapi: object | undefined;
  app.get("/openapi.json", (c) => {
    openapi ??= addCommonResponses(
      app.getOpenAPI31Document({
        openapi: "3.1.0",
        info: {
          title: "Meridian API",
          version: "0.1.0",
          description:
            "Business directory (Dominican Republic): list, nearby (PostGIS) and full-text search.",
        },
      }),
    );
    return c.json(openapi);
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "The admin API key (ADMIN_API_KEY) or an HS256 JWT with role admin (JWT_SECRET).",
  });

  app.notFound((c) => problemResponse(c, 404, `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof ProblemError) {
      for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
      return problemResponse(c, err.status, err.detail, err.extra);
    }
    if (err instanceof HTTPException) {
      if (err.status === 503) c.header("Retry-After", "1");
      return problemResponse(c, err.status, err.message || undefined);
    }
    // Unknown failure: log it with the trace id (mixin), answer without details.
    (c.get("log") ?? logger).error(
      { err: { name: err.name, message: err.message, stack: err.stack } },
      "unhandled error",
    );
    return problemResponse(c, 500, "internal error; quote the x-request-id header when reporting it");
  });

  const idle = async () => {
    await Promise.all([cache?.idle(), recorder.idle()]);
  };
  return { app, listener, metrics, state, redis, cache, localCache: local, idle };
}
