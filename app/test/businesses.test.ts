/**
 * The business directory's read and write routes on real PostgreSQL (seeded directory, directory.ts):
 * keyset pagination and filters, one business by id, and the admin create/patch/delete cycle.
 */
import { strict as assert } from "node:assert";
import { seedDirectory, KNOWN, newBusiness, type DirectoryRow } from "./directory";
import type { Fixture } from "./fixture";
import { admin, body, expectProblem, jsonAdmin } from "./http";

describe("businesses (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let all: DirectoryRow[];

  before(async () => ({ f, all } = await seedDirectory("businesses")));
  after(async () => f?.close());

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

  describe("admin writes", () => {
    it("creates, patches and deletes a business with the admin API key", async () => {
      let res = await f.request("/api/businesses", {
        method: "POST",
        headers: jsonAdmin,
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
        headers: jsonAdmin,
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
  });
});
