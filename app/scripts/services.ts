/**
 * Local development services in one command: `npm run services -w app` (from the repository root).
 *
 * Starts, the way the test harness does (test/harness.ts, test/redis.ts, test/s3.ts), on 127.0.0.1 free ports
 * in temp dirs:
 * - PostgreSQL + PostGIS (Debian `postgresql-15-postgis-3`; PG_BIN for another version) with a `meridian`
 *   database, migrated, seeded (`--count N`, default 5000; `--count 0` for none) and with the
 *   `refresh-category-counts` job run, so `/api/categories` is not empty;
 * - Redis (Debian `redis-server`), unless `--no-redis` or it is not installed (then said so);
 * - the S3-compatible server s3rver (npm devDependency) with a `meridian-dev-assets` bucket, unless `--no-s3`.
 * Then prints the environment for the API (`export ...` lines, also written to `<pg dir>/app.env` for
 * `node --env-file`), and keeps running: Ctrl-C (or SIGTERM) stops every server and removes its directory,
 * TLS keys included. Exit 1 with one message naming the missing package when PostgreSQL is not installed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import postgres from "postgres";
import { Db } from "../src/db";
import { runJob } from "../src/jobs";
import { migrate } from "../src/migrate";
import { seed } from "../src/seed";
import {
  JWT_AUDIENCE,
  JWT_ISSUER,
  missingPostgres,
  startPrivateCluster,
  stopServices,
} from "../test/harness";
import { startRedis, stopRedisServers } from "../test/redis";
import { S3_TEST_CREDENTIALS, startS3, stopS3Servers } from "../test/s3";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i !== -1 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function stopAll(): Promise<void> {
  await stopS3Servers().catch(() => undefined);
  await stopRedisServers().catch(() => undefined);
  stopServices();
}

async function main(): Promise<void> {
  const count = Number(option("--count", "5000"));
  if (!Number.isInteger(count) || count < 0) throw new Error("--count must be a whole number >= 0");
  const missing = missingPostgres();
  if (missing) throw new Error(missing);
  // Handlers first: an interrupted start still stops what it started.
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.error("\nstopping services...");
    void stopAll().then(() => process.exit(0));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const pg = await startPrivateCluster();
  const admin = postgres(pg.baseUrl.toString(), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE meridian`);
  await admin.end();
  const url = new URL(pg.baseUrl.toString());
  url.pathname = "/meridian";
  const env: Record<string, string> = {
    NODE_ENV: "development",
    DATABASE_URL: url.toString(),
    CORS_ALLOWED_ORIGINS: "http://localhost:5173",
    JWT_ISSUER,
    JWT_AUDIENCE,
  };

  const sql = postgres(url.toString(), { max: 2, onnotice: () => undefined });
  try {
    const migrated = await migrate(sql);
    console.error(`migrated: ${migrated.applied.length} migration(s) applied`);
    if (count > 0) {
      console.error(`seeded: ${await seed(sql, count, { reset: false })} businesses`);
      const job = await runJob("refresh-category-counts", new Db(sql, 2));
      console.error(`job refresh-category-counts: ${JSON.stringify(job)}`);
    }
  } finally {
    await sql.end();
  }

  if (!process.argv.includes("--no-redis")) {
    try {
      env.REDIS_URL = (await startRedis()).url;
    } catch (err) {
      console.error(`Redis not started (${(err as Error).message}); the API runs without it`);
    }
  }
  if (!process.argv.includes("--no-s3")) {
    try {
      const s3 = await startS3("meridian-dev-assets");
      Object.assign(env, {
        STORAGE_BACKEND: "s3",
        STORAGE_BUCKET: s3.bucket,
        STORAGE_ENDPOINT: s3.endpoint,
        STORAGE_FORCE_PATH_STYLE: "true",
        STORAGE_REGION: "us-east-1",
        // s3rver's fixed local credentials (not a secret).
        AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
      });
    } catch (err) {
      console.error(`S3 server not started (${(err as Error).message}); image uploads are off`);
    }
  }

  const envFile = path.join(path.dirname(pg.tlsCaFile), "app.env");
  fs.writeFileSync(
    envFile,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
    { mode: 0o600 },
  );
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}='${v}'`)
    .join("\n");
  console.log(`${exports}\n`);
  console.error(
    [
      `services running (Ctrl-C stops them and removes their data). In another terminal, from app/:`,
      `  node --env-file=${envFile} dist/server.js      # after npm run build; or paste the exports above`,
      `  curl localhost:8080/api/categories`,
    ].join("\n"),
  );
}

main().catch(async (err: Error) => {
  console.error(`services: ${err.message}`);
  await stopAll();
  process.exit(1);
});
