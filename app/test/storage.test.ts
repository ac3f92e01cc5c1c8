/**
 * The storage adapters, each against something real:
 * - LocalStorage on a temp directory;
 * - S3Storage against s3rver (test/s3.ts), reading back what the server stored;
 * - GcsStorage: its request contract: @google-cloud/storage is pointed (`apiEndpoint`) at a local HTTP
 *   server that records every request and answers like the JSON API; the test checks method, path, query
 *   (one multipart upload, no resumable session), the multipart metadata (contentType, cacheControl), the
 *   bytes and that no credential is sent: what the emulator does not check. The adapter against a real GCS
 *   JSON API emulator (firebase-tools' Cloud Storage emulator) is in storage-gcs.test.ts.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { CRC32C } from "@google-cloud/storage";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { loadConfig } from "../src/env";
import { createStorage, GcsStorage, LocalStorage, S3Storage } from "../src/storage";
import { joinKey } from "../src/storage/types";
import { s3Storage, startS3, type S3Server } from "./s3";

const opts = { contentType: "image/avif", cacheControl: "public, max-age=31536000, immutable" };

describe("storage: keys", () => {
  it("joins the prefix and refuses keys that could escape it", () => {
    assert.equal(joinKey("uploads", "businesses/a/b/640.avif"), "uploads/businesses/a/b/640.avif");
    assert.equal(joinKey("", "a.jpg"), "a.jpg");
    for (const bad of ["../x", "a/../../x", "/etc/passwd", "a\\b", "a//b", "", "a/./b", "a b"]) {
      assert.throws(() => joinKey("uploads", bad), /invalid object key/, bad);
    }
  });
});

describe("storage: configuration", () => {
  const base = { DATABASE_URL: "postgres://u@127.0.0.1:5432/db" };
  it("names the missing keys of each backend", () => {
    assert.throws(
      () => loadConfig({ ...base, STORAGE_BACKEND: "s3" }),
      (e: Error) => {
        assert.match(e.message, /STORAGE_BUCKET: is required when STORAGE_BACKEND=s3/);
        assert.match(e.message, /STORAGE_REGION: is required when STORAGE_BACKEND=s3/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ ...base, STORAGE_BACKEND: "local" }), /STORAGE_LOCAL_DIR: is required/);
    assert.throws(() => loadConfig({ ...base, STORAGE_BACKEND: "azure" }), /STORAGE_BACKEND/);
    assert.throws(() => loadConfig({ ...base, IMAGE_WIDTHS: "320,abc" }), /IMAGE_WIDTHS/);
    assert.throws(
      () => loadConfig({ ...base, STORAGE_PUBLIC_BASE_URL: "https://cdn.example.com/" }),
      /must not end/,
    );
  });
  it("builds the adapter the environment names", () => {
    const c = loadConfig({ ...base, STORAGE_BACKEND: "gcs", STORAGE_BUCKET: "meridian-assets" });
    const s = createStorage(c);
    assert.ok(s instanceof GcsStorage);
    assert.equal(s.location, "gs://meridian-assets/uploads");
    assert.equal(createStorage(loadConfig(base)), undefined);
    assert.deepEqual(loadConfig(base).IMAGE_WIDTHS, [320, 640, 1280]);
    assert.deepEqual(loadConfig({ ...base, IMAGE_WIDTHS: "1024, 256,256" }).IMAGE_WIDTHS, [256, 1024]);
  });
});

describe("storage: local filesystem", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-local-storage-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes under root/prefix, atomically, and deletes", async () => {
    const s = new LocalStorage(dir, "uploads");
    await s.put("businesses/b1/i1/320.avif", Buffer.from("abc"), opts);
    const file = path.join(dir, "uploads/businesses/b1/i1/320.avif");
    assert.equal(fs.readFileSync(file, "utf8"), "abc");
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["320.avif"], "no temp file left");
    await s.delete(["businesses/b1/i1/320.avif", "businesses/b1/i1/missing.avif"]);
    assert.equal(fs.existsSync(file), false);
    await assert.rejects(s.put("../escape.txt", Buffer.from("x"), opts), /invalid object key/);
    assert.equal(fs.existsSync(path.join(dir, "escape.txt")), false);
  });
});

describe("storage: S3 against s3rver", function () {
  this.timeout(60_000);
  let s3: S3Server;
  let storage: S3Storage;
  before(async () => {
    s3 = await startS3("meridian-storage-test");
    storage = s3Storage(s3);
  });
  after(async () => {
    storage?.destroy();
    await s3?.stop();
  });

  it("puts objects under the prefix with their type and cache policy, and deletes them", async () => {
    const body = Buffer.from([1, 2, 3, 4, 5]);
    await storage.put("businesses/b/i/640.avif", body, opts);
    await storage.put("businesses/b/i/640.jpg", body, { ...opts, contentType: "image/jpeg" });
    assert.deepEqual(await s3.keys(), ["uploads/businesses/b/i/640.avif", "uploads/businesses/b/i/640.jpg"]);
    const obj = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: "uploads/businesses/b/i/640.avif" }),
    );
    assert.equal(obj.ContentType, "image/avif");
    assert.equal(obj.CacheControl, opts.cacheControl);
    assert.deepEqual(Buffer.from(await obj.Body!.transformToByteArray()), body);
    await storage.delete(["businesses/b/i/640.avif", "businesses/b/i/640.jpg", "businesses/b/i/none.webp"]);
    assert.deepEqual(await s3.keys(), []);
  });

  it("an unknown access key is refused by the server (the adapter signs its requests; s3rver does not verify SigV4 signatures themselves)", async () => {
    const bad = s3Storage(s3, { credentials: { accessKeyId: "NOT-A-KEY", secretAccessKey: "wrong" } });
    try {
      await assert.rejects(bad.put("x.avif", Buffer.from("x"), opts), /Access Key Id/i);
    } finally {
      bad.destroy();
    }
    assert.deepEqual(await s3.keys(), []);
  });
});

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

describe("storage: GCS request contract (@google-cloud/storage against a recording server)", function () {
  this.timeout(30_000);
  let server: http.Server;
  let endpoint: string;
  const seen: Recorded[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const url = new URL(req.url!, "http://x");
        if (req.method === "POST" && url.pathname === "/upload/storage/v1/b/meridian-assets/o") {
          // Answer like the JSON API: the object resource, with the CRC32C of the bytes it received.
          const boundary = /boundary=([^;]+)/.exec(req.headers["content-type"] ?? "")![1];
          const parts = body.toString("latin1").split(`--${boundary}`);
          const data = Buffer.from(
            parts[2].split("\r\n\r\n").slice(1).join("\r\n\r\n").replace(/\r\n$/, ""),
            "latin1",
          );
          const meta = JSON.parse(parts[1].split("\r\n\r\n")[1]) as Record<string, string>;
          const crc = new CRC32C();
          crc.update(data);
          res.writeHead(200, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              ...meta,
              bucket: "meridian-assets",
              size: String(data.length),
              crc32c: crc.toString(),
            }),
          );
          return;
        }
        if (req.method === "DELETE") {
          res.writeHead(url.pathname.endsWith("missing.avif") ? 404 : 204, {
            "content-type": "application/json",
          });
          res.end(
            url.pathname.endsWith("missing.avif")
              ? JSON.stringify({ error: { code: 404, message: "No such object" } })
              : "",
          );
          return;
        }
        res.writeHead(400);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("uploads in one multipart request with the object's metadata, to the bucket and prefix only", async () => {
    const storage = new GcsStorage({
      bucket: "meridian-assets",
      prefix: "uploads",
      apiEndpoint: endpoint,
      projectId: "test",
    });
    const body = Buffer.from("avif-bytes-\u0000\u0001");
    await storage.put("businesses/b/i/640.avif", body, opts);
    const uploads = seen.filter((r) => r.method === "POST");
    assert.equal(uploads.length, 1);
    const url = new URL(uploads[0].url, endpoint);
    assert.equal(url.pathname, "/upload/storage/v1/b/meridian-assets/o");
    assert.equal(url.searchParams.get("uploadType"), "multipart");
    assert.equal(url.searchParams.get("name"), "uploads/businesses/b/i/640.avif");
    const text = uploads[0].body.toString("latin1");
    assert.match(text, /"contentType":"image\/avif"/);
    assert.match(text, /"cacheControl":"public, max-age=31536000, immutable"/);
    assert.ok(uploads[0].body.includes(body), "the bytes are in the request");
    assert.equal(uploads[0].headers.authorization, undefined, "no credential is sent to a custom endpoint");
  });

  it("deletes each object by its full name; a missing one is not an error", async () => {
    seen.length = 0;
    const storage = new GcsStorage({
      bucket: "meridian-assets",
      prefix: "uploads",
      apiEndpoint: endpoint,
      projectId: "test",
    });
    await storage.delete(["businesses/b/i/640.avif", "businesses/b/i/missing.avif"]);
    const paths = seen
      .filter((r) => r.method === "DELETE")
      .map((r) => decodeURIComponent(new URL(r.url, endpoint).pathname))
      .sort();
    assert.deepEqual(paths, [
      "/storage/v1/b/meridian-assets/o/uploads/businesses/b/i/640.avif",
      "/storage/v1/b/meridian-assets/o/uploads/businesses/b/i/missing.avif",
    ]);
  });
});
