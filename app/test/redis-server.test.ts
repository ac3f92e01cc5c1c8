/**
 * The server entrypoint with REDIS_URL (in-process `startServer`, real sockets, real Redis and PostgreSQL): the
 * client is created and connected at start, the TCP peer is the rate-limit identity under the default trust
 * model, responses are cached, and shutdown closes the Redis connection.
 */
import { strict as assert } from "node:assert";
import { loadConfig } from "../src/env";
import { createLogger } from "../src/logger";
import { createSql } from "../src/db";
import { migrate } from "../src/migrate";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { startServer, type RunningServer } from "../src/server";
import { createDatabase, testEnv } from "./harness";
import { keyPrefix, sharedRedisUrl } from "./redis";

describe("server with REDIS_URL (real sockets)", function () {
  this.timeout(60_000);
  let database: { url: string; drop: () => Promise<void> };
  let running: RunningServer | undefined;

  before(async () => {
    database = await createDatabase("redis_server");
    const config = loadConfig(
      testEnv(database.url, {
        HOST: "127.0.0.1",
        PORT: "8080",
        REDIS_URL: await sharedRedisUrl(),
        REDIS_KEY_PREFIX: keyPrefix("redis-server"),
        RATE_LIMIT_DEFAULT: "4/60s",
      }),
    );
    const sql = createSql(config);
    try {
      await migrate(sql);
      await insertBusinesses(sql, generateBusinesses(10, 3));
    } finally {
      await sql.end({ timeout: 5 });
    }
    running = await startServer({ ...config, PORT: 0 }, createLogger("silent"));
  });
  after(async () => {
    await running?.shutdown("test end");
    await database?.drop();
  });

  it("is connected at start, caches, and limits by the TCP peer address (forwarding headers ignored)", async () => {
    const r = running!;
    assert.equal(r.built.redis?.client.status, "ready", "the server waited for Redis before listening");
    const base = `http://127.0.0.1:${r.port}`;
    const ready = (await (await fetch(`${base}/health/ready`)).json()) as { status: string };
    assert.equal(ready.status, "ready");
    const states: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${base}/api/businesses?limit=3`, {
        headers: { "x-forwarded-for": `9.9.9.${i}` },
      });
      assert.equal(res.status, 200);
      states.push(res.headers.get("x-cache"));
      await res.arrayBuffer();
    }
    assert.deepEqual(states, ["MISS", "HIT", "HIT", "HIT"]);
    const limited = await fetch(`${base}/api/businesses?limit=3`, {
      headers: { "x-forwarded-for": "9.9.9.200" },
    });
    assert.equal(limited.status, 429, "one identity (127.0.0.1) whatever X-Forwarded-For says");
    await limited.arrayBuffer();
  });

  it("closes the Redis connection on shutdown", async () => {
    const client = running!.built.redis!.client;
    assert.equal(await running!.shutdown("test"), true);
    assert.equal(client.status, "end");
    running = undefined;
  });
});
