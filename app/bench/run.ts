/**
 * Benchmark (not a test): `npm run bench -w app` (or `cd app && npm run bench`).
 *
 * Loads BENCH_BUSINESSES (default 100000) generated businesses into a fresh database (DATABASE_URL's server,
 * or a private PostgreSQL started like the tests do), builds the app, starts `dist/server.js` and a raw
 * `node:http` server returning the same business JSON (the floor), each in its own process on 127.0.0.1, then
 * drives them one after the other with autocannon: BENCH_CONNECTIONS (default 50) connections for
 * BENCH_DURATION_S (default 10, max 60) seconds after a 2 s warm-up. Prints a Markdown table and the targets:
 * nearby p99 < 25 ms; `/api/businesses/:id` >= 50% of the raw node:http rate.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import postgres from "postgres";
import { migrate } from "../src/migrate";
import { CATEGORIES, generateBusinesses, insertBusinesses, prng, PROVINCES } from "../src/seed";
import { createDatabase, freePort, stopServices, testEnv } from "../test/harness";

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

async function drive(
  name: string,
  port: number,
  paths: string[],
): Promise<AutocannonResult & { name: string }> {
  const base = { url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, pipelining: 1 };
  const requests = paths.map((p) => ({ method: "GET", path: p }));
  await autocannon({ ...base, requests, duration: 2 }); // warm-up (JIT, pool, caches)
  const r = await autocannon({ ...base, requests, duration: DURATION });
  return { name, ...r };
}

async function main(): Promise<void> {
  const started = Date.now();
  const build = spawnSync("npm", ["run", "build"], { cwd: APP, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  const db = await createDatabase("bench");
  const sql = postgres(db.url, { max: 4, onnotice: () => undefined });
  const children: ChildProcess[] = [];
  try {
    await migrate(sql);
    await insertBusinesses(sql, generateBusinesses(COUNT, 2024));
    await sql`VACUUM ANALYZE businesses`;
    const ids = (await sql<{ id: string }[]>`SELECT id FROM businesses ORDER BY random() LIMIT 500`).map(
      (r) => r.id,
    );
    console.error(`seeded ${COUNT} businesses in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const apiPort = await freePort();
    children.push(
      startNode(["dist/server.js"], {
        ...testEnv(db.url),
        NODE_ENV: "production",
        CORS_ALLOWED_ORIGINS: "",
        PORT: String(apiPort),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        DATABASE_POOL_MAX: "20",
        OTEL_SDK_DISABLED: "false",
      }),
    );
    await waitReady(`http://127.0.0.1:${apiPort}/health/ready`);

    // The floor: node:http answering with the same JSON document the API returns for one business.
    const doc = await (await fetch(`http://127.0.0.1:${apiPort}/api/businesses/${ids[0]}`)).text();
    const rawPort = await freePort();
    const rawServer = `require("node:http").createServer((q, s) => { s.writeHead(200, { "content-type": "application/json" }); s.end(process.env.DOC); }).listen(${rawPort}, "127.0.0.1");`;
    children.push(startNode(["-e", rawServer], { DOC: doc }));
    await waitReady(`http://127.0.0.1:${rawPort}/`);

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

    const results = [];
    results.push(await drive("raw node:http (floor)", rawPort, ["/"]));
    results.push(
      await drive(
        "GET /api/businesses/:id",
        apiPort,
        ids.map((id) => `/api/businesses/${id}`),
      ),
    );
    results.push(
      await drive(
        "GET /api/businesses/nearby (5 km, limit 20)",
        apiPort,
        points.map((p) => `/api/businesses/nearby?lat=${p.lat}&lng=${p.lng}&radius=5000&limit=20`),
      ),
    );
    results.push(
      await drive(
        "GET /api/search/businesses (limit 20)",
        apiPort,
        words.map((w) => `/api/search/businesses?q=${encodeURIComponent(w)}&limit=20`),
      ),
    );

    console.log(`\n${COUNT} businesses, ${CONNECTIONS} connections, ${DURATION} s per target, 127.0.0.1\n`);
    console.log("| target | req/s | p50 ms | p99 ms | errors + non-2xx |");
    console.log("|---|---:|---:|---:|---:|");
    for (const r of results) {
      console.log(
        `| ${r.name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.errors + r.timeouts + r.non2xx} |`,
      );
    }
    const [raw, byId, nearby] = results;
    const ratio = byId.requests.average / raw.requests.average;
    console.log("");
    console.log(
      `target nearby p99 < 25 ms: ${nearby.latency.p99} ms -> ${nearby.latency.p99 < 25 ? "MET" : "NOT MET"}`,
    );
    console.log(
      `target :id >= 50% of raw node:http: ${(ratio * 100).toFixed(1)}% -> ${ratio >= 0.5 ? "MET" : "NOT MET"}`,
    );
    const failed = results.filter((r) => r.errors + r.timeouts + r.non2xx > 0);
    if (failed.length > 0) {
      console.log(`requests failed for: ${failed.map((r) => r.name).join(", ")}`);
      process.exitCode = 1;
    }
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await sql.end();
    await db.drop();
    stopServices();
  }
}

main().catch((err: Error) => {
  console.error(err);
  stopServices();
  process.exit(1);
});
