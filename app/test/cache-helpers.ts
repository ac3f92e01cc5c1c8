/**
 * What the response-cache suites share: reading one Prometheus sample, polling for a condition, a
 * `traceparent` (a request carrying one always takes the full chain: how the cache-front suites get the
 * chain's answer to compare with), and a Redis fixture with businesses whose in-process tier is serving.
 */
import { generateBusinesses, insertBusinesses } from "../src/seed";
import type { FixtureDeps } from "./fixture";
import { listen, type Listener } from "./listen";
import { createRedisFixture, type RedisFixture } from "./redis-fixture";

/** The cache-front suites' environment: fresh 30 s, stale 300 s, no rate limiting, one CORS origin. */
export const FRONT_ENV: Readonly<Record<string, string>> = {
  CACHE_MAX_AGE_S: "30",
  CACHE_STALE_WHILE_REVALIDATE_S: "300",
  RATE_LIMIT_ENABLED: "false",
  CORS_ALLOWED_ORIGINS: "https://app.example",
  CORS_EXPOSED_HEADERS: "x-request-id,x-cache",
};

export const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

/** The value of one sample line of the Prometheus text, 0 when absent. */
export function sample(text: string, name: string, labels: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/** Polls `cond` every 20 ms; rejects naming `what` after `ms`. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A Redis fixture (`label`, `env`) with `count` generated businesses (seed `seed`), returned once its
 * in-process tier serves; `ids` are the businesses' ids ordered by name.
 */
export async function servingFixture(
  label: string,
  env: Record<string, string>,
  count: number,
  seed: number,
  deps: Omit<FixtureDeps, "redis"> = {},
): Promise<{ f: RedisFixture; ids: string[] }> {
  const f = await createRedisFixture(label, env, deps);
  try {
    await insertBusinesses(f.sql, generateBusinesses(count, seed));
    const ids = (await f.sql<{ id: string }[]>`SELECT id FROM businesses ORDER BY name`).map((r) => r.id);
    await until("the in-process tier to synchronize", () => f.built.localCache?.serving === true);
    return { f, ids };
  } catch (err) {
    await f.close();
    throw err;
  }
}

/** `f`'s app served as in production (test/listen.ts `listen`), counting the requests that reached Hono. */
export async function countingServer(f: RedisFixture): Promise<Listener & { fetches: () => number }> {
  let fetches = 0;
  const listener = await listen(f.built, (req, env, ctx) => {
    fetches += 1;
    return f.built.app.fetch(req, env, ctx);
  });
  return { ...listener, fetches: () => fetches };
}
