import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import postgres from "postgres";
import { latestVersion, loadMigrations, migrate, schemaVersion } from "../src/migrate";
import { createDatabase } from "./harness";

describe("migrations", () => {
  let db: { url: string; drop: () => Promise<void> };
  let sql: postgres.Sql;

  before(async () => {
    db = await createDatabase("migrate");
    sql = postgres(db.url, { max: 4, onnotice: () => undefined });
  });
  after(async () => {
    await sql?.end();
    await db?.drop();
  });

  it("applies every migration to an empty database, in order, and records them", async () => {
    assert.equal(await schemaVersion(sql), 0);
    const result = await migrate(sql);
    const files = loadMigrations();
    assert.deepEqual(
      result.applied.map((a) => a.version),
      files.map((f) => f.version),
    );
    assert.equal(await schemaVersion(sql), latestVersion());
    const ext = await sql<{ extname: string }[]>`SELECT extname FROM pg_extension ORDER BY extname`;
    for (const e of ["pg_trgm", "postgis", "unaccent"])
      assert.ok(
        ext.some((r) => r.extname === e),
        e,
      );
    const idx = await sql<
      { indexdef: string }[]
    >`SELECT indexdef FROM pg_indexes WHERE tablename = 'businesses'`;
    assert.ok(
      idx.some((i) => /USING gist \(location\)/.test(i.indexdef)),
      "GiST index on location",
    );
    assert.ok(
      idx.some((i) => /USING gin \(search\)/.test(i.indexdef)),
      "GIN index on search",
    );
  });

  it("is idempotent: a second run applies nothing and changes nothing", async () => {
    const before = await sql`SELECT version, checksum, applied_at FROM schema_migrations ORDER BY version`;
    const result = await migrate(sql);
    assert.deepEqual(result.applied, []);
    const after = await sql`SELECT version, checksum, applied_at FROM schema_migrations ORDER BY version`;
    assert.deepEqual(after, before);
  });

  it("serialises concurrent runs with the advisory lock (each migration applied exactly once)", async () => {
    const fresh = await createDatabase("migrate_concurrent");
    const a = postgres(fresh.url, { max: 2, onnotice: () => undefined });
    const b = postgres(fresh.url, { max: 2, onnotice: () => undefined });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const total = ra.applied.length + rb.applied.length;
      assert.equal(total, loadMigrations().length);
      assert.ok(ra.applied.length === 0 || rb.applied.length === 0, "one runner did all the work");
      const rows = await a`SELECT count(*)::int AS n FROM schema_migrations`;
      assert.equal(rows[0].n, loadMigrations().length);
    } finally {
      await a.end();
      await b.end();
      await fresh.drop();
    }
  });

  it("refuses to run when an applied migration file was edited", async () => {
    const edited = loadMigrations().map((m) => (m.version === 2 ? { ...m, checksum: "0".repeat(64) } : m));
    await assert.rejects(
      migrate(sql, { migrations: edited }),
      /002_businesses\.sql changed after it was applied/,
    );
  });

  it("rolls back a failing migration and reports which file failed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-mig-"));
    try {
      for (const m of loadMigrations())
        fs.writeFileSync(path.join(dir, `${String(m.version).padStart(3, "0")}_${m.name}.sql`), m.sql);
      fs.writeFileSync(
        path.join(dir, "900_broken.sql"),
        "CREATE TABLE half_done (id int);\nSELECT no_such_function();",
      );
      await assert.rejects(
        migrate(sql, { migrations: loadMigrations(dir) }),
        /900_broken\.sql failed: .*no_such_function/,
      );
      const [t] = await sql`SELECT to_regclass('public.half_done') AS t`;
      assert.equal(t.t, null, "the failed migration's table was rolled back");
      assert.equal(await schemaVersion(sql), latestVersion());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects badly named migration files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-mig-"));
    try {
      fs.writeFileSync(path.join(dir, "1-init.sql"), "SELECT 1");
      assert.throws(() => loadMigrations(dir), /1-init\.sql: name must look like 001_description\.sql/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
