/**
 * Image uploads end to end: the whole Hono app on a fresh PostgreSQL database, storing into a real
 * S3-compatible server (s3rver, test/s3.ts). Fixtures are generated with sharp; hostile files are built
 * from them. After each rejected upload the bucket and the tables are checked: nothing stored.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import * as zlib from "node:zlib";
import sharp from "sharp";
import { createApp } from "../src/app";
import { createSql, Db, type Sql } from "../src/db";
import { loadConfig, type Config } from "../src/env";
import { reloadProcessor } from "../src/images/processor";
import { createLogger } from "../src/logger";
import { migrate } from "../src/migrate";
import { S3Storage } from "../src/storage/s3";
import type { ObjectStorage } from "../src/storage/types";
import { ADMIN_KEY, createDatabase, testEnv } from "./harness";
import { S3_TEST_CREDENTIALS, startS3, type S3Server } from "./s3";

const CDN = "https://cdn.test.example";
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const CHROME_ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

interface TestApp {
  config: Config;
  sql: Sql;
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

async function imageApp(label: string, storage: ObjectStorage | undefined, env: Record<string, string> = {}) {
  const database = await createDatabase(label);
  const config = loadConfig(
    testEnv(database.url, {
      STORAGE_BACKEND: storage ? storage.kind : "none",
      STORAGE_BUCKET: "meridian-test-assets",
      STORAGE_REGION: "us-east-1",
      STORAGE_PUBLIC_BASE_URL: CDN,
      IMAGE_MAX_BYTES: String(2 * 1024 * 1024),
      ...env,
    }),
  );
  const sql = createSql(config);
  await migrate(sql);
  const db = new Db(sql, config.poolMax);
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const built = createApp({ config, db, logger: createLogger("silent", sink), storage });
  const app: TestApp = {
    config,
    sql,
    request: (path, init) => Promise.resolve(built.app.request(path, init)),
    close: async () => {
      await sql.end({ timeout: 5 });
      await database.drop();
    },
  };
  return app;
}

async function createBusiness(app: TestApp): Promise<string> {
  const res = await app.request("/api/businesses", {
    method: "POST",
    headers: { ...admin, "content-type": "application/json" },
    body: JSON.stringify({
      name: "Colmado Luz",
      category: "colmado",
      province: "Santiago",
      city: "Santiago",
      lat: 19.45,
      lng: -70.69,
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { id: string }).id;
}

const upload = (app: TestApp, id: string, body: Buffer, type: string, headers: Record<string, string> = {}) =>
  app.request(`/api/businesses/${id}/images`, {
    method: "POST",
    headers: { ...admin, "content-type": type, ...headers },
    body: new Uint8Array(body),
  });

/** A 1600x1200 photo-like JPEG with EXIF orientation 6 (rotate 90°) and a GPS position. */
async function photo(): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#3a7" } })
    .composite([
      {
        input: Buffer.from(
          '<svg width="400" height="300"><rect width="400" height="300" fill="#c33"/></svg>',
        ),
        top: 0,
        left: 0,
      },
    ])
    .jpeg({ quality: 85 })
    .withMetadata({
      orientation: 6,
      exif: {
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "18/1 28/1 0/1",
          GPSLongitudeRef: "W",
          GPSLongitude: "69/1 56/1 0/1",
        },
      },
    })
    .toBuffer();
}

const small = (format: "png" | "webp" | "avif" | "jpeg", width = 700, height = 500) =>
  sharp({ create: { width, height, channels: 3, background: "#248" } })
    .toFormat(format)
    .toBuffer();

async function problemOf(res: Response, status: number): Promise<{ detail: string; status: number }> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get("content-type") ?? "", /application\/problem\+json/);
  const body = JSON.parse(text) as { detail: string; status: number };
  assert.equal(body.status, status);
  return body;
}

describe("images: uploads to S3 (s3rver) with sharp", function () {
  this.timeout(120_000);
  let s3: S3Server;
  let storage: S3Storage;
  let app: TestApp;
  let businessId: string;

  const rowCount = async () => Number((await app.sql`SELECT count(*)::int AS n FROM business_images`)[0].n);
  const variantCount = async () =>
    Number((await app.sql`SELECT count(*)::int AS n FROM image_variants`)[0].n);

  before(async () => {
    delete process.env.IMAGE_PROCESSOR;
    reloadProcessor();
    s3 = await startS3();
    storage = new S3Storage({
      bucket: s3.bucket,
      prefix: "uploads",
      region: "us-east-1",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: S3_TEST_CREDENTIALS,
    });
    app = await imageApp("images_s3", storage);
    businessId = await createBusiness(app);
  });
  after(async () => {
    storage?.destroy();
    await app?.close();
    await s3?.stop();
  });

  describe("hostile and invalid files: a clean 4xx, nothing stored", () => {
    afterEach(async () => {
      assert.deepEqual(await s3.keys(), [], "nothing may be written to the bucket");
      assert.equal(await rowCount(), 0, "no business_images row");
      assert.equal(await variantCount(), 0, "no image_variants row");
    });

    it("a decompression bomb (8000x8000 pixels in a small PNG) is refused by the pixel limit", async () => {
      const bomb = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: "#fff" } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      assert.ok(bomb.length < 2 * 1024 * 1024, `bomb is ${bomb.length} bytes`);
      const p = await problemOf(await upload(app, businessId, bomb, "image/png"), 422);
      assert.match(p.detail, /8000x8000 = 64000000 pixels; at most 40000000 \(IMAGE_MAX_PIXELS\)/);
    });

    it("a tiny PNG whose header claims 60000x60000 is refused before decoding", async () => {
      const png = Buffer.from(await small("png", 16, 16));
      // IHDR data starts at byte 16: width, height (big-endian), then the chunk CRC over type + data.
      png.writeUInt32BE(60000, 16);
      png.writeUInt32BE(60000, 20);
      png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
      const p = await problemOf(await upload(app, businessId, png, "image/png"), 422);
      assert.match(p.detail, /60000x60000/);
    });

    it("a truncated JPEG", async () => {
      const jpeg = await photo();
      const p = await problemOf(
        await upload(app, businessId, jpeg.subarray(0, jpeg.length / 2), "image/jpeg"),
        400,
      );
      assert.match(p.detail, /truncated/);
    });

    it("a truncated PNG", async () => {
      const png = await small("png");
      await problemOf(await upload(app, businessId, png.subarray(0, png.length - 20), "image/png"), 400);
    });

    it("a PNG renamed .jpg and sent as image/jpeg", async () => {
      const png = await small("png");
      const named = { "content-disposition": 'attachment; filename="photo.jpg"' };
      let p = await problemOf(await upload(app, businessId, png, "image/jpeg", named), 415);
      assert.match(p.detail, /Content-Type says image\/jpeg but the content is image\/png/);
      // Honest Content-Type, lying file name: still refused.
      p = await problemOf(await upload(app, businessId, png, "image/png", named), 415);
      assert.match(p.detail, /the file name "photo.jpg" says image\/jpeg but the content is image\/png/);
      p = await problemOf(
        await upload(app, businessId, png, "image/png", {
          "content-disposition": 'attachment; filename="x.html"',
        }),
        415,
      );
      assert.match(p.detail, /says "\.html"/);
      p = await problemOf(
        await upload(app, businessId, png, "image/png", { "content-disposition": "attachment; filename=" }),
        400,
      );
      assert.match(p.detail, /Content-Disposition/);
    });

    it("a polyglot: a valid JPEG with an HTML/ZIP payload appended", async () => {
      const jpeg = await small("jpeg");
      const payload = Buffer.concat([
        Buffer.from("<html><script>alert(1)</script></html>"),
        Buffer.from("PK\x05\x06" + "\0".repeat(18), "latin1"),
      ]);
      const p = await problemOf(
        await upload(app, businessId, Buffer.concat([jpeg, payload]), "image/jpeg"),
        400,
      );
      assert.match(p.detail, /bytes after its end-of-image marker/);
    });

    it("a polyglot: a JPEG header followed by an HTML document", async () => {
      const fake = Buffer.concat([
        Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
        Buffer.from("JFIF\0<!doctype html><html><body>hi</body></html>"),
      ]);
      await problemOf(await upload(app, businessId, fake, "image/jpeg"), 400);
    });

    it("a 1x50000 image", async () => {
      const strip = await sharp({ create: { width: 1, height: 50000, channels: 3, background: "#000" } })
        .png()
        .toBuffer();
      const p = await problemOf(await upload(app, businessId, strip, "image/png"), 422);
      assert.match(p.detail, /1x50000 pixels; each side may be at most 8192/);
    });

    it("not an image at all (HTML sent as image/png)", async () => {
      const p = await problemOf(
        await upload(app, businessId, Buffer.from("<html>hi</html>"), "image/png"),
        415,
      );
      assert.match(p.detail, /not a JPEG, PNG, WebP or AVIF image/);
    });

    it("a declared type outside the list (image/svg+xml, application/json) is 415 naming the allowed types", async () => {
      let p = await problemOf(await upload(app, businessId, Buffer.from("<svg/>"), "image/svg+xml"), 415);
      assert.match(p.detail, /image\/jpeg, image\/png, image\/webp, image\/avif/);
      p = await problemOf(await upload(app, businessId, Buffer.from("{}"), "application/json"), 415);
      assert.match(p.detail, /got "application\/json"/);
    });

    it("an empty body is 400; a body over IMAGE_MAX_BYTES is 413", async () => {
      await problemOf(await upload(app, businessId, Buffer.alloc(0), "image/jpeg"), 400);
      const p = await problemOf(
        await upload(app, businessId, Buffer.alloc(2 * 1024 * 1024 + 1, 0xff), "image/jpeg"),
        413,
      );
      assert.match(p.detail, /IMAGE_MAX_BYTES/);
    });

    it("without the admin credential: 401; an unknown business: 404; a bad id: 400", async () => {
      const png = await small("png");
      let res = await app.request(`/api/businesses/${businessId}/images`, {
        method: "POST",
        headers: { "content-type": "image/png" },
        body: new Uint8Array(png),
      });
      await problemOf(res, 401);
      res = await upload(app, "00000000-0000-4000-8000-000000000000", png, "image/png");
      await problemOf(res, 404);
      res = await upload(app, "not-a-uuid", png, "image/png");
      const p = await problemOf(res, 400);
      assert.match(p.detail, /param\.id/);
    });
  });

  describe("accepted uploads", () => {
    let imageId: string;

    it("a JPEG with EXIF GPS and orientation 6: rotated, stripped, AVIF/WebP/JPEG at each width", async () => {
      const input = await photo();
      const meta = await sharp(input).metadata();
      assert.equal(meta.orientation, 6);
      assert.ok(meta.exif?.includes(Buffer.from("N\0")), "the fixture carries a GPS latitude ref");
      const res = await upload(app, businessId, input, "image/jpeg");
      const text = await res.text();
      assert.equal(res.status, 201, text);
      const body = JSON.parse(text) as {
        id: string;
        width: number;
        height: number;
        processed: boolean;
        variants: { url: string; contentType: string; width: number; height: number; bytes: number }[];
        sources: { type: string; srcset: string }[];
        preferred: { contentType: string; width: number };
        fallback: { contentType: string; url: string };
      };
      imageId = body.id;
      assert.equal(res.headers.get("location"), `/api/businesses/${businessId}/images/${body.id}`);
      // 1600x1200 rotated by orientation 6 is displayed 1200x1600.
      assert.deepEqual([body.width, body.height, body.processed], [1200, 1600, true]);
      // IMAGE_WIDTHS 320, 640, 1280: 1280 is wider than the 1200 px image, so 320 and 640 only.
      assert.deepEqual(
        [...new Set(body.variants.map((v) => v.width))].sort((a, b) => a - b),
        [320, 640],
      );
      assert.deepEqual(
        body.sources.map((s) => s.type),
        ["image/avif", "image/webp", "image/jpeg"],
      );
      assert.match(
        body.sources[0].srcset,
        new RegExp(
          `^${CDN}/uploads/businesses/${businessId}/${body.id}/320\\.avif 320w, .*/640\\.avif 640w$`,
        ),
      );
      assert.equal(body.fallback.contentType, "image/jpeg");

      // The bucket holds exactly these objects, each with its type and an immutable cache policy.
      const keys = await s3.keys();
      assert.deepEqual(keys, body.variants.map((v) => v.url.slice(`${CDN}/`.length)).sort());
      for (const v of body.variants) {
        const obj = await s3.client.send(
          new GetObjectCommand({ Bucket: s3.bucket, Key: v.url.slice(`${CDN}/`.length) }),
        );
        assert.equal(obj.ContentType, v.contentType);
        assert.equal(obj.CacheControl, "public, max-age=31536000, immutable");
        const bytes = Buffer.from(await obj.Body!.transformToByteArray());
        assert.equal(bytes.length, v.bytes);
        const m = await sharp(bytes).metadata();
        assert.equal(m.exif, undefined, `${v.url} must carry no EXIF`);
        assert.equal(m.xmp, undefined);
        assert.ok(m.height! > m.width!, "auto-rotated: portrait");
      }
      assert.equal(await rowCount(), 1);
      assert.equal(await variantCount(), 6);
    });

    it("PNG, WebP and AVIF uploads are accepted", async () => {
      for (const f of ["png", "webp", "avif"] as const) {
        const res = await upload(app, businessId, await small(f), `image/${f}`, {
          "content-disposition": `attachment; filename="Fachada.${f.toUpperCase()}"`,
        });
        assert.equal(res.status, 201, await res.clone().text());
        const body = (await res.json()) as { width: number; variants: unknown[] };
        assert.equal(body.width, 700);
        assert.equal(body.variants.length, 6); // 320 and 640 (1280 > 700) x 3 formats
      }
    });

    it("GET lists the images; `preferred` follows Accept (explicit types only)", async () => {
      const list = async (accept?: string) => {
        const res = await app.request(
          `/api/businesses/${businessId}/images`,
          accept ? { headers: { accept } } : {},
        );
        assert.equal(res.status, 200);
        assert.match(res.headers.get("vary") ?? "", /Accept/);
        return (await res.json()) as {
          items: { id: string; preferred: { contentType: string; width: number; url: string } }[];
        };
      };
      let body = await list(CHROME_ACCEPT);
      assert.equal(body.items.length, 4);
      assert.equal(body.items[0].id, imageId);
      assert.equal(body.items[0].preferred.contentType, "image/avif");
      assert.equal(body.items[0].preferred.width, 640);
      assert.ok(body.items[0].preferred.url.startsWith(`${CDN}/uploads/`));
      body = await list("image/webp,image/png,image/*;q=0.8");
      assert.equal(body.items[0].preferred.contentType, "image/webp");
      body = await list("image/avif;q=0,image/webp;q=0.9,*/*;q=0.1");
      assert.equal(body.items[0].preferred.contentType, "image/webp");
      body = await list("*/*");
      assert.equal(body.items[0].preferred.contentType, "image/jpeg");
      body = await list();
      assert.equal(body.items[0].preferred.contentType, "image/jpeg");
    });

    it("GET one image redirects to the variant chosen by Accept and width", async () => {
      let res = await app.request(`/api/businesses/${businessId}/images/${imageId}?width=300`, {
        headers: { accept: CHROME_ACCEPT },
      });
      assert.equal(res.status, 302);
      assert.equal(
        res.headers.get("location"),
        `${CDN}/uploads/businesses/${businessId}/${imageId}/320.avif`,
      );
      res = await app.request(`/api/businesses/${businessId}/images/${imageId}?width=5000`, {
        headers: { accept: "image/webp" },
      });
      assert.equal(
        res.headers.get("location"),
        `${CDN}/uploads/businesses/${businessId}/${imageId}/640.webp`,
      );
      res = await app.request(`/api/businesses/${businessId}/images/${imageId}?width=abc`);
      const p = await problemOf(res, 400);
      assert.match(p.detail, /query\.width/);
      res = await app.request(`/api/businesses/${businessId}/images/00000000-0000-4000-8000-000000000000`);
      await problemOf(res, 404);
    });

    it("GET for an unknown business is 404", async () => {
      await problemOf(await app.request("/api/businesses/00000000-0000-4000-8000-000000000000/images"), 404);
    });

    it("OpenAPI documents the upload (binary image bodies) and the list", async () => {
      const doc = (await (await app.request("/openapi.json")).json()) as {
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
      };
      const post = doc.paths["/api/businesses/{id}/images"].post;
      assert.deepEqual(Object.keys(post.requestBody!.content).sort(), [
        "image/avif",
        "image/jpeg",
        "image/png",
        "image/webp",
      ]);
      assert.ok(doc.paths["/api/businesses/{id}/images"].get);
      assert.ok(doc.paths["/api/businesses/{id}/images/{imageId}"].get);
    });

    it("the dashboard reports the image processor", async () => {
      const res = await app.request("/api/health/dashboard", { headers: admin });
      const body = (await res.json()) as { images: { processor: string; storage: string; status: string } };
      assert.deepEqual(
        [body.images.processor, body.images.storage, body.images.status],
        ["sharp", "s3", "ok"],
      );
    });
  });
});

describe("images: storage failures and missing storage", function () {
  this.timeout(60_000);

  it("a storage outage answers 503 and leaves no row", async () => {
    // Nothing listens on port 9 of 127.0.0.1 (discard): every write fails fast.
    const storage = new S3Storage({
      bucket: "meridian-test-assets",
      prefix: "uploads",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:9",
      forcePathStyle: true,
      credentials: S3_TEST_CREDENTIALS,
      requestTimeoutMs: 2000,
    });
    const app = await imageApp("images_outage", storage);
    try {
      const id = await createBusiness(app);
      const p = await problemOf(await upload(app, id, await small("png"), "image/png"), 503);
      assert.match(p.detail, /object storage is unavailable/);
      assert.equal(Number((await app.sql`SELECT count(*)::int AS n FROM business_images`)[0].n), 0);
    } finally {
      storage.destroy();
      await app.close();
    }
  });

  it("STORAGE_BACKEND=none: uploads answer 503 naming the setting", async () => {
    const app = await imageApp("images_none", undefined);
    try {
      const id = await createBusiness(app);
      const p = await problemOf(await upload(app, id, await small("png"), "image/png"), 503);
      assert.match(p.detail, /STORAGE_BACKEND=none/);
    } finally {
      await app.close();
    }
  });
});
