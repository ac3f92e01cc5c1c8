/**
 * Degraded mode: sharp unavailable (forced with IMAGE_PROCESSOR=fallback, the same code path as a failed
 * `require("sharp")`). Uploads still validate (magic bytes, structure, header dimensions), store the
 * original with its metadata stripped and no variants, on the local filesystem adapter; the dashboard says
 * so. sharp itself is only used here to make fixtures and to inspect what was stored.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import { reloadProcessor } from "../src/images/processor";
import { LocalStorage } from "../src/storage/local";
import { createFixture, type Fixture } from "./fixture";
import { admin } from "./http";
import { createBusiness, upload as uploadImage } from "./images";

describe("images: fallback without sharp (local storage)", function () {
  this.timeout(60_000);
  let dir: string;
  let app: Fixture | undefined;
  let request: (p: string, init?: RequestInit) => Promise<Response>;
  let businessId: string;
  const files = (): string[] =>
    fs.existsSync(path.join(dir, "uploads"))
      ? (fs.readdirSync(path.join(dir, "uploads"), { recursive: true }) as string[])
      : [];
  const stored = (): string[] => files().filter((f) => /\.(jpg|png|webp|avif)$/.test(f));
  const rows = async () => Number((await app!.sql`SELECT count(*)::int AS n FROM business_images`)[0].n);
  const upload = (body: Buffer, type: string) => uploadImage(app!, businessId, body, type);

  before(async () => {
    process.env.IMAGE_PROCESSOR = "fallback";
    reloadProcessor();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-images-local-"));
    app = await createFixture(
      "images_fallback",
      { STORAGE_BACKEND: "local", STORAGE_LOCAL_DIR: dir, IMAGE_MAX_BYTES: String(4 * 1024 * 1024) },
      // STORAGE_PREFIX keeps its default, `uploads` (the directory `files()` reads).
      { storage: new LocalStorage(dir, "uploads") },
    );
    request = app.request;
    businessId = await createBusiness(app);
  });
  after(async () => {
    delete process.env.IMAGE_PROCESSOR;
    reloadProcessor();
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("hostile files are still refused, nothing stored", async () => {
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#123" } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#123" } })
      .jpeg()
      .toBuffer();
    const strip = await sharp({ create: { width: 1, height: 50000, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(60000, 16);
    bomb.writeUInt32BE(60000, 20);
    const cases: [Buffer, string, number][] = [
      [strip, "image/png", 422],
      [bomb, "image/png", 422],
      [png.subarray(0, png.length - 12), "image/png", 400],
      [jpeg.subarray(0, jpeg.length - 2), "image/jpeg", 400],
      [png, "image/jpeg", 415],
      [Buffer.concat([jpeg, Buffer.from("<html><script>x</script></html>")]), "image/jpeg", 400],
    ];
    for (const [body, type, status] of cases) {
      const res = await upload(body, type);
      assert.equal(res.status, status, await res.text());
      assert.match(res.headers.get("content-type") ?? "", /problem\+json/);
    }
    assert.deepEqual(stored(), []);
    assert.equal(await rows(), 0);
  });

  it("WebP and AVIF need sharp: 503 with Retry-After, nothing stored", async () => {
    const webp = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#123" } })
      .webp()
      .toBuffer();
    const res = await upload(webp, "image/webp");
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "60");
    assert.deepEqual(stored(), []);
  });

  it("a JPEG is stored as the original, EXIF (GPS) removed, no variants; the dashboard says degraded", async () => {
    const input = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#a52" } })
      .jpeg()
      .withMetadata({ exif: { IFD3: { GPSLatitudeRef: "N", GPSLatitude: "18/1 28/1 0/1" } } })
      .toBuffer();
    assert.ok((await sharp(input).metadata()).exif, "the fixture has EXIF");
    const res = await upload(input, "image/jpeg");
    assert.equal(res.status, 201, await res.clone().text());
    const body = (await res.json()) as {
      id: string;
      processed: boolean;
      width: number;
      variants: { role: string; contentType: string; url: string }[];
    };
    assert.equal(body.processed, false);
    assert.equal(body.width, 900);
    assert.deepEqual(
      body.variants.map((v) => [v.role, v.contentType]),
      [["original", "image/jpeg"]],
    );
    assert.equal(body.variants[0].url, `/uploads/businesses/${businessId}/${body.id}/original.jpg`);
    const file = path.join(dir, body.variants[0].url);
    const meta = await sharp(fs.readFileSync(file)).metadata();
    assert.equal(meta.exif, undefined, "EXIF stripped");
    assert.equal(meta.width, 900);
    assert.deepEqual(stored(), [`businesses/${businessId}/${body.id}/original.jpg`]);

    const dash = await request("/api/health/dashboard", { headers: admin });
    const d = (await dash.json()) as {
      status: string;
      images: { processor: string; status: string; error: string };
    };
    assert.deepEqual([d.images.processor, d.images.status], ["fallback", "warn"]);
    assert.match(d.images.error, /IMAGE_PROCESSOR=fallback/);
    assert.equal(d.status, "degraded");
  });
});
