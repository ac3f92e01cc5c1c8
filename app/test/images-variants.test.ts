/**
 * Accepted image uploads, end to end (the whole app storing into s3rver with sharp, images.ts): EXIF
 * orientation applied and metadata (GPS) stripped, AVIF/WebP/JPEG variants at each configured width stored
 * with their type and an immutable cache policy; the list and the single-image redirect choose a variant by
 * `Accept` and width; the OpenAPI document and the dashboard describe the upload path. The tests run in order:
 * later ones read the images earlier ones stored.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import sharp from "sharp";
import type { Fixture } from "./fixture";
import { admin, problemOf } from "./http";
import { CDN, CHROME_ACCEPT, photo, small, upload, useS3ImageSuite } from "./images";
import type { S3Server } from "./s3";

describe("images: accepted uploads to S3 (s3rver) with sharp: variants and Accept", function () {
  this.timeout(120_000);
  const suite = useS3ImageSuite("images_variants");
  let s3: S3Server;
  let app: Fixture;
  let businessId: string;
  let rowCount: () => Promise<number>;
  let variantCount: () => Promise<number>;

  before(() => ({ s3, app, businessId, rowCount, variantCount } = suite));

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
      new RegExp(`^${CDN}/uploads/businesses/${businessId}/${body.id}/320\\.avif 320w, .*/640\\.avif 640w$`),
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
    assert.equal(res.headers.get("location"), `${CDN}/uploads/businesses/${businessId}/${imageId}/320.avif`);
    res = await app.request(`/api/businesses/${businessId}/images/${imageId}?width=5000`, {
      headers: { accept: "image/webp" },
    });
    assert.equal(res.headers.get("location"), `${CDN}/uploads/businesses/${businessId}/${imageId}/640.webp`);
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
    assert.deepEqual([body.images.processor, body.images.storage, body.images.status], ["sharp", "s3", "ok"]);
  });
});
