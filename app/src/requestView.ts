/**
 * What request-level logic reads of a request, whichever layer received it: a Hono context (the middleware
 * chain, and in-process `app.request()` in tests) or a raw `node:http` request (the cache front's listener,
 * cache/front.ts `CacheFront.listener`, which answers fresh hits before Hono builds a Request). The rate limiter's
 * decision and the cache front's answer are functions of this view, so both layers decide the same way.
 *
 * Header semantics follow the Fetch `Headers` that Hono reads: names are case-insensitive and repeated
 * fields are joined with ", " (RFC 9110 §5.3). Node's `IncomingMessage.headers` does the same except for the
 * fields it keeps only the first value of (node:http `message.headers`: `authorization`, `user-agent`, ...) and
 * `cookie` (joined with "; "); for those the Node view reads `headersDistinct`, which keeps every value.
 */
import type { Context } from "hono";
import type { IncomingMessage } from "node:http";
import { peerAddress } from "./clientIp";
import { receivedTarget, targetPath } from "./canonical-path";

export interface RequestView {
  /** HTTP method, upper case as sent (`GET`). */
  method: string;
  /** The path routing uses: Hono's `c.req.path`, or the raw path of an origin-form target. */
  path: string;
  /** The request target exactly as received: origin form (`/a?b`) or absolute form (`http://h/a?b`). */
  target: string;
  /** The value of the header `name` (lower case), repeated fields joined with ", "; undefined when absent. */
  header(name: string): string | undefined;
  /** The TCP peer address; undefined for in-process requests. */
  peer: string | undefined;
}

/** The view of a request in the Hono chain. */
export function contextView(c: Context): RequestView {
  return {
    method: c.req.method,
    path: c.req.path,
    target: receivedTarget(c),
    header: (name) => c.req.header(name),
    peer: peerAddress(c),
  };
}

/**
 * Fields whose repeated values `IncomingMessage.headers` does not join with ", " (Node's `matchKnownFields`:
 * duplicates discarded, `cookie` joined with "; ", `set-cookie` an array).
 */
const NOT_COMMA_JOINED: ReadonlySet<string> = new Set([
  "age",
  "authorization",
  "content-length",
  "content-type",
  "cookie",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "set-cookie",
  "user-agent",
]);

/** The view of a `node:http` request before any framework has seen it (fields read when asked). */
class IncomingView implements RequestView {
  constructor(private readonly req: IncomingMessage) {}
  get method(): string {
    return this.req.method ?? "GET";
  }
  get target(): string {
    return this.req.url ?? "/";
  }
  get path(): string {
    return targetPath(this.target);
  }
  header(name: string): string | undefined {
    return NOT_COMMA_JOINED.has(name)
      ? this.req.headersDistinct[name]?.join(", ")
      : (this.req.headers[name] as string | undefined);
  }
  get peer(): string | undefined {
    return this.req.socket.remoteAddress;
  }
}

/** The view of a `node:http` request before any framework has seen it. */
export function incomingView(req: IncomingMessage): RequestView {
  return new IncomingView(req);
}
