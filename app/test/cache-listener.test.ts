/**
 * The cache front's `node:http` listener (src/cache/front.ts `CacheFront.listener`, wired by src/server.ts
 * `httpServer`) on real Redis + PostgreSQL, over sockets: a fresh hit is written to the socket without Hono
 * ever seeing the request (the app's fetch is counted), with exactly the bytes of headers and body the chain
 * sends for the same request; everything else reaches Hono as it arrived; rate-limit decisions are made once
 * across the two layers; recorded searches and draining behave as through the chain; a fault in the front
 * (a stand-in tier here) is answered by the chain instead of crashing the server.
 * A request with `traceparent` always takes the full path: that is how these tests get the chain's answer.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as net from "node:net";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { CacheFront, type FrontDeps } from "../src/cache/front";
import type { LocalCache, LocalEntry } from "../src/cache/local";
import type { ResponseCache } from "../src/cache/middleware";
import type { Db } from "../src/db";
import { connectionDrainer } from "../src/drain";
import { createLogger } from "../src/logger";
import { createMetrics } from "../src/metrics";
import type { RateDecision } from "../src/rateLimit/decision";
import type { RateLimiter } from "../src/rateLimit/middleware";
import type { AppEnv } from "../src/types";
import { RollingWindow } from "../src/window";
import { countingServer, FRONT_ENV, sample, servingFixture, TRACEPARENT } from "./cache-helpers";
import { closeServer, rawRequest } from "./listen";
import type { RedisFixture } from "./redis-fixture";

/**
 * Headers that legitimately differ between two answers to the same request on the wire: per request, and the
 * message framing (the chain streams compressed bodies chunked; the front knows the length of what it sends).
 */
const PER_REQUEST = new Set(["x-request-id", "traceparent", "date", "content-length", "transfer-encoding"]);

function comparable(headers: http.IncomingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !PER_REQUEST.has(k)));
}

describe("cache front listener: hits written before Hono", function () {
  this.timeout(60_000);
  let f: RedisFixture;
  let s: Awaited<ReturnType<typeof countingServer>>;
  let ids: string[];
  const get = (path: string, headers: Record<string, string> = {}) =>
    rawRequest(s.port, "GET", path, headers);
  const localHits = async (route = "/api/businesses/:id") =>
    sample(
      await (await f.request("/metrics")).text(),
      "http_cache_lookups_total",
      `route="${route}",result="local_hit"`,
    );

  before(async () => {
    ({ f, ids } = await servingFixture("cache_listener", FRONT_ENV, 30, 7));
    s = await countingServer(f);
  });
  after(async () => {
    await s?.close();
    await f?.close();
  });

  it("writes a hit without Hono, byte for byte what the chain sends (CORS, codings, request ids)", async () => {
    const path = `/api/businesses/${ids[0]}`;
    assert.equal((await get(path)).headers["x-cache"], "MISS");
    const variants: Record<string, string>[] = [
      {},
      { origin: "https://app.example" },
      { origin: "https://evil.example" },
      { "accept-encoding": "gzip" },
      { "accept-encoding": "deflate" },
      { "accept-encoding": "gzip;q=0, deflate;q=0.5" },
      { "accept-encoding": "br" },
      { "accept-encoding": "*" },
      { "accept-encoding": "gzip", origin: "https://app.example" },
      { "x-request-id": "client-chosen-1" },
    ];
    for (const headers of variants) {
      const label = JSON.stringify(headers);
      const fetches = s.fetches();
      const hits = await localHits();
      const viaFront = await get(path, headers);
      assert.equal(s.fetches(), fetches, `${label}: Hono never saw the hit`);
      assert.equal(await localHits(), hits + 1, label);
      const viaChain = await get(path, { ...headers, traceparent: TRACEPARENT });
      assert.equal(s.fetches(), fetches + 1, `${label}: the traced request went through Hono`);
      assert.equal(viaChain.headers["x-cache"], "HIT", label);
      assert.equal(viaFront.status, 200, label);
      assert.deepEqual(comparable(viaFront.headers), comparable(viaChain.headers), label);
      assert.ok(viaFront.raw.equals(viaChain.raw), `${label}: same bytes`);
      assert.equal(viaFront.headers["content-length"], String(viaFront.raw.length), label);
    }
    const kept = await get(path, { "x-request-id": "client-chosen-1" });
    assert.equal(kept.headers["x-request-id"], "client-chosen-1");
    const replaced = await get(path, { "x-request-id": "not valid!" });
    assert.match(String(replaced.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
  });

  it("hands every other request to Hono as it arrived", async () => {
    const path = `/api/businesses/${ids[1]}`;
    await get(path);
    const passed: [string, string, Record<string, string>, number][] = [
      ["HEAD", path, {}, 200],
      ["PATCH", path, { "content-type": "application/json" }, 401],
      ["GET", path, { traceparent: TRACEPARENT }, 200],
      ["GET", `/api/%62usinesses/${ids[1]}`, {}, 308],
      ["GET", `/api/businesses/${ids[2]}`, {}, 200], // a miss: the chain answers and the tier keeps it
      ["GET", "/health/live", {}, 200],
      ["GET", "/api/categories", {}, 200],
    ];
    for (const [method, target, headers, status] of passed) {
      const before = s.fetches();
      const res = await rawRequest(s.port, method, target, headers);
      assert.equal(res.status, status, `${method} ${target}: ${res.body}`);
      assert.equal(s.fetches(), before + 1, `${method} ${target} reached Hono`);
    }
    // The miss above was kept: the same request is now a hit, and so is a query in another order.
    const before = s.fetches();
    assert.equal((await get(`/api/businesses/${ids[2]}`)).headers["x-cache"], "HIT");
    const nearby = "/api/businesses/nearby";
    await get(`${nearby}?lat=18.47&lng=-69.9&radius=5000&limit=5`);
    const reordered = await get(`${nearby}?limit=5&radius=5000&lng=-69.9&lat=18.47`);
    assert.equal(reordered.status, 200, reordered.body);
    assert.equal(reordered.headers["x-cache"], "HIT");
    assert.equal(s.fetches(), before + 1, "only the first nearby request reached Hono");
  });

  it("targets and Hosts the adapter must judge first are never answered at the listener", async () => {
    const path = `/api/businesses/${ids[4]}`;
    await get(path);
    assert.equal((await get(path)).headers["x-cache"], "HIT");
    /** One request written as given on a raw socket (absolute-form targets, odd Hosts). */
    const send = (target: string, host: string, extra = "") =>
      new Promise<number>((resolve, reject) => {
        const socket = net.connect(s.port, "127.0.0.1");
        let data = "";
        socket.setEncoding("latin1");
        socket.on("data", (d: string) => (data += d));
        socket.on("error", reject);
        socket.on("close", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
        socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`);
      });
    const cases: [string, string][] = [
      [path, "a@b"],
      [path, "evil/x"],
      [path, "a:b:c"],
      [path, "LOCALHOST"],
      [path, "localhost:65536"],
      [path, "localhost:080"],
      [`ftp://x${path}`, "x"],
      [`a://x${path}`, "x"],
      [`HTTP://x${path}`, "x"],
      [`http://x${path}`, "x"],
      [`http://[::1${path}`, "x"],
    ];
    for (const [target, host] of cases) {
      const fetches = s.fetches();
      const status = await send(target, host);
      const reachedHono = s.fetches() > fetches;
      assert.ok(reachedHono || status === 400, `${target} Host ${host}: ${status} without Hono`);
      const viaChain = await send(target, host, `traceparent: ${TRACEPARENT}\r\n`);
      assert.equal(status, viaChain, `${target} Host ${host}: the chain's status`);
    }
    // Plain Hosts with any port are the listener's.
    for (const host of ["localhost:80", "127.0.0.1:65535", "api.example.com", "x:1"]) {
      const fetches = s.fetches();
      assert.equal(await send(path, host), 200, host);
      assert.equal(s.fetches(), fetches, `${host}: answered at the listener`);
    }
  });

  it("searches recorded as growth events go through Hono and are stored; others are hits", async () => {
    const search = "/api/search/businesses?q=cafe";
    await get(search);
    const before = s.fetches();
    assert.equal((await get(search)).headers["x-cache"], "HIT");
    assert.equal(s.fetches(), before, "an anonymous search is a hit at the listener");
    const visitor = "visitor-listener-0001";
    for (let i = 0; i < 2; i++) {
      const res = await get(search, { "x-visitor-id": visitor });
      assert.equal(res.status, 200);
    }
    assert.equal(s.fetches(), before + 2, "searches with x-visitor-id reach the recorder");
    await f.built.idle();
    const [{ n }] = await f.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM growth_events WHERE visitor_id = ${visitor} AND type = 'SEARCH_QUERY'`;
    assert.equal(n, 2);
  });

  it("while draining, a hit says Connection: close and its socket closes after it", async () => {
    const own = await countingServer(f);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const drainer = connectionDrainer(own.server);
      const path = `/api/businesses/${ids[3]}`;
      await rawRequest(own.port, "GET", path, {}, agent);
      const warm = await rawRequest(own.port, "GET", path, {}, agent);
      assert.equal(warm.headers["x-cache"], "HIT");
      assert.equal(warm.headers.connection, "keep-alive");
      const fetches = own.fetches();
      const drained = drainer.drain();
      const last = await rawRequest(own.port, "GET", path, {}, agent);
      assert.equal(last.status, 200);
      assert.equal(last.headers.connection, "close");
      assert.equal(own.fetches(), fetches, "answered by the listener");
      await drained;
      assert.equal(drainer.open, 0);
    } finally {
      agent.destroy();
      await own.close();
    }
  });
});

describe("cache front listener: faults never take the server down", () => {
  const entry = (headers: Record<string, string>): LocalEntry => ({
    v: "1",
    at: Date.now(),
    route: "/api/businesses/:id",
    headers: { "content-type": "application/json", ...headers },
    body: "{}",
  });
  const allowed = {
    kind: "allowed",
    name: "default",
    policy: { name: "default", limit: 5, windowS: 60, failClosed: false },
    result: { allowed: true, remaining: 4, resetMs: 12_000, retryAfterMs: 0 },
  } as RateDecision;
  /**
   * A server whose front answers from a stand-in tier holding `held`, in front of a Hono chain (the front's
   * middleware, then a route answering 203 with the rate-limit decision it was handed). `decisions()` counts
   * the limiter's calls when `limit` is on.
   */
  async function serverWith(held: LocalEntry, over: Partial<FrontDeps> = {}, limit = false) {
    const local = { serving: true, get: () => held, set: () => undefined, resize: () => undefined };
    let decisions = 0;
    const limiter = {
      decide: () => {
        decisions += 1;
        return Promise.resolve(allowed);
      },
      middleware: () => () => undefined,
    } as unknown as RateLimiter;
    const front = new CacheFront({
      local: local as unknown as LocalCache,
      cache: { bypassing: false } as ResponseCache,
      metrics: createMetrics({ onQuery: () => undefined } as unknown as Db),
      state: { draining: false, http: new RollingWindow(10, 60_000) },
      logger: createLogger("silent"),
      cors: () => ({}),
      now: Date.now,
      ...(limit ? { limiter } : {}),
      ...over,
    });
    const app = new Hono<AppEnv>();
    app.use("*", front.middleware());
    app.get("*", (c) => c.text(`chain ${c.get("rateLimitDecision")?.kind ?? "undecided"}`, 203));
    const server = http.createServer(front.listener(getRequestListener(app.fetch)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { server, decisions: () => decisions };
  }
  const once = (throwing: () => never) => {
    let calls = 0;
    return () => (calls++ === 0 ? throwing() : ({} as Record<string, string>));
  };
  const cases: [string, LocalEntry, Partial<FrontDeps>, boolean, string][] = [
    [
      "a header value Node refuses (writeHead throws)",
      entry({ "x-bad": "a\nb" }),
      {},
      false,
      "chain undecided",
    ],
    [
      "a throwing step before the answer",
      entry({}),
      {
        cors: () => {
          throw new Error("boom");
        },
      },
      false,
      "chain undecided",
    ],
    [
      "a rate-limit decision that rejects",
      entry({}),
      {
        limiter: {
          decide: () => Promise.reject(new Error("boom")),
          middleware: () => () => undefined,
        } as unknown as RateLimiter,
      },
      false,
      "chain undecided",
    ],
    ["a fault after an allowed decision", entry({ "x-bad": "a\nb" }), {}, true, "chain allowed"],
  ];
  for (const [what, held, over, limit, answer] of cases) {
    it(`${what}: the chain answers (decided once), and the next request too`, async () => {
      const { server, decisions } = await serverWith(held, over, limit);
      try {
        const port = (server.address() as AddressInfo).port;
        for (let i = 1; i <= 2; i++) {
          const res = await rawRequest(port, "GET", "/api/businesses/7f0c0c52-1111-4a4a-8b8b-000000000001");
          assert.equal(res.status, 203, res.body);
          assert.equal(res.body, answer);
          if (limit) assert.equal(decisions(), i, "one rate-limit decision per request");
        }
      } finally {
        await closeServer(server);
      }
    });
  }
  it("a throwing step after an allowed decision: the chain answers with that decision", async () => {
    const { server, decisions } = await serverWith(
      entry({}),
      {
        cors: once(() => {
          throw new Error("transient");
        }),
      },
      true,
    );
    try {
      const port = (server.address() as AddressInfo).port;
      const first = await rawRequest(port, "GET", "/api/businesses/7f0c0c52-1111-4a4a-8b8b-000000000001");
      assert.equal(first.body, "chain allowed");
      assert.equal(decisions(), 1);
      const second = await rawRequest(port, "GET", "/api/businesses/7f0c0c52-1111-4a4a-8b8b-000000000001");
      assert.equal(second.status, 200, "the front answers again once the fault is gone");
      assert.equal(decisions(), 2);
    } finally {
      await closeServer(server);
    }
  });
});
