/**
 * S3 adapter (`@aws-sdk/client-s3`). Credentials come from the SDK's default chain (on ECS: the task role;
 * nothing in env or config). `endpoint` + `forcePathStyle` point it at an S3-compatible server (tests,
 * local development). Objects are written under `prefix` only: the task role may write nothing else.
 */
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { joinKey, type ObjectStorage, type PutOptions } from "./types";

export interface S3StorageOptions {
  bucket: string;
  /** Key prefix, e.g. `uploads` (the IAM policy allows exactly `<bucket>/uploads/*`). */
  prefix: string;
  /** AWS region of the bucket, e.g. `us-east-1`. */
  region: string;
  /** An S3-compatible endpoint URL (tests / local); unset on AWS. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), needed by most S3-compatible servers. @default false */
  forcePathStyle?: boolean;
  /** Static credentials, for tests against a local server only; unset: the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Per-request timeout in milliseconds. @default 10000 */
  requestTimeoutMs?: number;
}

export class S3Storage implements ObjectStorage {
  readonly kind = "s3" as const;
  readonly location: string;
  private readonly client: S3Client;

  constructor(private readonly opts: S3StorageOptions) {
    this.location = `s3://${opts.bucket}/${opts.prefix.replace(/^\/+|\/+$/g, "")}`;
    this.client = new S3Client({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      forcePathStyle: opts.forcePathStyle ?? false,
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      // Checksums only where S3 requires them: S3-compatible servers do not all know the newer headers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
      requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 10_000, connectionTimeout: 3000 },
    });
  }

  async put(key: string, body: Buffer, options: PutOptions): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.opts.bucket,
        Key: joinKey(this.opts.prefix, key),
        Body: body,
        ContentType: options.contentType,
        CacheControl: options.cacheControl,
        ContentLength: body.length,
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.opts.bucket,
        Delete: { Objects: keys.map((k) => ({ Key: joinKey(this.opts.prefix, k) })), Quiet: true },
      }),
    );
  }

  /** Closes the SDK's sockets. */
  destroy(): void {
    this.client.destroy();
  }
}
