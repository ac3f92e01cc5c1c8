/**
 * Health and the admin dashboard on real PostgreSQL (seeded directory, directory.ts): liveness, readiness
 * (not ready while draining or when the schema is behind the build), and the dashboard's database, pool and
 * dependency figures, including a pool held full by real slow queries.
 */
import { strict as assert } from "node:assert";
import { seedDirectory, type DirectoryRow } from "./directory";
import type { Fixture } from "./fixture";
import { admin, body } from "./http";

describe("health (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let all: DirectoryRow[];

  before(async () => {
    ({ f, all } = await seedDirectory("health"));
    // The dashboard's windows need traffic: in the single API suite this file was split from, the earlier
    // suites' requests provided it. A dozen list and by-id reads (each one PostgreSQL query) stand in.
    for (const b of all.slice(0, 12)) {
      await (await f.request("/api/businesses?limit=5")).arrayBuffer();
      await (await f.request(`/api/businesses/${b.id}`)).arrayBuffer();
    }
  });
  after(async () => f?.close());

  it("live and ready", async () => {
    assert.equal((await f.request("/health/live")).status, 200);
    const res = await f.request("/health/ready");
    assert.equal(res.status, 200);
    assert.deepEqual(await body(res), { status: "ready", checks: { postgres: { ok: true } } });
  });

  it("not ready while draining and when the schema is behind the build", async () => {
    f.built.state.draining = true;
    try {
      const res = await f.request("/health/ready");
      assert.equal(res.status, 503);
      assert.match(JSON.stringify(await body(res)), /shutting down/);
    } finally {
      f.built.state.draining = false;
    }
    await f.sql`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`;
    try {
      const res = await f.request("/health/ready");
      assert.equal(res.status, 503);
      assert.match((await body(res)).checks.postgres.error, /run `node dist\/cli.js migrate`/);
    } finally {
      await f.sql`DELETE FROM schema_migrations`;
      const { migrate, loadMigrations } = await import("../src/migrate");
      // Re-record the versions (the schema itself is intact): migrate skips nothing it has not recorded, so
      // insert the rows directly.
      for (const m of loadMigrations()) {
        await f.sql`INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;
      }
      assert.deepEqual((await migrate(f.sql)).applied, []);
    }
  });

  it("dashboard (admin): database, pool saturation against ratios, dependency p95 and error rates", async () => {
    const res = await f.request("/api/health/dashboard", { headers: admin });
    assert.equal(res.status, 200);
    const d = await body(res);
    assert.equal(d.database.status, "up");
    assert.equal(d.database.schemaVersion, d.database.expectedSchemaVersion);
    assert.equal(d.pool.max, 8);
    assert.equal(d.pool.warnRatio, 0.7);
    assert.equal(d.pool.criticalRatio, 0.9);
    assert.ok(d.dependencies.postgres.samples > 10, "queries from earlier tests are in the window");
    assert.equal(typeof d.dependencies.postgres.p95Ms, "number");
    assert.ok(d.http.samples > 10);
    assert.ok(["ok", "degraded"].includes(d.status));
  });

  it("dashboard reports pool saturation as critical when the pool is full", async () => {
    // Hold every pool slot with real slow queries, then read the dashboard.
    const slow = Array.from({ length: 8 }, () =>
      f.db.run("test.sleep", "SELECT pg_sleep(0.6)", (sql) => sql`SELECT pg_sleep(0.6)`),
    );
    await new Promise((r) => setTimeout(r, 150));
    const d = await body(await f.request("/api/health/dashboard", { headers: admin }));
    await Promise.all(slow);
    assert.ok(d.pool.inUse >= 8, `in use ${d.pool.inUse}`);
    assert.equal(d.pool.status, "critical");
    assert.equal(d.status, "critical");
  });
});
