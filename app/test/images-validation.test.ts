/**
 * Image upload validation, end to end (the whole app storing into s3rver, images.ts): content that is not an
 * image, declared types outside JPEG/PNG/WebP/AVIF, empty and oversized bodies (IMAGE_MAX_BYTES), a missing
 * credential, an unknown or malformed business id. Each is a clean 4xx; after each, nothing is stored.
 */
import assert from "node:assert/strict";
import { problemOf } from "./http";
import { small, upload, useS3ImageSuite } from "./images";

describe("images: upload validation to S3 (s3rver) with sharp: a clean 4xx, nothing stored", function () {
  this.timeout(120_000);
  const s = useS3ImageSuite("images_validation", { nothingStoredAfterEach: true });

  it("not an image at all (HTML sent as image/png)", async () => {
    const p = await problemOf(
      await upload(s.app, s.businessId, Buffer.from("<html>hi</html>"), "image/png"),
      415,
    );
    assert.match(p.detail, /not a JPEG, PNG, WebP or AVIF image/);
  });

  it("a declared type outside the list (image/svg+xml, application/json) is 415 naming the allowed types", async () => {
    let p = await problemOf(await upload(s.app, s.businessId, Buffer.from("<svg/>"), "image/svg+xml"), 415);
    assert.match(p.detail, /image\/jpeg, image\/png, image\/webp, image\/avif/);
    p = await problemOf(await upload(s.app, s.businessId, Buffer.from("{}"), "application/json"), 415);
    assert.match(p.detail, /got "application\/json"/);
  });

  it("an empty body is 400; a body over IMAGE_MAX_BYTES is 413", async () => {
    await problemOf(await upload(s.app, s.businessId, Buffer.alloc(0), "image/jpeg"), 400);
    const p = await problemOf(
      await upload(s.app, s.businessId, Buffer.alloc(2 * 1024 * 1024 + 1, 0xff), "image/jpeg"),
      413,
    );
    assert.match(p.detail, /IMAGE_MAX_BYTES/);
  });

  it("without the admin credential: 401; an unknown business: 404; a bad id: 400", async () => {
    const png = await small("png");
    let res = await s.app.request(`/api/businesses/${s.businessId}/images`, {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: new Uint8Array(png),
    });
    await problemOf(res, 401);
    res = await upload(s.app, "00000000-0000-4000-8000-000000000000", png, "image/png");
    await problemOf(res, 404);
    res = await upload(s.app, "not-a-uuid", png, "image/png");
    const p = await problemOf(res, 400);
    assert.match(p.detail, /param\.id/);
  });
});
