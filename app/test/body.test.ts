/**
 * Request bodies (body.ts) on real PostgreSQL: Content-Encoding gzip/deflate/br decoded under the body limit
 * applied to the inflated body, 415 for other codings, media types parsed with the `content-type` package,
 * and HEAD responses with the Content-Length of the GET body (over a real listener, where it was missing).
 */
import { strict as assert } from "node:assert";
import * as zlib from "node:zlib";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { createFixture, type Fixture } from "./fixture";
import { admin } from "./http";
import { listen, rawRequest, type Listener } from "./listen";

const business = (name: string) => ({
  name,
  description: "Prueba de cuerpos comprimidos.",
  category: "colmado",
  province: "Santiago",
  city: "Santiago",
  lat: 19.45,
  lng: -70.69,
});

describe("request bodies: Content-Encoding, media types, HEAD (real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;

  before(async () => {
    f = await createFixture("body");
    await insertBusinesses(f.sql, generateBusinesses(60, 11));
  });
  after(async () => f?.close());

  async function post(
    body: Uint8Array | string,
    headers: Record<string, string>,
  ): Promise<{ status: number; json: any; res: Response }> {
    const res = await f.request("/api/businesses", {
      method: "POST",
      headers: { ...admin, ...headers },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, res };
  }
  const stored = async (name: string) =>
    (await f.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM businesses WHERE name = ${name}`)[0].n;

  const encoders: Record<string, (b: Buffer) => Buffer> = {
    gzip: (b) => zlib.gzipSync(b),
    deflate: (b) => zlib.deflateSync(b),
    br: (b) => zlib.brotliCompressSync(b),
  };
  for (const [coding, encode] of Object.entries(encoders)) {
    it(`decodes a ${coding} JSON body and stores it`, async () => {
      const name = `Comprimido ${coding}`;
      const r = await post(encode(Buffer.from(JSON.stringify(business(name)))), {
        "content-type": "application/json",
        "content-encoding": coding,
      });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.equal(r.json.name, name);
      assert.equal(await stored(name), 1);
    });
  }

  it("decodes raw deflate and a list of codings (gzip, br applied in that order)", async () => {
    let r = await post(zlib.deflateRawSync(Buffer.from(JSON.stringify(business("Raw deflate")))), {
      "content-type": "application/json",
      "content-encoding": "deflate",
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const both = zlib.brotliCompressSync(zlib.gzipSync(Buffer.from(JSON.stringify(business("Doble")))));
    r = await post(both, { "content-type": "application/json", "content-encoding": "gzip, br" });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(await stored("Doble"), 1);
  });

  it("plain JSON labelled br or gzip is refused (400), not stored as is", async () => {
    for (const coding of ["br", "gzip"]) {
      const name = `Mentira ${coding}`;
      const r = await post(JSON.stringify(business(name)), {
        "content-type": "application/json",
        "content-encoding": coding,
      });
      assert.equal(r.status, 400);
      assert.match(r.json.detail, new RegExp(`not valid ${coding} data`));
      assert.equal(await stored(name), 0);
    }
  });

  it("413 when the inflated body exceeds BODY_LIMIT_BYTES (a small gzip bomb), and for a large encoded body", async () => {
    const limit = f.config.BODY_LIMIT_BYTES;
    const inflated = JSON.stringify({ ...business("Bomba"), description: " ".repeat(limit * 64) });
    const bomb = zlib.gzipSync(Buffer.from(inflated), { level: 9 });
    assert.ok(bomb.byteLength < limit, "the compressed bomb itself is under the limit");
    let r = await post(bomb, { "content-type": "application/json", "content-encoding": "gzip" });
    assert.equal(r.status, 413);
    assert.match(r.json.detail, /once decoded/);
    const random = zlib.gzipSync(Buffer.from(Array.from({ length: limit * 2 }, () => Math.random() * 256)));
    r = await post(random, { "content-type": "application/json", "content-encoding": "gzip" });
    assert.equal(r.status, 413);
    assert.equal(await stored("Bomba"), 0);
  });

  it("415 with Accept-Encoding for an unsupported coding", async () => {
    for (const coding of ["compress", "zstd", "gzip, snappy"]) {
      const r = await post("{}", { "content-type": "application/json", "content-encoding": coding });
      assert.equal(r.status, 415, coding);
      assert.equal(r.res.headers.get("accept-encoding"), "gzip, deflate, br");
      assert.match(r.json.detail, /Content-Encoding/);
    }
  });

  it("accepts every spelling of application/json (parsed media types), refuses other types with 415", async () => {
    const ok = [
      "application/json ; charset=utf-8",
      "application/json; foo",
      "APPLICATION/JSON",
      'application/json; charset="utf-8"',
      "application/json;",
      "application/json; charset=UTF-8",
    ];
    for (const [i, type] of ok.entries()) {
      const r = await post(JSON.stringify(business(`Tipo ${i}`)), { "content-type": type });
      assert.equal(r.status, 201, `${type}: ${JSON.stringify(r.json)}`);
    }
    for (const type of [
      "text/plain",
      "application/jsonx",
      "application/json, text/plain",
      "application/json; charset=latin1",
      "",
    ]) {
      const headers: Record<string, string> = type ? { "content-type": type } : {};
      const r = await post(JSON.stringify(business("No")), headers);
      assert.equal(r.status, 415, `${JSON.stringify(type)} -> ${r.status}`);
    }
  });

  describe("HEAD over a real listener", () => {
    let listener: Listener | undefined;
    before(async () => {
      listener = await listen(f.built);
    });
    after(async () => listener?.close());

    const raw = (method: string, path: string, headers: Record<string, string> = {}) =>
      rawRequest(listener!.port, method, path, headers);

    for (const [path, headers] of [
      ["/api/businesses?limit=3", {}],
      ["/api/businesses?limit=50", { "accept-encoding": "gzip" }],
      ["/health/live", {}],
      ["/api/businesses/00000000-0000-4000-8000-000000000000", {}],
    ] as [string, Record<string, string>][]) {
      it(`HEAD ${path} ${JSON.stringify(headers)}: Content-Length of the GET body, no body`, async () => {
        // A HEAD describes the identity representation (Hono's compress skips HEAD; see body.ts).
        const get = await raw("GET", path, {});
        const head = await raw("HEAD", path, headers);
        assert.equal(head.status, get.status);
        assert.equal(head.bytes, 0);
        assert.equal(head.headers["content-encoding"], undefined);
        assert.equal(head.headers["content-length"], String(get.bytes), `GET sent ${get.bytes} bytes`);
      });
    }
  });
});
