-- Webhook receipts (WhatsApp Cloud API, Telegram Bot API): the durable idempotency guard. A provider retries a
-- delivery it thinks failed; the (provider, message_id) key makes a replay a no-op even when Redis (the fast
-- guard) forgot it or is down. Only metadata is kept, never message text. Purged with the growth events
-- (`job purge-growth-events`, EVENTS_RETENTION_DAYS).
CREATE TABLE webhook_messages (
  provider     text NOT NULL CHECK (provider IN ('whatsapp', 'telegram')),
  message_id   text NOT NULL CHECK (char_length(message_id) BETWEEN 1 AND 256),
  kind         text NOT NULL CHECK (char_length(kind) BETWEEN 1 AND 64),
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, message_id)
);
CREATE INDEX webhook_messages_received_brin ON webhook_messages USING brin (received_at);
