/**
 * OpenTelemetry bootstrap (@opentelemetry/sdk-node). Started before the app is built.
 *
 * - W3C trace context (`traceparent`/`tracestate`) and baggage propagation, AsyncLocalStorage context.
 * - Spans: one SERVER span per HTTP request (created by the app's middleware and named after the route
 *   template, see app.ts) and one CLIENT span per SQL statement (db.ts).
 * - Export: OTLP over HTTP when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set
 *   (batching tuned by the standard OTEL_BSP_* variables; sampling by OTEL_TRACES_SAMPLER). Without an
 *   endpoint the tracer provider is still registered (with a no-op processor: nothing is exported), so every
 *   request gets a real server span id: responses carry `traceparent` and logs carry trace/span ids either way.
 *   With nothing to export, new traces are not sampled (parent-based, root always-off: `traceparent` flags
 *   `00`, a non-recording span that costs no attribute or event bookkeeping) unless OTEL_TRACES_SAMPLER says
 *   otherwise; a caller's sampled trace stays sampled, so the decision propagates downstream.
 * - OTEL_SDK_DISABLED=true turns the SDK off entirely (then no `traceparent` is sent and none is continued).
 * - Shutdown flushes pending spans within `flushTimeoutMs` (OTEL_SHUTDOWN_FLUSH_MS, default 1000, further capped
 *   by what is left of the drain budget, see server.ts): the exporter's HTTP timeout and the batch
 *   processor's export timeout are set to it, and `shutdown(ms)` stops waiting after `ms` whatever the
 *   exporter does. An unreachable collector used to add ~3 s to every shutdown; spans not exported by then
 *   are dropped (logged by the caller), the process does not wait for them.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { NodeSDK } from "@opentelemetry/sdk-node";
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";

export interface TelemetryOptions {
  serviceName: string;
  disabled: boolean;
  otlpEndpoint?: string;
  /** Extra processors (tests use an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  /** Longest wait for the exporter at shutdown, in ms; default 1000. */
  flushTimeoutMs?: number;
}

export interface Telemetry {
  exporting: boolean;
  /**
   * Flush and stop. Resolves true when everything was flushed, false when `timeoutMs` (default: the
   * configured flushTimeoutMs) passed first; never rejects.
   */
  shutdown(timeoutMs?: number): Promise<boolean>;
}

/** `p` settled within `ms` (true), or not (false); never rejects. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  const done = p.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function startTelemetry(opts: TelemetryOptions): Telemetry {
  if (opts.disabled) return { exporting: false, shutdown: async () => true };
  const flushTimeoutMs = opts.flushTimeoutMs ?? 1000;
  const processors: SpanProcessor[] = [...(opts.spanProcessors ?? [])];
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS itself.
  if (opts.otlpEndpoint) {
    processors.push(
      new BatchSpanProcessor(new OTLPTraceExporter({ timeoutMillis: Math.max(1, flushTimeoutMs) }), {
        exportTimeoutMillis: Math.max(1, flushTimeoutMs),
      }),
    );
  }
  const exporting = processors.length > 0;
  // NodeSDK registers no tracer provider without a processor: spans would be non-recording, with no ids.
  if (!exporting) processors.push(new NoopSpanProcessor());
  const sampler =
    exporting || process.env.OTEL_TRACES_SAMPLER
      ? undefined // the SDK's default: OTEL_TRACES_SAMPLER, else parent-based always-on
      : new ParentBasedSampler({ root: new AlwaysOffSampler() });
  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    sampler,
    spanProcessors: processors,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return {
    exporting,
    shutdown: (timeoutMs = flushTimeoutMs) => within(sdk.shutdown(), timeoutMs),
  };
}
