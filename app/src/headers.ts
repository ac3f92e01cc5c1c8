/**
 * Response headers set after `await next()`, without recreating the response.
 *
 * Hono's `c.header()` on a finalized response rebuilds it from its body (`createResponseInstance(res.body,
 * res)` in hono 4.13's context.ts). Under @hono/node-server that turns the adapter's lightweight response
 * (a string body written straight to the socket) into a full undici `Response` with a `ReadableStream`
 * body, once per call: on a cached `GET /api/businesses/:id` that was the largest single cost of the
 * request (docs/app-benchmark.md, "Cached path"). Upstream: honojs/hono#5185 (closed unmerged),
 * honojs/hono#5350 with honojs/node-server#399 (open, 2026-09) would fix it in the framework.
 *
 * Until then, middleware that decorates the final response mutates its headers in place — what Hono's own
 * secureHeaders and compress middleware do — and falls back to `c.header()` when the response's headers are
 * immutable (a `Response` returned by `fetch()`, or `Response.redirect()`).
 *
 * Call it only after `await next()`: before it, reading `c.res` creates a placeholder response that every
 * later response is merged into (another rebuild); set request-time headers with `c.header()` there.
 */
import type { Context } from "hono";

/**
 * Sets (or, with `append`, appends to) header `name` of `c.res` in place.
 * @param c the request context, after `await next()`
 * @param name header name (case-insensitive)
 * @param value header value (a string Headers accepts; invalid values throw TypeError as in `Headers.set`)
 */
export function setResponseHeader(
  c: Context,
  name: string,
  value: string,
  options: { append?: boolean } = {},
): void {
  const headers = c.res.headers;
  try {
    if (options.append) headers.append(name, value);
    else headers.set(name, value);
  } catch (err) {
    // Immutable headers: let Hono copy the response (the slow path, correct for every Response).
    if (!(err instanceof TypeError) || !/immutable/i.test(err.message)) throw err;
    c.header(name, value, options.append ? { append: true } : undefined);
  }
}
