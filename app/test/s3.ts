/**
 * Test service: a real S3-compatible server, s3rver (npm `s3rver`, a devDependency of app), in its own
 * process on 127.0.0.1 with a throwaway data directory. It speaks the S3 REST API (SigV4, path-style), so
 * the S3 adapter runs unchanged against it. `startS3()` starts one; `stopS3Servers()` (root `afterAll`
 * hook) and process exit stop every server this harness started and remove its directory.
 *
 * s3rver accepts the fixed credentials S3RVER / S3RVER (test-only, not a secret).
 */
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { S3Storage, type S3StorageOptions } from "../src/storage/s3";
import { startServiceProcess } from "./serviceProcess";

export const S3_TEST_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** A client for assertions (list what is really in the bucket). */
  client: S3Client;
  /** Every key in the bucket (all prefixes). */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

const servers = new Set<S3Server>();

/** Starts s3rver on a free loopback port with one empty bucket. */
export async function startS3(bucket = "meridian-test-assets"): Promise<S3Server> {
  const bin = require.resolve("s3rver/bin/s3rver.js");
  const proc = await startServiceProcess({
    name: "s3rver",
    dirPrefix: "meridian-s3-",
    args: (dir) => [bin, "-d", dir, "-a", "127.0.0.1", "-p", "0", "--silent", "--configure-bucket", bucket],
    listening: /listening on [\d.]+:(\d+)/,
    startTimeoutMs: 15_000,
  });
  const port = proc.port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: S3_TEST_CREDENTIALS,
  });
  const server: S3Server = {
    endpoint,
    bucket,
    client,
    keys: async () => {
      const r = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (r.Contents ?? []).map((o) => o.Key!).sort();
    },
    stop: async () => {
      servers.delete(server);
      client.destroy();
      await proc.stop();
    },
  };
  servers.add(server);
  return server;
}

/** Stops every server this harness started (root `afterAll` hook). */
export async function stopS3Servers(): Promise<void> {
  await Promise.all([...servers].map((s) => s.stop()));
}

/**
 * The app's S3 adapter pointed at `server` the way the suites use it: prefix `uploads`, region us-east-1,
 * path-style addressing, the s3rver credentials; `overrides` on top (the caller calls `destroy()`).
 */
export function s3Storage(
  server: Pick<S3Server, "bucket" | "endpoint">,
  overrides: Partial<S3StorageOptions> = {},
): S3Storage {
  return new S3Storage({
    bucket: server.bucket,
    prefix: "uploads",
    region: "us-east-1",
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3_TEST_CREDENTIALS,
    ...overrides,
  });
}
