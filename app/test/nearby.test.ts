/**
 * GET /api/businesses/nearby on real PostgreSQL/PostGIS (seeded directory, directory.ts): the ranking checked
 * against a brute-force haversine over every seeded row, the category filter, and bad coordinates.
 */
import { strict as assert } from "node:assert";
import { seedDirectory, type DirectoryRow } from "./directory";
import type { Fixture } from "./fixture";
import { body, expectProblem } from "./http";

const EARTH_RADIUS_M = 6371008.8; // PostGIS sphere (mean radius)
function haversine(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}

describe("GET /api/businesses/nearby (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let all: DirectoryRow[];

  before(async () => ({ f, all } = await seedDirectory("nearby")));
  after(async () => f?.close());

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
    const res = await f.request("/api/businesses/nearby?lat=18.4861&lng=-69.9312&radius=3000&category=hotel");
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
