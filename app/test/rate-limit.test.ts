/** Rate limiting on real Redis + PostgreSQL: per IP and per API key, IETF draft headers, 429 problem+json. */
import { strict as assert } from "node:assert";
import type { Redis } from "ioredis";
import { ConfigError, loadConfig } from "../src/env";
import { policyFor } from "../src/rateLimit/policies";
import { gcra } from "../src/rateLimit/script";
import { ADMIN_KEY, testEnv } from "./harness";
import { jsonAdmin } from "./http";
import { keyPrefix } from "./redis";
import { createRedisFixture, type RedisFixture } from "./redis-fixture";

const from = (ip: string, extra: Record<string, string> = {}) => ({
  headers: { "x-forwarded-for": ip, ...extra },
});

describe("rate limiting (real Redis)", function () {
  this.timeout(60_000);
  let f: RedisFixture;
  let redis: Redis;
  before(async () => {
    f = await createRedisFixture("rate_limit", {
      SECURITY_TRUST_PROXY: "1",
      RATE_LIMIT_DEFAULT: "3/60s",
      RATE_LIMIT_SEARCH: "2/1m",
      RATE_LIMIT_WRITE: "2/60s",
      CACHE_ENABLED: "false",
    });
    ({ redis } = f);
  });
  after(async () => f?.close());

  it("limits per client IP with RateLimit-Policy / RateLimit headers, then 429 problem+json + Retry-After", async () => {
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await f.request("/api/businesses", from("198.51.100.1"));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("ratelimit-policy"), '"default";q=3;w=60');
      seen.push(res.headers.get("ratelimit") ?? "");
    }
    assert.deepEqual(seen, ['"default";r=2;t=20', '"default";r=1;t=40', '"default";r=0;t=60']);
    const limited = await f.request("/api/businesses", from("198.51.100.1"));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("content-type"), "application/problem+json");
    assert.equal(limited.headers.get("retry-after"), "20", "GCRA: one request per 60/3 s comes back");
    assert.equal(limited.headers.get("ratelimit"), '"default";r=0;t=60');
    const body = (await limited.json()) as Record<string, unknown>;
    assert.equal(body.status, 429);
    assert.equal(body.title, "Too Many Requests");
    assert.equal(body.policy, "default");
    assert.equal(body.retryAfterS, 20);
    assert.match(String(body.detail), /rate limit "default" exceeded: 3 requests per 60 s/);
    // Another client is unaffected; so is another policy for the same client.
    assert.equal((await f.request("/api/businesses", from("198.51.100.2"))).status, 200);
    const search = await f.request("/api/search/businesses?q=cafe", from("198.51.100.1"));
    assert.equal(search.status, 200);
    assert.equal(search.headers.get("ratelimit-policy"), '"search";q=2;w=60');
    // Probes and metrics are never limited.
    for (let i = 0; i < 5; i++)
      assert.equal((await f.request("/health/live", from("198.51.100.1"))).status, 200);
  });

  it("limits per API key across addresses; made-up tokens do not escape the per-IP limit", async () => {
    const create = (ip: string, n: number) =>
      f.request("/api/businesses", {
        method: "POST",
        headers: { ...jsonAdmin, "x-forwarded-for": ip },
        body: JSON.stringify({
          name: `Colmado ${n}`,
          category: "colmado",
          province: "Santiago",
          city: "Santiago de los Caballeros",
          lat: 19.45,
          lng: -70.69,
        }),
      });
    assert.equal((await create("192.0.2.1", 1)).status, 201);
    assert.equal((await create("192.0.2.2", 2)).status, 201);
    const third = await create("192.0.2.3", 3);
    assert.equal(third.status, 429, "the key's write quota (2/60s) is used up whatever the address");
    assert.equal(((await third.json()) as { policy: string }).policy, "write");

    // One address, a new bogus token each time: still one per-IP bucket (401s are counted too).
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await f.request("/api/businesses", {
        method: "POST",
        headers: {
          authorization: `Bearer bogus-${i}`,
          "content-type": "application/json",
          "x-forwarded-for": "192.0.2.99",
        },
        body: "{}",
      });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 429]);
  });

  it("counts in Redis only hashed key identities (never the token itself)", async () => {
    const keys = await redis.keys(`${f.config.REDIS_KEY_PREFIX}rl:*`);
    assert.ok(
      keys.some((k) => k.includes(":key:")),
      keys.join(", "),
    );
    assert.ok(!keys.some((k) => k.includes(ADMIN_KEY)));
    assert.ok(
      keys.every((k) => /:rl:(default|search|write):(ip|key):/.test(k)),
      keys.join(", "),
    );
  });

  it("the GCRA script lets requests back in after the emission interval (real clock)", async () => {
    const key = `${keyPrefix("gcra")}k`;
    const a = await gcra(redis, [key], 2, 1);
    const b = await gcra(redis, [key], 2, 1);
    const c = await gcra(redis, [key], 2, 1);
    assert.deepEqual([a.allowed, b.allowed, c.allowed], [true, true, false]);
    assert.ok(c.retryAfterMs > 0 && c.retryAfterMs <= 500, `retry after ${c.retryAfterMs} ms`);
    await new Promise((r) => setTimeout(r, c.retryAfterMs + 20));
    assert.equal((await gcra(redis, [key], 2, 1)).allowed, true);
    assert.ok((await redis.pttl(key)) <= 1000, "the key expires once its TAT has passed");
  });

  it("maps requests to the named policies", () => {
    assert.equal(policyFor("GET", "/api/businesses"), "default");
    assert.equal(policyFor("GET", "/api/search/businesses"), "search");
    assert.equal(policyFor("PATCH", "/api/businesses/x"), "write");
    assert.equal(policyFor("POST", "/api/businesses/x/images"), "upload");
    assert.equal(policyFor("POST", "/api/events"), "events");
    assert.equal(policyFor("POST", "/api/webhooks/whatsapp"), "webhook");
    assert.equal(policyFor("GET", "/api/webhooks/whatsapp"), "webhook");
    assert.equal(policyFor("GET", "/health/ready"), undefined);
    assert.equal(policyFor("GET", "/metrics"), undefined);
    assert.equal(policyFor("OPTIONS", "/api/businesses"), undefined);
  });

  it("RATE_LIMIT_* values are validated, naming the variable and the format", () => {
    assert.throws(
      () =>
        loadConfig(
          testEnv("postgres://u@127.0.0.1/db", {
            RATE_LIMIT_SEARCH: "lots",
            RATE_LIMIT_WRITE: "0/60s",
            RATE_LIMIT_FAIL_CLOSED: "write,everything",
          }),
        ),
      (e: ConfigError) =>
        /RATE_LIMIT_SEARCH: must be <requests>\/<window><s\|m\|h>, e.g. 300\/60s/.test(e.message) &&
        /RATE_LIMIT_WRITE.*requests must be >= 1/.test(e.message) &&
        /RATE_LIMIT_FAIL_CLOSED/.test(e.message),
    );
    const c = loadConfig(testEnv("postgres://u@127.0.0.1/db", { RATE_LIMIT_UPLOAD: "5/2h" }));
    assert.deepEqual(c.RATE_LIMIT_UPLOAD, { limit: 5, windowS: 7200 });
  });
});
