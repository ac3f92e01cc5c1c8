/**
 * A local API to load when no target URL is given: a fresh database on a private PostgreSQL 15 + PostGIS
 * (or DATABASE_URL's server, as the tests do: test/harness.ts), `count` generated businesses, a private Redis
 * (test/redis.ts), and `src/server.ts` in its own process on 127.0.0.1 with the Redis cache on and rate
 * limiting off (one client address at hundreds of req/s would otherwise measure 429s). `close()` stops the
 * API, Redis and the database; the harness also stops its services on process exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import postgres from "postgres";
import { migrate } from "../src/migrate";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { createDatabase, freePort, stopServices, testEnv } from "../test/harness";
import { startRedis, type RedisServer } from "../test/redis";

const APP = path.resolve(__dirname, "..");

export interface LocalApi {
  url: string;
  close(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the API exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready within ${ms} ms`);
}

/** Starts the local stack with `count` (>= 1) businesses; see the module comment. */
export async function startLocalApi(count: number): Promise<LocalApi> {
  const db = await createDatabase("load");
  let redis: RedisServer | undefined;
  let child: ChildProcess | undefined;
  const close = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child!.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await redis?.dispose();
    await db.drop().catch(() => undefined);
    stopServices();
  };
  try {
    const sql = postgres(db.url, { max: 2, onnotice: () => undefined });
    try {
      await migrate(sql);
      await insertBusinesses(sql, generateBusinesses(count, 2024));
      await sql`VACUUM ANALYZE businesses`;
    } finally {
      await sql.end();
    }
    redis = await startRedis();
    const port = await freePort();
    child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: APP,
      env: {
        PATH: process.env.PATH ?? "",
        ...testEnv(db.url),
        NODE_ENV: "production",
        CORS_ALLOWED_ORIGINS: "",
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        DATABASE_POOL_MAX: "20",
        RATE_LIMIT_ENABLED: "false",
        REDIS_URL: redis.url,
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const url = `http://127.0.0.1:${port}`;
    await waitReady(`${url}/health/ready`, child, 60_000);
    return { url, close };
  } catch (err) {
    await close();
    throw err;
  }
}
