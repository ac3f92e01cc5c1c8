/**
 * Responses and headers every operation can produce, whatever its route module declares: added to the
 * generated OpenAPI document in one place so no route can forget them.
 *
 * - `308` (every operation): the request path was not in normal form (`/%6detrics`, `/api/%2e%2e/x`);
 *   `Location` is the normal form (canonical-path.ts).
 * - `429` (operations under `/api/` that a rate-limit policy covers, rateLimit/policies.ts): `Retry-After`,
 *   `RateLimit-Policy`, `RateLimit`; only when Redis and RATE_LIMIT_ENABLED are on.
 * - `503` (operations under `/api/`): the database is unreachable, the request timed out, or a fail-closed
 *   rate-limit policy cannot reach Redis; `Retry-After` in seconds.
 * - `500`: an unexpected failure (no details; quote `x-request-id`).
 * - Every response: `x-request-id`, `traceparent` (unless OTEL_SDK_DISABLED); rate-limited operations'
 *   successes also carry `RateLimit-Policy`/`RateLimit`; the four cached reads carry `X-Cache`.
 * A status a route already documents is left as the route wrote it.
 */
import { cachedRoute } from "../cache/middleware";
import { policyFor } from "../rateLimit/policies";

type Doc = {
  paths?: Record<string, Record<string, { responses?: Record<string, Record<string, unknown>> }>>;
  components?: Record<string, Record<string, unknown>>;
};

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const problem = { "application/problem+json": { schema: ref("schemas", "Problem") } };

const HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  RequestId: {
    description: "The request id (the client's when it matches [A-Za-z0-9._:-]{1,128}, else generated).",
    schema: { type: "string" },
  },
  Traceparent: {
    description: "W3C trace context of the server span (absent when OTEL_SDK_DISABLED=true).",
    schema: { type: "string" },
  },
  RetryAfter: { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } },
  RateLimitPolicy: {
    description: 'IETF draft-ietf-httpapi-ratelimit-headers: `"<policy>";q=<limit>;w=<window s>`.',
    schema: { type: "string" },
  },
  RateLimit: {
    description: 'IETF draft-ietf-httpapi-ratelimit-headers: `"<policy>";r=<remaining>;t=<reset s>`.',
    schema: { type: "string" },
  },
  XCache: {
    description: "Response cache outcome: HIT, STALE (refreshing in the background), MISS or BYPASS.",
    schema: { type: "string", enum: ["HIT", "STALE", "MISS", "BYPASS"] },
  },
};

const RESPONSES = {
  PermanentRedirect: {
    description: "The path was not in normal form; repeat the request at Location.",
    headers: {
      Location: { description: "The normal form of the path (query kept).", schema: { type: "string" } },
    },
  },
  TooManyRequests: {
    description: "Rate limited (policy in RateLimit-Policy).",
    headers: {
      "Retry-After": ref("headers", "RetryAfter"),
      "RateLimit-Policy": ref("headers", "RateLimitPolicy"),
      RateLimit: ref("headers", "RateLimit"),
    },
    content: problem,
  },
  ServiceUnavailable: {
    description: "A dependency is unavailable or the request timed out; retry after Retry-After.",
    headers: { "Retry-After": ref("headers", "RetryAfter") },
    content: problem,
  },
  InternalError: { description: "Unexpected failure; quote x-request-id.", content: problem },
};

/** Adds the cross-cutting responses and headers to `doc` (a generated OpenAPI 3.1 document) in place. */
export function addCommonResponses<T extends object>(generated: T): T {
  const doc = generated as Doc;
  doc.components ??= {};
  doc.components.headers = { ...HEADERS, ...(doc.components.headers ?? {}) };
  doc.components.responses = { ...RESPONSES, ...(doc.components.responses ?? {}) };
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const concrete = path.replace(/\{[^}]+\}/g, "x");
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      const add = (code: string, name: string) => {
        responses[code] ??= ref("responses", name);
      };
      add("308", "PermanentRedirect");
      const limited = policyFor(method.toUpperCase(), concrete) !== undefined;
      if (limited) add("429", "TooManyRequests");
      if (path.startsWith("/api/")) add("503", "ServiceUnavailable");
      add("500", "InternalError");
      const cached = method === "get" && cachedRoute(concrete) !== undefined && !path.includes("/images");
      for (const [code, response] of Object.entries(responses)) {
        if ("$ref" in response) continue;
        const headers = ((response.headers as Record<string, unknown> | undefined) ??= {});
        headers["x-request-id"] ??= ref("headers", "RequestId");
        headers.traceparent ??= ref("headers", "Traceparent");
        if (limited && code.startsWith("2")) {
          headers["RateLimit-Policy"] ??= ref("headers", "RateLimitPolicy");
          headers.RateLimit ??= ref("headers", "RateLimit");
        }
        if (cached && code === "200") headers["X-Cache"] ??= ref("headers", "XCache");
      }
    }
  }
  return generated;
}
