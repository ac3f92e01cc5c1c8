/**
 * The API's image uploads on GCP: the runtime identity may write exactly the uploads prefix of the assets
 * bucket, and the app's GCS adapter gets its STORAGE_* environment (app/src/storage/gcs.ts, docs/app.md
 * "Images"). Credentials are the runtime service account's (Cloud Run metadata server): no key anywhere.
 *
 * The grant is resource-level, on the bucket (a `BucketIAMMember`, never a project role), and conditioned
 * on the object name: `roles/storage.objectUser` (create, and delete to roll back a failed upload) only
 * for `projects/_/buckets/<bucket>/objects/<prefix>/…`. Bucket-level permissions in the role (list) never
 * match the condition, so the app can neither list the bucket nor touch the static site's objects.
 * Cloud CDN serves `/<prefix>/*` through the load balancer's default backend (the bucket).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { checkGrant, checkMember, IamGrant } from "./iam";

/** The object prefix the app writes under (STORAGE_PREFIX). */
export const UPLOADS_PREFIX = "uploads";
/** Create, get, delete objects (no bucket or IAM administration); narrowed to the prefix by a condition. */
export const UPLOADS_ROLE = "roles/storage.objectUser";

/** The IAM condition expression that limits a bucket grant to `<prefix>/` objects. */
export function uploadsCondition(bucketName: string, prefix: string = UPLOADS_PREFIX): string {
  return `resource.name.startsWith("projects/_/buckets/${bucketName}/objects/${prefix}/")`;
}

/**
 * Grants `principal` write access to `<bucket>/<prefix>/*` (a conditional `BucketIAMMember` named
 * `logicalName`). `bucketLabel` is the physical bucket name as the posture shows it.
 */
export function grantUploadsWrite(
  logicalName: string,
  args: {
    bucketName: pulumi.Input<string>;
    bucketLabel: string;
    principal: string;
    member: pulumi.Input<string>;
    prefix?: string;
  },
  opts: pulumi.CustomResourceOptions = {},
): IamGrant {
  const prefix = args.prefix ?? UPLOADS_PREFIX;
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(prefix)) {
    throw new Error(`uploads prefix is "${prefix}"; allowed: one path segment of a-z, 0-9, '_', '-'`);
  }
  const grant = checkGrant({
    principal: args.principal,
    role: UPLOADS_ROLE,
    on: `bucket ${args.bucketLabel} (objects ${prefix}/* only)`,
  });
  new gcp.storage.BucketIAMMember(
    logicalName,
    {
      bucket: args.bucketName,
      role: UPLOADS_ROLE,
      member: checkMember(grant, args.member),
      condition: {
        title: `${prefix}-objects-only`,
        description: `Objects under ${prefix}/ only (API image uploads)`,
        expression: pulumi.output(args.bucketName).apply((b) => uploadsCondition(b, prefix)),
      },
    },
    opts,
  );
  return grant;
}

/** The app's STORAGE_* environment for the GCS adapter. */
export function uploadsEnvironment(args: {
  bucketName: pulumi.Input<string>;
  /** The base URL (https://…, no trailing slash) whose `/<prefix>/…` paths the CDN serves from the bucket. */
  publicBaseUrl: pulumi.Input<string>;
  prefix?: string;
}): Record<string, pulumi.Input<string>> {
  return {
    STORAGE_BACKEND: "gcs",
    STORAGE_BUCKET: args.bucketName,
    STORAGE_PREFIX: args.prefix ?? UPLOADS_PREFIX,
    STORAGE_PUBLIC_BASE_URL: pulumi.output(args.publicBaseUrl).apply((u) => u.replace(/\/+$/, "")),
  };
}
