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
import { isInternalRefresh } from "../cache/middleware";
import { clientIp, parseTrustProxy } from "../clientIp";
import type { Config } from "../env";
import type { Metrics } from "../metrics";
import { problemResponse } from "../problem";
import { redisErrorKind, type RedisGateway } from "../redis";
import type { AppEnv } from "../types";
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

function setHeaders(c: Parameters<MiddlewareHandler>[0], policy: Policy, r: GcraResult): void {
  c.header("RateLimit-Policy", `"${policy.name}";q=${policy.limit};w=${policy.windowS}`);
  c.header("RateLimit", `"${policy.name}";r=${r.remaining};t=${Math.ceil(r.resetMs / 1000)}`);
}

/** The middleware (mount on `/api/*`). Requests without a policy (policyFor) pass untouched. */
export function rateLimit(deps: RateLimitDeps): MiddlewareHandler<AppEnv> {
  const { config, redis, metrics } = deps;
  const policies = policiesFrom(config);
  const trust = parseTrustProxy(config.SECURITY_TRUST_PROXY);
  return async (c, next) => {
    const name = policyFor(c.req.method, c.req.path);
    if (!name || isInternalRefresh(c)) return next();
    const policy = policies[name];
    const keys = [redis.key("rl", name, "ip", clientIp(c, trust))];
    const token = bearerToken(c.req.header("authorization"));
    if (token) {
      keys.push(redis.key("rl", name, "key", createHash("sha256").update(token).digest("hex").slice(0, 32)));
    }
    let result: GcraResult;
    try {
      result = await redis.run((r) => gcra(r, keys, policy.limit, policy.windowS));
    } catch (err) {
      if (policy.failClosed) {
        metrics.rateLimitDecisions.inc({ policy: name, outcome: "failed_closed" });
        c.header("Retry-After", String(Math.max(1, Math.ceil(config.REDIS_BREAKER_HALF_OPEN_MS / 1000))));
        return problemResponse(
          c,
          503,
          `rate limiting is unavailable (${redisErrorKind(err)}); ${name} requests are refused until it returns`,
        );
      }
      metrics.rateLimitDecisions.inc({ policy: name, outcome: "failed_open" });
      return next();
    }
    if (!result.allowed) {
      metrics.rateLimitDecisions.inc({ policy: name, outcome: "limited" });
      const retryAfterS = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      setHeaders(c, policy, result);
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
    metrics.rateLimitDecisions.inc({ policy: name, outcome: "allowed" });
    await next();
    setHeaders(c, policy, result);
    return undefined;
  };
}
