/**
 * S3 bucket versioning, however a program writes it: a separate versioning resource
 * (`aws.s3.BucketVersioning`, `aws.s3.BucketVersioningV2`) or the deprecated inline block (`versioning`
 * on `aws.s3.Bucket`, `versionings` on `aws.s3.BucketV2`).
 */
import { stackRule, StackRes } from "../../lib/rule";
import { asArray, peek } from "../../lib/util";

export const S3_BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const S3_VERSIONING_TYPES = [
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
];

/** The inline versioning state, if the bucket writes one: "Enabled", "Suspended" or undefined. */
function inlineStatus(b: StackRes): string | undefined {
  const blocks = [b.props.versioning, ...asArray(b.props.versionings as unknown[])].filter(
    (x): x is Record<string, unknown> => !!x && typeof x === "object",
  );
  if (!blocks.length) return undefined;
  return blocks.some((x) => x.enabled === true || x.enabled === "true") ? "Enabled" : "Suspended";
}

export const s3Versioning = stackRule({
  id: "aws-s3-versioning",
  description:
    "S3 buckets keep object versions (versioning Enabled), so an overwrite or delete can be undone.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "aws",
  area: "resilience",
  remediation:
    'Meridian: the bucket component (components/aws/bucket.ts) enables it. Raw: `new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } })` (BucketVersioningV2 on older providers); the inline `versioning` / `versionings` block is deprecated.',
  references: ["CKV_AWS_21", "AWS FSBP S3.14"],
  types: S3_BUCKET_TYPES,
  check(r, report, ctx) {
    const bucketName = peek(r.props, "bucket");
    const configs = ctx
      .ofType(...S3_VERSIONING_TYPES)
      .filter(
        (v) =>
          (v.propertyDependencies.bucket ?? []).some((d) => d.urn === r.urn) ||
          (typeof bucketName === "string" && peek(v.props, "bucket") === bucketName),
      );
    const statuses = configs.map((v) =>
      String(((v.props.versioningConfiguration ?? {}) as Record<string, unknown>).status ?? "unset"),
    );
    const inline = inlineStatus(r);
    if (statuses.includes("Enabled") || inline === "Enabled") return;
    if (statuses.length) report(`the bucket's versioning status is ${statuses.join(", ")}, not Enabled.`);
    else if (inline) report("the inline versioning block has enabled false.");
    else report("the bucket has no versioning configuration (versioning is off).");
  },
});
