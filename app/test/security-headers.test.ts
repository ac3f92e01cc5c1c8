/**
 * Headers every response carries, through the whole app on real PostgreSQL (seeded directory, directory.ts):
 * security headers for a JSON API, CORS for the configured origins only (CORS_ALLOWED_ORIGINS in harness.ts),
 * the request id (accepted, replaced when unsafe, logged), and gzip compression of large responses. The
 * headers.ts/cors.ts mechanics are unit-tested in headers.test.ts.
 */
import { strict as assert } from "node:assert";
import { seedDirectory } from "./directory";
import type { Fixture } from "./fixture";

describe("security headers, CORS, request id, compression (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;

  before(async () => ({ f } = await seedDirectory("security_headers")));
  after(async () => f?.close());

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
});
