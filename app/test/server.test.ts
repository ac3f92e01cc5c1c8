/**
 * The production start path: `npm run build`, then the compiled `dist/cli.js` (migrate, seed, job) and
 * `dist/server.js` as real processes on a real port, with tracing exported over OTLP/HTTP to a receiver in
 * this test. Covers readiness, traceparent propagation end to end, and SIGTERM with a request in flight.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as path from "node:path";
import postgres from "postgres";
import { createDatabase, freePort, testEnv } from "./harness";

const APP = path.resolve(__dirname, "..");

interface Proc {
  child: ChildProcess;
  stdout: string[];
  stderr: string;
  exited: Promise<number | null>;
}

function start(script: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [path.join(APP, "dist", script), ...args], {
    cwd: APP,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: Proc = {
    child,
    stdout: [],
    stderr: "",
    exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
  };
  let buf = "";
  child.stdout!.on("data", (d) => {
    buf += d;
    const lines = buf.split("\n");
    buf = lines.pop()!;
    p.stdout.push(...lines.filter((l) => l.trim()));
  });
  child.stderr!.on("data", (d) => (p.stderr += d));
  return p;
}

function cli(
  args: string[],
  env: Record<string, string>,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(APP, "dist", "cli.js"), ...args], {
    cwd: APP,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function get(
  port: number,
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: p, headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
}

interface LoopStats {
  ok: number;
  /** Responses received after SIGTERM, and how many said `Connection: close`. */
  afterSignal: number;
  closeHeaders: number;
  /** Errors other than a refused new connection (a lost request: reset, hang-up). */
  lost: string[];
  refused: number;
}

/**
 * One keep-alive client (its own agent, one socket) sending requests back to back until a new connection is
 * refused (the server stopped listening) or `until()` says stop.
 */
async function keepAliveLoop(
  port: number,
  paths: string[],
  signalled: () => boolean,
  stats: LoopStats,
): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; ; i++) {
      const outcome = await new Promise<"ok" | "refused" | "lost">((resolve) => {
        const req = http.get({ host: "127.0.0.1", port, path: paths[i % paths.length], agent }, (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 200) stats.lost.push(`status ${res.statusCode}`);
            if (signalled()) {
              stats.afterSignal++;
              if (res.headers.connection === "close") stats.closeHeaders++;
            }
            resolve("ok");
          });
          res.on("error", (err) => {
            stats.lost.push(`response: ${err.message}`);
            resolve("lost");
          });
        });
        req.on("error", (err: NodeJS.ErrnoException) => {
          if (err.code === "ECONNREFUSED") return resolve("refused");
          stats.lost.push(`${err.code ?? ""} ${err.message}`);
          resolve("lost");
        });
      });
      if (outcome === "ok") stats.ok++;
      if (outcome === "refused") {
        stats.refused++;
        return;
      }
      if (outcome === "lost" && signalled()) return;
    }
  } finally {
    agent.destroy();
  }
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

/**
 * dist/server.js on a free port of 127.0.0.1 (`env` plus PORT and HOST), returned once `probe` answers 200.
 * A server that does not get there is killed before the error propagates; otherwise the caller kills it.
 */
async function startServer(
  env: Record<string, string>,
  probe: "/health/ready" | "/health/live" = "/health/ready",
): Promise<Proc & { port: number }> {
  const port = await freePort();
  const p = Object.assign(start("server.js", [], { ...env, PORT: String(port), HOST: "127.0.0.1" }), {
    port,
  });
  try {
    await waitFor(probe.slice("/health/".length), async () =>
      (await get(port, probe)).status === 200 ? true : undefined,
    );
  } catch (err) {
    p.child.kill("SIGKILL");
    throw err;
  }
  return p;
}

describe("production start path (dist/ build, real processes)", function () {
  this.timeout(120_000);
  let db: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  const otlpBodies: any[] = [];
  let receiver: http.Server;
  let otlpPort: number;

  before(async () => {
    const build = spawnSync("npm", ["run", "build"], { cwd: APP, encoding: "utf8" });
    assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}${build.stderr}`);
    db = await createDatabase("server");
    env = testEnv(db.url);
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        if (req.url === "/v1/traces") otlpBodies.push(JSON.parse(body));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    otlpPort = await freePort();
    await new Promise<void>((r) => receiver.listen(otlpPort, "127.0.0.1", r));
  });
  after(async () => {
    receiver?.close();
    await db?.drop();
  });

  it("cli: migrate (twice), seed, job; bad commands exit non-zero", () => {
    let r = cli(["migrate"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).applied.length >= 3);
    r = cli(["migrate"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).applied, []);
    r = cli(["seed", "--count", "2000"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { command: "seed", inserted: 2000 });
    r = cli(["job", "refresh-category-counts"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).businesses, 2000);
    r = cli(["job", "nope"], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown job "nope"/);
    r = cli(["frobnicate"], env);
    assert.equal(r.code, 2);
    r = cli(["migrate"], {
      DATABASE_URL: "postgres://u:pw@127.0.0.1:1/x?sslmode=disable",
      DATABASE_CONNECT_TIMEOUT_S: "2",
    });
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /pw@/, "no credentials in the error");
  });

  it("refuses to start with bad configuration, listing every problem", async () => {
    const p = start("server.js", [], {
      PORT: "x",
      ADMIN_API_KEY: "too-short-secret",
      HEALTH_ERROR_RATE_MAX: "2",
    });
    assert.equal(await p.exited, 1);
    assert.match(p.stderr, /invalid configuration \(4 problems\)/);
    for (const key of ["PORT", "DATABASE_URL", "ADMIN_API_KEY", "HEALTH_ERROR_RATE_MAX"])
      assert.match(p.stderr, new RegExp(`- ${key}: `));
    assert.doesNotMatch(p.stderr, /too-short-secret/);
  });

  it("serves, becomes ready, exports spans over OTLP, and drains an in-flight request on SIGTERM", async () => {
    const p = await startServer({
      ...env,
      LOG_LEVEL: "info",
      OTEL_SDK_DISABLED: "false",
      OTEL_SERVICE_NAME: "meridian-api-test",
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      OTEL_BSP_SCHEDULE_DELAY: "100",
      SHUTDOWN_TIMEOUT_MS: "15000",
    });
    const { port } = p;
    try {
      assert.equal((await get(port, "/health/live")).status, 200);

      // Trace propagation through the real process and exporter.
      const sql = postgres(db.url, { max: 2, onnotice: () => undefined });
      const [{ id }] = await sql<{ id: string }[]>`SELECT id FROM businesses LIMIT 1`;
      const traceId = "0af7651916cd43dd8448eb211c80319c";
      const r = await get(port, `/api/businesses/${id}`, {
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
      });
      assert.equal(r.status, 200);
      assert.match(String(r.headers.traceparent), new RegExp(`^00-${traceId}-`));
      const spans = await waitFor("exported spans", async () => {
        const all = otlpBodies.flatMap((b) =>
          b.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)),
        );
        const mine = all.filter((s: any) => s.traceId === traceId);
        return mine.length >= 2 ? mine : undefined;
      });
      assert.ok(spans.some((s: any) => s.name === "GET /api/businesses/:id"));
      assert.ok(spans.some((s: any) => s.name === "businesses.get"));
      const service = otlpBodies[0].resourceSpans[0].resource.attributes.find(
        (a: any) => a.key === "service.name",
      );
      assert.equal(service.value.stringValue, "meridian-api-test");
      const logged = await waitFor("log line", async () =>
        p.stdout.map((l) => JSON.parse(l)).find((l) => l.trace_id === traceId),
      );
      assert.equal(logged.route, "/api/businesses/:id");

      // SIGTERM with a request in flight: hold an exclusive lock so the request blocks in the database.
      const lock = await sql.reserve();
      await lock`BEGIN`;
      await lock`LOCK TABLE businesses IN ACCESS EXCLUSIVE MODE`;
      const inFlight = get(port, `/api/businesses/${id}`);
      await new Promise((res) => setTimeout(res, 300));
      p.child.kill("SIGTERM");
      await new Promise((res) => setTimeout(res, 500));
      assert.equal(p.child.exitCode, null, "still running while a request is in flight");
      await assert.rejects(
        get(port, "/health/live"),
        /ECONNREFUSED|ECONNRESET/,
        "no new connections while draining",
      );
      await lock`COMMIT`;
      lock.release();
      const done = await inFlight;
      assert.equal(done.status, 200, "the in-flight request completed");
      assert.equal(JSON.parse(done.body).id, id);
      assert.equal(await p.exited, 0);
      const lines = p.stdout.map((l) => JSON.parse(l));
      assert.ok(lines.some((l) => l.msg === "shutdown complete" && l.clean === true));
      await sql.end();
    } finally {
      if (p.child.exitCode === null) p.child.kill("SIGKILL");
    }
  });
  it("SIGTERM under keep-alive load: Connection: close while draining, no request lost, exit 0", async () => {
    const p = await startServer({ ...env, LOG_LEVEL: "info", SHUTDOWN_TIMEOUT_MS: "10000" });
    const { port } = p;
    try {
      let signalled = false;
      const stats: LoopStats = { ok: 0, afterSignal: 0, closeHeaders: 0, lost: [], refused: 0 };
      const clients = Array.from({ length: 30 }, () =>
        keepAliveLoop(port, ["/health/live", "/api/businesses?limit=2"], () => signalled, stats),
      );
      await new Promise((r) => setTimeout(r, 1000));
      const before = stats.ok;
      assert.ok(before > 100, `load is running (${before} responses in 1 s)`);
      signalled = true;
      p.child.kill("SIGTERM");
      await Promise.all(clients);
      assert.deepEqual(stats.lost, [], "no request lost (no reset or hang-up on a reused socket)");
      assert.equal(stats.refused, 30, "every client ends on a refused new connection, after its last answer");
      assert.ok(stats.afterSignal >= 30, `answers while draining: ${stats.afterSignal}`);
      assert.ok(stats.closeHeaders >= 30, `each socket told Connection: close (${stats.closeHeaders})`);
      assert.equal(await p.exited, 0, p.stderr);
      const lines = p.stdout.map((l) => JSON.parse(l));
      assert.ok(lines.some((l) => l.msg === "shutdown complete" && l.clean === true));
    } finally {
      if (p.child.exitCode === null) p.child.kill("SIGKILL");
    }
  });

  it("shutdown with an unreachable OTLP collector stays within the flush budget", async () => {
    // A collector that accepts connections and never answers: the worst case for the exporter.
    const sockets = new Set<import("node:net").Socket>();
    const blackhole = http.createServer(() => undefined);
    blackhole.on("connection", (s) => sockets.add(s));
    const holePort = await freePort();
    await new Promise<void>((r) => blackhole.listen(holePort, "127.0.0.1", r));
    let p: (Proc & { port: number }) | undefined;
    try {
      p = await startServer({
        ...env,
        LOG_LEVEL: "info",
        OTEL_SDK_DISABLED: "false",
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${holePort}`,
        OTEL_BSP_SCHEDULE_DELAY: "60000", // nothing exported before shutdown: the flush has all the spans
        OTEL_SHUTDOWN_FLUSH_MS: "800",
        SHUTDOWN_TIMEOUT_MS: "10000",
      });
      const { port } = p;
      for (let i = 0; i < 5; i++) assert.equal((await get(port, "/api/businesses?limit=1")).status, 200);
      const started = Date.now();
      p.child.kill("SIGTERM");
      assert.equal(await p.exited, 0, p.stderr);
      const ms = Date.now() - started;
      assert.ok(ms < 2500, `shutdown took ${ms} ms with an unreachable collector (flush budget 800 ms)`);
      const lines = p.stdout.map((l) => JSON.parse(l));
      assert.ok(lines.some((l) => l.msg === "span flush timed out: unexported spans dropped"));
    } finally {
      if (p?.child.exitCode === null) p.child.kill("SIGKILL");
      for (const s of sockets) s.destroy();
      await new Promise((r) => blackhole.close(r));
    }
  });
  it("without an OTLP exporter every response still has traceparent (its own server span)", async () => {
    const p = await startServer({ ...env, OTEL_SDK_DISABLED: "false" }, "/health/live");
    const { port } = p;
    try {
      const fresh = await get(port, "/health/live");
      assert.match(String(fresh.headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      assert.doesNotMatch(String(fresh.headers.traceparent), /^00-0{32}-/);
      const parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      const continued = await get(port, "/health/live", { traceparent: parent });
      const [, traceId, spanId] = String(continued.headers.traceparent).split("-");
      assert.equal(traceId, "0af7651916cd43dd8448eb211c80319c", "the incoming trace is continued");
      assert.notEqual(spanId, "b7ad6b7169203331", "with the server's own span id");
      assert.match(String((await get(port, "/nope")).headers.traceparent), /^00-/, "on a 404 too");
      p.child.kill("SIGTERM");
      assert.equal(await p.exited, 0, p.stderr);
    } finally {
      if (p.child.exitCode === null) p.child.kill("SIGKILL");
    }
  });
});
