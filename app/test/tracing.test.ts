import { strict as assert } from "node:assert";
import { SpanKind, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startTelemetry, type Telemetry } from "../src/telemetry";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { createFixture, type Fixture } from "./fixture";

describe("tracing (OpenTelemetry sdk-node, in-memory exporter)", function () {
  this.timeout(60_000);
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let f: Fixture;

  before(async () => {
    telemetry = startTelemetry({
      serviceName: "meridian-test",
      disabled: false,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    f = await createFixture("tracing");
    await insertBusinesses(f.sql, generateBusinesses(20, 5));
  });
  after(async () => {
    await f?.close();
    await telemetry?.shutdown();
    trace.disable();
  });

  it("continues an incoming W3C traceparent: server span, SQL child span, traceparent out, trace id in logs", async () => {
    const [{ id }] = await f.sql<{ id: string }[]>`SELECT id FROM businesses LIMIT 1`;
    exporter.reset();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentId = "00f067aa0ba902b7";
    const res = await f.request(`/api/businesses/${id}`, {
      headers: { traceparent: `00-${traceId}-${parentId}-01`, "x-request-id": "trace-test-1" },
    });
    assert.equal(res.status, 200);
    const out = res.headers.get("traceparent") ?? "";
    assert.match(out, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    assert.ok(server, "server span");
    assert.equal(server.name, "GET /api/businesses/:id");
    assert.equal(server.spanContext().traceId, traceId);
    assert.equal(server.parentSpanContext?.spanId, parentId);
    assert.equal(server.attributes["http.route"], "/api/businesses/:id");
    assert.equal(server.attributes["http.response.status_code"], 200);
    assert.equal(out.split("-")[2], server.spanContext().spanId, "the response names the server span");

    const db = spans.find((s) => s.name === "businesses.get");
    assert.ok(db, "SQL span");
    assert.equal(db.kind, SpanKind.CLIENT);
    assert.equal(db.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.equal(db.attributes["db.system.name"], "postgresql");
    assert.match(String(db.attributes["db.query.text"]), /FROM businesses WHERE id = \$1/);

    const line = f.logs.find((l) => l.request_id === "trace-test-1");
    assert.ok(line);
    assert.equal(line.trace_id, traceId);
    assert.equal(line.span_id, server.spanContext().spanId);
  });

  it("starts a new trace without a traceparent and marks 5xx server spans as errors", async () => {
    exporter.reset();
    const res = await f.request("/health/live");
    const tp = res.headers.get("traceparent") ?? "";
    assert.match(tp, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const server = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER)!;
    assert.equal(server.spanContext().traceId, tp.split("-")[1]);
    assert.equal(server.parentSpanContext, undefined);

    // A failing query (the table is briefly renamed) gives an errored SQL span and a 500 server span.
    exporter.reset();
    await f.sql`ALTER TABLE businesses RENAME TO businesses_away`;
    try {
      const r = await f.request("/api/businesses?limit=1");
      assert.equal(r.status, 500);
      const body = await r.text();
      assert.doesNotMatch(body, /businesses_away|relation|SELECT/, "no SQL details in the response");
    } finally {
      await f.sql`ALTER TABLE businesses_away RENAME TO businesses`;
    }
    const spans = exporter.getFinishedSpans();
    const db = spans.find((s) => s.name === "businesses.list")!;
    assert.equal(db.status.code, 2);
    assert.equal(spans.find((s) => s.kind === SpanKind.SERVER)!.status.code, 2);
    const err = f.logs.find((l) => l.msg === "unhandled error");
    assert.ok(err && typeof err.trace_id === "string", "the error log line carries the trace id");
  });
});
