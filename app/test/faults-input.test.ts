/**
 * Fault: text PostgreSQL cannot store (NUL, unpaired surrogates) in any input kind must be a 400 naming the
 * field once (the shared `text()` schema), never a 500 from the database. Real PostgreSQL: without the
 * validation these requests reach the server and fail with `invalid byte sequence for encoding "UTF8": 0x00`.
 */
import { strict as assert } from "node:assert";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { createFixture, type Fixture } from "./fixture";
import { jsonAdmin } from "./http";

describe("fault: unstorable text in inputs (real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let id: string;

  before(async () => {
    f = await createFixture("faults_input");
    await insertBusinesses(f.sql, generateBusinesses(20, 3));
    [{ id }] = await f.sql<{ id: string }[]>`SELECT id FROM businesses LIMIT 1`;
  });
  after(async () => f?.close());

  async function expect400(res: Response, field: string): Promise<void> {
    const text = await res.text();
    assert.equal(res.status, 400, text);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    const problem = JSON.parse(text);
    assert.equal(problem.errors.length, 1, `exactly one error: ${text}`);
    assert.equal(problem.errors[0].field, field);
    assert.match(problem.errors[0].message, /NUL|nextCursor|must be/);
  }

  const cursor = (name: string) => Buffer.from(JSON.stringify([name, id])).toString("base64url");

  const queries: [string, string][] = [
    ["/api/search/businesses?q=ab%00cd", "query.q"],
    ["/api/businesses?province=San%00Juan", "query.province"],
    ["/api/businesses?city=%00", "query.city"],
    ["/api/businesses?category=cafe%00", "query.category"],
    ["/api/businesses?limit=1%00", "query.limit"],
    ["/api/businesses/nearby?lat=18%00&lng=-69.9", "query.lat"],
  ];
  for (const [path, field] of queries) {
    it(`GET ${path} -> 400 naming ${field}`, async () => {
      await expect400(await f.request(path), field);
    });
  }

  it("an undecodable escape (%ED%A0%80, a UTF-8-encoded surrogate) is kept as storable text, not a 500", async () => {
    const res = await f.request("/api/search/businesses?q=ab%ED%A0%80cd");
    assert.equal(res.status, 200, await res.text());
  });

  it("a crafted cursor carrying a NUL -> 400 naming query.cursor (a real cursor still works)", async () => {
    const ok = await f.request(`/api/businesses?cursor=${cursor("A")}`);
    assert.equal(ok.status, 200, await ok.text());
    await expect400(await f.request(`/api/businesses?cursor=${cursor("a\u0000b")}`), "query.cursor");
    await expect400(await f.request(`/api/businesses?cursor=${cursor("a\ud800b")}`), "query.cursor");
  });

  it("a NUL in a path parameter -> 400 naming param.id", async () => {
    await expect400(await f.request(`/api/businesses/${id}%00`), "param.id");
    await expect400(await f.request(`/api/businesses/%00`), "param.id");
  });

  const body = {
    name: "Colmado Prueba",
    description: "desc",
    category: "colmado",
    province: "Santiago",
    city: "Santiago",
    address: "Calle 1",
    phone: "+1 809-555-0100",
    lat: 19.45,
    lng: -70.69,
  };
  for (const key of ["name", "description", "province", "city", "address", "phone"] as const) {
    it(`POST body.${key} with a NUL -> 400 naming body.${key}, nothing stored`, async () => {
      const res = await f.request("/api/businesses", {
        method: "POST",
        headers: jsonAdmin,
        body: JSON.stringify({ ...body, [key]: `a\u0000b` }),
      });
      await expect400(res, `body.${key}`);
      const [{ n }] = await f.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM businesses`;
      assert.equal(n, 20);
    });
  }

  it("PATCH with a NUL or an unpaired surrogate -> 400 naming the field; clean text is stored", async () => {
    for (const value of ["x\u0000", "x\udc00y"]) {
      const res = await f.request(`/api/businesses/${id}`, {
        method: "PATCH",
        headers: jsonAdmin,
        body: JSON.stringify({ description: value }),
      });
      await expect400(res, "body.description");
    }
    const res = await f.request(`/api/businesses/${id}`, {
      method: "PATCH",
      headers: jsonAdmin,
      body: JSON.stringify({ description: "Ñandú 🦤 ok" }),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(JSON.parse(text).description, "Ñandú 🦤 ok");
  });
});
