import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { runJob } from "../src/jobs";
import { purgeGrowthEvents } from "../src/growth/retention";
import { insertBusinesses, generateBusinesses } from "../src/seed";
import { createFixture, type Fixture } from "./fixture";
import { redisApp } from "./redis-fixture";

const VISITOR = "visitor-events-0001";
const SESSION = "session-events-0001";
const headers = { "content-type": "application/json", "x-visitor-id": VISITOR, "x-session-id": SESSION };

describe("growth events: POST /api/events (real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let businessId: string;

  before(async () => {
    f = await createFixture("events", { EVENTS_MAX_BATCH: "5", EVENTS_RETENTION_DAYS: "30" });
    await insertBusinesses(f.sql, generateBusinesses(50, 11));
    [{ id: businessId }] = await f.sql<{ id: string }[]>`SELECT id FROM businesses ORDER BY name LIMIT 1`;
  });
  after(async () => f?.close());

  const post = (body: unknown, h: Record<string, string> = headers) =>
    f.request("/api/events", { method: "POST", headers: h, body: JSON.stringify(body) });
  const problem = async (res: Response) => {
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    return (await res.json()) as { detail: string; errors?: { field: string; message: string }[] };
  };

  it("stores a batch of every event type and skips ids already stored (idempotent retry)", async () => {
    const events = [
      {
        id: randomUUID(),
        type: "SEARCH_QUERY",
        query: "pica pollo",
        category: "restaurante",
        province: "Santiago",
        city: "Santiago de los Caballeros",
      },
      { id: randomUUID(), type: "SEARCH_RESULT_CLICK", businessId },
      {
        id: randomUUID(),
        type: "CONTACT_CLICK",
        businessId,
        experimentKey: "business_contact_button",
        variantKey: "call_button",
      },
      { id: randomUUID(), type: "WHATSAPP_CLICK", businessId },
      {
        id: randomUUID(),
        type: "BOOKING_INTENT",
        businessId,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      },
    ];
    const first = await post({ events });
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { accepted: 5, duplicates: 0 });
    const again = await post({ events });
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { accepted: 0, duplicates: 5 });
    const rows = await f.sql<
      { type: string; visitor_id: string; session_id: string; variant_key: string | null }[]
    >`
      SELECT type, visitor_id, session_id, variant_key FROM growth_events WHERE id = ANY(${events.map((e) => e.id)}::uuid[])`;
    assert.equal(rows.length, 5);
    assert.ok(rows.every((r) => r.visitor_id === VISITOR && r.session_id === SESSION));
    assert.equal(rows.filter((r) => r.variant_key === "call_button").length, 1);
  });

  it("counts a repeated id within one batch once", async () => {
    const id = randomUUID();
    const res = await post({
      events: [
        { id, type: "SEARCH_QUERY" },
        { id, type: "SEARCH_QUERY" },
      ],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { accepted: 1, duplicates: 1 });
  });

  it("400 naming the header when x-visitor-id or x-session-id is missing or malformed", async () => {
    const body = { events: [{ id: randomUUID(), type: "SEARCH_QUERY" }] };
    const missing = await post(body, { "content-type": "application/json", "x-session-id": SESSION });
    assert.equal(missing.status, 400);
    assert.ok((await problem(missing)).errors?.some((e) => e.field === "header.x-visitor-id"));
    const bad = await post(body, { ...headers, "x-session-id": "short" });
    assert.equal(bad.status, 400);
    const p = await problem(bad);
    assert.ok(
      p.errors?.some((e) => e.field === "header.x-session-id" && /8-64 characters/.test(e.message)),
      p.detail,
    );
  });

  it("400 for an unknown event type, naming the allowed ones; nothing of the batch is stored", async () => {
    const good = randomUUID();
    const res = await post({
      events: [
        { id: good, type: "SEARCH_QUERY" },
        { id: randomUUID(), type: "PAGE_VIEW" },
      ],
    });
    assert.equal(res.status, 400);
    const p = await problem(res);
    const e = p.errors?.find((x) => x.field === "body.events.1.type");
    assert.ok(
      e && /SEARCH_QUERY, SEARCH_RESULT_CLICK, CONTACT_CLICK, WHATSAPP_CLICK, BOOKING_INTENT/.test(e.message),
      p.detail,
    );
    const [{ n }] = await f.sql<{ n: string }[]>`SELECT count(*) AS n FROM growth_events WHERE id = ${good}`;
    assert.equal(Number(n), 0);
  });

  it("400 for an oversize batch (EVENTS_MAX_BATCH) and an empty one", async () => {
    const six = Array.from({ length: 6 }, () => ({ id: randomUUID(), type: "SEARCH_QUERY" }));
    const res = await post({ events: six });
    assert.equal(res.status, 400);
    assert.ok(
      (await problem(res)).errors?.some((e) => e.field === "body.events" && /at most 5/.test(e.message)),
    );
    const empty = await post({ events: [] });
    assert.equal(empty.status, 400);
  });

  it("400 for a non-UUID id, unknown fields, a missing or unknown business, bad experiment/variant, stale time", async () => {
    const cases: [unknown, string][] = [
      [{ id: "not-a-uuid", type: "SEARCH_QUERY" }, "body.events.0.id"],
      [{ id: randomUUID(), type: "SEARCH_QUERY", extra: 1 }, "body.events.0"],
      [{ id: randomUUID(), type: "WHATSAPP_CLICK" }, "body.events.0.businessId"],
      [{ id: randomUUID(), type: "WHATSAPP_CLICK", businessId: randomUUID() }, "body.events.0.businessId"],
      [{ id: randomUUID(), type: "SEARCH_QUERY", variantKey: "call_button" }, "body.events.0.variantKey"],
      [
        { id: randomUUID(), type: "SEARCH_QUERY", experimentKey: "nope", variantKey: "a" },
        "body.events.0.experimentKey",
      ],
      [
        {
          id: randomUUID(),
          type: "SEARCH_QUERY",
          experimentKey: "business_contact_button",
          variantKey: "zzz",
        },
        "body.events.0.variantKey",
      ],
      [
        { id: randomUUID(), type: "SEARCH_QUERY", occurredAt: "2001-01-01T00:00:00Z" },
        "body.events.0.occurredAt",
      ],
      [{ id: randomUUID(), type: "SEARCH_QUERY", occurredAt: "yesterday" }, "body.events.0.occurredAt"],
      [{ id: randomUUID(), type: "SEARCH_QUERY", query: "x".repeat(201) }, "body.events.0.query"],
      [{ id: randomUUID(), type: "SEARCH_QUERY", query: "ab\u0000cd" }, "body.events.0.query"],
      [{ id: randomUUID(), type: "SEARCH_QUERY", city: "Sos\u0000úa" }, "body.events.0.city"],
    ];
    for (const [event, field] of cases) {
      const res = await post({ events: [event] });
      assert.equal(res.status, 400, JSON.stringify(event));
      const p = await problem(res);
      assert.ok(
        p.errors?.some((e) => e.field === field),
        `${JSON.stringify(event)}: ${p.detail}`,
      );
    }
  });

  it("a browser on an allowed origin may send the visitor and session headers (CORS preflight)", async () => {
    const res = await f.request("/api/events", {
      method: "OPTIONS",
      headers: {
        origin: "https://aquita.do",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-visitor-id,x-session-id",
      },
    });
    assert.equal(res.status, 204);
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    for (const h of ["content-type", "x-visitor-id", "x-session-id"])
      assert.ok(allowed.includes(h), allowed.join());
  });

  it("415 for a non-JSON body", async () => {
    const res = await f.request("/api/events", {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: "{}",
    });
    assert.equal(res.status, 415);
  });

  it("the search endpoint records SEARCH_QUERY (best hit's category and place) only with x-visitor-id", async () => {
    const visitor = `searcher-${randomUUID().slice(0, 8)}`;
    const [b] = await f.sql<{ name: string; category: string; province: string; city: string }[]>`
      SELECT name, category, province, city FROM businesses ORDER BY name LIMIT 1`;
    const res = await f.request(`/api/search/businesses?q=${encodeURIComponent(b.name)}&limit=5`, {
      headers: { "x-visitor-id": visitor, "x-session-id": "session-search-01" },
    });
    assert.equal(res.status, 200);
    const { items } = (await res.json()) as { items: { category: string; province: string; city: string }[] };
    assert.ok(items.length > 0);
    await f.request(`/api/search/businesses?q=${encodeURIComponent(b.name)}`); // no visitor: not recorded
    await f.request(`/api/search/businesses?q=${encodeURIComponent(b.name)}`, {
      headers: { "x-visitor-id": "bad id!" },
    });
    // idle() resolves once the recordings in flight are stored (what shutdown waits for): no polling.
    await f.built.idle();
    const rows = await f.sql<
      {
        query: string;
        category: string;
        province: string;
        city: string;
        results: number;
        session_id: string;
      }[]
    >`SELECT query, category, province, city, results, session_id FROM growth_events WHERE visitor_id = ${visitor}`;
    assert.equal(rows.length, 1);
    assert.equal(rows[0].query, b.name);
    assert.equal(rows[0].results, items.length);
    assert.deepEqual(
      [rows[0].category, rows[0].province, rows[0].city],
      [items[0].category, items[0].province, items[0].city],
    );
    assert.equal(rows[0].session_id, "session-search-01");
    const [{ n }] = await f.sql<{ n: string }[]>`
      SELECT count(*) AS n FROM growth_events WHERE type = 'SEARCH_QUERY' AND query = ${b.name}`;
    assert.equal(Number(n), 1, "searches without a valid visitor id are not recorded");
  });

  it("counts searches answered from the caches (Redis, and the in-process cache front) too", async () => {
    const cached = await redisApp(f, "events", { RATE_LIMIT_ENABLED: "false", CACHE_ENABLED: "true" });
    try {
      const { app } = cached.built;
      // The in-process tier serves only once synchronized with the cache version: wait for it, so the second
      // and third searches below are answered by the cache front (the first middleware), not the handler.
      for (let i = 0; i < 100 && !cached.built.localCache?.serving; i++)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(cached.built.localCache?.serving, true);
      const visitor = `cached-${randomUUID().slice(0, 8)}`;
      const [b] = await f.sql<{ name: string }[]>`SELECT name FROM businesses ORDER BY name DESC LIMIT 1`;
      const xcache: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await app.request(`/api/search/businesses?q=${encodeURIComponent(b.name)}`, {
          headers: { "x-visitor-id": visitor, "x-session-id": "session-cached-1" },
        });
        assert.equal(res.status, 200);
        xcache.push(res.headers.get("x-cache"));
        await res.arrayBuffer();
      }
      assert.deepEqual(xcache, ["MISS", "HIT", "HIT"]);
      const metrics = await (await app.request("/metrics")).text();
      assert.match(
        metrics,
        /http_cache_lookups_total\{route="\/api\/search\/businesses",result="local_hit"\} 2\b/,
      );
      const deadline = Date.now() + 5000;
      let n = 0;
      while (Date.now() < deadline) {
        [{ n }] = await f.sql<
          { n: number }[]
        >`SELECT count(*)::int AS n FROM growth_events WHERE visitor_id = ${visitor}`;
        if (n >= 3) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(n, 3);
    } finally {
      await cached.close();
    }
  });

  it("retention job deletes events, exposures and webhook receipts older than the retention period", async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    const oldId = randomUUID();
    const keepId = randomUUID();
    await f.sql`INSERT INTO growth_events (id, type, visitor_id, session_id, occurred_at) VALUES
      (${oldId}, 'SEARCH_QUERY', 'retention-visitor', 'retention-session', ${old}),
      (${keepId}, 'SEARCH_QUERY', 'retention-visitor', 'retention-session', now() - interval '29 days')`;
    await f.sql`INSERT INTO experiment_exposures (experiment_key, visitor_id, variant_key, exposed_at)
      VALUES ('business_contact_button', 'retention-visitor', 'call_button', ${old})`;
    await f.sql`INSERT INTO webhook_messages (provider, message_id, kind, received_at)
      VALUES ('telegram', 'retention-1', 'message', ${old}), ('telegram', 'retention-2', 'message', now())`;
    const result = await purgeGrowthEvents(f.db, 30);
    assert.equal(result.job, "purge-growth-events");
    assert.deepEqual(result.deleted, { events: 1, exposures: 1, webhookMessages: 1 });
    const left = await f.sql<
      { id: string }[]
    >`SELECT id FROM growth_events WHERE visitor_id = 'retention-visitor'`;
    assert.deepEqual(
      left.map((r) => r.id),
      [keepId],
    );
    // Through the job registry (`node dist/cli.js job purge-growth-events`): reads EVENTS_RETENTION_DAYS.
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { DATABASE_URL: f.url, EVENTS_RETENTION_DAYS: "28" });
      const viaJob = await runJob("purge-growth-events", f.db);
      assert.equal(viaJob.retentionDays, 28);
      assert.deepEqual(viaJob.deleted, { events: 1, exposures: 0, webhookMessages: 0 });
    } finally {
      for (const k of ["DATABASE_URL", "EVENTS_RETENTION_DAYS"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    await assert.rejects(purgeGrowthEvents(f.db, 0), /retentionDays/);
  });

  it("is in /openapi.json", async () => {
    const doc = (await (await f.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const p of [
      "/api/events",
      "/api/analytics/growth/insights",
      "/api/experiments/{key}/assignment",
      "/api/privacy/visitors/{id}",
      "/api/webhooks/whatsapp",
      "/api/webhooks/telegram",
    ]) {
      assert.ok(doc.paths[p], `${p} missing from /openapi.json`);
    }
  });
});
