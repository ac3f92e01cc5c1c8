/**
 * The offline model of Cloud Storage (storage.ts): buckets with the project number, objects with real
 * checksums of inline content.
 */
import { strict as assert } from "node:assert";
import { crc32c } from "./storage";
import { model, NUMBER } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("Cloud Storage", () => {
    it("models buckets with the project number and objects with real checksums of inline content", () => {
      const b = model("gcp:storage/bucket:Bucket", { name: "meridian-assets" });
      assert.equal(b.id, "meridian-assets");
      assert.equal(b.s.url, "gs://meridian-assets");
      assert.equal(b.s.projectNumber, Number(NUMBER));
      const o = model("gcp:storage/bucketObject:BucketObject", {
        bucket: "meridian-assets",
        name: "index.html",
        content: "hello",
      });
      assert.equal(o.id, "meridian-assets-index.html");
      assert.equal(o.s.md5hexhash, "5d41402abc4b2a76b9719d911017c592");
      assert.equal(o.s.selfLink, "https://www.googleapis.com/storage/v1/b/meridian-assets/o/index.html");
      assert.match(o.s.mediaLink, /\/b\/meridian-assets\/o\/index\.html\?generation=\d+&alt=media$/);
      // CRC32C check value of "123456789" (RFC 3720 B.4) is 0xE3069283.
      assert.equal(crc32c(Buffer.from("123456789")), Buffer.from("e3069283", "hex").toString("base64"));
    });
  });
});
