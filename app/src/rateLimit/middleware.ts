/**
 * The rate-limit middleware: one GCRA check per request (script.ts) for the request's policy (policies.ts),
 * keyed by the client IP (clientIp.ts trust model) and, when the request carries `Authorization: Bearer
 * <token>`, also by the token (stored as a SHA-256 prefix, never in clear). Both must allow the request, so
 * rotating made-up tokens never escapes the per-IP limit, and a key used from many addresses is still bounded.
 *
 * Responses carry the IETF draft headers (draft-ietf-httpapi-ratelimit-headers):
 *   RateLimit-Policy: "search";q=60;w=60        (quota q requests per w seconds)
 *   RateLimit: "search";r=59;t=1                (r requests remaining; t seconds until the quota is full again)
 * and a rejected request gets 429 problem+json with `Retry-After` (seconds) and `policy`/`retryAfterS` fields.
 *
 * Redis unavailable (down, timing out, breaker open): policies listed in RATE_LIMIT_FAIL_CLOSED answer 503
 * problem+json with `Retry-After`; the others let the request through without limit headers (fail open).
 */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { setResponseHeader } from "../headers";
import { isInternalRefresh } from "../cache/middleware";
import { parseTrustProxy, resolveClientIp } from "../clientIp";
import type { Config } from "../env";
import type { Metrics } from "../metrics";
import { problemResponse } from "../problem";
import { redisErrorKind, type RedisGateway } from "../redis";
import { contextView, type RequestView } from "../requestView";
import type { AppEnv } from "../types";
import type { RateDecision } from "./decision";
import { policiesFrom, policyFor, type Policy } from "./policies";
import { gcra, type GcraResult } from "./script";

export interface RateLimitDeps {
  config: Config;
  redis: RedisGateway;
  metrics: Metrics;
}

function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return m?.[1];
}

/** The IETF draft headers for an allowed or limited decision (lower-case names, as Fetch `Headers` keep them). */
export function rateLimitHeaders(policy: Policy, r: GcraResult): Record<string, string> {
  return {
    "ratelimit-policy": `"${policy.name}";q=${policy.limit};w=${policy.windowS}`,
    ratelimit: `"${policy.name}";r=${r.remaining};t=${Math.ceil(r.resetMs / 1000)}`,
  };
}

export interface RateLimiter {
  /**
   * Decide for `req` (one GCRA call for the IP, and the token when there is one) and count the decision in
   * `rate_limit_decisions_total`. Call once per request: a decision made early (the cache front, front.ts)
   * is handed to the middleware through `c.set("rateLimitDecision", d)`, never decided twice. The cache's own
   * background refreshes are never limited: the middleware skips them before deciding.
   */
  decide(req: RequestView): Promise<RateDecision>;
  /** The middleware (mount on `/api/*`). Requests without a policy (policyFor) pass untouched. */
  middleware(): MiddlewareHandler<AppEnv>;
}

/** The rate limiter for `deps` (decision + middleware; see the module comment). */
export function rateLimiter(deps: RateLimitDeps): RateLimiter {
  const { config, redis, metrics } = deps;
  const policies = policiesFrom(config);
  const trust = parseTrustProxy(config.SECURITY_TRUST_PROXY);
  const decide = async (req: RequestView): Promise<RateDecision> => {
    const name = policyFor(req.method, req.path);
    if (!name) return { kind: "skip" };
    const policy = policies[name];
    const ip = resolveClientIp(trust, { get: (h) => req.header(h) }, req.peer);
    const keys = [redis.key("rl", name, "ip", ip)];
    const token = bearerToken(req.header("authorization"));
    if (token) {
      keys.push(redis.key("rl", name, "key", createHash("sha256").update(token).digest("hex").slice(0, 32)));
    }
    try {
      const result = await redis.run((r) => gcra(r, keys, policy.limit, policy.windowS));
      metrics.rateLimitDecisions.inc({ policy: name, outcome: result.allowed ? "allowed" : "limited" });
      return { kind: result.allowed ? "allowed" : "limited", name, policy, result };
    } catch (err) {
      const outcome = policy.failClosed ? "failed_closed" : "failed_open";
      metrics.rateLimitDecisions.inc({ policy: name, outcome });
      return { kind: "unavailable", name, policy, reason: redisErrorKind(err) };
    }
  };
  const middleware = (): MiddlewareHandler<AppEnv> => async (c, next) => {
    const d =
      c.get("rateLimitDecision") ??
      (isInternalRefresh(c) ? ({ kind: "skip" } as const) : await decide(contextView(c)));
    if (d.kind === "skip") return next();
    const { name, policy } = d;
    if (d.kind === "unavailable") {
      if (!policy.failClosed) return next();
      c.header("Retry-After", String(Math.max(1, Math.ceil(config.REDIS_BREAKER_HALF_OPEN_MS / 1000))));
      return problemResponse(
        c,
        503,
        `rate limiting is unavailable (${d.reason}); ${name} requests are refused until it returns`,
      );
    }
    const headers = rateLimitHeaders(policy, d.result);
    if (d.kind === "limited") {
      const retryAfterS = Math.max(1, Math.ceil(d.result.retryAfterMs / 1000));
      for (const [k, v] of Object.entries(headers)) c.header(k, v);
      c.header("Retry-After", String(retryAfterS));
      return problemResponse(
        c,
        429,
        `rate limit "${name}" exceeded: ${policy.limit} requests per ${policy.windowS} s; retry in ${retryAfterS} s`,
        {
          type: "https://meridian.dev/problems/too-many-requests",
          title: "Too Many Requests",
          policy: name,
          limit: policy.limit,
          windowS: policy.windowS,
          retryAfterS,
        },
      );
    }
    await next();
    // In place after next(): c.header() here would rebuild the response (headers.ts).
    for (const [k, v] of Object.entries(headers)) setResponseHeader(c, k, v);
    return undefined;
  };
  return { decide, middleware };
}
