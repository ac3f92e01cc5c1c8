/**
 * OpenTelemetry bootstrap (@opentelemetry/sdk-node). Started before the app is built.
 *
 * - W3C trace context (`traceparent`/`tracestate`) and baggage propagation, AsyncLocalStorage context.
 * - Spans: one SERVER span per HTTP request (created by the app's middleware and named after the route
 *   template, see app.ts) and one CLIENT span per SQL statement (db.ts).
 * - Export: OTLP over HTTP when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set
 *   (batching tuned by the standard OTEL_BSP_* variables; sampling by OTEL_TRACES_SAMPLER). Without an
 *   endpoint, spans are not recorded but incoming trace ids are still propagated and logged.
 * - OTEL_SDK_DISABLED=true turns the SDK off entirely.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

export interface TelemetryOptions {
  serviceName: string;
  disabled: boolean;
  otlpEndpoint?: string;
  /** Extra processors (tests use an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  exporting: boolean;
  shutdown(): Promise<void>;
}

export function startTelemetry(opts: TelemetryOptions): Telemetry {
  if (opts.disabled) return { exporting: false, shutdown: async () => undefined };
  const processors: SpanProcessor[] = [...(opts.spanProcessors ?? [])];
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS itself.
  if (opts.otlpEndpoint) processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    spanProcessors: processors,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return { exporting: processors.length > 0, shutdown: () => sdk.shutdown() };
}
