/**
 * The refresh-category-counts job on real PostgreSQL (seeded directory, directory.ts): the first run fills
 * the materialized view /api/categories serves, a later run refreshes it concurrently and sees new rows, and
 * an unknown job name lists the known ones.
 */
import { strict as assert } from "node:assert";
import { runJob } from "../src/jobs";
import { seedDirectory } from "./directory";
import type { Fixture } from "./fixture";
import { body, jsonAdmin } from "./http";

describe("job refresh-category-counts (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;

  before(async () => ({ f } = await seedDirectory("jobs")));
  after(async () => f?.close());

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
      headers: jsonAdmin,
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
