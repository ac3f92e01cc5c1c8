/**
 * The GCS adapter (src/storage/gcs.ts) against a real GCS JSON API emulator: the Cloud Storage emulator of
 * firebase-tools, started by test/gcs.ts. What is stored is read back through the emulator's JSON API
 * (another @google-cloud/storage client), not from the adapter's own requests. Covered here: the adapter's
 * whole surface (put with contentType and cacheControl, overwrite, delete incl. a missing object, key
 * validation before any request, an unreachable server) and the image upload flow end to end with
 * STORAGE_BACKEND=gcs (variants stored and readable, a hostile file storing nothing, an outage answering 503).
 * The adapter's client checks the CRC32C the emulator computes over the bytes it received (`validation`).
 *
 * What the emulator does NOT check (so neither do these tests; the request-contract tests in storage.test.ts
 * cover what they can):
 * - authentication and IAM: every JSON API request is allowed, with any credential or none (its admin storage
 *   layer; Firebase Security Rules apply only to the Firebase SDK endpoints, and are not loaded here). That the
 *   adapter sends no credential to a custom endpoint is checked by the request-contract test;
 * - buckets: there are none to create (`buckets.insert` answers 501); a write to any bucket name, even one
 *   GCS would refuse (`Bad_Bucket!`), creates it, and listing an unknown bucket is empty: GCS would answer
 *   404 (the test below pins this, so a change in the emulator is noticed);
 * - preconditions (`ifGenerationMatch`), retention, versioning, storage classes, quotas, rate limits, 429/503
 *   answers (the client's retry policy is not exercised), signed URLs, public access and the CDN in front;
 * - the upload type the client chooses: the emulator accepts multipart and resumable alike; that the adapter
 *   makes one multipart request (no resumable session) is checked by the request-contract test.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { reloadProcessor } from "../src/images/processor";
import type { GcsStorage } from "../src/storage/gcs";
import { gcsStorage, startGcs, type GcsServer } from "./gcs";
import { problemOf } from "./http";
import { CDN, createBusiness, imageApp, photo, small, upload } from "./images";

const opts = { contentType: "image/avif", cacheControl: "public, max-age=31536000, immutable" };

/** Bytes that stress a multipart body: every byte value, CRLFs and a boundary-like line, 256 KiB in all. */
function awkwardBytes(): Buffer {
  const head = Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    Buffer.from("\r\n--boundary\r\nContent-Type: text/plain\r\n\r\n"),
  ]);
  return Buffer.concat([head, Buffer.alloc(256 * 1024 - head.length, 0xa5)]);
}

describe("storage: GCS adapter against the firebase-tools Cloud Storage emulator", function () {
  this.timeout(60_000);
  let gcs: GcsServer;
  let storage: GcsStorage;
  before(async () => {
    gcs = await startGcs("meridian-storage-gcs-test");
    storage = gcsStorage(gcs);
  });
  after(async () => gcs?.stop());

  it("puts objects under the prefix with their type, cache policy and exact bytes", async () => {
    assert.equal(storage.location, "gs://meridian-storage-gcs-test/uploads");
    const body = awkwardBytes();
    await storage.put("businesses/b/i/640.avif", body, opts);
    await storage.put("businesses/b/i/640.jpg", Buffer.from("jpeg"), { ...opts, contentType: "image/jpeg" });
    assert.deepEqual(await gcs.objects(), [
      "uploads/businesses/b/i/640.avif",
      "uploads/businesses/b/i/640.jpg",
    ]);
    const file = gcs.client.bucket(gcs.bucket).file("uploads/businesses/b/i/640.avif");
    const [meta] = await file.getMetadata();
    assert.equal(meta.contentType, "image/avif");
    assert.equal(meta.cacheControl, opts.cacheControl);
    assert.equal(Number(meta.size), body.length);
    const [read] = await file.download();
    assert.ok(read.equals(body), "the stored bytes are the bytes put");
  });

  it("overwrites an existing object (bytes and metadata)", async () => {
    await storage.put("businesses/b/i/640.jpg", Buffer.from("second"), {
      contentType: "image/webp",
      cacheControl: "no-store",
    });
    const file = gcs.client.bucket(gcs.bucket).file("uploads/businesses/b/i/640.jpg");
    const [meta] = await file.getMetadata();
    assert.deepEqual([meta.contentType, meta.cacheControl], ["image/webp", "no-store"]);
    assert.equal((await file.download())[0].toString(), "second");
  });

  it("deletes objects by key; a missing one is not an error (the server answers 404, the adapter ignores it)", async () => {
    const missing = gcs.client.bucket(gcs.bucket).file("uploads/businesses/b/i/none.webp");
    await assert.rejects(missing.delete(), (e: { code?: number }) => e.code === 404);
    await storage.delete(["businesses/b/i/640.avif", "businesses/b/i/640.jpg", "businesses/b/i/none.webp"]);
    assert.deepEqual(await gcs.objects(), []);
    await assert.rejects(
      gcs.client.bucket(gcs.bucket).file("uploads/businesses/b/i/640.avif").download(),
      (e: { code?: number }) => e.code === 404,
    );
  });

  it("refuses an unsafe key before any request", async () => {
    await assert.rejects(storage.put("../escape.avif", Buffer.from("x"), opts), /invalid object key/);
    await assert.rejects(storage.delete(["a/../../b"]), /invalid object key/);
    assert.deepEqual(await gcs.objects(), []);
  });

  it("does not check buckets: a write to a name GCS refuses creates it (documented gap, pinned)", async () => {
    const bad = gcsStorage(gcs, { bucket: "Bad_Bucket!" });
    await bad.put("x.avif", Buffer.from("x"), opts);
    const [files] = await gcs.client.bucket("Bad_Bucket!").getFiles();
    assert.deepEqual(
      files.map((f) => f.name),
      ["uploads/x.avif"],
    );
    const [unknown] = await gcs.client.bucket("never-written").getFiles();
    assert.deepEqual(unknown, []);
  });

  it("an unreachable server: put and delete reject (after the client's retries)", async () => {
    // Nothing listens on port 9 of 127.0.0.1 (discard): every request is refused at once.
    const down = gcsStorage({ bucket: gcs.bucket, endpoint: "http://127.0.0.1:9" });
    await assert.rejects(down.put("y.avif", Buffer.from("y"), opts), /ECONNREFUSED/);
    await assert.rejects(down.delete(["y.avif"]), /ECONNREFUSED/);
  });
});

describe("images: uploads with STORAGE_BACKEND=gcs into the emulator, end to end (sharp)", function () {
  this.timeout(120_000);
  let gcs: GcsServer;

  before(async () => {
    delete process.env.IMAGE_PROCESSOR;
    reloadProcessor();
    gcs = await startGcs();
  });
  after(async () => gcs?.stop());

  /** business_images rows of the fixture's database. */
  const rows = async (app: Awaited<ReturnType<typeof imageApp>>) =>
    Number((await app.sql`SELECT count(*)::int AS n FROM business_images`)[0].n);

  it("stores every variant with its type and cache policy; a hostile file stores nothing", async () => {
    const app = await imageApp("images_gcs", gcsStorage(gcs));
    try {
      assert.equal(app.config.STORAGE_BACKEND, "gcs");
      const businessId = await createBusiness(app);
      const res = await upload(app, businessId, await photo(), "image/jpeg");
      const text = await res.text();
      assert.equal(res.status, 201, text);
      const body = JSON.parse(text) as {
        id: string;
        variants: { url: string; contentType: string; width: number; bytes: number }[];
      };
      // 1200x1600 after rotation; widths 320 and 640 (1280 > 1200) x AVIF, WebP, JPEG.
      assert.equal(body.variants.length, 6);
      const names = body.variants.map((v) => v.url.slice(`${CDN}/`.length)).sort();
      assert.ok(
        names.every((n) => n.startsWith(`uploads/businesses/${businessId}/${body.id}/`)),
        names.join(),
      );
      assert.deepEqual(await gcs.objects(), names);
      for (const v of body.variants) {
        const file = gcs.client.bucket(gcs.bucket).file(v.url.slice(`${CDN}/`.length));
        const [meta] = await file.getMetadata();
        assert.equal(meta.contentType, v.contentType);
        assert.equal(meta.cacheControl, "public, max-age=31536000, immutable");
        const [bytes] = await file.download();
        assert.equal(bytes.length, v.bytes);
        const m = await sharp(bytes).metadata();
        assert.equal(m.width, v.width);
        assert.equal(m.exif, undefined, `${v.url} must carry no EXIF`);
      }
      assert.equal(await rows(app), 1);

      const png = await small("png");
      await problemOf(await upload(app, businessId, png.subarray(0, png.length - 20), "image/png"), 400);
      assert.deepEqual(await gcs.objects(), names, "a truncated file stores nothing");
      assert.equal(await rows(app), 1);
    } finally {
      await app.close();
    }
  });

  it("the emulator stopped: an upload answers 503 and leaves no row", async () => {
    const storage = gcsStorage(gcs);
    const app = await imageApp("images_gcs_outage", storage);
    try {
      const businessId = await createBusiness(app);
      await gcs.stop();
      const p = await problemOf(await upload(app, businessId, await small("png"), "image/png"), 503);
      assert.match(p.detail, /object storage is unavailable/);
      assert.equal(await rows(app), 0);
    } finally {
      await app.close();
    }
  });
});
