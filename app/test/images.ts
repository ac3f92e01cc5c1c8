/**
 * Image upload suites' shared setup: the whole Hono app (fixture.ts) with image storage, a business to attach
 * images to, upload requests, and fixtures generated with sharp (hostile files are built from them).
 * `useS3ImageSuite` runs the app against a real S3-compatible server (s3rver, s3.ts) with sharp loaded.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { reloadProcessor } from "../src/images/processor";
import type { S3Storage } from "../src/storage/s3";
import type { ObjectStorage } from "../src/storage/types";
import { createFixture, type Fixture } from "./fixture";
import { admin } from "./http";
import { s3Storage, startS3, type S3Server } from "./s3";

/** STORAGE_PUBLIC_BASE_URL of the image suites: variant URLs start with it. */
export const CDN = "https://cdn.test.example";
/** Chrome's `Accept` for an `<img>` request (AVIF first). */
export const CHROME_ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

/**
 * The app on a fresh database with `storage` (undefined: STORAGE_BACKEND=none), the CDN base URL and a 2 MiB
 * IMAGE_MAX_BYTES; `env` on top. The caller closes it and destroys the storage.
 */
export function imageApp(
  label: string,
  storage: ObjectStorage | undefined,
  env: Record<string, string> = {},
): Promise<Fixture> {
  return createFixture(
    label,
    {
      STORAGE_BACKEND: storage ? storage.kind : "none",
      STORAGE_BUCKET: "meridian-test-assets",
      STORAGE_REGION: "us-east-1",
      STORAGE_PUBLIC_BASE_URL: CDN,
      IMAGE_MAX_BYTES: String(2 * 1024 * 1024),
      ...env,
    },
    { storage },
  );
}

/** Creates a business through the admin API (asserting 201) and returns its id. */
export async function createBusiness(app: Pick<Fixture, "request">): Promise<string> {
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

/** POST /api/businesses/:id/images with the admin credential, `type` as Content-Type and extra headers. */
export const upload = (
  app: Pick<Fixture, "request">,
  id: string,
  body: Buffer,
  type: string,
  headers: Record<string, string> = {},
) =>
  app.request(`/api/businesses/${id}/images`, {
    method: "POST",
    headers: { ...admin, "content-type": type, ...headers },
    body: new Uint8Array(body),
  });

/** A 1600x1200 photo-like JPEG with EXIF orientation 6 (rotate 90°) and a GPS position. */
export async function photo(): Promise<Buffer> {
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

/** A plain image of the given format and size (default 700x500). */
export const small = (format: "png" | "webp" | "avif" | "jpeg", width = 700, height = 500) =>
  sharp({ create: { width, height, channels: 3, background: "#248" } })
    .toFormat(format)
    .toBuffer();

/** What {@link useS3ImageSuite} starts for a suite. */
export interface S3ImageSuite {
  s3: S3Server;
  storage: S3Storage;
  app: Fixture;
  /** A business created for the uploads. */
  businessId: string;
  /** Rows in business_images. */
  rowCount(): Promise<number>;
  /** Rows in image_variants. */
  variantCount(): Promise<number>;
}

/**
 * sharp loaded (IMAGE_PROCESSOR unset), a fresh s3rver with an empty bucket, the app storing into it
 * (prefix `uploads`) on a new database, and one business. Whatever started is stopped again if a step fails.
 */
async function startS3ImageSuite(label: string): Promise<S3ImageSuite> {
  delete process.env.IMAGE_PROCESSOR;
  reloadProcessor();
  const s3 = await startS3();
  const storage = s3Storage(s3);
  let app: Fixture | undefined;
  try {
    app = await imageApp(label, storage);
    const businessId = await createBusiness(app);
    const { sql } = app;
    return {
      s3,
      storage,
      app,
      businessId,
      rowCount: async () => Number((await sql`SELECT count(*)::int AS n FROM business_images`)[0].n),
      variantCount: async () => Number((await sql`SELECT count(*)::int AS n FROM image_variants`)[0].n),
    };
  } catch (err) {
    await stopS3ImageSuite({ s3, storage, app });
    throw err;
  }
}

/** Stops what {@link startS3ImageSuite} started (any part may be missing). */
async function stopS3ImageSuite(suite: Partial<S3ImageSuite> | undefined): Promise<void> {
  suite?.storage?.destroy();
  await suite?.app?.close();
  await suite?.s3?.stop();
}

/** After a rejected upload: nothing in the bucket, no business_images or image_variants row. */
export async function assertNothingStored(suite: S3ImageSuite): Promise<void> {
  const { s3, rowCount, variantCount } = suite;
  assert.deepEqual(await s3.keys(), [], "nothing may be written to the bucket");
  assert.equal(await rowCount(), 0, "no business_images row");
  assert.equal(await variantCount(), 0, "no image_variants row");
}

/**
 * Registers the suite's hooks: `before` starts {@link startS3ImageSuite} and fills in the returned object,
 * `after` stops it; with `nothingStoredAfterEach`, every test is followed by {@link assertNothingStored}.
 * Call it inside a `describe`; read the object's members inside hooks and tests only.
 */
export function useS3ImageSuite(
  label: string,
  opts: { nothingStoredAfterEach?: boolean } = {},
): S3ImageSuite {
  const suite = {} as S3ImageSuite;
  before(async () => {
    Object.assign(suite, await startS3ImageSuite(label));
  });
  after(async () => stopS3ImageSuite(suite));
  if (opts.nothingStoredAfterEach) afterEach(async () => assertNothingStored(suite));
  return suite;
}
