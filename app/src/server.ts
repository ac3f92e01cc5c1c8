/**
 * The HTTP server entrypoint: `node dist/server.js`.
 *
 * Order: parse the environment (exit 1 listing every problem), start OpenTelemetry, open the pool, build the
 * app, listen on HOST:PORT. On SIGTERM/SIGINT: readiness turns 503, the listener stops accepting, in-flight
 * requests finish and every response sent while draining says `Connection: close` (its socket closes after
 * it; idle keep-alive sockets close after a short grace, see drain.ts), the pool closes, spans flush within
 * OTEL_SHUTDOWN_FLUSH_MS and the remaining drain budget; the process exits 0, or 1 if draining exceeded
 * SHUTDOWN_TIMEOUT_MS (remaining connections are then cut).
 */
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createApp, type BuiltApp } from "./app";
import { createSql, Db } from "./db";
import { ConfigError, loadConfig, type Config } from "./env";
import { connectionDrainer } from "./drain";
import { createLogger, type Logger } from "./logger";
import { createRedis, waitForReady } from "./redis";
import { createStorage } from "./storage";
import { startTelemetry, type Telemetry } from "./telemetry";

export interface RunningServer {
  server: Server;
  port: number;
  built: BuiltApp;
  db: Db;
  /** Drain and close everything; resolves with true when every in-flight request finished in time. */
  shutdown(reason: string): Promise<boolean>;
}

/**
 * The HTTP server for `built`: @hono/node-server's listener for `fetch` (default the app's), behind the cache
 * front's when the in-process tier is on (it answers fresh hits before a Request is built; cache/front.ts) —
 * otherwise the same as `serve({ fetch })`. `hostname` is the Host used when a request has none. Not listening.
 */
export function httpServer(
  built: BuiltApp,
  hostname?: string,
  fetch: BuiltApp["app"]["fetch"] = built.app.fetch,
): Server {
  return createServer(built.listener(getRequestListener(fetch, { hostname })));
}

export async function startServer(
  config: Config,
  logger: Logger,
  telemetry?: Telemetry,
): Promise<RunningServer> {
  const sql = createSql(config);
  const db = new Db(sql, config.poolMax, {
    retryAfterS: config.DATABASE_RETRY_AFTER_S,
    probeMs: config.DATABASE_OUTAGE_PROBE_MS,
  });
  // Redis (#11) when REDIS_URL is set: connects in the background; the app degrades while it is unreachable.
  const redis = config.REDIS_URL ? createRedis(config, logger) : undefined;
  if (redis) await waitForReady(redis, config.REDIS_CONNECT_TIMEOUT_MS);
  const built = createApp({ config, db, logger, storage: createStorage(config), redis });
  const server = httpServer(built, config.HOST);
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  // Keep-alive longer than typical load balancer idle timeouts (ALB 60 s) to avoid 502s on reused sockets.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = config.REQUEST_TIMEOUT_MS + 5_000;
  const port = (server.address() as AddressInfo).port;
  // Draining under keep-alive load: `Connection: close` on every response, sockets closed after their response.
  const drainer = connectionDrainer(server);

  let closing: Promise<boolean> | undefined;
  const shutdown = (reason: string): Promise<boolean> => {
    closing ??= (async () => {
      logger.info(
        { reason, timeout_ms: config.SHUTDOWN_TIMEOUT_MS },
        "shutting down: draining in-flight requests",
      );
      built.state.draining = true;
      const started = performance.now();
      const drained = drainer.drain();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), config.SHUTDOWN_TIMEOUT_MS);
      });
      const clean = await Promise.race([drained.then(() => true), timedOut]);
      clearTimeout(timer);
      if (!clean) {
        logger.warn({ open: drainer.open }, "shutdown timeout: closing remaining connections");
        drainer.closeAll();
      }
      // Background work of drained requests (cache refreshes, search events) before Redis and the pool
      // close, within what is left of the drain budget.
      const budget = Math.max(100, config.SHUTDOWN_TIMEOUT_MS - (performance.now() - started));
      let idleTimer: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        built.idle().then(() => true),
        new Promise<boolean>((resolve) => (idleTimer = setTimeout(() => resolve(false), budget))),
      ]);
      clearTimeout(idleTimer);
      if (!settled) logger.warn("shutdown: background work (cache refresh, search events) still running");
      built.cache?.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
      await sql
        .end({ timeout: 5 })
        .catch((err: Error) => logger.warn({ err: err.message }, "pool close failed"));
      // Span flush: at most OTEL_SHUTDOWN_FLUSH_MS, and never past the drain budget (at least 100 ms).
      const left = config.SHUTDOWN_TIMEOUT_MS - (performance.now() - started);
      const flushed = await telemetry?.shutdown(Math.max(100, Math.min(config.OTEL_SHUTDOWN_FLUSH_MS, left)));
      if (flushed === false) logger.warn("span flush timed out: unexported spans dropped");
      logger.info({ clean }, "shutdown complete");
      return clean;
    })();
    return closing;
  };

  logger.info(
    {
      port,
      host: config.HOST,
      pool_max: config.poolMax,
      tls: config.DATABASE_SSL_MODE ?? "from URL",
      tracing: telemetry?.exporting ?? false,
    },
    "listening",
  );
  return { server, port, built, db, shutdown };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const telemetry = startTelemetry({
    serviceName: config.OTEL_SERVICE_NAME,
    disabled: config.OTEL_SDK_DISABLED === "true",
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT,
    flushTimeoutMs: config.OTEL_SHUTDOWN_FLUSH_MS,
  });
  const logger = createLogger(config.LOG_LEVEL);
  const running = await startServer(config, logger, telemetry);
  const onSignal = (signal: NodeJS.Signals) => {
    running.shutdown(signal).then(
      (clean) => {
        logger.flush();
        process.exitCode = clean ? 0 : 1;
        setImmediate(() => process.exit());
      },
      (err: Error) => {
        logger.error({ err: err.message }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`fatal: ${err.message}`);
    process.exit(1);
  });
}
