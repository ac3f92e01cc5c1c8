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

/** The CORS middleware for `policy` (mount on `*`). */
export function corsMiddleware(policy: CorsPolicy): MiddlewareHandler {
  const allowed = new Set(policy.origins);
  const allow = (origin: string): string | null => (allowed.has(origin) ? origin : null);
  const preflight = cors({
    origin: allow,
    allowMethods: policy.methods,
    allowHeaders: policy.headers,
    exposeHeaders: policy.exposed,
    maxAge: policy.maxAgeS,
    credentials: false,
  });
  const exposed = policy.exposed.length > 0 ? policy.exposed.join(",") : undefined;
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    await next();
    const origin = allow(c.req.header("origin") ?? "");
    if (origin) {
      setResponseHeader(c, "Access-Control-Allow-Origin", origin);
      if (exposed) setResponseHeader(c, "Access-Control-Expose-Headers", exposed);
    }
    setResponseHeader(c, "Vary", "Origin", { append: true });
  };
}
