/**
 * Prometheus metrics (prom-client), one registry per app instance so tests can run several apps in one
 * process. RED per route template: `http_requests_total{method,route,status}` (rate, errors) and
 * `http_request_duration_seconds{method,route,status}` (a histogram: p95/p99 via histogram_quantile), plus
 * in-flight requests, database pool gauges, query durations and the default process metrics.
 */
import * as client from "prom-client";
import type { Db } from "./db";

export interface Metrics {
  registry: client.Registry;
  requests: client.Counter<"method" | "route" | "status">;
  duration: client.Histogram<"method" | "route" | "status">;
  inFlight: client.Gauge<"method">;
  /** Response cache lookups (#11): hit | stale | miss | coalesced (waited for a concurrent miss) | bypass. */
  cacheLookups: client.Counter<"route" | "result">;
  /** Background cache refreshes (#11): outcome ok | error | skipped (another instance holds the lock). */
  cacheRefreshes: client.Counter<"outcome">;
  /** Rate-limit decisions (#11): outcome allowed | limited | failed_open | failed_closed. */
  rateLimitDecisions: client.Counter<"policy" | "outcome">;
}

export function createMetrics(db: Db): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  // prom-client names three gauges *_total, which Prometheus reserves for counters (promtool rejects them).
  // (nodejs_active_resources{type} and nodejs_active_handles{type} carry the same information.)
  for (const name of [
    "nodejs_active_handles_total",
    "nodejs_active_requests_total",
    "nodejs_active_resources_total",
  ]) {
    registry.removeSingleMetric(name);
  }
  const requests = new client.Counter({
    name: "http_requests_total",
    help: "HTTP requests handled, by method, route template and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration in seconds, by method, route template and status code.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new client.Gauge({
    name: "http_requests_in_flight",
    help: "HTTP requests currently being served.",
    labelNames: ["method"] as const,
    registers: [registry],
  });
  const queryDuration = new client.Histogram({
    name: "db_query_duration_seconds",
    help: "Database query duration in seconds, by operation and outcome.",
    labelNames: ["operation", "outcome"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  db.onQuery((operation, seconds, ok) =>
    queryDuration.observe({ operation, outcome: ok ? "ok" : "error" }, seconds),
  );
  new client.Gauge({
    name: "db_pool_max_connections",
    help: "Configured maximum size of the database connection pool.",
    registers: [registry],
    collect() {
      this.set(db.stats.max);
    },
  });
  new client.Gauge({
    name: "db_pool_in_use",
    help: "Database queries in flight (connections busy or queued).",
    registers: [registry],
    collect() {
      this.set(db.stats.inFlight);
    },
  });
  new client.Gauge({
    name: "db_pool_saturation_ratio",
    help: "Database pool saturation: queries in flight divided by the pool maximum (0..1).",
    registers: [registry],
    collect() {
      this.set(db.stats.saturation);
    },
  });
  // --- Redis features (#11) ---
  const cacheLookups = new client.Counter({
    name: "http_cache_lookups_total",
    help: "Response cache lookups by route template and result (local_hit: answered in process by the cache front; hit, stale, miss, coalesced, bypass: Redis).",
    labelNames: ["route", "result"] as const,
    registers: [registry],
  });
  const cacheRefreshes = new client.Counter({
    name: "http_cache_refreshes_total",
    help: "Background stale-while-revalidate refreshes by outcome (ok, error, skipped).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const rateLimitDecisions = new client.Counter({
    name: "rate_limit_decisions_total",
    help: "Rate-limit decisions by policy and outcome (allowed, limited, failed_open, failed_closed).",
    labelNames: ["policy", "outcome"] as const,
    registers: [registry],
  });
  return { registry, requests, duration, inFlight, cacheLookups, cacheRefreshes, rateLimitDecisions };
}
