/**
 * Image uploads when object storage fails or is absent (images.ts): an S3 endpoint that refuses every
 * connection answers 503 and records nothing; STORAGE_BACKEND=none answers 503 naming the setting.
 */
import assert from "node:assert/strict";
import { problemOf } from "./http";
import { createBusiness, imageApp, small, upload } from "./images";
import { s3Storage } from "./s3";

describe("images: storage failures and missing storage", function () {
  this.timeout(60_000);

  it("a storage outage answers 503 and leaves no row", async () => {
    // Nothing listens on port 9 of 127.0.0.1 (discard): every write fails fast.
    const storage = s3Storage(
      { bucket: "meridian-test-assets", endpoint: "http://127.0.0.1:9" },
      { requestTimeoutMs: 2000 },
    );
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
