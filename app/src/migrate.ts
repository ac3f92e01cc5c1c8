/**
 * Numbered SQL migrations (`app/migrations/NNN_name.sql`), applied in order, one transaction each, under a
 * session-level advisory lock so two tasks (two rollouts, or a rollout and a developer) never migrate at once:
 * the second waits, then finds nothing left to do. Applied files are checksummed; editing an applied
 * migration is an error (write a new one instead).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Sql } from "./db";

/** Both `src/` and `dist/` sit next to `migrations/`. */
export const MIGRATIONS_DIR = path.resolve(__dirname, "..", "migrations");

/** pg_advisory_lock key: a fixed 64-bit number ("meridian" in ASCII, truncated to fit a signed bigint). */
export const MIGRATION_LOCK_KEY = "7306916081990541422";

export interface Migration {
  version: number;
  /** The file name, e.g. 002_businesses.sql. */
  file: string;
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".sql"));
  const migrations = files.map((file) => {
    const m = /^(\d{3,})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new Error(`migration file ${file}: name must look like 001_description.sql`);
    const sql = fs.readFileSync(path.join(dir, file), "utf8");
    return {
      version: Number(m[1]),
      file,
      name: m[2],
      sql,
      checksum: createHash("sha256").update(sql).digest("hex"),
    };
  });
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1].version === m.version)
      throw new Error(`duplicate migration version ${m.version}`);
  });
  return migrations;
}

export function latestVersion(migrations = loadMigrations()): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
}

export interface MigrateResult {
  applied: { version: number; name: string; ms: number }[];
  current: number;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export async function migrate(
  sql: Sql,
  opts: { migrations?: Migration[]; log?: (msg: string) => void } = {},
): Promise<MigrateResult> {
  const migrations = opts.migrations ?? loadMigrations();
  const log = opts.log ?? (() => undefined);
  const conn = await sql.reserve();
  try {
    await conn.unsafe(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await conn.unsafe(CREATE_TABLE);
      const rows = await conn.unsafe<{ version: number; name: string; checksum: string }[]>(
        "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
      );
      const done = new Map(rows.map((r) => [r.version, r]));
      for (const [version, row] of done) {
        const file = migrations.find((m) => m.version === version);
        if (!file)
          throw new Error(`database has migration ${version} (${row.name}) that is not in this build`);
        if (file.checksum !== row.checksum) {
          throw new Error(
            `migration ${file.file} changed after it was applied (checksum mismatch); add a new migration instead`,
          );
        }
      }
      const applied: MigrateResult["applied"] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        const started = Date.now();
        await conn.unsafe("BEGIN");
        try {
          await conn.unsafe(m.sql);
          await conn.unsafe("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [
            m.version,
            m.name,
            m.checksum,
          ]);
          await conn.unsafe("COMMIT");
        } catch (err) {
          await conn.unsafe("ROLLBACK").catch(() => undefined);
          throw new Error(`migration ${m.file} failed: ${(err as Error).message}`);
        }
        applied.push({ version: m.version, name: m.name, ms: Date.now() - started });
        log(`applied ${m.file} in ${Date.now() - started} ms`);
      }
      return { applied, current: latestVersion(migrations) };
    } finally {
      await conn.unsafe(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => undefined);
    }
  } finally {
    conn.release();
  }
}

/** The highest applied version, or 0 when the schema_migrations table does not exist yet. */
export async function schemaVersion(sql: Sql): Promise<number> {
  const [row] = await sql<{ v: number | null }[]>`
    SELECT CASE WHEN to_regclass('public.schema_migrations') IS NULL THEN 0 END AS v`;
  if (row.v === 0) return 0;
  const [r] = await sql<{ v: number | null }[]>`SELECT max(version) AS v FROM schema_migrations`;
  return r.v ?? 0;
}
