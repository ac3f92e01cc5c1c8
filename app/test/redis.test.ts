/** The Redis test harness itself: a real server, stopped and restarted on the same port, nothing left. */
import { strict as assert } from "node:assert";
import { Redis } from "ioredis";
import { startRedis } from "./redis";

describe("test harness: Redis", () => {
  it("starts a private redis-server, restarts it on the same port, and disposes of it", async () => {
    const server = await startRedis();
    const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    // The server is stopped on purpose below: its reconnect errors are expected, not unhandled.
    client.on("error", () => undefined);
    try {
      await client.connect();
      assert.equal(await client.ping(), "PONG");
      await client.set("k", "v");
      await server.stop();
      await assert.rejects(client.get("k"));
      await server.restart();
      await client.quit().catch(() => undefined);
      const again = new Redis(server.url, { maxRetriesPerRequest: 1 });
      assert.equal(await again.get("k"), null, "nothing persisted across the restart");
      await again.quit();
    } finally {
      client.disconnect();
      await server.dispose();
    }
  });
});
