/**
 * Redis (ioredis): the client factory and `RedisGateway`, the one way the app talks to Redis.
 *
 * - `createRedis(config, logger)`: a client for REDIS_URL (`redis://` or `rediss://`; for TLS the trusted roots
 *   are REDIS_CA_FILE, else Node's public roots, and REDIS_TLS_SERVERNAME is the name checked instead of the
 *   URL's host). Connect timeout REDIS_CONNECT_TIMEOUT_MS, per-command timeout REDIS_COMMAND_TIMEOUT_MS, no
 *   offline queue (a command while disconnected fails at once instead of waiting), reconnect forever with
 *   exponential backoff (50 ms doubling, capped at REDIS_RECONNECT_MAX_MS, plus up to 25 % jitter).
 * - `RedisGateway`: every command runs through a cockatiel circuit breaker (REDIS_BREAKER_THRESHOLD consecutive
 *   failures open it; while open, calls fail in microseconds with `RedisUnavailableError` instead of waiting
 *   for timeouts; after REDIS_BREAKER_HALF_OPEN_MS one trial call is let through and a success closes it).
 *   It records each command's latency in a rolling window (dashboard p95) and offers the readiness check.
 *
 * Callers treat `RedisUnavailableError` (and any command error) as "Redis is down" and degrade: the cache is
 * bypassed, rate limiting fails open or closed per policy. Errors never carry addresses or credentials.
 */
import * as fs from "node:fs";
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  type CircuitBreakerPolicy,
} from "cockatiel";
import { Redis, type RedisOptions } from "ioredis";
import type { Config } from "./env";
import type { Logger } from "./logger";
import { RollingWindow } from "./window";

export type RedisConfig = Pick<
  Config,
  | "REDIS_URL"
  | "REDIS_CA_FILE"
  | "REDIS_TLS_SERVERNAME"
  | "REDIS_KEY_PREFIX"
  | "REDIS_CONNECT_TIMEOUT_MS"
  | "REDIS_COMMAND_TIMEOUT_MS"
  | "REDIS_RECONNECT_MAX_MS"
  | "REDIS_BREAKER_THRESHOLD"
  | "REDIS_BREAKER_HALF_OPEN_MS"
>;

/** Reconnect delay in ms for the `times`-th attempt (1-based): 50 ms doubling, capped, plus 0-25 % jitter. */
export function reconnectDelay(times: number, capMs: number, random: () => number = Math.random): number {
  const base = Math.min(capMs, 50 * 2 ** Math.min(times - 1, 20));
  return Math.round(base + base * 0.25 * random());
}

/** ioredis options for `config` (exported for tests): TLS, timeouts, backoff, fail-fast while disconnected. */
export function redisOptions(config: RedisConfig): RedisOptions {
  if (!config.REDIS_URL) throw new Error("REDIS_URL is not set");
  const tlsUrl = config.REDIS_URL.startsWith("rediss://");
  const tls = tlsUrl
    ? {
        rejectUnauthorized: true,
        ...(config.REDIS_CA_FILE ? { ca: fs.readFileSync(config.REDIS_CA_FILE, "utf8") } : {}),
        ...(config.REDIS_TLS_SERVERNAME ? { servername: config.REDIS_TLS_SERVERNAME } : {}),
      }
    : undefined;
  return {
    ...(tls ? { tls } : {}),
    connectTimeout: config.REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => reconnectDelay(times, config.REDIS_RECONNECT_MAX_MS),
    connectionName: "meridian-api",
    // Commands issued in the same event-loop turn (one per concurrent request: cache lookups, limiter
    // scripts) go out as one pipeline: one socket write and one round trip instead of one each.
    enableAutoPipelining: true,
  };
}

/**
 * A client for REDIS_URL (see the module comment). Connection errors are logged once per outage (warn) and
 * once on recovery (info), without the URL. Close it with `quit()` (graceful) or `disconnect()`.
 */
export function createRedis(config: RedisConfig, logger: Logger): Redis {
  const client = new Redis(config.REDIS_URL!, redisOptions(config));
  let down = false;
  client.on("error", (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(
      { err: redisErrorKind(err) },
      "redis unavailable; degrading (cache bypassed, rate limits per policy)",
    );
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info("redis reachable again");
  });
  return client;
}

/**
 * Resolves true once `client` is ready, or false after `ms` (the app starts anyway and degrades until Redis
 * is reachable). Used at start so the first requests do not needlessly run without Redis.
 */
export function waitForReady(client: Redis, ms: number): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off("ready", onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    client.once("ready", onReady);
  });
}

/** Redis could not be used (down, timing out, or the circuit is open). The message never names an address. */
export class RedisUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`Redis unavailable: ${reason}`);
    this.name = "RedisUnavailableError";
  }
}

/** A short, address-free description of a Redis failure (public probes and logs). */
export function redisErrorKind(err: unknown): string {
  if (err instanceof BrokenCircuitError) return "circuit open";
  if (err instanceof RedisUnavailableError) return err.reason;
  const e = err as { message?: string; code?: string; name?: string };
  const msg = e.message ?? "";
  if (/timed? ?out/i.test(msg)) return "timeout";
  if (/ECONNREFUSED/.test(msg) || e.code === "ECONNREFUSED") return "connection refused";
  if (/isn't writeable|Connection is closed|ECONNRESET|EPIPE/i.test(msg)) return "not connected";
  if (/NOAUTH|WRONGPASS|NOPERM/.test(msg)) return "authentication failed";
  if (/certificate|self.signed|SSL|TLS/i.test(msg)) return "TLS handshake failed";
  return "command failed";
}

export type BreakerState = "closed" | "open" | "half-open" | "isolated";

/**
 * The app's view of Redis: commands through the circuit breaker, with latency samples and key prefixing.
 * `run(fn)` is the only way to issue commands; `key(...parts)` builds a prefixed key.
 */
export class RedisGateway {
  readonly window = new RollingWindow(2000, 5 * 60_000);
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    readonly client: Redis,
    private readonly config: Pick<
      RedisConfig,
      "REDIS_KEY_PREFIX" | "REDIS_BREAKER_THRESHOLD" | "REDIS_BREAKER_HALF_OPEN_MS"
    >,
    /** When given, breaker transitions are logged (warn on open, info on close). */
    logger?: Logger,
  ) {
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: config.REDIS_BREAKER_HALF_OPEN_MS,
      breaker: new ConsecutiveBreaker(config.REDIS_BREAKER_THRESHOLD),
    });
    if (logger) {
      this.breaker.onBreak(() =>
        logger.warn(
          { retry_in_ms: config.REDIS_BREAKER_HALF_OPEN_MS },
          "redis circuit breaker open: not waiting on Redis",
        ),
      );
      this.breaker.onReset(() => logger.info("redis circuit breaker closed: Redis in use again"));
    }
  }

  /** `REDIS_KEY_PREFIX` + parts joined with `:`. */
  key(...parts: string[]): string {
    return this.config.REDIS_KEY_PREFIX + parts.join(":");
  }

  /** The breaker's state (closed = normal). */
  get breakerState(): BreakerState {
    switch (this.breaker.state) {
      case CircuitState.Open:
        return "open";
      case CircuitState.HalfOpen:
        return "half-open";
      case CircuitState.Isolated:
        return "isolated";
      default:
        return "closed";
    }
  }

  /** Subscribe to breaker transitions (logging, tests). */
  onBreakerChange(listener: (state: BreakerState) => void): void {
    this.breaker.onBreak(() => listener("open"));
    this.breaker.onHalfOpen(() => listener("half-open"));
    this.breaker.onReset(() => listener("closed"));
  }

  /**
   * Run Redis commands through the breaker. Resolves with `fn`'s result; rejects with `RedisUnavailableError`
   * (reason: circuit open, timeout, not connected, ...) on any failure. Fails immediately while disconnected
   * (no offline queue) or while the circuit is open.
   */
  async run<T>(fn: (redis: Redis) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await this.breaker.execute(() => {
        if (this.client.status !== "ready") throw new RedisUnavailableError("not connected");
        return fn(this.client);
      });
      this.window.add(performance.now() - started, true);
      return result;
    } catch (err) {
      if (!(err instanceof BrokenCircuitError)) this.window.add(performance.now() - started, false);
      throw err instanceof RedisUnavailableError ? err : new RedisUnavailableError(redisErrorKind(err));
    }
  }

  /** Readiness: PING through the breaker; rejects with an address-free reason. */
  async check(): Promise<void> {
    const reply = await this.run((r) => r.ping());
    if (reply !== "PONG") throw new RedisUnavailableError("unexpected PING reply");
  }

  /** Status for the dashboard: up/down, breaker state, latency window. */
  status(): { connection: string; breaker: BreakerState } {
    return { connection: this.client.status, breaker: this.breakerState };
  }
}
