/**
 * Probes and observability endpoints (the workload contract):
 * - GET /health/live       the process is up (no dependency checks: a DB outage must not restart every task);
 * - GET /health/ready      PostgreSQL reachable, schema at the version this build expects, not draining, and
 *                          every injected readiness check (Redis later) passing; 503 otherwise;
 * - GET /api/health/dashboard (admin)  detail: DB status and schema version, pool saturation against the
 *                          warn/critical ratios, dependency latency p95 and error rates, HTTP error rate;
 * - GET /metrics           Prometheus text format.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, AppState, ReadinessCheck } from "../types";
import { authConfig, requireAdmin } from "../auth";
import { describeDbError, type Db } from "../db";
import type { Config } from "../env";
import type { Metrics } from "../metrics";
import { loadSharp } from "../images/processor";
import { schemaVersion } from "../migrate";
import { redisErrorKind, type RedisGateway } from "../redis";

type Level = "ok" | "warn" | "critical";

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export function registerHealthRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: {
    config: Config;
    db: Db;
    state: AppState;
    metrics: Metrics;
    expectedSchemaVersion: number;
    readinessChecks: ReadinessCheck[];
    /** Redis (#11): reported by both probes; down = "degraded", never "not ready" (reads fall back to Postgres). */
    redis?: RedisGateway;
  },
): void {
  const { config, db, state, metrics, expectedSchemaVersion } = deps;
  const probeTimeout = Math.min(2000, config.REQUEST_TIMEOUT_MS);

  async function database(): Promise<{
    ok: boolean;
    latencyMs: number;
    schemaVersion?: number;
    error?: string;
    detail?: string;
  }> {
    const started = performance.now();
    try {
      const version = await withTimeout(
        db.run("health.schema_version", "SELECT max(version) FROM schema_migrations", (sql) =>
          schemaVersion(sql),
        ),
        probeTimeout,
        "PostgreSQL",
      );
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      if (version !== expectedSchemaVersion) {
        return {
          ok: false,
          latencyMs,
          schemaVersion: version,
          error: `schema version ${version}, this build needs ${expectedSchemaVersion}: run \`node dist/cli.js migrate\``,
        };
      }
      return { ok: true, latencyMs, schemaVersion: version };
    } catch (err) {
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      // The probe is public: say what failed, never where (no host, port, user or database name). The
      // admin dashboard adds the driver's message as `detail`.
      return {
        ok: false,
        latencyMs,
        error: `PostgreSQL ${describeDbError(err)}`,
        detail: (err as Error).message,
      };
    }
  }

  const noStore = { "Cache-Control": "no-store" };

  /** PING Redis through its circuit breaker (fails at once while the breaker is open). */
  async function redisProbe(): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
    const started = performance.now();
    try {
      await withTimeout(deps.redis!.check(), probeTimeout, "Redis");
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch (err) {
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      return { ok: false, latencyMs, error: `Redis unavailable: ${redisErrorKind(err)}` };
    }
  }

  app.get("/health/live", (c) => c.json({ status: "ok" }, 200, noStore));

  app.get("/health/ready", async (c) => {
    const checks: Record<string, { ok: boolean; error?: string }> = {};
    const dbResult = await database();
    checks.postgres = { ok: dbResult.ok, ...(dbResult.error ? { error: dbResult.error } : {}) };
    for (const rc of deps.readinessChecks) {
      try {
        await withTimeout(rc.check(), probeTimeout, rc.name);
        checks[rc.name] = { ok: true };
      } catch (err) {
        checks[rc.name] = { ok: false, error: (err as Error).message };
      }
    }
    // Redis (#11): the API keeps serving without it, so a failure degrades readiness but does not fail it.
    let degraded = false;
    if (deps.redis) {
      const r = await redisProbe();
      checks.redis = { ok: r.ok, ...(r.error ? { error: r.error } : {}) };
      degraded = !r.ok;
    }
    if (state.draining) checks.lifecycle = { ok: false, error: "shutting down (SIGTERM received)" };
    const ready = Object.entries(checks).every(([name, v]) => v.ok || name === "redis");
    const status = ready ? (degraded ? "degraded" : "ready") : "not-ready";
    return c.json({ status, checks }, ready ? 200 : 503, noStore);
  });

  const admin = requireAdmin(authConfig(config));
  app.get("/api/health/dashboard", admin, async (c) => {
    const pool = db.stats; // snapshot before our own probe query joins the pool
    const dbResult = await database();
    const poolLevel: Level =
      pool.saturation >= config.HEALTH_DB_POOL_CRITICAL_RATIO
        ? "critical"
        : pool.saturation >= config.HEALTH_DB_POOL_WARN_RATIO
          ? "warn"
          : "ok";
    const dbWindow = db.window.summary();
    const dbLatencyLevel: Level =
      dbWindow.p95Ms !== null && dbWindow.p95Ms > config.HEALTH_DB_P95_MAX_MS ? "warn" : "ok";
    const dbErrorLevel: Level = dbWindow.errorRate > config.HEALTH_ERROR_RATE_MAX ? "warn" : "ok";
    const http = state.http.summary();
    const httpLevel: Level = http.errorRate > config.HEALTH_ERROR_RATE_MAX ? "warn" : "ok";
    // Images: without sharp, uploads store validated originals only (no variants): degraded, not down.
    const processor = loadSharp().status;
    const imagesLevel: Level =
      config.STORAGE_BACKEND !== "none" && processor.mode === "fallback" ? "warn" : "ok";
    const redisResult = deps.redis ? await redisProbe() : undefined;
    const redisWindow = deps.redis?.window.summary();
    const redisLevel: Level = redisResult && !redisResult.ok ? "warn" : "ok";
    const levels: Level[] = [
      redisLevel,
      dbResult.ok ? "ok" : "critical",
      poolLevel,
      dbLatencyLevel,
      dbErrorLevel,
      httpLevel,
      imagesLevel,
    ];
    const status = levels.includes("critical") ? "critical" : levels.includes("warn") ? "degraded" : "ok";
    return c.json(
      {
        status,
        checkedAt: new Date().toISOString(),
        draining: state.draining,
        database: {
          status: dbResult.ok ? "up" : "down",
          error: dbResult.error ?? null,
          detail: dbResult.detail ?? null,
          pingMs: dbResult.latencyMs,
          schemaVersion: dbResult.schemaVersion ?? null,
          expectedSchemaVersion,
        },
        pool: {
          max: pool.max,
          inUse: pool.inFlight,
          peak: pool.peak,
          saturation: Math.round(pool.saturation * 1000) / 1000,
          warnRatio: config.HEALTH_DB_POOL_WARN_RATIO,
          criticalRatio: config.HEALTH_DB_POOL_CRITICAL_RATIO,
          status: poolLevel,
        },
        dependencies: {
          postgres: {
            window: "last 5 minutes (at most 2000 queries)",
            samples: dbWindow.samples,
            p50Ms: dbWindow.p50Ms,
            p95Ms: dbWindow.p95Ms,
            p95MaxMs: config.HEALTH_DB_P95_MAX_MS,
            errorRate: dbWindow.errorRate,
            status: dbLatencyLevel === "ok" && dbErrorLevel === "ok" ? "ok" : "warn",
          },
          redis: !deps.redis
            ? { status: "not-configured" }
            : {
                status: redisResult!.ok ? "up" : "down",
                error: redisResult!.error ?? null,
                pingMs: redisResult!.latencyMs,
                breaker: deps.redis.breakerState,
                connection: deps.redis.client.status,
                window: "last 5 minutes (at most 2000 commands)",
                samples: redisWindow!.samples,
                p50Ms: redisWindow!.p50Ms,
                p95Ms: redisWindow!.p95Ms,
                errorRate: redisWindow!.errorRate,
              },
        },
        images: {
          storage: config.STORAGE_BACKEND,
          processor: processor.mode,
          ...(processor.vips ? { vips: processor.vips } : {}),
          ...(processor.error ? { error: processor.error } : {}),
          status: imagesLevel,
        },
        http: {
          window: "last 5 minutes (at most 5000 requests)",
          samples: http.samples,
          p95Ms: http.p95Ms,
          p99Ms: http.p99Ms,
          errorRate: http.errorRate,
          errorRateMax: config.HEALTH_ERROR_RATE_MAX,
          status: httpLevel,
        },
      },
      200,
      noStore,
    );
  });

  app.get("/metrics", async (c) => {
    const body = await metrics.registry.metrics();
    return c.body(body, 200, { "Content-Type": metrics.registry.contentType, "Cache-Control": "no-store" });
  });
}
