/**
 * The object storage port: where uploaded images (originals and variants) are written. One adapter per
 * backend (s3.ts, gcs.ts, local.ts); `createStorage` (index.ts) picks one from the STORAGE_* environment.
 */

/** Options of one write. */
export interface PutOptions {
  /** The object's media type, e.g. `image/avif` (served back as `Content-Type`). */
  contentType: string;
  /** `Cache-Control` stored with the object (the CDN and browsers honour it). */
  cacheControl: string;
}

export interface ObjectStorage {
  /** `s3`, `gcs` or `local`: shown on the health dashboard. */
  readonly kind: "s3" | "gcs" | "local";
  /** Where objects go, without credentials (e.g. `s3://bucket/uploads/`), for logs and the dashboard. */
  readonly location: string;
  /**
   * Writes `body` under `key` (a relative path such as `businesses/<id>/<image>/640.avif`, joined to the
   * configured prefix). Overwrites an existing object. Rejects with the backend's error on failure.
   */
  put(key: string, body: Buffer, options: PutOptions): Promise<void>;
  /** Deletes the objects (missing ones are not an error); used to roll back a failed upload. */
  delete(keys: string[]): Promise<void>;
}

/** Keys are relative, `/`-separated, made of safe characters only: no `..`, no leading `/`, no backslash. */
const KEY = /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Throws when `key` is not a safe relative object key (defence in depth: keys are built by the app). */
export function assertKey(key: string): string {
  if (!KEY.test(key) || key.length > 512) throw new Error(`invalid object key ${JSON.stringify(key)}`);
  return key;
}

/** Joins a prefix (`uploads` or `uploads/` or empty) and a key with exactly one `/`. */
export function joinKey(prefix: string, key: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, "");
  return p ? `${p}/${assertKey(key)}` : assertKey(key);
}
