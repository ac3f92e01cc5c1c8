/**
 * CORS strictly from the environment (CORS_* in env.ts): only listed origins get CORS headers; with none
 * listed, no cross-origin access.
 *
 * Preflight (`OPTIONS`) is answered by Hono's `cors` middleware. For every other request the same headers
 * Hono's middleware sets — `Access-Control-Allow-Origin` (the request's origin when listed),
 * `Access-Control-Expose-Headers`, and `Vary: Origin` appended on every response (the answer depends on the
 * Origin header, so caches must key on it) — are set on the final response in place (headers.ts): Hono's
 * middleware touches `c.res` before the handler and calls `c.header()` after it, and each of those rebuilds
 * the response under @hono/node-server. No credentials (`Access-Control-Allow-Credentials` is never sent).
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { setResponseHeader } from "./headers";

export interface CorsPolicy {
  /** Exact origins (`scheme://host[:port]`) allowed to read responses; empty = none. */
  origins: readonly string[];
  /** Methods allowed in preflight answers. */
  methods: string[];
  /** Request headers allowed in preflight answers. */
  headers: string[];
  /** Response headers a browser script may read. */
  exposed: string[];
  /** How long (s) a browser may cache a preflight answer. */
  maxAgeS: number;
}

/**
 * The CORS headers of a non-preflight response to a request from `origin` (absent or unlisted: none), with
 * lower-case names (as Fetch `Headers` keep them; the cache front writes them to the socket as they are). The
 * response's `Vary` must also list `Origin` (the middleware appends it; the cache front's stored headers
 * already carry it).
 */
export function simpleCorsHeaders(
  policy: CorsPolicy,
): (origin: string | undefined) => Record<string, string> {
  const allowed = new Set(policy.origins);
  const exposed = policy.exposed.length > 0 ? policy.exposed.join(",") : undefined;
  const none = Object.freeze({}) as Record<string, string>;
  return (origin) => {
    if (origin === undefined || !allowed.has(origin)) return none;
    return exposed
      ? { "access-control-allow-origin": origin, "access-control-expose-headers": exposed }
      : { "access-control-allow-origin": origin };
  };
}

/** The CORS middleware for `policy` (mount on `*`). */
export function corsMiddleware(policy: CorsPolicy): MiddlewareHandler {
  const allowed = new Set(policy.origins);
  const allow = (origin: string): string | null => (allowed.has(origin) ? origin : null);
  const simple = simpleCorsHeaders(policy);
  const preflight = cors({
    origin: allow,
    allowMethods: policy.methods,
    allowHeaders: policy.headers,
    exposeHeaders: policy.exposed,
    maxAge: policy.maxAgeS,
    credentials: false,
  });
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    await next();
    for (const [name, value] of Object.entries(simple(c.req.header("origin")))) {
      setResponseHeader(c, name, value);
    }
    setResponseHeader(c, "Vary", "Origin", { append: true });
  };
}
