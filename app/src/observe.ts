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

type RequestLabels = Readonly<{ method: string; route: string; status: string }>;

/**
 * The label set of a (method, route, status), made once and never changed: prom-client keeps the first
 * object of a series. Bounded: route templates and statuses, not raw paths.
 */
const LABELS = new Map<string, Map<string, Map<number, RequestLabels>>>();
function labelsFor(method: string, route: string, status: number): RequestLabels {
  let byRoute = LABELS.get(method);
  if (!byRoute) LABELS.set(method, (byRoute = new Map()));
  let byStatus = byRoute.get(route);
  if (!byStatus) byRoute.set(route, (byStatus = new Map()));
  let labels = byStatus.get(status);
  if (!labels) byStatus.set(status, (labels = Object.freeze({ method, route, status: String(status) })));
  return labels;
}

/** Records `o` in `metrics` and `state`, and logs it on `log` (info; error for 5xx). */
export function observeRequest(metrics: Metrics, state: AppState, log: Logger, o: RequestOutcome): void {
  const labels = labelsFor(o.method, o.route, o.status);
  metrics.requests.inc(labels);
  metrics.duration.observe(labels, o.seconds);
  state.http.add(o.seconds * 1000, o.status < 500);
  const level = o.status >= 500 ? "error" : "info";
  if (!log.isLevelEnabled(level)) return;
  log[level](
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
