/**
 * Stale-while-revalidate response cache on real Redis + PostgreSQL, with an injected clock (`deps.now`):
 * miss → hit → stale (one background refresh, even under concurrent reads) → expired; invalidation by admin writes.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import type { Redis } from "ioredis";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { jsonAdmin } from "./http";
import { sample } from "./cache-helpers";
import { createRedisFixture, type RedisFixture } from "./redis-fixture";

describe("response cache: stale-while-revalidate in Redis", function () {
  this.timeout(60_000);
  let f: RedisFixture;
  let redis: Redis;
  let clock = Date.parse("2026-11-30T12:00:00Z");
  let id: string;

  const get = async (path: string) => {
    const res = await f.request(path);
    return { res, state: res.headers.get("x-cache"), body: (await res.json()) as Record<string, any> };
  };
  const metrics = async () => (await f.request("/metrics")).text();

  before(async () => {
    f = await createRedisFixture(
      "cache",
      {
        CACHE_MAX_AGE_S: "30",
        CACHE_STALE_WHILE_REVALIDATE_S: "300",
        RATE_LIMIT_ENABLED: "false",
      },
      { now: () => clock },
    );
    ({ redis } = f);
    await insertBusinesses(f.sql, generateBusinesses(40, 11));
    [{ id }] = await f.sql<{ id: string }[]>`SELECT id FROM businesses ORDER BY name LIMIT 1`;
  });
  after(async () => f?.close());

  it("miss, then hit within the fresh TTL, with Cache-Control and Age consistent with it", async () => {
    const first = await get(`/api/businesses/${id}`);
    assert.equal(first.res.status, 200);
    assert.equal(first.state, "MISS");
    assert.deepEqual(
      new Set(first.res.headers.get("vary")?.split(/,\s*/)),
      new Set(["Accept-Encoding", "Origin"]),
    );
    assert.equal(first.res.headers.get("cache-control"), "public, max-age=30, stale-while-revalidate=300");
    clock += 12_000;
    const second = await get(`/api/businesses/${id}`);
    assert.equal(second.state, "HIT");
    assert.deepEqual(
      new Set(second.res.headers.get("vary")?.split(/,\s*/)),
      new Set(["Accept-Encoding", "Origin"]),
    );
    assert.equal(second.res.headers.get("age"), "12");
    assert.equal(second.res.headers.get("cache-control"), "public, max-age=30, stale-while-revalidate=300");
    assert.match(second.res.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(second.body, first.body);
  });

  it("serves stale data after the fresh TTL and refreshes it once in the background", async () => {
    // Change the row behind the cache's back (no admin write, so no invalidation).
    await f.sql`UPDATE businesses SET name = 'Renamed Directly' WHERE id = ${id}`;
    assert.equal((await get(`/api/businesses/${id}`)).state, "HIT", "still fresh: old data");
    clock += 20_000; // age 32 s: stale
    const stale = await get(`/api/businesses/${id}`);
    assert.equal(stale.state, "STALE");
    assert.notEqual(stale.body.name, "Renamed Directly", "the stale copy is served at once");
    await f.built.cache!.idle();
    const refreshed = await get(`/api/businesses/${id}`);
    assert.equal(refreshed.state, "HIT");
    assert.equal(refreshed.body.name, "Renamed Directly");
    assert.equal(refreshed.res.headers.get("age"), "0");
  });

  it("exactly one refresh (one database query) under 25 concurrent stale reads", async () => {
    clock += 31_000;
    const before = await metrics();
    const results = await Promise.all(Array.from({ length: 25 }, () => get(`/api/businesses/${id}`)));
    assert.deepEqual(new Set(results.map((r) => r.state)), new Set(["STALE"]));
    await f.built.cache!.idle();
    const after = await metrics();
    const op = 'operation="businesses.get",outcome="ok"';
    assert.equal(
      sample(after, "db_query_duration_seconds_count", op) -
        sample(before, "db_query_duration_seconds_count", op),
      1,
      "one refresh query, not one per reader",
    );
    const ok = 'outcome="ok"';
    assert.equal(
      sample(after, "http_cache_refreshes_total", ok) - sample(before, "http_cache_refreshes_total", ok),
      1,
    );
    assert.equal(
      sample(after, "http_cache_lookups_total", 'route="/api/businesses/:id",result="stale"') -
        sample(before, "http_cache_lookups_total", 'route="/api/businesses/:id",result="stale"'),
      25,
    );
    assert.equal((await get(`/api/businesses/${id}`)).state, "HIT");
  });

  it("a refresh lock held by another instance: stale is served and this instance does not refresh", async () => {
    clock += 31_000;
    // Another instance's lock on every key of this prefix: take it for this request's hash.
    const lockPattern = `${f.config.REDIS_KEY_PREFIX}cache:e:*`;
    const [entryKey] = await redis.keys(lockPattern);
    assert.ok(entryKey);
    const before = await metrics();
    const entryKeys = await redis.keys(lockPattern);
    for (const k of entryKeys) await redis.set(k.replace(":cache:e:", ":cache:lock:"), "other", "PX", 5000);
    assert.equal((await get(`/api/businesses/${id}`)).state, "STALE");
    await f.built.cache!.idle();
    const after = await metrics();
    const skipped = 'outcome="skipped"';
    assert.equal(
      sample(after, "http_cache_refreshes_total", skipped) -
        sample(before, "http_cache_refreshes_total", skipped),
      1,
    );
    for (const k of entryKeys) await redis.del(k.replace(":cache:e:", ":cache:lock:"));
  });

  it("concurrent misses for one request (after an invalidation) cost one database query", async () => {
    await f.built.cache!.invalidate();
    const before = await metrics();
    const results = await Promise.all(Array.from({ length: 20 }, () => get(`/api/businesses/${id}`)));
    assert.deepEqual(new Set(results.map((r) => r.state)), new Set(["MISS"]));
    assert.ok(results.every((r) => r.body.id === id));
    const after = await metrics();
    const op = 'operation="businesses.get",outcome="ok"';
    assert.equal(
      sample(after, "db_query_duration_seconds_count", op) -
        sample(before, "db_query_duration_seconds_count", op),
      1,
    );
    const coalesced = 'route="/api/businesses/:id",result="coalesced"';
    assert.equal(
      sample(after, "http_cache_lookups_total", coalesced) -
        sample(before, "http_cache_lookups_total", coalesced),
      19,
    );
  });

  it("expired entries (older than fresh + stale) are misses", async () => {
    clock += 400_000;
    assert.equal((await get(`/api/businesses/${id}`)).state, "MISS");
    assert.equal((await get(`/api/businesses/${id}`)).state, "HIT");
  });

  it("caches the four public reads; errors are not cached", async () => {
    for (const path of [
      "/api/businesses?limit=5",
      "/api/businesses/nearby?lat=18.48&lng=-69.93&radius=50000",
      "/api/search/businesses?q=colmado",
    ]) {
      assert.equal((await get(path)).state, "MISS", path);
      assert.equal((await get(path)).state, "HIT", path);
    }
    // Same query, parameters in another order: same entry.
    assert.equal((await get("/api/businesses?limit=5&category=colmado")).state, "MISS");
    assert.equal((await get("/api/businesses?category=colmado&limit=5")).state, "HIT");
    const missing = "/api/businesses/00000000-0000-4000-8000-000000000000";
    assert.equal((await f.request(missing)).status, 404);
    const again = await f.request(missing);
    assert.equal(again.status, 404);
    assert.equal(again.headers.get("x-cache"), "MISS");
    assert.equal(again.headers.get("cache-control"), "no-store");
  });

  it("an admin PATCH invalidates: the next read is a miss with the new data", async () => {
    assert.equal((await get(`/api/businesses/${id}`)).state, "HIT");
    const list = await get("/api/businesses?limit=5");
    assert.equal(list.state, "HIT");
    const patch = await f.request(`/api/businesses/${id}`, {
      method: "PATCH",
      headers: jsonAdmin,
      body: JSON.stringify({ name: "Patched Through The API" }),
    });
    assert.equal(patch.status, 200);
    const after = await get(`/api/businesses/${id}`);
    assert.equal(after.state, "MISS");
    assert.equal(after.body.name, "Patched Through The API");
    assert.equal(
      (await get("/api/businesses?limit=5")).state,
      "MISS",
      "every cached response is invalidated",
    );
  });

  it("an admin POST invalidates the lists and searches", async () => {
    const q = "/api/search/businesses?q=Zzyzx";
    assert.equal((await get(q)).body.items.length, 0);
    assert.equal((await get(q)).state, "HIT");
    const post = await f.request("/api/businesses", {
      method: "POST",
      headers: jsonAdmin,
      body: JSON.stringify({
        name: "Zzyzx Colmado",
        category: "colmado",
        province: "Santiago",
        city: "Santiago de los Caballeros",
        lat: 19.45,
        lng: -70.69,
      }),
    });
    assert.equal(post.status, 201);
    const after = await get(q);
    assert.equal(after.state, "MISS");
    assert.equal(after.body.items.length, 1);
    // A failed write (400) does not invalidate.
    assert.equal((await get(q)).state, "HIT");
    const bad = await f.request("/api/businesses", { method: "POST", headers: jsonAdmin, body: "{}" });
    assert.equal(bad.status, 400);
    assert.equal((await get(q)).state, "HIT");
  });

  it("counts hit/miss/stale in /metrics (valid for promtool)", async () => {
    const text = await metrics();
    const promtool = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    assert.equal(promtool.status, 0, promtool.stderr || promtool.stdout || String(promtool.error));
    for (const result of ["hit", "miss", "stale"]) {
      assert.ok(
        sample(text, "http_cache_lookups_total", `route="/api/businesses/:id",result="${result}"`) > 0,
        result,
      );
    }
  });
});
