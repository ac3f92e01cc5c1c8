/**
 * The inbound webhooks' secrets (`meridian:webhooks`; the API side is docs/app-growth.md), as values each
 * stack stores in its secret store and injects by reference:
 * - `WHATSAPP_VERIFY_TOKEN`, `TELEGRAM_WEBHOOK_SECRET`: chosen by us, generated here (48 letters and digits,
 *   within Telegram's `secret_token` alphabet), read from the secret store when registering the webhook
 *   with Meta / Telegram (`setWebhook ... secret_token=<value>`);
 * - `WHATSAPP_APP_SECRET`: issued by Meta, from the Pulumi secret `meridian:whatsappAppSecret`.
 * Nothing is created for a webhook the stack does not serve (the API answers 404 there).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { MeridianConfig } from "./config";

export interface WebhookSecret {
  /** The environment variable the API reads. */
  env: "WHATSAPP_APP_SECRET" | "WHATSAPP_VERIFY_TOKEN" | "TELEGRAM_WEBHOOK_SECRET";
  /** The last part of the secret's physical name (`<app>-<stack>-<name>`). */
  name: string;
  description: string;
  value: pulumi.Output<string>;
}

export function webhookSecrets(config: MeridianConfig, base: string): WebhookSecret[] {
  const generated = (name: string) =>
    new random.RandomPassword(`${base}-${name}`, { length: 48, special: false }).result;
  const out: WebhookSecret[] = [];
  if (config.webhooks.whatsapp) {
    out.push(
      {
        env: "WHATSAPP_APP_SECRET",
        name: "whatsapp-app-secret",
        description: "Meta app secret that signs WhatsApp webhook deliveries (WHATSAPP_APP_SECRET)",
        value: pulumi.secret(config.webhooks.whatsappAppSecret ?? ""),
      },
      {
        env: "WHATSAPP_VERIFY_TOKEN",
        name: "whatsapp-verify-token",
        description: "Verify token of the WhatsApp webhook handshake (WHATSAPP_VERIFY_TOKEN)",
        value: generated("whatsapp-verify-token"),
      },
    );
  }
  if (config.webhooks.telegram) {
    out.push({
      env: "TELEGRAM_WEBHOOK_SECRET",
      name: "telegram-webhook-secret",
      description: "Secret token Telegram sends with each webhook delivery (TELEGRAM_WEBHOOK_SECRET)",
      value: generated("telegram-webhook-secret"),
    });
  }
  return out;
}
