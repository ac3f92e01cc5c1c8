/**
 * Summarises one scenario run: counts, error rate and latency percentiles (milliseconds, from every
 * response's latency as autocannon measured it), a Markdown table, and the SLO verdict.
 */
import type { Scenario } from "./scenarios";

/** What a run observed. `latenciesMs` holds one entry per completed response. */
export interface RunStats {
  scenario: Scenario;
  target: string;
  elapsedS: number;
  latenciesMs: number[];
  /** Responses with a 2xx status. */
  ok: number;
  /** Responses with any other status. */
  non2xx: number;
  /** Connection errors and timeouts (no response). */
  errors: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Per endpoint (`GET /api/businesses/:id`, see `endpointOf`): each response's latency and non-2xx count. */
  byEndpoint?: Record<string, { latenciesMs: number[]; non2xx: number }>;
}

/**
 * The endpoint (method + route template) of a request of the mix: `GET /api/businesses/:id` for
 * `/api/businesses/<uuid>`, query strings dropped. Paths outside the mix keep their own path.
 */
export function endpointOf(method: string, path: string): string {
  const p = path.split("?")[0];
  const known = ["/api/businesses", "/api/businesses/nearby", "/api/search/businesses", "/api/events"];
  if (known.includes(p)) return `${method} ${p}`;
  if (/^\/api\/businesses\/[^/]+$/.test(p)) return `${method} /api/businesses/:id`;
  return `${method} ${p}`;
}

export interface Summary {
  requests: number;
  reqPerS: number;
  errors: number;
  non2xx: number;
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  sloMet: boolean;
  /** One line per SLO check, "error rate 0.00% <= 1.00%: met". */
  verdicts: string[];
}

/** The `p`-th percentile (0-100) of `sorted` (ascending), nearest-rank; 0 for an empty list. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Computes the summary and the SLO verdict of a run. A run with no request at all fails its SLO. */
export function summarise(s: RunStats): Summary {
  const sorted = Float64Array.from(s.latenciesMs).sort();
  const requests = s.ok + s.non2xx + s.errors;
  const failed = s.non2xx + s.errors;
  const errorRate = requests === 0 ? 1 : failed / requests;
  const p95 = percentile(sorted, 95);
  const { maxErrorRate, maxP95Ms } = s.scenario.slo;
  const errOk = requests > 0 && errorRate <= maxErrorRate;
  const p95Ok = requests > 0 && p95 <= maxP95Ms;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return {
    requests,
    reqPerS: s.elapsedS > 0 ? requests / s.elapsedS : 0,
    errors: s.errors,
    non2xx: s.non2xx,
    errorRate,
    p50: percentile(sorted, 50),
    p95,
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
    sloMet: errOk && p95Ok,
    verdicts: [
      `error rate ${pct(errorRate)} <= ${pct(maxErrorRate)}: ${errOk ? "met" : "NOT MET"}`,
      `p95 ${p95.toFixed(1)} ms <= ${maxP95Ms} ms: ${p95Ok ? "met" : "NOT MET"}`,
    ],
  };
}

/** Rows of the per-endpoint table (sorted by endpoint), empty without `byEndpoint`. */
function endpointRows(s: RunStats): string[] {
  const ms = (x: number) => x.toFixed(1);
  return Object.entries(s.byEndpoint ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([endpoint, e]) => {
      const sorted = Float64Array.from(e.latenciesMs).sort();
      return (
        `| ${endpoint} | ${e.latenciesMs.length} | ${e.non2xx} | ${ms(percentile(sorted, 50))} | ` +
        `${ms(percentile(sorted, 95))} | ${ms(percentile(sorted, 99))} |`
      );
    });
}

/**
 * The printed report: a heading line, the scenario's Markdown table, one row per endpoint (responses only:
 * connection errors and timeouts have no response to attribute), the status codes and the SLO lines.
 */
export function formatReport(s: RunStats, sum: Summary): string {
  const ms = (x: number) => x.toFixed(1);
  const statuses = Object.entries(s.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  return [
    `scenario ${s.scenario.name}: ${s.scenario.connections} connections, ${s.elapsedS.toFixed(1)} s, ${s.target}`,
    "",
    "| scenario | connections | requests | req/s | errors | non-2xx | error rate | p50 ms | p95 ms | p99 ms | max ms |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${s.scenario.name} | ${s.scenario.connections} | ${sum.requests} | ${Math.round(sum.reqPerS)} | ${sum.errors} | ` +
      `${sum.non2xx} | ${(sum.errorRate * 100).toFixed(2)}% | ${ms(sum.p50)} | ${ms(sum.p95)} | ${ms(sum.p99)} | ${ms(sum.max)} |`,
    ...(s.byEndpoint
      ? [
          "",
          "| endpoint | responses | non-2xx | p50 ms | p95 ms | p99 ms |",
          "|---|---:|---:|---:|---:|---:|",
          ...endpointRows(s),
        ]
      : []),
    "",
    `status codes: ${statuses || "(none)"}`,
    `SLO ${s.scenario.name}: ${sum.verdicts.join("; ")} -> ${sum.sloMet ? "PASS" : "FAIL"}`,
  ].join("\n");
}
