import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createFixture, type Fixture } from "./fixture";
import { body } from "./http";

type Op = { responses: Record<string, { $ref?: string; headers?: Record<string, unknown> }> };
type Doc = { paths: Record<string, Record<string, Op>>; components: Record<string, Record<string, unknown>> };

describe("OpenAPI document: every operation's cross-cutting responses (real PostgreSQL)", () => {
  let f: Fixture;
  let doc: Doc;
  const ops = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([m]) => ["get", "post", "put", "patch", "delete", "head"].includes(m))
        .map(([method, op]) => ({ path, method, op })),
    );

  before(async () => {
    f = await createFixture("openapi");
    doc = (await (await f.request("/openapi.json")).json()) as Doc;
  });
  after(() => f?.close());

  it("serves an OpenAPI 3.1 document generated from the schemas", async () => {
    // Fetched again and read untyped: this test checks what GET /openapi.json serves, from scratch.
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

  it("is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)", async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
  });

  it("every operation documents 308 (path not in normal form) and 500", () => {
    assert.ok(ops().length > 15, `only ${ops().length} operations`);
    for (const { path, method, op } of ops()) {
      assert.equal(
        op.responses["308"]?.$ref,
        "#/components/responses/PermanentRedirect",
        `${method} ${path}`,
      );
      assert.ok(op.responses["500"], `${method} ${path} lacks 500`);
    }
  });

  it("every /api operation documents 503 with Retry-After; rate-limited ones 429 with the RateLimit headers", () => {
    for (const { path, method, op } of ops().filter((o) => o.path.startsWith("/api/"))) {
      assert.ok(op.responses["503"], `${method} ${path} lacks 503`);
      assert.equal(op.responses["429"]?.$ref, "#/components/responses/TooManyRequests", `${method} ${path}`);
    }
    const tooMany = doc.components.responses.TooManyRequests as { headers: Record<string, unknown> };
    assert.deepEqual(Object.keys(tooMany.headers).sort(), ["RateLimit", "RateLimit-Policy", "Retry-After"]);
    const unavailable = doc.components.responses.ServiceUnavailable as { headers: Record<string, unknown> };
    assert.ok(unavailable.headers["Retry-After"]);
    const ok = doc.paths["/api/businesses"].get.responses["200"].headers ?? {};
    assert.ok(ok["RateLimit-Policy"] && ok.RateLimit, "a limited success carries the RateLimit headers");
  });

  it("probes (outside /api) are not documented as rate limited", () => {
    for (const { path, op } of ops().filter((o) => o.path.startsWith("/health"))) {
      assert.equal(op.responses["429"], undefined, path);
    }
  });

  it("the four cached reads document X-Cache on 200; others do not", () => {
    const cached = [
      "/api/businesses",
      "/api/businesses/nearby",
      "/api/businesses/{id}",
      "/api/search/businesses",
    ];
    for (const p of cached) {
      assert.ok(doc.paths[p].get.responses["200"].headers?.["X-Cache"], `${p} lacks X-Cache`);
    }
    assert.equal(doc.paths["/api/categories"]?.get.responses["200"].headers?.["X-Cache"], undefined);
  });

  it("a status a route documents itself is kept as written (image upload's 503)", () => {
    const upload = doc.paths["/api/businesses/{id}/images"].post.responses["503"];
    assert.equal(upload.$ref, undefined, "the route's own 503 (storage unavailable) is not replaced");
  });

  it("every response carries x-request-id and traceparent", () => {
    for (const { path, method, op } of ops()) {
      for (const [code, r] of Object.entries(op.responses)) {
        if (r.$ref) continue;
        assert.ok(r.headers?.["x-request-id"] && r.headers?.traceparent, `${method} ${path} ${code}`);
      }
    }
  });
});
