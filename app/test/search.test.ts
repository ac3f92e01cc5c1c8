/**
 * GET /api/search/businesses on real PostgreSQL (seeded directory, directory.ts): full-text ranking
 * (`es_unaccent`), accent-insensitivity, the distance boost, the bounded candidate set (SEARCH_CANDIDATES)
 * checked against the unbounded reference query, and bad queries.
 */
import { strict as assert } from "node:assert";
import { SEARCH_CANDIDATES } from "../src/repository";
import { seedDirectory } from "./directory";
import type { Fixture } from "./fixture";
import { body, expectProblem } from "./http";

describe("GET /api/search/businesses (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;

  before(async () => ({ f } = await seedDirectory("search")));
  after(async () => f?.close());

  it("ranks a name match above a description-only match", async () => {
    const res = await f.request(`/api/search/businesses?q=${encodeURIComponent("café quisqueyano")}`);
    assert.equal(res.status, 200);
    const items: any[] = (await body(res)).items;
    assert.deepEqual(
      items.map((i) => i.name),
      ["Café Quisqueyano Zúñiga", "Librería Zúñiga"],
    );
    assert.ok(items[0].rank > items[1].rank);
  });

  it("is accent-insensitive in both directions", async () => {
    const plain = await body(await f.request("/api/search/businesses?q=zuniga"));
    const accented = await body(await f.request(`/api/search/businesses?q=${encodeURIComponent("ZÚÑIGA")}`));
    const names = (r: any) => r.items.map((i: any) => i.name).sort();
    assert.deepEqual(names(plain), [
      "Café Quisqueyano Zúñiga",
      "Librería Zúñiga",
      "Zúñiga Repuestos del Norte",
    ]);
    assert.deepEqual(names(accented), names(plain));
    const libreria = await body(await f.request("/api/search/businesses?q=libreria"));
    assert.deepEqual(
      libreria.items.map((i: any) => i.name),
      ["Librería Zúñiga"],
    );
  });

  it("boosts nearer matches when a point is given", async () => {
    // Without a point, the three Zúñiga businesses rank by text; near Sosúa, the Sosúa one comes first.
    const near = await body(await f.request("/api/search/businesses?q=zuniga&lat=19.752&lng=-70.518"));
    assert.equal(near.items[0].name, "Zúñiga Repuestos del Norte");
    assert.ok(near.items[0].distanceM < 50);
    const nearSantiago = await body(await f.request("/api/search/businesses?q=zuniga&lat=19.451&lng=-70.69"));
    assert.equal(nearSantiago.items[0].name, "Librería Zúñiga");
  });

  /** The pre-bounding query: every match ranked (the reference the bounded search must reproduce). */
  async function fullRanking(q: string, limit: number, near?: { lat: number; lng: number }) {
    const point = near
      ? f.sql`ST_SetSRID(ST_MakePoint(${near.lng}::float8, ${near.lat}::float8), 4326)::geography`
      : f.sql`NULL::geography`;
    return f.sql<{ id: string; rank: number }[]>`
      SELECT id, CASE WHEN ${point} IS NULL THEN t ELSE t * (1 + 1 / (1 + ST_Distance(location, ${point}, false) / 5000.0)) END AS rank
      FROM (SELECT *, ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', search, websearch_to_tsquery('es_unaccent', ${q}), 1) AS t
            FROM businesses WHERE search @@ websearch_to_tsquery('es_unaccent', ${q})) m
      ORDER BY rank DESC, name, id LIMIT ${limit}`;
  }

  it("equals the full ranking when a query has at most SEARCH_CANDIDATES matches", async () => {
    for (const [q, near] of [
      ["panaderia", undefined],
      ["farmacia santiago", undefined],
      ["hotel", { lat: 18.56, lng: -68.37 }],
    ] as const) {
      const [{ n }] = await f.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM businesses WHERE search @@ websearch_to_tsquery('es_unaccent', ${q})`;
      assert.ok(n > 20 && n <= SEARCH_CANDIDATES, `${q}: ${n} matches`);
      const near_ = near ? `&lat=${near.lat}&lng=${near.lng}` : "";
      const got = await body(
        await f.request(`/api/search/businesses?q=${encodeURIComponent(q)}&limit=50${near_}`),
      );
      const want = await fullRanking(q, 50, near);
      assert.deepEqual(
        got.items.map((i: any) => i.id),
        want.map((r) => r.id),
        q,
      );
    }
  });

  it("ranks a bounded candidate set for very common words: every name match it should show, rank order", async () => {
    // "jose" is in ~3% of names, "santiago" in ~20% of cities/provinces/descriptions: > SEARCH_CANDIDATES.
    const q = "jose or santiago";
    const named = await f.sql<{ id: string }[]>`
      SELECT id FROM businesses
      WHERE to_tsvector('es_unaccent'::regconfig, name) @@ websearch_to_tsquery('es_unaccent', ${q})`;
    const [{ n }] = await f.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM businesses WHERE search @@ websearch_to_tsquery('es_unaccent', ${q})`;
    assert.ok(n > SEARCH_CANDIDATES, `${q}: ${n} matches`);
    assert.ok(named.length > 0 && named.length <= SEARCH_CANDIDATES, `${named.length} name matches`);
    const res = await f.request(`/api/search/businesses?q=${encodeURIComponent(q)}&limit=100`);
    assert.equal(res.status, 200);
    const items: any[] = (await body(res)).items;
    assert.equal(items.length, 100);
    for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].rank >= items[i].rank, `order at ${i}`);
    // Every name match is a candidate, so each one the full ranking puts in the top 100 is returned.
    const want = await fullRanking(q, 100);
    const nameIds = new Set(named.map((r) => r.id));
    const got = new Set(items.map((i) => i.id));
    const missing = want.filter((r) => nameIds.has(r.id) && !got.has(r.id));
    assert.deepEqual(missing, []);
    assert.equal(items[0].rank, Math.round(want[0].rank * 1e6) / 1e6, "the best score is found");
  });

  it("rejects a one-letter query and a lat without lng", async () => {
    let res = await f.request("/api/search/businesses?q=a");
    expectProblem(res, 400);
    assert.deepEqual((await body(res)).errors, [
      { field: "query.q", message: "must be at least 2 characters" },
    ]);
    res = await f.request("/api/search/businesses?q=cafe&lat=18.4");
    expectProblem(res, 400);
    assert.match((await body(res)).errors[0].message, /lat and lng must be given together/);
    res = await f.request("/api/search/businesses");
    expectProblem(res, 400);
    assert.equal((await body(res)).errors[0].field, "query.q");
  });
});
