/**
 * The app's Lua scripts (rate limiter GCRA, cache version bump, lock release) are defined on the Redis client
 * when the app is built, before any command. With `enableAutoPipelining` (src/redis.ts), a script defined
 * lazily while an automatic pipeline was pending was missing on that pipeline: ioredis then threw an uncaught
 * `results[i] is not iterable` and the process died (redis/ioredis#1931). Seen here first as a flaky crash.
 */
import { strict as assert } from "node:assert";
import { createFixture, type Fixture } from "./fixture";
import { redisApp, type RedisApp } from "./redis-fixture";

describe("Redis scripts and auto-pipelining", function () {
  this.timeout(60_000);
  let f: Fixture;
  let app: RedisApp;
  before(async () => {
    f = await createFixture("redis_scripts");
    app = await redisApp(f, "redis_scripts", { RATE_LIMIT_ENABLED: "true", CACHE_ENABLED: "true" });
  });
  after(async () => {
    app?.built.cache?.close();
    await app?.close();
    await f?.close();
  });

  it("scripts issued in the same tick as other commands, on a client that has run none yet", async () => {
    const { client, built } = app;
    for (const name of ["meridianGcra", "meridianBump", "meridianRelease"]) {
      assert.equal(typeof (client as unknown as Record<string, unknown>)[name], "function", name);
    }
    // One tick: a plain command opens the automatic pipeline, then the scripts join it.
    const results = await Promise.all([
      client.get(`${app.prefix}probe`),
      built.cache!.invalidate(),
      built.app.request("/api/businesses?limit=1", { headers: { "x-forwarded-for": "192.0.2.9" } }),
      client.get(`${app.prefix}probe`),
    ]);
    assert.equal((results[2] as Response).status, 200);
    assert.match((results[2] as Response).headers.get("ratelimit-policy") ?? "", /"default"/);
  });
});
