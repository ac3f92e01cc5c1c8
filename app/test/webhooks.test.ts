import { strict as assert } from "node:assert";
import { createHmac, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { createApp, type BuiltApp } from "../src/app";
import { ConfigError, loadConfig } from "../src/env";
import { createLogger } from "../src/logger";
import { createFixture, type Fixture } from "./fixture";
import { testEnv } from "./harness";
import { startRedis, type RedisServer } from "./redis";
import { redisApp, type RedisApp } from "./redis-fixture";

const APP_SECRET = "whatsapp-app-secret-0123456789abcdef";
const VERIFY_TOKEN = "whatsapp-verify-token-0123456789";
const TG_SECRET = "telegram_secret-0123456789ABCDEF";

const sign = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A WhatsApp Cloud API notification with the given message ids (shape as Meta sends it, extra fields included). */
function notification(messageIds: string[], statuses: { id: string; status: string }[] = []): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
              contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: "16505551234" }],
              messages: messageIds.map((id) => ({
                from: "16505551234",
                id,
                timestamp: "1749416383",
                type: "text",
                text: { body: "Hola, ¿tienen mesa para 4?" },
              })),
              statuses,
            },
          },
        ],
      },
    ],
  });
}

describe("webhooks: WhatsApp and Telegram (real PostgreSQL + Redis)", function () {
  this.timeout(60_000);
  let f: Fixture;
  const secrets = {
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
  };

  before(async () => {
    f = await createFixture("webhooks", secrets);
  });
  after(async () => f?.close());

  const postWa = async (
    app: { request(path: string, init?: RequestInit): Response | Promise<Response> },
    body: string,
    signature: string | null = sign(body),
  ) =>
    await app.request("/api/webhooks/whatsapp", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature === null ? {} : { "x-hub-signature-256": signature }),
      },
      body,
    });
  const receipts = async (id: string) =>
    (await f.sql`SELECT kind FROM webhook_messages WHERE message_id = ${id}`).map((r) => r.kind as string);

  it("webhook secrets are secret configuration: a bad value is reported without echoing it", () => {
    const leaked = "short-secret";
    try {
      loadConfig(
        testEnv(f.url, {
          WHATSAPP_APP_SECRET: leaked,
          WHATSAPP_VERIFY_TOKEN: `${leaked}1`,
          TELEGRAM_WEBHOOK_SECRET: `${leaked}!`,
        }),
      );
      assert.fail("loadConfig accepted short secrets");
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      for (const key of ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]) {
        assert.match(err.message, new RegExp(`${key}: .*\\(value hidden\\)`));
      }
      assert.ok(!err.message.includes(leaked), err.message);
    }
  });

  describe("GET /api/webhooks/whatsapp (verification handshake)", () => {
    const verify = (qs: Record<string, string>) =>
      f.request(`/api/webhooks/whatsapp?${new URLSearchParams(qs).toString()}`);

    it("echoes hub.challenge as text/plain for the right token", async () => {
      const res = await verify({
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
      assert.equal(await res.text(), "1158201444");
    });

    it("403 for a wrong token; 400 naming the parameter when one is missing or invalid", async () => {
      const wrong = await verify({
        "hub.mode": "subscribe",
        "hub.verify_token": "nope",
        "hub.challenge": "1",
      });
      assert.equal(wrong.status, 403);
      assert.ok(!(await wrong.text()).includes(VERIFY_TOKEN));
      const cases: [Record<string, string>, string][] = [
        [{ "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1" }, "query.hub.mode"],
        [
          { "hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1" },
          "query.hub.mode",
        ],
        [{ "hub.mode": "subscribe", "hub.challenge": "1" }, "query.hub.verify_token"],
        [
          { "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "<script>" },
          "query.hub.challenge",
        ],
      ];
      for (const [qs, field] of cases) {
        const res = await verify(qs);
        assert.equal(res.status, 400, JSON.stringify(qs));
        const p = (await res.json()) as { errors: { field: string }[] };
        assert.ok(
          p.errors.some((e) => e.field === field),
          `${JSON.stringify(qs)}: ${JSON.stringify(p.errors)}`,
        );
      }
    });
  });

  describe("POST /api/webhooks/whatsapp without Redis (PostgreSQL guard alone)", () => {
    it("accepts a correctly signed notification once; a replay is acknowledged as a duplicate", async () => {
      const id = `wamid.${randomUUID()}`;
      const body = notification([id], [{ id, status: "delivered" }]);
      const first = await postWa(f, body);
      assert.equal(first.status, 200);
      assert.deepEqual(await first.json(), { received: 2, duplicates: 0 });
      assert.deepEqual(await receipts(id), ["message.text"]);
      assert.deepEqual(await receipts(`${id}:delivered`), ["status.delivered"]);
      const replay = await postWa(f, body);
      assert.equal(replay.status, 200);
      assert.deepEqual(await replay.json(), { received: 0, duplicates: 2 });
      const logged = JSON.stringify(f.logs);
      assert.ok(!logged.includes("Hola"), "message contents never reach the log");
    });

    it("401 for a missing, malformed or wrong signature, or a body changed after signing; nothing stored", async () => {
      const id = `wamid.${randomUUID()}`;
      const body = notification([id]);
      const cases: (string | null)[] = [
        null,
        "sha1=abc",
        `sha256=${"0".repeat(64)}`,
        sign(body, "another-secret-0123456789abcdef"),
        sign(body.replace("Hola", "Hol4")),
      ];
      for (const signature of cases) {
        const res = await postWa(f, body, signature);
        assert.equal(res.status, 401, String(signature));
        assert.equal(res.headers.get("content-type"), "application/problem+json");
      }
      assert.deepEqual(await receipts(id), []);
    });

    it("400 for a correctly signed body that is not a notification; 413 above the body limit; 415 for non-JSON", async () => {
      const bad = JSON.stringify({ object: "whatsapp_business_account", entry: "nope" });
      const res = await postWa(f, bad);
      assert.equal(res.status, 400);
      assert.ok(
        ((await res.json()) as { errors: { field: string }[] }).errors.some((e) => e.field === "body.entry"),
      );
      const nul = await postWa(f, notification(["wamid.\u0000x"]));
      assert.equal(nul.status, 400, "a NUL in a message id is a 400, not a database error");
      const big = notification([`wamid.${randomUUID()}`]).replace(
        "Hola",
        "x".repeat(f.config.BODY_LIMIT_BYTES),
      );
      assert.equal((await postWa(f, big)).status, 413);
      const text = await f.request("/api/webhooks/whatsapp", {
        method: "POST",
        headers: { "content-type": "text/plain", "x-hub-signature-256": sign("x") },
        body: "x",
      });
      assert.equal(text.status, 415);
    });

    it("404 when the secrets are not configured", async () => {
      const bare = createApp({
        config: {
          ...f.config,
          WHATSAPP_APP_SECRET: undefined,
          WHATSAPP_VERIFY_TOKEN: undefined,
          TELEGRAM_WEBHOOK_SECRET: undefined,
        },
        db: f.db,
        logger: createLogger("silent"),
      });
      const body = notification(["wamid.x"]);
      assert.equal((await postWa(bare.app, body)).status, 404);
      assert.equal(
        (
          await bare.app.request(
            "/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=a&hub.challenge=1",
          )
        ).status,
        404,
      );
      const tg = await bare.app.request("/api/webhooks/telegram", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TG_SECRET },
        body: JSON.stringify({ update_id: 1 }),
      });
      assert.equal(tg.status, 404);
    });
  });

  describe("POST /api/webhooks/telegram", () => {
    const postTg = (body: unknown, secret: string | null = TG_SECRET) =>
      f.request("/api/webhooks/telegram", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
        },
        body: JSON.stringify(body),
      });

    it("accepts an update with the right secret token once, then acknowledges replays", async () => {
      const update = {
        update_id: 900_000_001,
        message: { message_id: 5, chat: { id: 1, type: "private" }, text: "hola" },
      };
      const first = await postTg(update);
      assert.equal(first.status, 200);
      assert.deepEqual(await first.json(), { received: 1, duplicates: 0 });
      assert.deepEqual(await receipts("900000001"), ["message"]);
      assert.deepEqual(await (await postTg(update)).json(), { received: 0, duplicates: 1 });
    });

    it("401 for a missing or wrong secret token; 400 for an update without update_id", async () => {
      assert.equal((await postTg({ update_id: 900_000_002 }, null)).status, 401);
      assert.equal((await postTg({ update_id: 900_000_002 }, `${TG_SECRET}x`)).status, 401);
      assert.deepEqual(await receipts("900000002"), []);
      const res = await postTg({ message: {} });
      assert.equal(res.status, 400);
      assert.ok(
        ((await res.json()) as { errors: { field: string }[] }).errors.some(
          (e) => e.field === "body.update_id",
        ),
      );
    });
  });

  describe("idempotency with Redis (SET NX + TTL) and PostgreSQL as the durable guard", () => {
    const flags = { RATE_LIMIT_ENABLED: "false", CACHE_ENABLED: "false" };
    let shared: RedisApp | undefined;
    let client: Redis;
    let built: BuiltApp;
    let prefix: string;

    before(async () => {
      shared = await redisApp(f, "webhooks", flags);
      ({ client, built, prefix } = shared);
    });
    after(async () => shared?.close());

    it("claims the id in Redis with the TTL; a replay is stopped by Redis, and by PostgreSQL when Redis forgot it", async () => {
      const id = `wamid.${randomUUID()}`;
      const body = notification([id]);
      assert.deepEqual(await (await postWa(built.app, body)).json(), { received: 1, duplicates: 0 });
      const key = `${prefix}webhook:whatsapp:${id}`;
      const ttl = await client.ttl(key);
      assert.ok(
        ttl > f.config.WEBHOOK_IDEMPOTENCY_TTL_S - 10 && ttl <= f.config.WEBHOOK_IDEMPOTENCY_TTL_S,
        `ttl ${ttl}`,
      );
      // Redis alone stops the replay: remove the durable row, the replay is still a duplicate and stores nothing.
      await f.sql`DELETE FROM webhook_messages WHERE message_id = ${id}`;
      assert.deepEqual(await (await postWa(built.app, body)).json(), { received: 0, duplicates: 1 });
      assert.deepEqual(await receipts(id), []);
      // PostgreSQL alone stops it: restore the row, drop the Redis key.
      await f.sql`INSERT INTO webhook_messages (provider, message_id, kind) VALUES ('whatsapp', ${id}, 'message.text')`;
      await client.del(key);
      assert.deepEqual(await (await postWa(built.app, body)).json(), { received: 0, duplicates: 1 });
    });

    it("keeps working on PostgreSQL alone while its Redis is down", async () => {
      let server: RedisServer | undefined;
      let own: RedisApp | undefined;
      try {
        server = await startRedis();
        own = await redisApp(f, "webhooks-down", {
          ...flags,
          REDIS_URL: server.url,
          REDIS_KEY_PREFIX: prefix,
        });
        const app = own.built;
        await server.stop();
        const id = `wamid.${randomUUID()}`;
        const body = notification([id]);
        const started = Date.now();
        assert.deepEqual(await (await postWa(app.app, body)).json(), { received: 1, duplicates: 0 });
        assert.deepEqual(await (await postWa(app.app, body)).json(), { received: 0, duplicates: 1 });
        assert.ok(Date.now() - started < 5000, "Redis down must not stall webhooks");
        assert.deepEqual(await receipts(id), ["message.text"]);
      } finally {
        await own?.close();
        await server?.dispose();
      }
    });
  });
});
