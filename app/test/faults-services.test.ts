/**
 * Local development: `npm run services` (scripts/services.ts) as a real process. It must start PostgreSQL +
 * PostGIS (and Redis), create, migrate and seed the `meridian` database, refresh the category counts (so
 * `/api/categories` is not empty), print the environment, and on Ctrl-C (SIGINT) stop everything, remove its
 * directories (TLS keys included) and exit 0.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import postgres from "postgres";
import { createApp } from "../src/app";
import { createSql, Db } from "../src/db";
import { loadConfig } from "../src/env";
import { createLogger } from "../src/logger";
import { missingPostgres } from "./harness";

const APP = path.resolve(__dirname, "..");

describe("local development services (npm run services)", function () {
  this.timeout(120_000);

  before(function () {
    if (missingPostgres()) this.skip();
  });

  it("starts, prepares a working database, prints the env, and cleans up on SIGINT", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/services.ts", "--count", "300", "--no-s3"],
      { cwd: APP, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const until = Date.now() + 90_000;
      while (!/services running/.test(stderr) && Date.now() < until && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.match(stderr, /services running/, stderr);
      const env = Object.fromEntries(
        [...stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
      );
      assert.match(env.DATABASE_URL, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/meridian\?sslmode=disable$/);
      const envFile = /--env-file=(\S+)/.exec(stderr)?.[1];
      assert.ok(envFile && fs.existsSync(envFile), "the env file exists");
      const dir = path.dirname(envFile);

      // The printed environment gives a working API, /api/categories included.
      const config = loadConfig({ ...env, NODE_ENV: "test", LOG_LEVEL: "silent", REDIS_URL: "" });
      const sql = createSql(config);
      try {
        const { app } = createApp({
          config,
          db: new Db(sql, config.poolMax),
          logger: createLogger("silent"),
        });
        const categories = (await (await app.request("/api/categories")).json()) as {
          items: { businesses: number }[];
        };
        assert.ok(categories.items.length > 0, "category counts were refreshed");
        const total = categories.items.reduce((n, i) => n + i.businesses, 0);
        assert.equal(total, 300);
        assert.equal((await app.request("/health/ready")).status, 200);
      } finally {
        await sql.end();
      }
      if (env.REDIS_URL) assert.match(env.REDIS_URL, /^redis:\/\/127\.0\.0\.1:\d+$/);

      child.kill("SIGINT");
      assert.equal(await exited, 0, stderr);
      assert.ok(!fs.existsSync(dir), `${dir} (data, TLS keys) removed`);
      const probe = postgres(env.DATABASE_URL, { max: 1, connect_timeout: 2, onnotice: () => undefined });
      await assert.rejects(probe`SELECT 1`, /ECONNREFUSED|connect/);
      await probe.end();
    } finally {
      // On a failure: the script's own Ctrl-C path first (it stops Redis and PostgreSQL), then the hard way.
      if (child.exitCode === null) {
        child.kill("SIGINT");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        const dir = /--env-file=(\S+)\/app\.env/.exec(stderr)?.[1];
        const pidFile = dir && path.join(dir, "data", "postmaster.pid");
        if (pidFile && fs.existsSync(pidFile)) {
          process.kill(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]), "SIGQUIT");
        }
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
