import assert from "node:assert/strict";
import { Hono } from "hono";
import { corsMiddleware } from "../src/cors";
import { setResponseHeader } from "../src/headers";

describe("response headers after next() (headers.ts, cors.ts)", () => {
  it("sets headers on the final response in place, keeping the response object", async () => {
    const app = new Hono();
    let before: Response | undefined;
    let after: Response | undefined;
    app.use("*", async (c, next) => {
      await next();
      before = c.res;
      setResponseHeader(c, "x-one", "1");
      setResponseHeader(c, "vary", "Origin", { append: true });
      after = c.res;
    });
    app.get("/", (c) => c.json({ ok: true }, 200, { vary: "Accept-Encoding" }));
    const res = await app.request("/");
    assert.equal(res.headers.get("x-one"), "1");
    assert.equal(res.headers.get("vary"), "Accept-Encoding, Origin");
    assert.equal(after, before, "the response was not rebuilt");
    assert.deepEqual(await res.json(), { ok: true });
  });

  it("falls back to c.header() when the response's headers are immutable (Response.redirect)", async () => {
    const app = new Hono();
    app.use("*", async (c, next) => {
      await next();
      setResponseHeader(c, "x-one", "1");
    });
    app.get("/", () => Response.redirect("https://example.com/next", 302));
    const res = await app.request("/");
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "https://example.com/next");
    assert.equal(res.headers.get("x-one"), "1");
  });

  it("rethrows what is not an immutability error (an invalid header value)", async () => {
    const app = new Hono();
    let error: unknown;
    app.use("*", async (c, next) => {
      await next();
      try {
        setResponseHeader(c, "x-bad", "a\nb");
      } catch (err) {
        error = err;
      }
    });
    app.get("/", (c) => c.text("ok"));
    await app.request("/");
    assert.ok(error instanceof TypeError, String(error));
  });

  describe("CORS", () => {
    const app = new Hono();
    app.use(
      "*",
      corsMiddleware({
        origins: ["https://ok.example"],
        methods: ["GET", "POST"],
        headers: ["content-type"],
        exposed: ["x-request-id", "traceparent"],
        maxAgeS: 600,
      }),
    );
    app.get("/thing", (c) => c.json({ ok: true }, 200, { vary: "Accept-Encoding" }));

    it("a listed origin gets Allow-Origin and Expose-Headers; Vary: Origin is appended", async () => {
      const res = await app.request("/thing", { headers: { origin: "https://ok.example" } });
      assert.equal(res.headers.get("access-control-allow-origin"), "https://ok.example");
      assert.equal(res.headers.get("access-control-expose-headers"), "x-request-id,traceparent");
      assert.equal(res.headers.get("vary"), "Accept-Encoding, Origin");
      assert.equal(res.headers.get("access-control-allow-credentials"), null);
    });

    it("an unlisted or absent origin gets no CORS headers, but still Vary: Origin (also on 404)", async () => {
      for (const headers of [{ origin: "https://evil.example" }, {}] as Record<string, string>[]) {
        const res = await app.request("/thing", { headers });
        assert.equal(res.headers.get("access-control-allow-origin"), null);
        assert.equal(res.headers.get("access-control-expose-headers"), null);
        assert.match(res.headers.get("vary") ?? "", /Origin/);
      }
      const missing = await app.request("/nothing", { headers: { origin: "https://ok.example" } });
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get("access-control-allow-origin"), "https://ok.example");
    });

    it("preflight is answered by Hono's cors: 204 with methods, headers and max-age; none for other origins", async () => {
      const ok = await app.request("/thing", {
        method: "OPTIONS",
        headers: { origin: "https://ok.example", "access-control-request-method": "POST" },
      });
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get("access-control-allow-origin"), "https://ok.example");
      assert.equal(ok.headers.get("access-control-allow-methods"), "GET,POST");
      assert.equal(ok.headers.get("access-control-allow-headers"), "content-type");
      assert.equal(ok.headers.get("access-control-max-age"), "600");
      const evil = await app.request("/thing", {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      assert.equal(evil.headers.get("access-control-allow-origin"), null);
    });
  });
});
