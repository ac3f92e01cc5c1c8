/**
 * An in-process app on a fresh, migrated database: `fixture.request(path, init)` goes through the whole Hono
 * stack (middleware included) without a socket. Suites that need a real listener spawn processes instead.
 */
import { Writable } from "node:stream";
import type { Redis } from "ioredis";
import { createApp, type BuiltApp } from "../src/app";
import { createSql, Db, type Sql } from "../src/db";
import { loadConfig, type Config } from "../src/env";
import { createLogger } from "../src/logger";
import { migrate } from "../src/migrate";
import type { ObjectStorage } from "../src/storage/types";
import { createDatabase, testEnv } from "./harness";

export interface Fixture {
  url: string;
  config: Config;
  sql: Sql;
  db: Db;
  built: BuiltApp;
  logs: Record<string, unknown>[];
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Optional injected dependencies (#11): a Redis client, the app clock, and object storage for images (the
 * caller closes the client and destroys the storage).
 */
export interface FixtureDeps {
  redis?: Redis;
  now?: () => number;
  storage?: ObjectStorage;
}

export async function createFixture(
  label: string,
  env: Record<string, string> = {},
  extra: FixtureDeps = {},
): Promise<Fixture> {
  const database = await createDatabase(label);
  const config = loadConfig(testEnv(database.url, { LOG_LEVEL: "info", ...env }));
  const sql = createSql(config);
  await migrate(sql);
  const db = new Db(sql, config.poolMax);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      cb();
    },
  });
  const logger = createLogger(config.LOG_LEVEL, sink);
  const built = createApp({ config, db, logger, ...extra });
  return {
    url: database.url,
    config,
    sql,
    db,
    built,
    logs,
    request: (path, init) => Promise.resolve(built.app.request(path, init)),
    close: async () => {
      await built.idle();
      built.cache?.close();
      await sql.end({ timeout: 5 });
      await database.drop();
    },
  };
}
