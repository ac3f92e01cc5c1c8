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
    const port = await freePort();
    const p = start("server.js", [], {
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      OTEL_SDK_DISABLED: "false",
      OTEL_SERVICE_NAME: "meridian-api-test",
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      OTEL_BSP_SCHEDULE_DELAY: "100",
      SHUTDOWN_TIMEOUT_MS: "15000",
    });
    try {
      await waitFor("ready", async () =>
        (await get(port, "/health/ready")).status === 200 ? true : undefined,
      );
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
});
