/**
 * Named rate-limit policies and which one applies to a request.
 *
 * | policy    | applies to                                              | env (default)                  |
 * | --------- | ------------------------------------------------------- | ------------------------------ |
 * | `webhook` | any method under `/api/webhooks/`                       | RATE_LIMIT_WEBHOOK (600/60s)   |
 * | `events`  | `POST /api/events`                                      | RATE_LIMIT_EVENTS (120/60s)    |
 * | `upload`  | `POST /api/businesses/:id/images`                       | RATE_LIMIT_UPLOAD (10/60s)     |
 * | `write`   | any other POST/PUT/PATCH/DELETE under `/api/`           | RATE_LIMIT_WRITE (60/60s)      |
 * | `search`  | `GET /api/search/...`                                   | RATE_LIMIT_SEARCH (60/60s)     |
 * | `default` | any other GET/HEAD under `/api/`                        | RATE_LIMIT_DEFAULT (300/60s)   |
 *
 * Paths outside `/api/` (probes, `/metrics`, `/openapi.json`) and OPTIONS are never limited.
 */
import type { Config } from "../env";

export const POLICY_NAMES = ["default", "search", "write", "upload", "events", "webhook"] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface Policy {
  name: PolicyName;
  /** Requests allowed per window (also the largest burst). */
  limit: number;
  /** Window length in seconds. */
  windowS: number;
  /** When Redis is unavailable: true = refuse with 503, false = let the request through unlimited.
   * (RATE_LIMIT_FAIL_CLOSED lists the fail-closed policies; `none` makes every policy fail open.) */
  failClosed: boolean;
}

/** The six policies from the RATE_LIMIT_* variables. */
export function policiesFrom(
  config: Pick<
    Config,
    | "RATE_LIMIT_DEFAULT"
    | "RATE_LIMIT_SEARCH"
    | "RATE_LIMIT_WRITE"
    | "RATE_LIMIT_UPLOAD"
    | "RATE_LIMIT_EVENTS"
    | "RATE_LIMIT_WEBHOOK"
    | "RATE_LIMIT_FAIL_CLOSED"
  >,
): Record<PolicyName, Policy> {
  const envOf: Record<PolicyName, { limit: number; windowS: number }> = {
    default: config.RATE_LIMIT_DEFAULT,
    search: config.RATE_LIMIT_SEARCH,
    write: config.RATE_LIMIT_WRITE,
    upload: config.RATE_LIMIT_UPLOAD,
    events: config.RATE_LIMIT_EVENTS,
    webhook: config.RATE_LIMIT_WEBHOOK,
  };
  const closed = new Set<string>(config.RATE_LIMIT_FAIL_CLOSED);
  return Object.fromEntries(
    POLICY_NAMES.map((name) => [name, { name, ...envOf[name], failClosed: closed.has(name) }]),
  ) as Record<PolicyName, Policy>;
}

/** The policy for `method` + `path` (see the table above), or undefined when the request is not limited. */
export function policyFor(method: string, path: string): PolicyName | undefined {
  if (!path.startsWith("/api/") || method === "OPTIONS") return undefined;
  if (path.startsWith("/api/webhooks/")) return "webhook";
  const read = method === "GET" || method === "HEAD";
  if (!read && /^\/api\/events\/?$/.test(path)) return "events";
  if (method === "POST" && /^\/api\/businesses\/[^/]+\/images\/?$/.test(path)) return "upload";
  if (!read) return "write";
  if (path.startsWith("/api/search/")) return "search";
  return "default";
}
