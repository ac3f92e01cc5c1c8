/**
 * Types shared by `createApp` (app.ts) and the route and middleware modules, so routes never import app.ts
 * (no import cycle). `AppDeps` is everything the application is built from: tests, the server and the
 * benchmark inject the same dependencies.
 */
import type { Redis } from "ioredis";
import type { CacheEntry } from "./cache/store";
import type { RateDecision } from "./rateLimit/decision";
import type { Db } from "./db";
import type { Config } from "./env";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import type { ObjectStorage } from "./storage/types";
import type { RollingWindow } from "./window";

/** A dependency the readiness probe must reach (PostgreSQL built in; Redis and others injected). */
export interface ReadinessCheck {
  name: string;
  /** Resolve when healthy; reject with a short reason otherwise (no addresses: the probe is public). */
  check(): Promise<void>;
}

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  metrics?: Metrics;
  readinessChecks?: ReadinessCheck[];
  /** Schema version the build expects (default: the newest migration file). */
  expectedSchemaVersion?: number;
  /** Redis (ioredis) for rate limiting, the response cache and webhook idempotency; absent: none of them. */
  redis?: Redis;
  /** Milliseconds since the epoch (default `Date.now`): injected so time-dependent logic is testable. */
  now?: () => number;
  /** Object storage for business images (storage/): absent, the image routes answer 503. */
  storage?: ObjectStorage;
}

export interface AppState {
  /** Set on SIGTERM: readiness turns 503 so load balancers stop routing here while in-flight requests drain. */
  draining: boolean;
  /** HTTP outcomes of recent requests, for the dashboard. */
  http: RollingWindow;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    /** Set by the cache (cache/middleware.ts) when it served or stored a fresh entry: front.ts keeps it. */
    cacheEntry: CacheEntry | undefined;
    /** A rate-limit decision already made for this request (cache/front.ts), used by the middleware. */
    rateLimitDecision: RateDecision | undefined;
  };
};
