/**
 * Hostile image files, end to end (the whole app storing into s3rver, images.ts): a decompression bomb, a
 * header lying about its size, truncated files, a PNG renamed .jpg, polyglots, a 1x50000 strip. Each is a
 * clean 4xx problem+json, and after each the bucket and the tables are checked: nothing stored.
 */
import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import sharp from "sharp";
import { problemOf } from "./http";
import { photo, small, upload, useS3ImageSuite } from "./images";

describe("images: hostile files to S3 (s3rver) with sharp: a clean 4xx, nothing stored", function () {
  this.timeout(120_000);
  const s = useS3ImageSuite("images_hostile", { nothingStoredAfterEach: true });

  it("a decompression bomb (8000x8000 pixels in a small PNG) is refused by the pixel limit", async () => {
    const bomb = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: "#fff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    assert.ok(bomb.length < 2 * 1024 * 1024, `bomb is ${bomb.length} bytes`);
    const p = await problemOf(await upload(s.app, s.businessId, bomb, "image/png"), 422);
    assert.match(p.detail, /8000x8000 = 64000000 pixels; at most 40000000 \(IMAGE_MAX_PIXELS\)/);
  });

  it("a tiny PNG whose header claims 60000x60000 is refused before decoding", async () => {
    const png = Buffer.from(await small("png", 16, 16));
    // IHDR data starts at byte 16: width, height (big-endian), then the chunk CRC over type + data.
    png.writeUInt32BE(60000, 16);
    png.writeUInt32BE(60000, 20);
    png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
    const p = await problemOf(await upload(s.app, s.businessId, png, "image/png"), 422);
    assert.match(p.detail, /60000x60000/);
  });

  it("a truncated JPEG", async () => {
    const jpeg = await photo();
    const p = await problemOf(
      await upload(s.app, s.businessId, jpeg.subarray(0, jpeg.length / 2), "image/jpeg"),
      400,
    );
    assert.match(p.detail, /truncated/);
  });

  it("a truncated PNG", async () => {
    const png = await small("png");
    await problemOf(await upload(s.app, s.businessId, png.subarray(0, png.length - 20), "image/png"), 400);
  });

  it("a PNG renamed .jpg and sent as image/jpeg", async () => {
    const png = await small("png");
    const named = { "content-disposition": 'attachment; filename="photo.jpg"' };
    let p = await problemOf(await upload(s.app, s.businessId, png, "image/jpeg", named), 415);
    assert.match(p.detail, /Content-Type says image\/jpeg but the content is image\/png/);
    // Honest Content-Type, lying file name: still refused.
    p = await problemOf(await upload(s.app, s.businessId, png, "image/png", named), 415);
    assert.match(p.detail, /the file name "photo.jpg" says image\/jpeg but the content is image\/png/);
    p = await problemOf(
      await upload(s.app, s.businessId, png, "image/png", {
        "content-disposition": 'attachment; filename="x.html"',
      }),
      415,
    );
    assert.match(p.detail, /says "\.html"/);
    p = await problemOf(
      await upload(s.app, s.businessId, png, "image/png", { "content-disposition": "attachment; filename=" }),
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
      await upload(s.app, s.businessId, Buffer.concat([jpeg, payload]), "image/jpeg"),
      400,
    );
    assert.match(p.detail, /bytes after its end-of-image marker/);
  });

  it("a polyglot: a JPEG header followed by an HTML document", async () => {
    const fake = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
      Buffer.from("JFIF\0<!doctype html><html><body>hi</body></html>"),
    ]);
    await problemOf(await upload(s.app, s.businessId, fake, "image/jpeg"), 400);
  });

  it("a 1x50000 image", async () => {
    const strip = await sharp({ create: { width: 1, height: 50000, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    const p = await problemOf(await upload(s.app, s.businessId, strip, "image/png"), 422);
    assert.match(p.detail, /1x50000 pixels; each side may be at most 8192/);
  });
});
