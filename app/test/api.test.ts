import { strict as assert } from "node:assert";
import { sign } from "hono/jwt";
import { generateBusinesses, insertBusinesses, type SeedBusiness } from "../src/seed";
import { runJob } from "../src/jobs";
import { SEARCH_CANDIDATES } from "../src/repository";
import { createFixture, type Fixture } from "./fixture";
import { ADMIN_KEY, JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET } from "./harness";

const EARTH_RADIUS_M = 6371008.8; // PostGIS sphere (mean radius)
function haversine(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}

const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const jsonHeaders = { ...admin, "content-type": "application/json" };

/** Hand-written rows the search tests rely on (the generated rows never use these words). */
const KNOWN: SeedBusiness[] = [
  {
    name: "Café Quisqueyano Zúñiga",
    description: "Café de altura de Jarabacoa, colado al momento.",
    category: "cafeteria",
    province: "Distrito Nacional",
    city: "Santo Domingo de Guzmán",
    address: "Calle El Conde #1",
    phone: "+1 809-555-0101",
    lat: 18.4731,
    lng: -69.8846,
  },
  {
    name: "Librería Zúñiga",
    description: "Libros escolares; también servimos un café quisqueyano pequeño.",
    category: "educacion",
    province: "Santiago",
    city: "Santiago de los Caballeros",
    address: null as unknown as string,
    phone: null as unknown as string,
    lat: 19.451,
    lng: -70.69,
  },
  {
    name: "Zúñiga Repuestos del Norte",
    description: "Repuestos y accesorios.",
    category: "taller",
    province: "Puerto Plata",
    city: "Sosúa",
    address: "Carretera Sosúa-Cabarete",
    phone: "+1 829-555-0199",
    lat: 19.752,
    lng: -70.518,
  },
];

describe("API (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let all: {
    id: string;
    name: string;
    lat: number;
    lng: number;
    category: string;
    province: string;
    city: string;
  }[];

  before(async () => {
    f = await createFixture("api");
    await insertBusinesses(f.sql, [...generateBusinesses(3000, 7), ...KNOWN]);
    await f.sql`ANALYZE businesses`;
    all =
      await f.sql`SELECT id, name, category, province, city, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng FROM businesses`;
  });
  after(async () => f?.close());

  async function body(res: Response): Promise<any> {
    return JSON.parse(await res.text());
  }

  function expectProblem(res: Response, status: number): void {
    assert.equal(res.status, status);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
  }

  describe("GET /api/businesses", () => {
    it("pages through every business exactly once with the keyset cursor, ordered by name", async () => {
      const seen: string[] = [];
      let names: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await f.request(`/api/businesses?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
        assert.equal(res.status, 200);
        const page = await body(res);
        seen.push(...page.items.map((b: any) => b.id));
        names = names.concat(page.items.map((b: any) => b.name));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      assert.equal(seen.length, all.length);
      assert.equal(new Set(seen).size, all.length);
      const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      // Postgres C.UTF-8 collation orders by code point, as does the JS comparison above.
      assert.deepEqual(names, sorted);
    });

    it("filters by category, province and city", async () => {
      const res = await f.request("/api/businesses?category=farmacia&province=Santiago&limit=100");
      const page = await body(res);
      const expected = all.filter((b) => b.category === "farmacia" && b.province === "Santiago");
      assert.ok(expected.length > 0);
      assert.equal(page.items.length, Math.min(100, expected.length));
      for (const b of page.items) {
        assert.equal(b.category, "farmacia");
        assert.equal(b.province, "Santiago");
      }
      const city = await body(
        await f.request(`/api/businesses?city=${encodeURIComponent("Sosúa")}&limit=100`),
      );
      assert.equal(city.items.length, Math.min(100, all.filter((b) => b.city === "Sosúa").length));
    });

    it("rejects bad query values with field details", async () => {
      let res = await f.request("/api/businesses?limit=0");
      expectProblem(res, 400);
      let p = await body(res);
      assert.deepEqual(p.errors, [{ field: "query.limit", message: "must be between 1 and 100" }]);
      res = await f.request("/api/businesses?category=Comida%20Rapida");
      expectProblem(res, 400);
      p = await body(res);
      assert.equal(p.errors[0].field, "query.category");
      res = await f.request("/api/businesses?cursor=not-a-cursor");
      expectProblem(res, 400);
      p = await body(res);
      assert.equal(p.errors[0].field, "query.cursor");
    });

    it("marks the response cacheable with stale-while-revalidate", async () => {
      const res = await f.request("/api/businesses?limit=1");
      assert.equal(res.headers.get("cache-control"), "public, max-age=30, stale-while-revalidate=300");
    });
  });

  describe("GET /api/businesses/:id", () => {
    it("returns the business", async () => {
      const target = all.find((b) => b.name === KNOWN[0].name)!;
      const res = await f.request(`/api/businesses/${target.id}`);
      assert.equal(res.status, 200);
      const b = await body(res);
      assert.equal(b.id, target.id);
      assert.equal(b.name, "Café Quisqueyano Zúñiga");
      assert.equal(b.phone, "+1 809-555-0101");
      assert.ok(Math.abs(b.lat - 18.4731) < 1e-9 && Math.abs(b.lng + 69.8846) < 1e-9);
    });

    it("404 for an unknown id, 400 for a malformed one", async () => {
      let res = await f.request("/api/businesses/00000000-0000-4000-8000-000000000000");
      expectProblem(res, 404);
      assert.match((await body(res)).detail, /does not exist/);
      res = await f.request("/api/businesses/12345");
      expectProblem(res, 400);
      const p = await body(res);
      assert.equal(p.errors[0].field, "param.id");
      assert.match(p.errors[0].message, /must be a UUID/);
      assert.equal(res.headers.get("cache-control"), "no-store");
    });
  });

  describe("GET /api/businesses/nearby", () => {
    const cases = [
      { lat: 18.4861, lng: -69.9312, radius: 5000, limit: 20 },
      { lat: 19.4517, lng: -70.697, radius: 2000, limit: 50 },
      { lat: 18.56, lng: -68.37, radius: 8000, limit: 100 },
    ];
    for (const q of cases) {
      it(`matches a brute-force haversine ranking at (${q.lat}, ${q.lng}) r=${q.radius} m`, async () => {
        const res = await f.request(
          `/api/businesses/nearby?lat=${q.lat}&lng=${q.lng}&radius=${q.radius}&limit=${q.limit}`,
        );
        assert.equal(res.status, 200);
        const got: any[] = (await body(res)).items;
        const expected = all
          .map((b) => ({ id: b.id, d: haversine(q.lat, q.lng, b.lat, b.lng) }))
          .filter((b) => b.d <= q.radius)
          .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1))
          .slice(0, q.limit);
        assert.ok(expected.length > 0, "the case must have businesses in range");
        assert.equal(got.length, expected.length);
        for (let i = 0; i < got.length; i++) {
          assert.ok(
            Math.abs(got[i].distanceM - expected[i].d) < 0.5,
            `distance #${i}: ${got[i].distanceM} vs ${expected[i].d}`,
          );
          if (got[i].id !== expected[i].id) {
            // Only an exact tie (equal distance to 1 cm) may swap places.
            assert.ok(
              Math.abs(expected[i].d - haversine(q.lat, q.lng, got[i].lat, got[i].lng)) < 0.01,
              `order at #${i}`,
            );
          }
          if (i > 0) assert.ok(got[i].distanceM >= got[i - 1].distanceM, "nearest first");
        }
      });
    }

    it("filters by category and returns nothing where nothing is in range", async () => {
      const res = await f.request(
        "/api/businesses/nearby?lat=18.4861&lng=-69.9312&radius=3000&category=hotel",
      );
      for (const b of (await body(res)).items) assert.equal(b.category, "hotel");
      const empty = await body(await f.request("/api/businesses/nearby?lat=0&lng=0&radius=50000"));
      assert.deepEqual(empty.items, []);
    });

    it("rejects a latitude of 91, a missing lng and a radius over 50 km", async () => {
      let res = await f.request("/api/businesses/nearby?lat=91&lng=-69.9");
      expectProblem(res, 400);
      assert.deepEqual((await body(res)).errors, [
        { field: "query.lat", message: "must be between -90 and 90" },
      ]);
      res = await f.request("/api/businesses/nearby?lat=18.5");
      expectProblem(res, 400);
      assert.equal((await body(res)).errors[0].field, "query.lng");
      res = await f.request("/api/businesses/nearby?lat=18.5&lng=-69.9&radius=50001");
      expectProblem(res, 400);
      assert.equal((await body(res)).errors[0].field, "query.radius");
      res = await f.request("/api/businesses/nearby?lat=abc&lng=-69.9");
      expectProblem(res, 400);
      assert.match((await body(res)).errors[0].message, /decimal number/);
    });
  });

  describe("GET /api/search/businesses", () => {
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
      const accented = await body(
        await f.request(`/api/search/businesses?q=${encodeURIComponent("ZÚÑIGA")}`),
      );
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
      const nearSantiago = await body(
        await f.request("/api/search/businesses?q=zuniga&lat=19.451&lng=-70.69"),
      );
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

  describe("admin writes", () => {
    const newBusiness = {
      name: "Heladería Doña Ñeca",
      description: "Helados artesanales de chinola y coco.",
      category: "cafeteria",
      province: "La Romana",
      city: "La Romana",
      phone: "+1 809-555-0177",
      lat: 18.4273,
      lng: -68.9728,
    };

    it("creates, patches and deletes a business with the admin API key", async () => {
      let res = await f.request("/api/businesses", {
        method: "POST",
        headers: jsonHeaders,
        body: JSON.stringify(newBusiness),
      });
      assert.equal(res.status, 201);
      const created = await body(res);
      assert.equal(res.headers.get("location"), `/api/businesses/${created.id}`);
      assert.equal(created.name, newBusiness.name);
      assert.equal(created.address, null);
      const found = await body(
        await f.request(`/api/search/businesses?q=${encodeURIComponent("heladeria neca")}`),
      );
      assert.equal(found.items[0].id, created.id, "the generated search column is filled on insert");

      res = await f.request(`/api/businesses/${created.id}`, {
        method: "PATCH",
        headers: jsonHeaders,
        body: JSON.stringify({ name: "Heladería Doña Ñeca II", lat: 18.43, lng: -68.97 }),
      });
      assert.equal(res.status, 200);
      const patched = await body(res);
      assert.equal(patched.name, "Heladería Doña Ñeca II");
      assert.equal(patched.lat, 18.43);
      assert.equal(patched.phone, newBusiness.phone, "unchanged fields are kept");
      assert.ok(patched.updatedAt > created.updatedAt);

      res = await f.request(`/api/businesses/${created.id}`, { method: "DELETE", headers: admin });
      assert.equal(res.status, 204);
      expectProblem(await f.request(`/api/businesses/${created.id}`), 404);
      expectProblem(
        await f.request(`/api/businesses/${created.id}`, { method: "DELETE", headers: admin }),
        404,
      );
    });

    it("accepts an HS256 JWT with the admin role and refuses one without it (403)", async () => {
      const exp = Math.floor(Date.now() / 1000) + 60;
      const good = await sign(
        { sub: "ops", role: "admin", exp, iss: JWT_ISSUER, aud: JWT_AUDIENCE },
        JWT_SECRET,
        "HS256",
      );
      const res = await f.request("/api/businesses", {
        method: "POST",
        headers: { authorization: `Bearer ${good}`, "content-type": "application/json" },
        body: JSON.stringify({ ...newBusiness, name: "Por JWT" }),
      });
      assert.equal(res.status, 201);
      const viewer = await sign(
        { sub: "v", roles: ["viewer"], exp, iss: JWT_ISSUER, aud: JWT_AUDIENCE },
        JWT_SECRET,
        "HS256",
      );
      const denied = await f.request("/api/businesses", {
        method: "POST",
        headers: { authorization: `Bearer ${viewer}`, "content-type": "application/json" },
        body: JSON.stringify(newBusiness),
      });
      expectProblem(denied, 403);
    });

    it("401 without a credential, with a wrong key, a wrongly signed or expired JWT", async () => {
      const post = (headers: Record<string, string>) =>
        f.request("/api/businesses", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(newBusiness),
        });
      const res = await post({});
      expectProblem(res, 401);
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
      expectProblem(await post({ authorization: `Bearer ${ADMIN_KEY}x` }), 401);
      expectProblem(await post({ authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }), 401);
      const forged = await sign(
        { role: "admin", exp: Math.floor(Date.now() / 1000) + 60, iss: JWT_ISSUER, aud: JWT_AUDIENCE },
        "another-secret-0123456789abcdef0123",
        "HS256",
      );
      expectProblem(await post({ authorization: `Bearer ${forged}` }), 401);
      const expired = await sign(
        { role: "admin", exp: Math.floor(Date.now() / 1000) - 100, iss: JWT_ISSUER, aud: JWT_AUDIENCE },
        JWT_SECRET,
        "HS256",
      );
      expectProblem(await post({ authorization: `Bearer ${expired}` }), 401);
      expectProblem(await f.request(`/api/businesses/${all[0].id}`, { method: "DELETE" }), 401);
      expectProblem(await f.request("/api/health/dashboard"), 401);
      assert.equal((await f.request(`/api/businesses/${all[0].id}`)).status, 200, "nothing was deleted");
    });

    it("validates bodies: field details, unknown fields, malformed JSON", async () => {
      let res = await f.request("/api/businesses", {
        method: "POST",
        headers: jsonHeaders,
        body: JSON.stringify({ ...newBusiness, lat: 91, category: "Bad Category", extra: 1 }),
      });
      expectProblem(res, 400);
      const fields = (await body(res)).errors.map((e: any) => e.field).sort();
      assert.deepEqual(fields, ["body", "body.category", "body.lat"]);
      res = await f.request("/api/businesses", { method: "POST", headers: jsonHeaders, body: "{not json" });
      expectProblem(res, 400);
      res = await f.request(`/api/businesses/${all[0].id}`, {
        method: "PATCH",
        headers: jsonHeaders,
        body: "{}",
      });
      expectProblem(res, 400);
      assert.match((await body(res)).detail, /at least one field/);
      res = await f.request(`/api/businesses/${all[0].id}`, {
        method: "PATCH",
        headers: jsonHeaders,
        body: JSON.stringify({ lat: 18 }),
      });
      expectProblem(res, 400);
      assert.match((await body(res)).detail, /lat and lng must be changed together/);
    });

    it("415 for a non-JSON content type, 413 for an oversized body", async () => {
      let res = await f.request("/api/businesses", {
        method: "POST",
        headers: { ...admin, "content-type": "text/plain" },
        body: "hola",
      });
      expectProblem(res, 415);
      assert.match((await body(res)).detail, /application\/json/);
      const big = JSON.stringify({ ...newBusiness, description: "x".repeat(f.config.BODY_LIMIT_BYTES) });
      res = await f.request("/api/businesses", { method: "POST", headers: jsonHeaders, body: big });
      expectProblem(res, 413);
    });
  });

  describe("cross-cutting", () => {
    it("returns problem+json 404 for unknown routes without internals", async () => {
      const res = await f.request("/api/nope");
      expectProblem(res, 404);
      const text = JSON.stringify(await body(res));
      assert.doesNotMatch(text, /at .*\.ts|SELECT|stack/i);
    });

    it("sets security headers suitable for a JSON API", async () => {
      const res = await f.request("/health/live");
      assert.match(res.headers.get("strict-transport-security") ?? "", /max-age=31536000; includeSubDomains/);
      assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("x-frame-options"), "DENY");
    });

    it("CORS: allows only configured origins", async () => {
      const ok = await f.request("/api/businesses?limit=1", { headers: { origin: "https://aquita.do" } });
      assert.equal(ok.headers.get("access-control-allow-origin"), "https://aquita.do");
      assert.match(ok.headers.get("access-control-expose-headers") ?? "", /x-request-id/);
      const evil = await f.request("/api/businesses?limit=1", {
        headers: { origin: "https://evil.example" },
      });
      assert.equal(evil.headers.get("access-control-allow-origin"), null);
      const preflight = await f.request("/api/businesses", {
        method: "OPTIONS",
        headers: { origin: "https://aquita.do", "access-control-request-method": "POST" },
      });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
    });

    it("accepts a valid x-request-id, replaces an unsafe one, and logs it", async () => {
      let res = await f.request("/health/live", { headers: { "x-request-id": "abc-123" } });
      assert.equal(res.headers.get("x-request-id"), "abc-123");
      res = await f.request("/health/live", { headers: { "x-request-id": "bad id <script>" } });
      assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
      const line = f.logs.find((l) => l.request_id === "abc-123");
      assert.ok(line, "access log line with the request id");
      assert.equal(line.route, "/health/live");
      assert.equal(line.status, 200);
    });

    it("compresses large responses when asked", async () => {
      const res = await f.request("/api/businesses?limit=100", { headers: { "accept-encoding": "gzip" } });
      assert.equal(res.headers.get("content-encoding"), "gzip");
      const page = JSON.parse(
        await new Response(res.body!.pipeThrough(new DecompressionStream("gzip"))).text(),
      );
      assert.equal(page.items.length, 100);
    });

    it("serves an OpenAPI 3.1 document generated from the schemas", async () => {
      const doc = await body(await f.request("/openapi.json"));
      assert.equal(doc.openapi, "3.1.0");
      for (const p of [
        "/api/businesses",
        "/api/businesses/{id}",
        "/api/businesses/nearby",
        "/api/search/businesses",
      ]) {
        assert.ok(doc.paths[p], p);
      }
      const lat = doc.paths["/api/businesses/nearby"].get.parameters.find((x: any) => x.name === "lat");
      assert.equal(lat.schema.maximum, 90);
      assert.ok(doc.components.schemas.Business);
      assert.deepEqual(doc.paths["/api/businesses"].post.security, [{ bearerAuth: [] }]);
    });
  });

  describe("health", () => {
    it("live and ready", async () => {
      assert.equal((await f.request("/health/live")).status, 200);
      const res = await f.request("/health/ready");
      assert.equal(res.status, 200);
      assert.deepEqual(await body(res), { status: "ready", checks: { postgres: { ok: true } } });
    });

    it("not ready while draining and when the schema is behind the build", async () => {
      f.built.state.draining = true;
      try {
        const res = await f.request("/health/ready");
        assert.equal(res.status, 503);
        assert.match(JSON.stringify(await body(res)), /shutting down/);
      } finally {
        f.built.state.draining = false;
      }
      await f.sql`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`;
      try {
        const res = await f.request("/health/ready");
        assert.equal(res.status, 503);
        assert.match((await body(res)).checks.postgres.error, /run `node dist\/cli.js migrate`/);
      } finally {
        await f.sql`DELETE FROM schema_migrations`;
        const { migrate, loadMigrations } = await import("../src/migrate");
        // Re-record the versions (the schema itself is intact): migrate skips nothing it has not recorded, so
        // insert the rows directly.
        for (const m of loadMigrations()) {
          await f.sql`INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;
        }
        assert.deepEqual((await migrate(f.sql)).applied, []);
      }
    });

    it("dashboard (admin): database, pool saturation against ratios, dependency p95 and error rates", async () => {
      const res = await f.request("/api/health/dashboard", { headers: admin });
      assert.equal(res.status, 200);
      const d = await body(res);
      assert.equal(d.database.status, "up");
      assert.equal(d.database.schemaVersion, d.database.expectedSchemaVersion);
      assert.equal(d.pool.max, 8);
      assert.equal(d.pool.warnRatio, 0.7);
      assert.equal(d.pool.criticalRatio, 0.9);
      assert.ok(d.dependencies.postgres.samples > 10, "queries from earlier tests are in the window");
      assert.equal(typeof d.dependencies.postgres.p95Ms, "number");
      assert.ok(d.http.samples > 10);
      assert.ok(["ok", "degraded"].includes(d.status));
    });

    it("dashboard reports pool saturation as critical when the pool is full", async () => {
      // Hold every pool slot with real slow queries, then read the dashboard.
      const slow = Array.from({ length: 8 }, () =>
        f.db.run("test.sleep", "SELECT pg_sleep(0.6)", (sql) => sql`SELECT pg_sleep(0.6)`),
      );
      await new Promise((r) => setTimeout(r, 150));
      const d = await body(await f.request("/api/health/dashboard", { headers: admin }));
      await Promise.all(slow);
      assert.ok(d.pool.inUse >= 8, `in use ${d.pool.inUse}`);
      assert.equal(d.pool.status, "critical");
      assert.equal(d.status, "critical");
    });
  });

  describe("job refresh-category-counts", () => {
    it("fills the materialized view and /api/categories serves it; a second run refreshes concurrently", async () => {
      assert.deepEqual(
        (await body(await f.request("/api/categories"))).items,
        [],
        "not populated before the first run",
      );
      const first = await runJob("refresh-category-counts", f.db);
      assert.equal(first.concurrently, false);
      const [{ n }] = await f.sql`SELECT count(*)::int AS n FROM businesses`;
      assert.equal(first.businesses, n);
      const items: any[] = (await body(await f.request("/api/categories"))).items;
      const expected = new Map<string, number>();
      for (const b of await f.sql`SELECT category, province FROM businesses`) {
        const k = `${b.category}|${b.province}`;
        expected.set(k, (expected.get(k) ?? 0) + 1);
      }
      assert.equal(items.length, expected.size);
      for (const i of items) assert.equal(i.businesses, expected.get(`${i.category}|${i.province}`));
      await f.request("/api/businesses", {
        method: "POST",
        headers: jsonHeaders,
        body: JSON.stringify({
          name: "Nuevo",
          category: "hotel",
          province: "Azua",
          city: "Azua de Compostela",
          lat: 18.45,
          lng: -70.73,
        }),
      });
      const second = await runJob("refresh-category-counts", f.db);
      assert.equal(second.concurrently, true);
      assert.equal(second.businesses, n + 1);
      await assert.rejects(
        runJob("nope", f.db),
        /unknown job "nope"; known jobs: (.*, )?refresh-category-counts/,
      );
    });
  });
});
