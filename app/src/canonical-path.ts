/**
 * Route on the normalised path only. Hono matches the percent-decoded path, while the load balancer's rules
 * (which block `/metrics` from the internet) match the raw request path: `/%6detrics` or `/api/%2e%2e/metrics`
 * pass the load balancer and reached the metrics handler. This middleware computes the RFC 3986 normal form
 * of the raw path (percent-encoded unreserved characters decoded, §6.2.2.2; dot segments removed, §5.2.4,
 * including their encoded forms) and, when it differs from what the client sent, answers
 * `308 Permanent Redirect` to the normal form (method and body preserved by 308; query kept) instead of
 * serving it. The follow-up request then carries the literal path, which the load balancer sees and filters.
 */
import type { Context, MiddlewareHandler } from "hono";
import { problemResponse } from "./problem";

const UNRESERVED_ESCAPE = /%(2[dDeE]|5[fF]|7[eE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA])/g;

/** The raw path of a request URL as the client sent it (no query or fragment, no decoding). */
export function rawPath(url: string): string {
  const start = url.indexOf("/", url.indexOf(":") + 3);
  if (start === -1) return "/";
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

/**
 * The normal form of a raw path: unreserved escapes (`%6d` -> `m`, `%2e` -> `.`) decoded, dot segments
 * resolved (`/api/../metrics` -> `/metrics`), remaining escapes upper-cased (`%2f` -> `%2F`).
 */
export function normalisePath(raw: string): string {
  const decoded = raw
    .replace(UNRESERVED_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
  // The WHATWG URL path setter removes dot segments (and keeps other escapes as they are); a leading `//`
  // is collapsed so the result can never be read as a network-path reference (`//host/...`) in Location.
  const url = new URL("http://normalise.invalid");
  url.pathname = decoded;
  return url.pathname.replace(/^\/{2,}/, "/");
}

/**
 * The request target exactly as received. @hono/node-server already resolves some forms (`%2e%2e`) while
 * building `c.req.url`, so the Node request's own `url` (`c.env.incoming`) is read when there is one.
 */
export function receivedTarget(c: Context): string {
  const incoming = (c.env as { incoming?: { url?: unknown } } | undefined)?.incoming;
  // Origin form (`/path?q`) or absolute form (`http://host/path?q`); both are handled by the caller.
  return typeof incoming?.url === "string" && incoming.url !== "" ? incoming.url : c.req.url;
}

/** The path of a request target (origin or absolute form) exactly as written: no query, no decoding. */
export function targetPath(target: string): string {
  return target.startsWith("/") ? rawPath(`http://h${target}`) : rawPath(target);
}

/** The path of the request target exactly as received (no query, no decoding). */
export function receivedPath(c: Context): string {
  return targetPath(receivedTarget(c));
}

/** Middleware: 308 to the normal form when the raw path is not in it (see the module comment). */
export function canonicalPath(): MiddlewareHandler {
  return async (c, next) => {
    const target = receivedTarget(c);
    const raw = receivedPath(c);
    const normal = normalisePath(raw);
    if (normal !== raw) {
      const query = target.indexOf("?");
      c.header("Location", normal + (query === -1 ? "" : target.slice(query).split("#")[0]));
      return problemResponse(c, 308, `the path is not in normal form; use ${normal}`);
    }
    await next();
    return undefined;
  };
}
