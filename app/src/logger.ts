/**
 * Structured JSON logs (pino) on stdout. Every line logged while a span is active carries `trace_id` and
 * `span_id`; request lines also carry `request_id`. Credentials are redacted by path, and the app never logs
 * request bodies, query strings of admin calls or configuration values.
 */
import { isSpanContextValid, trace } from "@opentelemetry/api";
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: process.env.OTEL_SERVICE_NAME ?? "meridian-api" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'req.headers["x-api-key"]',
          "headers.authorization",
          'headers["x-api-key"]',
          "config.DATABASE_URL",
          "config.ADMIN_API_KEY",
          "config.JWT_SECRET",
        ],
        censor: "[redacted]",
      },
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const ctx = span.spanContext();
        return isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
      },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
