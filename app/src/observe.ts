/**
 * What every answered request records, wherever it was answered (the request-context middleware in app.ts,
 * or the cache front, cache/front.ts): RED metrics (`http_requests_total`, `http_request_duration_seconds`,
 * by method, route template and status), the dashboard's rolling window, and one access-log line.
 */
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import type { AppState } from "./types";

/** Incoming `X-Request-Id` values the app keeps (otherwise it makes a UUID). */
export const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestOutcome {
  method: string;
  /** Route template (`/api/businesses/:id`) or `unmatched`. */
  route: string;
  /** The request path as received (for the log line only; metrics use `route`). */
  path: string;
  status: number;
  /** Time from the first middleware to the response, in seconds. */
  seconds: number;
}

/** Records `o` in `metrics` and `state`, and logs it on `log` (info; error for 5xx). */
export function observeRequest(metrics: Metrics, state: AppState, log: Logger, o: RequestOutcome): void {
  const labels = { method: o.method, route: o.route, status: String(o.status) };
  metrics.requests.inc(labels);
  metrics.duration.observe(labels, o.seconds);
  state.http.add(o.seconds * 1000, o.status < 500);
  log[o.status >= 500 ? "error" : "info"](
    {
      method: o.method,
      route: o.route,
      path: o.path,
      status: o.status,
      duration_ms: Math.round(o.seconds * 10000) / 10,
    },
    "request",
  );
}
