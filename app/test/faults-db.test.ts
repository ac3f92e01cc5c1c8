/**
 * Fault: PostgreSQL stopped and started again (a dedicated private cluster, really stopped with
 * `pg_ctl stop -m fast`; the shared test cluster is untouched). While it is down, requests fail fast with
 * 503 problem+json + Retry-After (no hang until the request timeout) and the public ready probe names what
 * failed, not where; after it is back, the same app (no restart) serves again within about a second.
 */
import { strict as assert } from "node:assert";
import * as net from "node:net";
import { createApp, type BuiltApp } from "../src/app";
import { createSql, Db, type Sql } from "../src/db";
import { loadConfig } from "../src/env";
import { createLogger } from "../src/logger";
import { migrate } from "../src/migrate";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { missingPostgres, startPrivateCluster, testEnv, type PrivateCluster } from "./harness";

describe("fault: PostgreSQL stopped and restarted (dedicated cluster)", function () {
  this.timeout(120_000);
  let cluster: PrivateCluster | undefined;
  let sql: Sql | undefined;
  let built: BuiltApp;
  let id: string;

  before(async function () {
    if (missingPostgres()) this.skip(); // needs its own server to stop; DATABASE_URL servers are not ours
    cluster = await startPrivateCluster();
    const config = loadConfig(
      testEnv(cluster.baseUrl.toString(), {
        DATABASE_CONNECT_TIMEOUT_S: "5",
        REQUEST_TIMEOUT_MS: "10000",
        DATABASE_RETRY_AFTER_S: "3",
        DATABASE_OUTAGE_PROBE_MS: "300",
      }),
    );
    sql = createSql(config);
    await migrate(sql);
    await insertBusinesses(sql, generateBusinesses(10, 5));
    [{ id }] = await sql<{ id: string }[]>`SELECT id FROM businesses LIMIT 1`;
    const db = new Db(sql, config.poolMax, {
      retryAfterS: config.DATABASE_RETRY_AFTER_S,
      probeMs: config.DATABASE_OUTAGE_PROBE_MS,
    });
    built = createApp({ config, db, logger: createLogger("silent") });
  });
  after(async () => {
    await sql?.end({ timeout: 1 }).catch(() => undefined);
    cluster?.stop();
  });

  async function timed(path: string): Promise<{ res: Response; body: string; ms: number }> {
    const started = performance.now();
    const res = await built.app.request(path);
    const body = await res.text();
    return { res, body, ms: performance.now() - started };
  }

  it("fails fast with 503 + Retry-After while down, recovers promptly after restart", async () => {
    assert.equal((await timed(`/api/businesses/${id}`)).res.status, 200);
    assert.equal((await timed("/health/ready")).res.status, 200);

    cluster!.stopServer();
    const port = cluster!.baseUrl.port;
    const downSince = performance.now();
    // 3 s of traffic against a stopped server: every answer a fast 503, none a 500 or a hang.
    let n = 0;
    while (performance.now() - downSince < 3000) {
      const path = n % 2 ? `/api/businesses/${id}` : "/api/businesses?limit=5";
      const { res, body, ms } = await timed(path);
      assert.equal(res.status, 503, `${path}: ${body}`);
      assert.equal(res.headers.get("content-type"), "application/problem+json");
      assert.equal(res.headers.get("retry-after"), "3");
      assert.match(JSON.parse(body).detail, /database is unavailable/);
      assert.ok(ms < 1000, `${path} answered in ${Math.round(ms)} ms (must fail fast)`);
      n++;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(n >= 10, `only ${n} requests in 3 s`);

    const ready = await timed("/health/ready");
    assert.equal(ready.res.status, 503);
    assert.ok(ready.ms < 2500, `ready probe took ${Math.round(ready.ms)} ms`);
    const checks = JSON.parse(ready.body).checks;
    assert.equal(checks.postgres.ok, false);
    assert.match(checks.postgres.error, /^PostgreSQL unreachable/);
    for (const secret of ["127.0.0.1", port, "postgres@", "5432"]) {
      assert.ok(!ready.body.includes(secret), `the public probe must not say where: ${ready.body}`);
    }

    cluster!.startServer();
    const upSince = performance.now();
    let recoveredMs: number | undefined;
    while (performance.now() - upSince < 10_000) {
      const { res } = await timed(`/api/businesses/${id}`);
      if (res.status === 200) {
        recoveredMs = performance.now() - upSince;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(recoveredMs !== undefined, "served again within 10 s of the restart");
    assert.ok(recoveredMs < 2000, `recovered after ${Math.round(recoveredMs)} ms (must be prompt)`);
    for (let i = 0; i < 5; i++) assert.equal((await timed("/api/businesses?limit=5")).res.status, 200);
    assert.equal((await timed("/health/ready")).res.status, 200);
  });
  it("a server that accepts and never answers: bounded by the connect timeout once, then fails fast", async () => {
    // A silent TCP listener (a hung or black-holed database): connects succeed, the startup never completes.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    const config = loadConfig(
      testEnv(`postgres://postgres@127.0.0.1:${port}/x?sslmode=disable`, {
        DATABASE_CONNECT_TIMEOUT_S: "1",
        DATABASE_OUTAGE_PROBE_MS: "5000",
      }),
    );
    const hung = createSql(config);
    try {
      const app = createApp({
        config,
        db: new Db(hung, config.poolMax, { retryAfterS: 2, probeMs: 5000 }),
        logger: createLogger("silent"),
      }).app;
      const ask = async () => {
        const started = performance.now();
        const res = await app.request("/api/businesses?limit=1");
        await res.text();
        return { status: res.status, ms: performance.now() - started };
      };
      const first = await Promise.all([ask(), ask(), ask()]);
      for (const r of first) {
        assert.equal(r.status, 503);
        assert.ok(r.ms < 2500, `first wave answered in ${Math.round(r.ms)} ms (connect timeout 1 s)`);
      }
      for (let i = 0; i < 5; i++) {
        const r = await ask();
        assert.equal(r.status, 503);
        assert.ok(r.ms < 100, `then at once while the circuit is open (${Math.round(r.ms)} ms)`);
      }
    } finally {
      await hung.end({ timeout: 0 }).catch(() => undefined);
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
