/**
 * Benchmark (not a test): `npm run bench -w app` (or `cd app && npm run bench`).
 *
 * Loads BENCH_BUSINESSES (default 100000) generated businesses into a fresh database (DATABASE_URL's server,
 * or a private PostgreSQL started like the tests do), builds the app, starts `dist/server.js` and a raw
 * `node:http` server returning the same business JSON (the floor), each in its own process on 127.0.0.1, then
 * drives them one after the other with autocannon: BENCH_CONNECTIONS (default 50) connections for
 * BENCH_DURATION_S (default 10, max 60) seconds after a 2 s warm-up. Prints a Markdown table and the targets:
 * nearby p99 < 25 ms; `/api/businesses/:id` >= 50% of the raw node:http rate.
 *
 * Cached columns (#11): a private Redis (test/redis.ts `startRedis()`, stopped on every exit path) and a second
 * API process with REDIS_URL set; its `:id` and nearby rows are measured after a warm-up pass (every path
 * requested once, then the usual 2 s autocannon warm-up), so they are served from the Redis cache. Both API
 * processes run with RATE_LIMIT_ENABLED=false: one client address at thousands of req/s would otherwise be
 * measuring 429s.
 *
 * Besides req/s and latency, each row has the server process's CPU time per request (µs, from
 * /proc/<pid>/stat over the measured run; "n/a" off Linux): with the load generator on the same cores,
 * req/s moves with whatever else the machine runs, CPU per request much less — it is what the ratio
 * targets are about. Three reference rows: the raw node:http floor; Hono on @hono/node-server with one
 * route answering the same document (the framework's own floor, no middleware); and the same Hono route
 * answering with every header a cache hit carries (the floor of a correct response: security headers,
 * caching, Vary, request id — what any answer must send before application logic runs).
 *
 * The `:id` cached ratio is decided on paired rounds after the table: BENCH_PAIRED_ROUNDS (default 5, max 15)
 * rounds of the raw floor and the cached `:id` row back to back (4 s each after a 1 s warm-up, the order
 * alternating), and the median of the rounds' ratios. On a shared host the speed drifts within seconds, so
 * the single-pass ratio (floor and cached row measured minutes apart) is printed too, but not used.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import postgres from "postgres";
import { migrate } from "../src/migrate";
import { CATEGORIES, generateBusinesses, insertBusinesses, prng, PROVINCES } from "../src/seed";
import { createDatabase, freePort, stopServices, testEnv } from "../test/harness";
import { startRedis, type RedisServer } from "../test/redis";

// autocannon ships no types; this is the part of its API used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon: Autocannon = require("autocannon");

const APP = path.resolve(__dirname, "..");
const COUNT = Number(process.env.BENCH_BUSINESSES ?? 100_000);
const CONNECTIONS = Math.min(Number(process.env.BENCH_CONNECTIONS ?? 50), 200);
const DURATION = Math.min(Number(process.env.BENCH_DURATION_S ?? 10), 60);
/** Paired rounds for the :id ratio (floor and cached back to back); BENCH_PAIRED_ROUNDS, 0 skips them. */
const ROUNDS = Math.min(Number(process.env.BENCH_PAIRED_ROUNDS ?? 5), 15);
const ROUND_S = 4;

function startNode(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: APP,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

/** Requests every path once, sequentially (fills the response cache); throws on a non-2xx answer. */
async function prime(port: number, paths: string[]): Promise<void> {
  for (const p of paths) {
    const res = await fetch(`http://127.0.0.1:${port}${p}`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`warm-up ${p}: HTTP ${res.status}`);
  }
}

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** User + system CPU time of process `pid` in microseconds (Linux /proc), or undefined elsewhere. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
  } catch {
    return undefined;
  }
}

async function drive(
  name: string,
  port: number,
  paths: string[],
  server?: ChildProcess,
  seconds = DURATION,
  warmUpS = 2,
): Promise<AutocannonResult & { name: string; cpuUsPerRequest?: number }> {
  const base = { url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, pipelining: 1 };
  const requests = paths.map((p) => ({ method: "GET", path: p }));
  await autocannon({ ...base, requests, duration: warmUpS }); // warm-up (JIT, pool, caches)
  const before = cpuMicros(server?.pid);
  const r = await autocannon({ ...base, requests, duration: seconds });
  const after = cpuMicros(server?.pid);
  const cpuUsPerRequest =
    before !== undefined && after !== undefined && r.requests.total > 0
      ? (after - before) / r.requests.total
      : undefined;
  return { name, ...r, cpuUsPerRequest };
}

async function main(): Promise<void> {
  const started = Date.now();
  const build = spawnSync("npm", ["run", "build"], { cwd: APP, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  const db = await createDatabase("bench");
  const sql = postgres(db.url, { max: 4, onnotice: () => undefined });
  const children: ChildProcess[] = [];
  let redis: RedisServer | undefined;
  const onSignal = () => {
    for (const c of children) c.kill("SIGTERM");
    void redis?.dispose();
    stopServices();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await migrate(sql);
    await insertBusinesses(sql, generateBusinesses(COUNT, 2024));
    await sql`VACUUM ANALYZE businesses`;
    const ids = (await sql<{ id: string }[]>`SELECT id FROM businesses ORDER BY random() LIMIT 500`).map(
      (r) => r.id,
    );
    console.error(`seeded ${COUNT} businesses in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const apiPort = await freePort();
    const api = startNode(["dist/server.js"], {
      ...testEnv(db.url),
      NODE_ENV: "production",
      CORS_ALLOWED_ORIGINS: "",
      PORT: String(apiPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      DATABASE_POOL_MAX: "20",
      OTEL_SDK_DISABLED: "false",
      RATE_LIMIT_ENABLED: "false",
    });
    children.push(api);
    await waitReady(`http://127.0.0.1:${apiPort}/health/ready`);

    // The same API with the Redis response cache (rate limiting off, as above).
    redis = await startRedis();
    const cachedPort = await freePort();
    const cachedApi = startNode(["dist/server.js"], {
      ...testEnv(db.url),
      NODE_ENV: "production",
      CORS_ALLOWED_ORIGINS: "",
      PORT: String(cachedPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      DATABASE_POOL_MAX: "20",
      OTEL_SDK_DISABLED: "false",
      RATE_LIMIT_ENABLED: "false",
      REDIS_URL: redis.url,
      CACHE_ENABLED: "true",
      CACHE_MAX_AGE_S: "300",
    });
    children.push(cachedApi);
    await waitReady(`http://127.0.0.1:${cachedPort}/health/ready`);

    // The floor: node:http answering with the same JSON document the API returns for one business.
    const doc = await (await fetch(`http://127.0.0.1:${apiPort}/api/businesses/${ids[0]}`)).text();
    const rawPort = await freePort();
    const rawServer = `require("node:http").createServer((q, s) => { s.writeHead(200, { "content-type": "application/json" }); s.end(process.env.DOC); }).listen(${rawPort}, "127.0.0.1");`;
    const raw = startNode(["-e", rawServer], { DOC: doc });
    children.push(raw);
    await waitReady(`http://127.0.0.1:${rawPort}/`);
    // The framework's floor: Hono on @hono/node-server, one route, the same document, no middleware.
    const honoPort = await freePort();
    const honoServer = `const { Hono } = require("hono"); const { serve } = require("@hono/node-server"); const app = new Hono(); app.get("/api/businesses/:id", (c) => c.body(process.env.DOC, 200, { "content-type": "application/json" })); serve({ fetch: app.fetch, port: ${honoPort}, hostname: "127.0.0.1" });`;
    const hono = startNode(["-e", honoServer], { DOC: doc });
    children.push(hono);
    await waitReady(`http://127.0.0.1:${honoPort}/api/businesses/x`);

    const rnd = prng(7);
    const cities = PROVINCES.flatMap((p) => p.cities);
    const points = Array.from({ length: 300 }, () => {
      const c = cities[Math.floor(rnd() * cities.length)];
      return {
        lat: (c.lat + (rnd() - 0.5) * 0.06).toFixed(5),
        lng: (c.lng + (rnd() - 0.5) * 0.06).toFixed(5),
      };
    });
    const words = [
      ...CATEGORIES.map((c) => c.nouns[0]),
      "cafe",
      "farmacia santiago",
      "panaderia",
      "hotel punta cana",
    ];

    // The same framework floor, answering with every header a cache hit carries (security headers, caching,
    // CORS Vary, request id): what a correct response costs before any application logic.
    const hitHeaders: Record<string, string> = {};
    (await fetch(`http://127.0.0.1:${cachedPort}/api/businesses/${ids[0]}`)).headers.forEach((v, k) => {
      if (
        ![
          "date",
          "connection",
          "keep-alive",
          "content-length",
          "transfer-encoding",
          "content-encoding",
        ].includes(k)
      )
        hitHeaders[k] = v;
    });
    const honoHeadersPort = await freePort();
    const honoHeadersServer = `const { Hono } = require("hono"); const { serve } = require("@hono/node-server"); const h = JSON.parse(process.env.HEADERS); const app = new Hono(); app.get("/api/businesses/:id", () => new Response(process.env.DOC, { status: 200, headers: { ...h } })); serve({ fetch: app.fetch, port: ${honoHeadersPort}, hostname: "127.0.0.1" });`;
    const honoHeaders = startNode(["-e", honoHeadersServer], {
      DOC: doc,
      HEADERS: JSON.stringify(hitHeaders),
    });
    children.push(honoHeaders);
    await waitReady(`http://127.0.0.1:${honoHeadersPort}/api/businesses/x`);

    const results = [];
    results.push(await drive("raw node:http (floor)", rawPort, ["/"], raw));
    const idPaths = ids.map((id) => `/api/businesses/${id}`);
    const nearbyPaths = points.map(
      (p) => `/api/businesses/nearby?lat=${p.lat}&lng=${p.lng}&radius=5000&limit=20`,
    );
    results.push(await drive("GET /api/businesses/:id", apiPort, idPaths, api));
    results.push(await drive("GET /api/businesses/nearby (5 km, limit 20)", apiPort, nearbyPaths, api));
    results.push(
      await drive(
        "GET /api/search/businesses (limit 20)",
        apiPort,
        words.map((w) => `/api/search/businesses?q=${encodeURIComponent(w)}&limit=20`),
        api,
      ),
    );

    // Cached: warm every path once (fills Redis), then the same drive (2 s warm-up + measured run).
    await prime(cachedPort, [...idPaths, ...nearbyPaths]);
    const check = await fetch(`http://127.0.0.1:${cachedPort}${idPaths[0]}`);
    await check.arrayBuffer();
    console.error(`cache check: X-Cache ${check.headers.get("x-cache") ?? "(none)"}`);
    results.push(await drive("GET /api/businesses/:id (Redis cache, warm)", cachedPort, idPaths, cachedApi));
    results.push(
      await drive(
        "GET /api/businesses/nearby (5 km, limit 20; Redis cache, warm)",
        cachedPort,
        nearbyPaths,
        cachedApi,
      ),
    );
    // A second raw floor right after the cached rows: the machine's speed drifts during a run.
    results.push(await drive("raw node:http (floor, again)", rawPort, ["/"], raw));
    results.push(await drive("Hono, one route, no middleware (framework floor)", honoPort, idPaths, hono));
    results.push(
      await drive(
        `Hono, one route, the ${Object.keys(hitHeaders).length} headers of a cache hit (correct-response floor)`,
        honoHeadersPort,
        idPaths,
        honoHeaders,
      ),
    );

    console.log(`\n${COUNT} businesses, ${CONNECTIONS} connections, ${DURATION} s per target, 127.0.0.1\n`);
    console.log("| target | req/s | p50 ms | p99 ms | server CPU µs/req | errors + non-2xx |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const r of results) {
      const cpu = r.cpuUsPerRequest === undefined ? "n/a" : Math.round(r.cpuUsPerRequest);
      console.log(
        `| ${r.name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${cpu} | ${r.errors + r.timeouts + r.non2xx} |`,
      );
    }
    const [rawRow, byId, nearby, , cachedId, cachedNearby, raw2] = results;
    const rawRate = (rawRow.requests.average + raw2.requests.average) / 2;
    const targets: [string, number, AutocannonResult][] = [
      ["uncached", rawRow.requests.average, byId],
      ["cached", rawRate, cachedId],
    ];
    console.log("");
    for (const [label, p99] of [
      ["uncached", nearby.latency.p99],
      ["cached, warm", cachedNearby.latency.p99],
    ] as const) {
      console.log(`target nearby p99 < 25 ms (${label}): ${p99} ms -> ${p99 < 25 ? "MET" : "NOT MET"}`);
    }
    for (const [label, floor, r] of targets) {
      const ratio = r.requests.average / floor;
      console.log(
        `${label === "cached" ? "single pass" : "target"} :id >= 50% of raw node:http (${label}; floor ${Math.round(floor)} req/s): ` +
          `${(ratio * 100).toFixed(1)}% -> ${ratio >= 0.5 ? "MET" : "NOT MET"}`,
      );
    }
    const rawCpu = [rawRow, raw2].map((r) => r.cpuUsPerRequest).filter((x): x is number => x !== undefined);
    if (rawCpu.length > 0 && cachedId.cpuUsPerRequest !== undefined) {
      const floorCpu = rawCpu.reduce((a, b) => a + b, 0) / rawCpu.length;
      console.log(
        `cached :id server CPU per request: ${Math.round(cachedId.cpuUsPerRequest)} µs vs ${Math.round(floorCpu)} µs ` +
          `for the raw floor (${((floorCpu / cachedId.cpuUsPerRequest) * 100).toFixed(1)}% of the floor's capacity ` +
          "per core, independent of the load generator)",
      );
    }
    // The ratio from paired rounds: on a shared host the machine's speed drifts within seconds (the single
    // pass above measures the floor and the cached row minutes apart), so each round measures both back to
    // back, alternating which goes first, and the verdict takes the median of the rounds' ratios.
    if (ROUNDS > 0) {
      const rounds: { floor: number; cached: number; floorCpu?: number; cachedCpu?: number }[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const floorFirst = i % 2 === 0;
        const a = await drive(
          "floor",
          floorFirst ? rawPort : cachedPort,
          floorFirst ? ["/"] : idPaths,
          floorFirst ? raw : cachedApi,
          ROUND_S,
          1,
        );
        const b = await drive(
          "cached",
          floorFirst ? cachedPort : rawPort,
          floorFirst ? idPaths : ["/"],
          floorFirst ? cachedApi : raw,
          ROUND_S,
          1,
        );
        const [f, c] = floorFirst ? [a, b] : [b, a];
        if (c.non2xx + c.errors + c.timeouts > 0)
          results.push({ ...c, name: `paired round ${i + 1} (cached :id)` });
        rounds.push({
          floor: f.requests.average,
          cached: c.requests.average,
          floorCpu: f.cpuUsPerRequest,
          cachedCpu: c.cpuUsPerRequest,
        });
      }
      console.log(
        `\npaired rounds: raw floor and cached :id back to back, ${ROUND_S} s each after 1 s warm-up, order alternating\n`,
      );
      console.log(
        "| round | floor req/s | cached :id req/s | ratio | floor CPU µs/req | cached CPU µs/req |",
      );
      console.log("|---:|---:|---:|---:|---:|---:|");
      rounds.forEach((r, i) =>
        console.log(
          `| ${i + 1} | ${Math.round(r.floor)} | ${Math.round(r.cached)} | ${((r.cached / r.floor) * 100).toFixed(1)}% | ` +
            `${r.floorCpu === undefined ? "n/a" : Math.round(r.floorCpu)} | ${r.cachedCpu === undefined ? "n/a" : Math.round(r.cachedCpu)} |`,
        ),
      );
      const ratios = rounds.map((r) => r.cached / r.floor).sort((x, y) => x - y);
      const median = ratios[Math.floor(ratios.length / 2)];
      console.log(
        `\ntarget :id >= 50% of raw node:http (cached; median of ${ROUNDS} paired rounds, ` +
          `range ${(ratios[0] * 100).toFixed(1)}-${(ratios[ratios.length - 1] * 100).toFixed(1)}%): ` +
          `${(median * 100).toFixed(1)}% -> ${median >= 0.5 ? "MET" : "NOT MET"}`,
      );
    }
    const failed = results.filter((r) => r.errors + r.timeouts + r.non2xx > 0);
    if (failed.length > 0) {
      console.log(`requests failed for: ${failed.map((r) => r.name).join(", ")}`);
      process.exitCode = 1;
    }
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await redis?.dispose();
    await sql.end();
    await db.drop();
    stopServices();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

main().catch((err: Error) => {
  console.error(err);
  stopServices();
  process.exit(1);
});
