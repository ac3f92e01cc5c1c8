/**
 * The in-process app (fixture.ts) with Redis: a client on the run's shared Redis (redis.ts), pinged before
 * the app is built, and a key prefix of the suite's own (REDIS_KEY_PREFIX) so suites never see each other's
 * keys. `close()` closes the app, its database and the client. `redisApp` builds a second app on an existing
 * fixture's database with the production Redis client (src/redis.ts).
 */
import { Redis } from "ioredis";
import { createApp, type BuiltApp } from "../src/app";
import type { Config } from "../src/env";
import { createLogger } from "../src/logger";
import { createRedis } from "../src/redis";
import { createFixture, type Fixture, type FixtureDeps } from "./fixture";
import { keyPrefix, sharedRedisUrl } from "./redis";

export interface RedisFixture extends Fixture {
  /** The client the app uses (rate limiter, cache); tests may read and write its keys. */
  redis: Redis;
}

/**
 * A fixture whose app uses a new client on the shared Redis; `env` on top of a fresh REDIS_KEY_PREFIX
 * derived from `label`. If a step fails, what was started is closed before the error propagates.
 */
export async function createRedisFixture(
  label: string,
  env: Record<string, string> = {},
  deps: Omit<FixtureDeps, "redis"> = {},
): Promise<RedisFixture> {
  const redis = new Redis(await sharedRedisUrl());
  try {
    await redis.ping();
    const f = await createFixture(label, { REDIS_KEY_PREFIX: keyPrefix(label), ...env }, { ...deps, redis });
    return {
      ...f,
      redis,
      close: async () => {
        await f.close();
        redis.disconnect();
      },
    };
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}

/** A second app built by {@link redisApp}. */
export interface RedisApp {
  built: BuiltApp;
  /** Its Redis client (src/redis.ts `createRedis`: timeouts, backoff, fail-fast while disconnected). */
  client: Redis;
  /** Its REDIS_KEY_PREFIX. */
  prefix: string;
  /** Deletes the keys under `prefix` (skipped when Redis cannot answer), then disconnects. */
  close(): Promise<void>;
}

/**
 * A second app on `f`'s database and config with its own Redis client, connected and ready: `env` on top of
 * f.config, by default REDIS_URL the run's shared Redis and a fresh REDIS_KEY_PREFIX (`label`). Silent logs.
 */
export async function redisApp(
  f: Fixture,
  label: string,
  env: Record<string, string> = {},
): Promise<RedisApp> {
  const config = {
    ...f.config,
    REDIS_URL: await sharedRedisUrl(),
    REDIS_KEY_PREFIX: keyPrefix(label),
    ...env,
  } as Config;
  const client = createRedis(config, createLogger("silent"));
  await new Promise<void>((resolve) =>
    client.status === "ready" ? resolve() : client.once("ready", () => resolve()),
  );
  const prefix = config.REDIS_KEY_PREFIX;
  const built = createApp({ config, db: f.db, logger: createLogger("silent"), redis: client });
  return {
    built,
    client,
    prefix,
    close: async () => {
      const keys = await client.keys(`${prefix}*`).catch(() => [] as string[]);
      if (keys.length > 0) await client.del(...keys).catch(() => undefined);
      built.cache?.close();
      client.disconnect();
    },
  };
}
