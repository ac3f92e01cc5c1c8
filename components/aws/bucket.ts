/**
 * The private S3 bucket every Meridian component that stores objects starts from (CDN assets, ALB access
 * logs): Block Public Access on all four settings, bucket-owner-enforced ownership (no ACLs), default
 * encryption, versioning, lifecycle rules, and the TLS-only statement for its bucket policy. The caller
 * writes the bucket policy itself (its Allow statements differ) and includes {@link denyInsecureTransport}.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ChildKit } from "../shared/component";
import { applyTransform, Transform } from "../shared/transform";

/** Default encryption: S3 managed keys, or a KMS key (with an S3 Bucket Key to cut KMS request costs). */
export type BucketEncryption = "AES256" | { kmsKeyArn: pulumi.Input<string> };

/** Transforms for the bucket and each of its settings resources. */
export interface PrivateBucketTransforms {
  bucket?: Transform<aws.s3.BucketArgs>;
  publicAccessBlock?: Transform<aws.s3.BucketPublicAccessBlockArgs>;
  ownershipControls?: Transform<aws.s3.BucketOwnershipControlsArgs>;
  versioning?: Transform<aws.s3.BucketVersioningArgs>;
  lifecycle?: Transform<aws.s3.BucketLifecycleConfigurationArgs>;
  encryption?: Transform<aws.s3.BucketServerSideEncryptionConfigurationArgs>;
}

export interface PrivateBucketArgs {
  /** Logical name of the bucket; its settings are `<name>-public-access-block`, `-ownership`, ... */
  name: string;
  /** A physical name prefix (the provider appends a unique suffix); omit for a generated name. */
  bucketPrefix?: string;
  encryption: BucketEncryption;
  /** Lifecycle rules (versioning is on, so include a noncurrent-version expiration). */
  lifecycleRules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
  transform?: PrivateBucketTransforms;
}

export interface PrivateBucket {
  bucket: aws.s3.Bucket;
  /** S3 rejects a bucket policy while Block Public Access is being set: make the policy depend on this. */
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
}

/** Creates the bucket and its settings as children described by `kit`. */
export function createPrivateBucket(kit: ChildKit, args: PrivateBucketArgs): PrivateBucket {
  const { childOpts, tagsFor } = kit;
  const n = args.name;
  const t = args.transform ?? {};
  const bucket = new aws.s3.Bucket(
    ...applyTransform(
      t.bucket,
      n,
      {
        ...(args.bucketPrefix === undefined ? {} : { bucketPrefix: args.bucketPrefix }),
        forceDestroy: false,
        tags: tagsFor(n),
      },
      childOpts(),
    ),
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    ...applyTransform(
      t.publicAccessBlock,
      `${n}-public-access-block`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      childOpts(),
    ),
  );
  new aws.s3.BucketOwnershipControls(
    ...applyTransform(
      t.ownershipControls,
      `${n}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      childOpts(),
    ),
  );
  const versioning = new aws.s3.BucketVersioning(
    ...applyTransform(
      t.versioning,
      `${n}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      childOpts(),
    ),
  );
  new aws.s3.BucketLifecycleConfiguration(
    ...applyTransform(
      t.lifecycle,
      `${n}-lifecycle`,
      { bucket: bucket.id, rules: args.lifecycleRules },
      // S3 rejects lifecycle rules on noncurrent versions until versioning is set.
      childOpts({ dependsOn: [versioning] }),
    ),
  );
  const encryption = args.encryption;
  new aws.s3.BucketServerSideEncryptionConfiguration(
    ...applyTransform(
      t.encryption,
      `${n}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          encryption === "AES256"
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
            : {
                applyServerSideEncryptionByDefault: {
                  sseAlgorithm: "aws:kms",
                  kmsMasterKeyId: encryption.kmsKeyArn,
                },
                bucketKeyEnabled: true,
              },
        ],
      },
      childOpts(),
    ),
  );
  return { bucket, publicAccessBlock };
}

/** The bucket policy statement that denies every request not made over TLS (`aws:SecureTransport`). */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
