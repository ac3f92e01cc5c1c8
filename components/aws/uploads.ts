/**
 * The API's image uploads on AWS: what the task role may do in the assets bucket, and the environment that
 * points the app's S3 adapter at it (app/src/storage/s3.ts, docs/app.md "Images").
 *
 * Least privilege: the task role may put and delete objects under exactly `<bucket>/<prefix>/*` (delete
 * only rolls back a failed upload). No s3:* and no bucket-level action (no ListBucket, no policy or ACL
 * change), nothing outside the prefix: the rest of the bucket (the static site) stays read-only to the app.
 * With SSE-KMS on the bucket, the role also needs `kms:GenerateDataKey` on that key (`kmsKeyArn`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Statement } from "./iam";

/** The key prefix the app writes under (STORAGE_PREFIX) and CloudFront serves at `/<prefix>/*`. */
export const UPLOADS_PREFIX = "uploads";

/** The task role statements for writing uploads: exactly the prefix's objects. */
export function uploadsWriteStatements(
  bucketArn: pulumi.Input<string>,
  prefix: string = UPLOADS_PREFIX,
  kmsKeyArn?: pulumi.Input<string>,
): Statement[] {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(prefix)) {
    throw new Error(`uploads prefix is "${prefix}"; allowed: one path segment of a-z, 0-9, '_', '-'`);
  }
  const statements: Statement[] = [
    {
      sid: "WriteUploads",
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: [pulumi.interpolate`${bucketArn}/${prefix}/*`],
    },
  ];
  if (kmsKeyArn !== undefined) {
    statements.push({ sid: "EncryptUploads", actions: ["kms:GenerateDataKey"], resources: [kmsKeyArn] });
  }
  return statements;
}

/** The app's STORAGE_* environment for the S3 adapter (credentials: the task role, never in env). */
export function uploadsEnvironment(args: {
  bucketName: pulumi.Input<string>;
  region: string;
  /** The CDN's base URL (https://…, no trailing slash) under which `/<prefix>/…` is served. */
  publicBaseUrl: pulumi.Input<string>;
  prefix?: string;
}): Record<string, pulumi.Input<string>> {
  return {
    STORAGE_BACKEND: "s3",
    STORAGE_BUCKET: args.bucketName,
    STORAGE_REGION: args.region,
    STORAGE_PREFIX: args.prefix ?? UPLOADS_PREFIX,
    STORAGE_PUBLIC_BASE_URL: pulumi.output(args.publicBaseUrl).apply((u) => u.replace(/\/+$/, "")),
  };
}
