/**
 * Inbound webhooks (public, authenticated by the provider's signature; rate limited by the `webhook` policy):
 *
 * - `GET /api/webhooks/whatsapp`: Meta's verification handshake. `hub.mode=subscribe` and a
 *   `hub.verify_token` equal to WHATSAPP_VERIFY_TOKEN (constant-time) answer 200 with `hub.challenge` as
 *   text/plain; a wrong token 403.
 * - `POST /api/webhooks/whatsapp`: `X-Hub-Signature-256: sha256=<hex>` must be the HMAC-SHA256 of the raw
 *   request body with WHATSAPP_APP_SECRET (checked with crypto.timingSafeEqual before the body is parsed);
 *   otherwise 401 and nothing is read further.
 * - `POST /api/webhooks/telegram`: `X-Telegram-Bot-Api-Secret-Token` must equal TELEGRAM_WEBHOOK_SECRET
 *   (constant-time); otherwise 401.
 *
 * A route whose secret is not configured answers 404. Accepted deliveries are de-duplicated by message id
 * (growth/webhook-receipts.ts: Redis SET NX + the PostgreSQL primary key) and answered 200 at once with
 * `{ received, duplicates }`; the only processing is recording the receipt (id and kind, never the content),
 * so the answer stays within the providers' timeouts. A replay also gets 200 (so the provider stops retrying).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { constantTimeEqual } from "../auth";
import type { Db } from "../db";
import type { Config } from "../env";
import { json, problems } from "./openapi";
import { WebhookReceipts, type WebhookItem } from "../growth/webhook-receipts";
import type { Logger } from "../logger";
import type { RedisGateway } from "../redis";
import { ProblemError, problemResponse } from "../problem";
import { text } from "../schemas";
import type { AppEnv } from "../types";

const WhatsappVerifyQuery = z.object({
  "hub.mode": z.literal("subscribe", { error: 'must be "subscribe"' }),
  "hub.verify_token": text().min(1, "is required").max(256, "must be at most 256 characters"),
  "hub.challenge": z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 characters of A-Z, a-z, 0-9, _ and -"),
});

/** The parts of a WhatsApp Cloud API notification the API reads; everything else is accepted and ignored. */
const WhatsappNotification = z
  .looseObject({
    object: text().max(64),
    entry: z
      .array(
        z.looseObject({
          changes: z
            .array(
              z.looseObject({
                field: text().max(64).optional(),
                value: z
                  .looseObject({
                    messages: z
                      .array(
                        z.looseObject({
                          id: text().min(1).max(256),
                          type: text().max(32).optional(),
                        }),
                      )
                      .max(1000)
                      .optional(),
                    statuses: z
                      .array(
                        z.looseObject({
                          id: text().min(1).max(200),
                          status: text().max(32).optional(),
                        }),
                      )
                      .max(1000)
                      .optional(),
                  })
                  .optional(),
              }),
            )
            .max(100),
        }),
      )
      .max(100),
  })
  .openapi("WhatsappNotification");

/** A Telegram Update: `update_id` plus one optional field naming what happened (message, callback_query...). */
const TelegramUpdate = z
  .looseObject({ update_id: z.number().int().min(0, "must be a non-negative integer") })
  .openapi("TelegramUpdate");

const WebhookAck = z
  .object({ received: z.number().int(), duplicates: z.number().int() })
  .openapi("WebhookAck");

const notConfigured = (name: string) => `this webhook is not configured (${name} is not set)`;

export function registerWebhookRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: { config: Config; db: Db; logger: Logger; redis?: RedisGateway },
): { receipts: WebhookReceipts } {
  const { config } = deps;
  const receipts = new WebhookReceipts(deps.db, deps.logger, {
    redis: deps.redis,
    ttlSeconds: config.WEBHOOK_IDEMPOTENCY_TTL_S,
  });

  // Signatures are checked on the raw bytes before any parsing (Hono caches the body for the validator).
  app.use("/api/webhooks/whatsapp", async (c, next) => {
    if (c.req.method !== "POST") return next();
    const secret = config.WHATSAPP_APP_SECRET;
    if (!secret) return problemResponse(c, 404, notConfigured("WHATSAPP_APP_SECRET"));
    const m = /^sha256=([0-9a-fA-F]{64})$/.exec(c.req.header("x-hub-signature-256") ?? "");
    if (!m) {
      return problemResponse(
        c,
        401,
        "X-Hub-Signature-256 must be sha256=<64 hex digits> (HMAC-SHA256 of the body)",
        {
          errors: [{ field: "header.x-hub-signature-256", message: "must be sha256=<64 hex digits>" }],
        },
      );
    }
    const raw = Buffer.from(await c.req.arrayBuffer());
    const expected = createHmac("sha256", secret).update(raw).digest();
    if (!timingSafeEqual(expected, Buffer.from(m[1], "hex"))) {
      return problemResponse(c, 401, "X-Hub-Signature-256 does not match the body");
    }
    await next();
    return undefined;
  });
  app.use("/api/webhooks/telegram", async (c, next) => {
    if (c.req.method !== "POST") return next();
    const secret = config.TELEGRAM_WEBHOOK_SECRET;
    if (!secret) return problemResponse(c, 404, notConfigured("TELEGRAM_WEBHOOK_SECRET"));
    const given = c.req.header("x-telegram-bot-api-secret-token");
    if (!given || !constantTimeEqual(given, secret)) {
      return problemResponse(c, 401, "X-Telegram-Bot-Api-Secret-Token is missing or wrong");
    }
    await next();
    return undefined;
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/webhooks/whatsapp",
      summary: "WhatsApp webhook verification handshake (answers hub.challenge)",
      request: { query: WhatsappVerifyQuery },
      responses: {
        200: { description: "The challenge, echoed", content: { "text/plain": { schema: z.string() } } },
        ...problems(400, 403, 404),
      },
    }),
    async (c) => {
      const token = config.WHATSAPP_VERIFY_TOKEN;
      if (!token) throw new ProblemError(404, notConfigured("WHATSAPP_VERIFY_TOKEN"));
      const q = c.req.valid("query");
      if (!constantTimeEqual(q["hub.verify_token"], token)) {
        throw new ProblemError(403, "hub.verify_token does not match");
      }
      c.header("Cache-Control", "no-store");
      return c.text(q["hub.challenge"], 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/webhooks/whatsapp",
      summary: "WhatsApp Cloud API notifications (X-Hub-Signature-256; idempotent by message id)",
      request: {
        headers: z.object({
          "x-hub-signature-256": z.string().openapi({ example: "sha256=<hex HMAC-SHA256 of the raw body>" }),
        }),
        body: { required: true, content: { "application/json": { schema: WhatsappNotification } } },
      },
      responses: { 200: json(WebhookAck, "Received"), ...problems(400, 401, 404, 413, 415) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const items: WebhookItem[] = [];
      for (const entry of body.entry) {
        for (const change of entry.changes) {
          for (const m of change.value?.messages ?? [])
            items.push({ id: m.id, kind: `message.${m.type ?? "unknown"}` });
          for (const s of change.value?.statuses ?? []) {
            // One message goes through sent -> delivered -> read: each status is its own delivery.
            const status = s.status ?? "unknown";
            items.push({ id: `${s.id}:${status}`, kind: `status.${status}` });
          }
        }
      }
      const { fresh, duplicates } = await receipts.claim("whatsapp", items);
      c.get("log").info({ provider: "whatsapp", received: fresh.length, duplicates }, "webhook");
      return c.json({ received: fresh.length, duplicates }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/webhooks/telegram",
      summary: "Telegram Bot API updates (X-Telegram-Bot-Api-Secret-Token; idempotent by update_id)",
      request: {
        headers: z.object({ "x-telegram-bot-api-secret-token": z.string() }),
        body: { required: true, content: { "application/json": { schema: TelegramUpdate } } },
      },
      responses: { 200: json(WebhookAck, "Received"), ...problems(400, 401, 404, 413, 415) },
    }),
    async (c) => {
      const update = c.req.valid("json");
      const kind =
        Object.keys(update).find((k) => k !== "update_id" && /^[a-z_]{1,64}$/.test(k)) ?? "unknown";
      const { fresh, duplicates } = await receipts.claim("telegram", [
        { id: String(update.update_id), kind },
      ]);
      c.get("log").info({ provider: "telegram", received: fresh.length, duplicates }, "webhook");
      return c.json({ received: fresh.length, duplicates }, 200);
    },
  );

  return { receipts };
}
