import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { createFixture, type Fixture } from "./fixture";
import { admin } from "./http";
import { nowS, signJwt } from "./tokens";

const VISITOR = "privacy-visitor-01";
const OTHER = "privacy-visitor-02";
const SECRET_QUERY = "farmacia cerca de mi casa en calle 7";

describe("privacy: export and erase a visitor's events (admin, audited, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;

  before(async () => {
    f = await createFixture("privacy");
    const post = (visitor: string, events: unknown[]) =>
      f.request("/api/events", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-visitor-id": visitor,
          "x-session-id": "privacy-session",
        },
        body: JSON.stringify({ events }),
      });
    assert.equal(
      (
        await post(VISITOR, [
          { id: randomUUID(), type: "SEARCH_QUERY", query: SECRET_QUERY, category: "farmacia" },
          { id: randomUUID(), type: "SEARCH_QUERY", query: "colmado" },
        ])
      ).status,
      200,
    );
    assert.equal(
      (await post(OTHER, [{ id: randomUUID(), type: "SEARCH_QUERY", query: "otro" }])).status,
      200,
    );
    const a = await f.request("/api/experiments/business_contact_button/assignment", {
      headers: { "x-visitor-id": VISITOR },
    });
    assert.equal(a.status, 200);
  });
  after(async () => f?.close());

  const auditLines = () => f.logs.filter((l) => l.msg === "privacy request");

  it("exports every event and exposure of the visitor, and audits who/what/how many without contents", async () => {
    const res = await f.request(`/api/privacy/visitors/${VISITOR}`, { headers: admin });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const body = (await res.json()) as {
      visitorId: string;
      events: { query: string }[];
      exposures: unknown[];
    };
    assert.equal(body.visitorId, VISITOR);
    assert.deepEqual(body.events.map((e) => e.query).sort(), ["colmado", SECRET_QUERY].sort());
    assert.equal(body.exposures.length, 1);
    const [line] = auditLines();
    assert.deepEqual(line.audit, {
      action: "privacy.export",
      actor: "admin-api-key",
      visitorId: VISITOR,
      rows: { events: 2, exposures: 1 },
    });
    assert.ok(!JSON.stringify(f.logs).includes(SECRET_QUERY), "event contents must never reach the log");
  });

  it("erases the visitor's rows only, names the JWT subject in the audit line, and is idempotent", async () => {
    const token = await signJwt({ sub: "dpo@aquita.do", role: "admin", iat: nowS() });
    const res = await f.request(`/api/privacy/visitors/${VISITOR}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { visitorId: VISITOR, deleted: { events: 2, exposures: 1 } });
    const erase = auditLines().at(-1)!;
    assert.deepEqual(erase.audit, {
      action: "privacy.erase",
      actor: "jwt:dpo@aquita.do",
      visitorId: VISITOR,
      rows: { events: 2, exposures: 1 },
    });
    assert.ok(!JSON.stringify(f.logs).includes(token), "the credential must never reach the log");
    const [{ mine }] =
      await f.sql`SELECT count(*)::int AS mine FROM growth_events WHERE visitor_id = ${VISITOR}`;
    const [{ others }] =
      await f.sql`SELECT count(*)::int AS others FROM growth_events WHERE visitor_id = ${OTHER}`;
    assert.equal(mine, 0);
    assert.equal(others, 1);
    const again = await f.request(`/api/privacy/visitors/${VISITOR}`, { method: "DELETE", headers: admin });
    assert.deepEqual(await again.json(), { visitorId: VISITOR, deleted: { events: 0, exposures: 0 } });
    const exported = (await (
      await f.request(`/api/privacy/visitors/${VISITOR}`, { headers: admin })
    ).json()) as {
      events: unknown[];
    };
    assert.equal(exported.events.length, 0);
  });

  it("401 without a credential, 403 for a non-admin JWT, nothing erased or audited", async () => {
    const before = auditLines().length;
    const none = await f.request(`/api/privacy/visitors/${OTHER}`, { method: "DELETE" });
    assert.equal(none.status, 401);
    const token = await signJwt({ sub: "someone", role: "viewer" });
    const viewer = await f.request(`/api/privacy/visitors/${OTHER}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(viewer.status, 403);
    assert.equal(auditLines().length, before);
    const [{ n }] = await f.sql`SELECT count(*)::int AS n FROM growth_events WHERE visitor_id = ${OTHER}`;
    assert.equal(n, 1);
  });

  it("400 for a malformed visitor id", async () => {
    const res = await f.request("/api/privacy/visitors/x", { headers: admin });
    assert.equal(res.status, 400);
    const p = (await res.json()) as { errors: { field: string }[] };
    assert.ok(p.errors.some((e) => e.field === "param.id"));
  });
});
