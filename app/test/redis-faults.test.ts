/**
 * Redis failures with real services: the private redis-server is killed mid-test (and later paused), the app
 * keeps serving reads from PostgreSQL, admin writes follow RATE_LIMIT_FAIL_CLOSED, the probes say "degraded",
 * the circuit breaker stops requests from waiting on Redis, and everything recovers after a restart without
 * restarting the app.
 */
import { strict as assert } from "node:assert";
import { Redis } from "ioredis";
import { createApp } from "../src/app";
import { loadConfig } from "../src/env";
import { createLogger } from "../src/logger";
import { createRedis } from "../src/redis";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { createFixture, type Fixture } from "./fixture";
import { testEnv } from "./harness";
import { admin } from "./http";
import { startRedis, type RedisServer } from "./redis";

const jsonAdmin = { ...admin, "content-type": "application/json" };
const client = { "x-forwarded-for": "198.51.100.77" };

async function until(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

describe("Redis down: degraded modes, circuit breaker, recovery (real redis-server)", function () {
  this.timeout(90_000);
  let server: RedisServer;
  let redis: Redis;
  let f: Fixture;
  let id: string;
  const env = {
    SECURITY_TRUST_PROXY: "1",
    REDIS_CONNECT_TIMEOUT_MS: "500",
    REDIS_COMMAND_TIMEOUT_MS: "300",
    REDIS_RECONNECT_MAX_MS: "200",
    REDIS_BREAKER_THRESHOLD: "3",
    REDIS_BREAKER_HALF_OPEN_MS: "500",
  };

  before(async () => {
    server = await startRedis();
    const cfg = loadConfig(testEnv("postgres://u@127.0.0.1/unused", { ...env, REDIS_URL: server.url }));
    redis = createRedis(cfg, createLogger("silent"));
    await until("redis ready", 5000, async () => redis.status === "ready");
    f = await createFixture("redis_faults", { ...env, REDIS_URL: server.url }, { redis });
    await insertBusinesses(f.sql, generateBusinesses(30, 5));
    [{ id }] = await f.sql<{ id: string }[]>`SELECT id FROM businesses LIMIT 1`;
  });
  after(async () => {
    await f?.close();
    redis?.disconnect();
    await server?.dispose();
  });

  const ready = async () => {
    const res = await f.request("/health/ready");
    return {
      status: res.status,
      body: (await res.json()) as { status: string; checks: Record<string, any> },
    };
  };
  const dashboard = async () =>
    (await (await f.request("/api/health/dashboard", { headers: admin })).json()) as Record<string, any>;
  const read = () => f.request(`/api/businesses/${id}`, { headers: client });
  const patch = (app = f.built.app, name = "Patched") =>
    app.request(`/api/businesses/${id}`, {
      method: "PATCH",
      headers: { ...jsonAdmin, ...client },
      body: JSON.stringify({ name }),
    });

  it("healthy: ready, dashboard shows Redis up with its p95, responses cached and rate limited", async () => {
    const r = await ready();
    assert.equal(r.status, 200);
    assert.equal(r.body.status, "ready");
    assert.deepEqual(r.body.checks.redis, { ok: true });
    assert.equal((await read()).headers.get("x-cache"), "MISS");
    const hit = await read();
    assert.equal(hit.headers.get("x-cache"), "HIT");
    assert.ok(hit.headers.get("ratelimit"));
    const d = await dashboard();
    assert.equal(d.dependencies.redis.status, "up");
    assert.equal(d.dependencies.redis.breaker, "closed");
    assert.equal(typeof d.dependencies.redis.p95Ms, "number");
    assert.ok(d.dependencies.redis.samples > 0);
  });

  it("killed: reads served from PostgreSQL, writes fail closed (503), probes say degraded, breaker opens", async () => {
    await server.stop();
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const res = await read();
      const ms = performance.now() - started;
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-cache"), "BYPASS");
      assert.equal(res.headers.get("ratelimit"), null, "public reads fail open (no limit headers)");
      assert.equal(((await res.json()) as { id: string }).id, id);
      assert.ok(ms < 250, `read ${i} took ${ms.toFixed(0)} ms: it must not wait on Redis`);
    }
    assert.equal(f.built.redis!.breakerState, "open");
    assert.ok(f.logs.some((l) => l.msg === "redis circuit breaker open: not waiting on Redis"));

    const r = await ready();
    assert.equal(
      r.status,
      200,
      "PostgreSQL is up: still ready (degraded), so the load balancer keeps routing",
    );
    assert.equal(r.body.status, "degraded");
    assert.equal(r.body.checks.postgres.ok, true);
    assert.equal(r.body.checks.redis.ok, false);
    assert.match(r.body.checks.redis.error, /^Redis unavailable: /);
    assert.ok(
      !JSON.stringify(r.body).includes(String(server.port)),
      "the public probe never names the address",
    );

    const d = await dashboard();
    assert.equal(d.status, "degraded");
    assert.equal(d.dependencies.redis.status, "down");
    assert.equal(d.dependencies.redis.breaker, "open");

    const w = await patch();
    assert.equal(w.status, 503);
    assert.equal(w.headers.get("content-type"), "application/problem+json");
    assert.ok(Number(w.headers.get("retry-after")) >= 1);
    assert.match(
      ((await w.json()) as { detail: string }).detail,
      /rate limiting is unavailable .* write requests are refused/,
    );
    const { name } = (await (await read()).json()) as { name: string };
    assert.notEqual(name, "Patched", "the refused write changed nothing");
  });

  it("killed, with RATE_LIMIT_FAIL_CLOSED=none: admin writes go through unlimited", async () => {
    const config = { ...f.config, RATE_LIMIT_FAIL_CLOSED: ["none" as const] };
    const other = createApp({ config, db: f.db, logger: createLogger("silent"), redis });
    try {
      const w = await patch(other.app, "Written While Redis Was Down");
      assert.equal(w.status, 200);
      assert.equal(w.headers.get("ratelimit"), null);
      // This instance could not invalidate: it bypasses the cache until it can.
      const r = await other.app.request(`/api/businesses/${id}`, { headers: client });
      assert.equal(r.headers.get("x-cache"), "BYPASS");
    } finally {
      other.cache?.close();
    }
  });

  it("restarted: recovers by itself (no app restart): ready, cached, limited, writes accepted", async () => {
    await server.restart();
    await until("ready to say ready", 15_000, async () => (await ready()).body.status === "ready");
    assert.equal(f.built.redis!.breakerState, "closed");
    assert.ok(f.logs.some((l) => l.msg === "redis circuit breaker closed: Redis in use again"));
    const miss = await read();
    assert.equal(miss.headers.get("x-cache"), "MISS");
    assert.equal(((await miss.json()) as { name: string }).name, "Written While Redis Was Down");
    assert.equal((await read()).headers.get("x-cache"), "HIT");
    const w = await patch();
    assert.equal(w.status, 200);
    assert.ok(w.headers.get("ratelimit"));
    assert.equal((await read()).headers.get("x-cache"), "MISS", "the write invalidated the cache again");
    const d = await dashboard();
    assert.equal(d.status, "ok");
    assert.equal(d.dependencies.redis.status, "up");
  });

  it("hung (CLIENT PAUSE): after a few command timeouts the breaker opens and requests stop waiting", async () => {
    const pauser = new Redis(server.url);
    await pauser.call("CLIENT", "PAUSE", "4000", "ALL");
    pauser.disconnect();
    const started = performance.now();
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t = performance.now();
      const res = await read();
      times.push(performance.now() - t);
      assert.equal(res.status, 200);
    }
    const total = performance.now() - started;
    assert.ok(times[0] >= 250, `the first request waits for a command timeout (${times[0].toFixed(0)} ms)`);
    for (const ms of times.slice(3))
      assert.ok(ms < 100, `after the breaker opened: ${times.map(Math.round).join(", ")} ms`);
    assert.ok(total < 2000, `8 requests in ${total.toFixed(0)} ms, not 8 x 2 timeouts`);
    assert.equal(f.built.redis!.breakerState, "open");
    await until("recovery after the pause", 15_000, async () => (await ready()).body.status === "ready");
    assert.equal((await read()).status, 200);
  });
});
