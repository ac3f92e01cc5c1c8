import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { compareProportions, normalCdf, erfc } from "../src/growth/statistics";
import { createFixture, type Fixture } from "./fixture";
import { admin } from "./http";
import { signJwt } from "./tokens";

const close = (actual: number | null, expected: number, tol = 1e-6) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < tol, `${actual} != ${expected} (±${tol})`);

describe("growth statistics (two-proportion comparison)", () => {
  it("normal CDF and erfc match reference values", () => {
    close(normalCdf(0), 0.5, 1e-7);
    close(normalCdf(1.959963984540054), 0.975, 1e-7);
    close(normalCdf(-1.96), 0.0249978951482205, 1e-7);
    close(normalCdf(3), 0.9986501019683699, 1e-7);
    close(erfc(0.5), 0.4795001221869535, 1e-7);
  });

  it("matches a hand-computed example: 100/1000 vs 130/1000", () => {
    // p1 = 0.10, p2 = 0.13, d = 0.03
    // se = sqrt(0.1*0.9/1000 + 0.13*0.87/1000) = sqrt(0.0002031) = 0.0142513
    // CI = 0.03 ± 1.959964 * 0.0142513 = [0.0020679, 0.0579321]
    // pooled p = 230/2000 = 0.115; se0 = sqrt(0.115*0.885*0.002) = 0.0142671; z = 2.102741; p = 0.035488
    const r = compareProportions(
      { exposures: 1000, conversions: 100 },
      { exposures: 1000, conversions: 130 },
    );
    close(r.difference, 0.03, 1e-12);
    close(r.ci95?.[0] ?? null, 0.0020679344, 1e-8);
    close(r.ci95?.[1] ?? null, 0.0579320656, 1e-8);
    close(r.z, 2.1027406056, 1e-8);
    close(r.pValue, 0.0354884505, 1e-6);
    assert.equal(r.reliable, true);
  });

  it("is null where undefined and rejects impossible counts", () => {
    const empty = compareProportions({ exposures: 0, conversions: 0 }, { exposures: 10, conversions: 1 });
    assert.deepEqual(empty, { difference: null, ci95: null, z: null, pValue: null, reliable: false });
    const flat = compareProportions({ exposures: 10, conversions: 0 }, { exposures: 10, conversions: 0 });
    assert.equal(flat.difference, 0);
    assert.equal(flat.pValue, null);
    assert.equal(flat.ci95, null);
    assert.throws(
      () => compareProportions({ exposures: 1, conversions: 2 }, { exposures: 1, conversions: 0 }),
      RangeError,
    );
  });
});

describe("GET /api/analytics/growth/insights (admin, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  const day = new Date().toISOString().slice(0, 10);

  before(async () => {
    f = await createFixture("analytics");
    // Supply: 4 businesses in Santiago/Santiago de los Caballeros, 1 in La Vega/Jarabacoa, none in Samaná/Las Terrenas.
    const place = (province: string, city: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `${city} ${i}`,
        category: "restaurante",
        province,
        city,
      }));
    for (const b of [
      ...place("Santiago", "Santiago de los Caballeros", 4),
      ...place("La Vega", "Jarabacoa", 1),
    ]) {
      await f.sql`INSERT INTO businesses (name, category, province, city, location)
        VALUES (${b.name}, ${b.category}, ${b.province}, ${b.city}, ST_MakePoint(-70.7, 19.4)::geography)`;
    }
    const ev = (
      type: string,
      visitor: string,
      session: string | null,
      extra: Record<string, unknown> = {},
    ) => ({
      id: randomUUID(),
      type,
      visitor_id: visitor,
      session_id: session,
      occurred_at: new Date(Date.now() - 60_000 + Number(extra.offset ?? 0)),
      category: (extra.category as string) ?? null,
      province: (extra.province as string) ?? null,
      city: (extra.city as string) ?? null,
      experiment_key: (extra.variant as string) ? "business_contact_button" : null,
      variant_key: (extra.variant as string) ?? null,
    });
    const rows = [
      // Searches: restaurante x3, hotel x2, farmacia x1. Places: Santiago x2, Jarabacoa x2, Las Terrenas x1.
      ev("SEARCH_QUERY", "visitor-a0001", "session-a0001", {
        category: "restaurante",
        province: "Santiago",
        city: "Santiago de los Caballeros",
      }),
      ev("SEARCH_QUERY", "visitor-b0001", "session-b0001", {
        category: "restaurante",
        province: "Santiago",
        city: "Santiago de los Caballeros",
      }),
      ev("SEARCH_QUERY", "visitor-c0001", "session-c0001", {
        category: "restaurante",
        province: "La Vega",
        city: "Jarabacoa",
      }),
      ev("SEARCH_QUERY", "visitor-d0001", "session-d0001", {
        category: "hotel",
        province: "La Vega",
        city: "Jarabacoa",
      }),
      ev("SEARCH_QUERY", "visitor-e0001", "session-e0001", {
        category: "hotel",
        province: "Samaná",
        city: "Las Terrenas",
      }),
      ev("SEARCH_QUERY", "visitor-e0001", "session-e0001", { category: "farmacia", offset: 1000 }),
      // Conversion: session a converts after its search, session b clicked before searching (not a conversion),
      // session z never searched.
      ev("WHATSAPP_CLICK", "visitor-a0001", "session-a0001", { offset: 5000 }),
      ev("WHATSAPP_CLICK", "visitor-b0001", "session-b0001", { offset: -5000 }),
      ev("WHATSAPP_CLICK", "visitor-z0001", "session-z0001", { offset: 5000 }),
    ];
    // A/B: control call_button 20 exposed / 5 converted; whatsapp_button 20 exposed / 10 converted.
    // Exposures come from the assignment table (first 15 of each arm) and from tagged events (the rest).
    for (const [variant, conversions] of [
      ["call_button", 5],
      ["whatsapp_button", 10],
    ] as const) {
      for (let i = 0; i < 20; i++) {
        const visitor = `ab-${variant}-${i.toString().padStart(3, "0")}`;
        if (i < 15) {
          await f.sql`INSERT INTO experiment_exposures (experiment_key, visitor_id, variant_key, exposed_at)
            VALUES ('business_contact_button', ${visitor}, ${variant}, now() - interval '1 minute')`;
        } else {
          rows.push(ev("SEARCH_RESULT_CLICK", visitor, "ab-session-x", { variant }));
        }
        if (i < conversions) {
          rows.push(ev(i % 2 ? "CONTACT_CLICK" : "WHATSAPP_CLICK", visitor, "ab-session-y", { variant }));
          if (i === 0) rows.push(ev("CONTACT_CLICK", visitor, "ab-session-y", { variant })); // counted once
        }
      }
    }
    // Outside the range: ignored.
    rows.push({
      ...ev("SEARCH_QUERY", "visitor-old01", "session-old01", { category: "hotel" }),
      occurred_at: new Date("2020-01-01T00:00:00Z"),
    });
    await f.sql`INSERT INTO growth_events ${f.sql(rows)}`;
  });
  after(async () => f?.close());

  const get = (qs: string, headers: Record<string, string> = admin) =>
    f.request(`/api/analytics/growth/insights${qs}`, { headers });

  it("reports categories, gaps, search -> WhatsApp conversion and the A/B comparison", async () => {
    const res = await get(`?from=${day}&to=${day}&experiment=business_contact_button`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "private, no-store");
    const body = (await res.json()) as any;
    assert.equal(body.from, day);
    assert.deepEqual(body.topCategories, [
      { category: "restaurante", searches: 3 },
      { category: "hotel", searches: 2 },
      { category: "farmacia", searches: 1 },
    ]);
    assert.deepEqual(body.gaps, [
      { province: "Samaná", city: "Las Terrenas", searches: 1, businesses: 0, searchesPerBusiness: null },
      { province: "La Vega", city: "Jarabacoa", searches: 2, businesses: 1, searchesPerBusiness: 2 },
      {
        province: "Santiago",
        city: "Santiago de los Caballeros",
        searches: 2,
        businesses: 4,
        searchesPerBusiness: 0.5,
      },
    ]);
    assert.deepEqual(body.searchToWhatsapp, { searchSessions: 5, convertedSessions: 1, rate: 0.2 });
    const [control, treatment] = body.experiment.variants;
    assert.deepEqual(
      { ...control },
      {
        variantKey: "call_button",
        control: true,
        exposures: 20,
        conversions: 5,
        rate: 0.25,
        difference: null,
        ci95: null,
        z: null,
        pValue: null,
        reliable: false,
      },
    );
    assert.equal(treatment.variantKey, "whatsapp_button");
    assert.equal(treatment.exposures, 20);
    assert.equal(treatment.conversions, 10);
    // Hand-computed: d = 0.5 - 0.25 = 0.25; CI [-0.0398826, 0.5398826]; z = 1.6329932; p = 0.1024704.
    close(treatment.difference, 0.25, 1e-12);
    close(treatment.ci95[0], -0.0398825826, 1e-8);
    close(treatment.ci95[1], 0.5398825826, 1e-8);
    close(treatment.z, 1.6329931619, 1e-8);
    close(treatment.pValue, 0.1024704349, 1e-6);
    assert.equal(treatment.reliable, true);
  });

  it("defaults to the last 30 days without an experiment", async () => {
    const res = await get("");
    assert.equal(res.status, 200);
    const body = (await res.json()) as any;
    assert.equal(body.to, day);
    assert.equal(body.experiment, null);
    assert.equal(body.topCategories[0].category, "restaurante");
  });

  it("401 without a credential, 403 for a JWT without the admin role", async () => {
    assert.equal((await get("", {})).status, 401);
    const token = await signJwt({ sub: "u1", role: "viewer" });
    assert.equal((await get("", { authorization: `Bearer ${token}` })).status, 403);
  });

  it("400 naming the parameter for bad dates, reversed or too long ranges, unknown experiments", async () => {
    const cases: [string, string][] = [
      ["?from=2026-13-01", "query.from"],
      ["?to=2026-02-30", "query.to"],
      ["?from=yesterday", "query.from"],
      ["?from=2026-11-02&to=2026-11-01", "query.from"],
      ["?from=2024-01-01&to=2026-01-01", "query.from"],
      ["?experiment=nope", "query.experiment"],
      ["?experiment=Bad-Key", "query.experiment"],
      ["?limit=0", "query.limit"],
    ];
    for (const [qs, field] of cases) {
      const res = await get(qs);
      assert.equal(res.status, 400, qs);
      const p = (await res.json()) as { errors: { field: string }[]; detail: string };
      assert.ok(
        p.errors.some((e) => e.field === field),
        `${qs}: ${p.detail}`,
      );
    }
  });
});
