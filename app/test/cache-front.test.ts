/**
 * The cache front and its in-process tier (src/cache/front.ts, local.ts) on real Redis + PostgreSQL: a fresh
 * hit answered in process carries exactly what the full chain sends for the same request (headers, body,
 * CORS, compression, rate-limit headers), invalidations reach it on the writing instance at once and on
 * another instance through Pub/Sub, and it stops serving while its version channel is lost.
 * A request with `traceparent` always takes the full path: that is how these tests get the chain's answer.
 */
import { strict as assert } from "node:assert";
import { gunzipSync, inflateSync } from "node:zlib";
import { countingServer, FRONT_ENV, sample, servingFixture, TRACEPARENT, until } from "./cache-helpers";
import { jsonAdmin } from "./http";
import { listen, rawRequest } from "./listen";
import { redisApp, type RedisApp, type RedisFixture } from "./redis-fixture";

/** Headers that legitimately differ between two answers to the same request. */
const PER_REQUEST = new Set(["x-request-id", "traceparent", "content-length"]);

function comparable(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!PER_REQUEST.has(k)) out[k] = v;
  });
  return out;
}

describe("cache front: fresh hits answered in process", function () {
  this.timeout(60_000);
  let f: RedisFixture;
  let clock = Date.parse("2026-11-30T12:00:00Z");
  let id: string;
  const localHits = async (route = "/api/businesses/:id") =>
    sample(
      await (await f.request("/metrics")).text(),
      "http_cache_lookups_total",
      `route="${route}",result="local_hit"`,
    );
  const chain = (path: string, headers: Record<string, string> = {}) =>
    f.request(path, { headers: { traceparent: TRACEPARENT, ...headers } });

  before(async () => {
    ({
      f,
      ids: [id],
    } = await servingFixture("cache_front", FRONT_ENV, 30, 5, { now: () => clock }));
  });
  after(async () => f?.close());

  it("answers the second request in process with the chain's headers and body", async () => {
    const before = await localHits();
    const miss = await f.request(`/api/businesses/${id}`);
    assert.equal(miss.headers.get("x-cache"), "MISS");
    const viaChain = await chain(`/api/businesses/${id}`);
    assert.equal(viaChain.headers.get("x-cache"), "HIT");
    assert.equal(await localHits(), before, "requests with traceparent take the full path");
    const viaFront = await f.request(`/api/businesses/${id}`, { headers: { "x-request-id": "front-1" } });
    assert.equal(await localHits(), before + 1);
    assert.equal(viaFront.status, 200);
    assert.equal(viaFront.headers.get("x-request-id"), "front-1");
    assert.deepEqual(comparable(viaFront), comparable(viaChain));
    assert.equal(await viaFront.text(), await viaChain.text());
    // Security headers come from the chain's own answer, not a copy of its configuration.
    assert.match(viaFront.headers.get("strict-transport-security") ?? "", /max-age=\d+/);
    assert.equal(viaFront.headers.get("x-frame-options"), "DENY");
  });

  it("keeps what a compressed answer served (requests through a CDN accept gzip)", async () => {
    const [{ id: other }] = await f.sql<
      { id: string }[]
    >`SELECT id FROM businesses ORDER BY name DESC LIMIT 1`;
    const first = await f.request(`/api/businesses/${other}`, { headers: { "accept-encoding": "gzip" } });
    assert.equal(first.headers.get("content-encoding"), "gzip");
    assert.equal(first.headers.get("x-cache"), "MISS");
    const before = await localHits();
    const plain = await f.request(`/api/businesses/${other}`);
    assert.equal(await localHits(), before + 1);
    assert.equal(plain.headers.get("content-encoding"), null);
    const viaChain = await chain(`/api/businesses/${other}`);
    assert.deepEqual(comparable(plain), comparable(viaChain));
    assert.equal(await plain.text(), await viaChain.text());
  });

  it("adds CORS for a listed origin only, as the chain does", async () => {
    for (const origin of ["https://app.example", "https://evil.example"]) {
      const before = await localHits();
      const viaChain = await chain(`/api/businesses/${id}`, { origin });
      const viaFront = await f.request(`/api/businesses/${id}`, { headers: { origin } });
      assert.equal(await localHits(), before + 1, origin);
      assert.deepEqual(comparable(viaFront), comparable(viaChain), origin);
    }
    const listed = await f.request(`/api/businesses/${id}`, { headers: { origin: "https://app.example" } });
    assert.equal(listed.headers.get("access-control-allow-origin"), "https://app.example");
    assert.equal(listed.headers.get("access-control-expose-headers"), "x-request-id,x-cache");
  });

  it("compresses as the chain does (gzip, deflate, refused codings), once per entry", async () => {
    const plain = await (await chain(`/api/businesses/${id}`)).text();
    for (const accept of ["gzip", "deflate", "gzip;q=0, deflate;q=0.5", "br", "*", "identity"]) {
      const before = await localHits();
      const viaChain = await chain(`/api/businesses/${id}`, { "accept-encoding": accept });
      const viaFront = await f.request(`/api/businesses/${id}`, { headers: { "accept-encoding": accept } });
      assert.equal(await localHits(), before + 1, accept);
      assert.deepEqual(comparable(viaFront), comparable(viaChain), accept);
      const coding = viaFront.headers.get("content-encoding");
      // app.request() does not decode: the bytes are what a client receives.
      const bytes = Buffer.from(await viaFront.arrayBuffer());
      const decoded =
        coding === "gzip" ? gunzipSync(bytes) : coding === "deflate" ? inflateSync(bytes) : bytes;
      assert.equal(decoded.toString("utf8"), plain, accept);
    }
  });

  it("never answers stale entries (the chain serves stale and refreshes), nor other methods", async () => {
    const before = await localHits();
    clock += 31_000;
    const stale = await f.request(`/api/businesses/${id}`);
    assert.equal(stale.headers.get("x-cache"), "STALE");
    const head = await f.request(`/api/businesses/${id}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await localHits(), before);
    await f.built.idle(); // the background refresh stores a fresh entry
    assert.equal((await f.request(`/api/businesses/${id}`)).headers.get("x-cache"), "HIT");
    assert.equal((await f.request(`/api/businesses/${id}`)).headers.get("x-cache"), "HIT");
    assert.equal(await localHits(), before + 1);
  });

  it("paths not in plain form take the full path (canonical-path, validation), over a socket", async () => {
    // A socket, not app.request(): an in-process Request would normalise the target first.
    const listener = await listen(f.built);
    try {
      await f.request(`/api/businesses/${id}`);
      const before = await localHits();
      const answers: [string, number][] = [
        [`/api/businesses/%2e%2e/businesses/${id}`, 308], // canonical-path: not in normal form
        [`/api/%62usinesses/${id}`, 308], // an escaped unreserved character
        [`/api/businesses/${id}%20`, 400], // in normal form, but not a UUID: the route's validation
      ];
      for (const [path, status] of answers) {
        const res = await rawRequest(listener.port, "GET", path);
        assert.equal(res.status, status, `${path}: ${res.body}`);
      }
      const plain = await rawRequest(listener.port, "GET", `/api/businesses/${id}`);
      assert.equal(plain.status, 200);
      assert.equal(plain.headers["x-cache"], "HIT");
      assert.equal(await localHits(), before + 1, "only the plain path was answered in process");
      // With a query: the key is the path plus the sorted query, whatever order the client sent.
      const nearby = "/api/businesses/nearby";
      const nearbyBefore = await localHits(nearby);
      const first = await rawRequest(
        listener.port,
        "GET",
        `${nearby}?lat=18.47&lng=-69.9&radius=5000&limit=5`,
      );
      assert.equal(first.status, 200, first.body);
      const reordered = await rawRequest(
        listener.port,
        "GET",
        `${nearby}?limit=5&radius=5000&lng=-69.9&lat=18.47`,
      );
      assert.equal(reordered.status, 200);
      assert.equal(reordered.body, first.body);
      assert.equal(await localHits(nearby), nearbyBefore + 1);
    } finally {
      await listener.close();
    }
  });

  it("an admin write on this instance invalidates at once (INCR reply)", async () => {
    await f.request(`/api/businesses/${id}`);
    const before = await localHits();
    assert.equal((await f.request(`/api/businesses/${id}`)).headers.get("x-cache"), "HIT");
    assert.equal(await localHits(), before + 1);
    const patch = await f.request(`/api/businesses/${id}`, {
      method: "PATCH",
      headers: jsonAdmin,
      body: JSON.stringify({ name: "Front Patched" }),
    });
    assert.equal(patch.status, 200);
    const after = await f.request(`/api/businesses/${id}`);
    assert.equal(after.headers.get("x-cache"), "MISS");
    assert.equal(((await after.json()) as { name: string }).name, "Front Patched");
  });

  describe("with a second instance on the same Redis", () => {
    let other: RedisApp;
    before(async () => {
      other = await redisApp(f, "cache_front", {
        REDIS_KEY_PREFIX: f.config.REDIS_KEY_PREFIX,
        CACHE_MAX_AGE_S: "30",
        CACHE_STALE_WHILE_REVALIDATE_S: "300",
        RATE_LIMIT_ENABLED: "false",
      });
    });
    after(async () => {
      other?.built.cache?.close();
      other?.client.disconnect();
    });

    it("a write there reaches this instance's tier through Pub/Sub", async () => {
      await f.request(`/api/businesses/${id}`);
      const before = await localHits();
      await f.request(`/api/businesses/${id}`);
      assert.equal(await localHits(), before + 1, "held in process before the write");
      const patch = await other.built.app.request(`/api/businesses/${id}`, {
        method: "PATCH",
        headers: jsonAdmin,
        body: JSON.stringify({ name: "Patched Elsewhere" }),
      });
      assert.equal(patch.status, 200);
      await until("this instance to serve the new name", async () => {
        const res = await f.request(`/api/businesses/${id}`);
        return ((await res.json()) as { name: string }).name === "Patched Elsewhere";
      });
    });
  });

  it("stops serving when its version channel is lost, and resumes after re-reading the version", async () => {
    const local = f.built.localCache!;
    await f.request(`/api/businesses/${id}`);
    await f.request(`/api/businesses/${id}`);
    assert.ok(local.size > 0);
    const syncs = local.syncs;
    const killed = Number(await f.redis.call("CLIENT", "KILL", "TYPE", "pubsub"));
    assert.ok(killed >= 1, "the tier's subscriber was connected");
    await until("the tier to re-synchronize", () => local.syncs > syncs);
    assert.equal(local.size, 0, "entries held while messages may have been missed are dropped");
    const before = await localHits();
    assert.equal((await f.request(`/api/businesses/${id}`)).headers.get("x-cache"), "HIT");
    assert.equal(await localHits(), before, "first read after the resync: the chain, from Redis");
    await f.request(`/api/businesses/${id}`);
    assert.equal(await localHits(), before + 1);
  });
});

describe("cache front with rate limiting", function () {
  this.timeout(60_000);
  let f: RedisFixture;
  let s: Awaited<ReturnType<typeof countingServer>>;
  let id: string;
  const decisions = async (outcome: string) =>
    sample(
      await (await f.request("/metrics")).text(),
      "rate_limit_decisions_total",
      `policy="default",outcome="${outcome}"`,
    );
  /** A GET of the business from client `ip`, through the middleware (app.request) or the listener (socket). */
  const adapters: Record<
    string,
    (ip: string) => Promise<{ status: number; header(n: string): string | null }>
  > = {
    middleware: async (ip) => {
      const res = await f.request(`/api/businesses/${id}`, { headers: { "x-forwarded-for": ip } });
      return { status: res.status, header: (n) => res.headers.get(n) };
    },
    listener: async (ip) => {
      const res = await rawRequest(s.port, "GET", `/api/businesses/${id}`, { "x-forwarded-for": ip });
      return { status: res.status, header: (n) => (res.headers[n] as string | undefined) ?? null };
    },
  };

  before(async () => {
    ({
      f,
      ids: [id],
    } = await servingFixture(
      "cache_front_rl",
      { SECURITY_TRUST_PROXY: "1", RATE_LIMIT_DEFAULT: "4/60s" },
      5,
      9,
    ));
    s = await countingServer(f);
  });
  after(async () => {
    await s?.close();
    await f?.close();
  });

  for (const [via, ip] of [
    ["middleware", "203.0.113.7"],
    ["listener", "203.0.113.8"],
  ] as const) {
    it(`hits carry the limiter's headers; the request over the limit gets the chain's 429, decided once (${via})`, async () => {
      const get = adapters[via];
      const fetches = s.fetches();
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await get(ip);
        assert.equal(res.status, 200);
        assert.equal(res.header("ratelimit-policy"), '"default";q=4;w=60');
        seen.push(`${res.header("x-cache")} ${res.header("ratelimit")?.replace(/;t=\d+$/, "")}`);
      }
      // The first request of the suite is the miss; the listener's client finds the entry cached.
      const first = via === "middleware" ? "MISS" : "HIT";
      assert.deepEqual(seen, [
        `${first} "default";r=3`,
        'HIT "default";r=2',
        'HIT "default";r=1',
        'HIT "default";r=0',
      ]);
      if (via === "listener") assert.equal(s.fetches(), fetches, "hits never reached Hono");
      const limitedBefore = await decisions("limited");
      const allowedBefore = await decisions("allowed");
      const limited = await get(ip);
      assert.equal(limited.status, 429);
      assert.equal(limited.header("content-type"), "application/problem+json");
      assert.equal(limited.header("x-frame-options"), "DENY", "answered by the chain");
      assert.ok(limited.header("retry-after"));
      assert.equal(await decisions("limited"), limitedBefore + 1, "one decision per request");
      assert.equal(await decisions("allowed"), allowedBefore);
    });
  }
});
