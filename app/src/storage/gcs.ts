/**
 * Google Cloud Storage adapter (`@google-cloud/storage`). Credentials: Application Default Credentials (on
 * Cloud Run: the runtime service account through the metadata server, i.e. workload identity; no key file).
 * `apiEndpoint` points the client at another server (an emulator, or the contract test's recorder).
 */
import { Storage, type StorageOptions } from "@google-cloud/storage";
import { joinKey, type ObjectStorage, type PutOptions } from "./types";

export interface GcsStorageOptions {
  bucket: string;
  /** Object name prefix, e.g. `uploads`. */
  prefix: string;
  /** Another JSON API endpoint, e.g. `http://127.0.0.1:4443` (tests); unset: Google's. */
  apiEndpoint?: string;
  /** The project id (optional: ADC knows it on Google Cloud). */
  projectId?: string;
  /** Extra client options (tests inject an auth client that needs no network). */
  clientOptions?: StorageOptions;
}

export class GcsStorage implements ObjectStorage {
  readonly kind = "gcs" as const;
  readonly location: string;
  private readonly storage: Storage;

  constructor(private readonly opts: GcsStorageOptions) {
    this.location = `gs://${opts.bucket}/${opts.prefix.replace(/^\/+|\/+$/g, "")}`;
    this.storage = new Storage({
      ...(opts.projectId ? { projectId: opts.projectId } : {}),
      ...(opts.apiEndpoint ? { apiEndpoint: opts.apiEndpoint } : {}),
      retryOptions: { autoRetry: true, maxRetries: 2 },
      ...opts.clientOptions,
    });
  }

  async put(key: string, body: Buffer, options: PutOptions): Promise<void> {
    const file = this.storage.bucket(this.opts.bucket).file(joinKey(this.opts.prefix, key));
    // One-request (multipart) upload: images are small; resumable sessions would cost an extra round trip.
    await file.save(body, {
      resumable: false,
      contentType: options.contentType,
      metadata: { cacheControl: options.cacheControl, contentType: options.contentType },
      validation: "crc32c",
    });
  }

  async delete(keys: string[]): Promise<void> {
    const bucket = this.storage.bucket(this.opts.bucket);
    await Promise.all(
      keys.map((k) => bucket.file(joinKey(this.opts.prefix, k)).delete({ ignoreNotFound: true })),
    );
  }
}
