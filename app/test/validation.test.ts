/**
 * Admin write bodies and unknown routes answer problem+json (RFC 9457) on real PostgreSQL (seeded directory,
 * directory.ts): field-level errors for bad and unknown fields, malformed JSON, PATCH rules, 415 for a
 * non-JSON media type, 413 over BODY_LIMIT_BYTES, and a 404 that leaks no internals. Content-Encoding and
 * media-type parsing are in body.test.ts.
 */
import { strict as assert } from "node:assert";
import { seedDirectory, newBusiness, type DirectoryRow } from "./directory";
import type { Fixture } from "./fixture";
import { admin, body, expectProblem, jsonAdmin } from "./http";

describe("validation: problem+json for bad bodies and unknown routes (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let all: DirectoryRow[];

  before(async () => ({ f, all } = await seedDirectory("validation")));
  after(async () => f?.close());

  it("validates bodies: field details, unknown fields, malformed JSON", async () => {
    let res = await f.request("/api/businesses", {
      method: "POST",
      headers: jsonAdmin,
      body: JSON.stringify({ ...newBusiness, lat: 91, category: "Bad Category", extra: 1 }),
    });
    expectProblem(res, 400);
    const fields = (await body(res)).errors.map((e: any) => e.field).sort();
    assert.deepEqual(fields, ["body", "body.category", "body.lat"]);
    res = await f.request("/api/businesses", { method: "POST", headers: jsonAdmin, body: "{not json" });
    expectProblem(res, 400);
    res = await f.request(`/api/businesses/${all[0].id}`, {
      method: "PATCH",
      headers: jsonAdmin,
      body: "{}",
    });
    expectProblem(res, 400);
    assert.match((await body(res)).detail, /at least one field/);
    res = await f.request(`/api/businesses/${all[0].id}`, {
      method: "PATCH",
      headers: jsonAdmin,
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
    res = await f.request("/api/businesses", { method: "POST", headers: jsonAdmin, body: big });
    expectProblem(res, 413);
  });

  it("returns problem+json 404 for unknown routes without internals", async () => {
    const res = await f.request("/api/nope");
    expectProblem(res, 404);
    const text = JSON.stringify(await body(res));
    assert.doesNotMatch(text, /at .*\.ts|SELECT|stack/i);
  });
});
