/**
 * The private Cloud Storage bucket behind Meridian's Cloud CDN (static assets and uploads): uniform
 * bucket-level access, public access prevention enforced, versioning (or a retention policy), lifecycle
 * rules, optional CMEK, and exactly one read grant: `roles/storage.objectViewer` for the Cloud CDN cache
 * fill service agent, so the load balancer's backend bucket serves objects while the bucket stays private.
 *
 * Source (2026-11): Cloud CDN "Configure private bucket access" (cloud.google.com/cdn/docs/configure-private-bucket-access)
 * and "Using signed URLs > Configure permissions" (cloud.google.com/cdn/docs/using-signed-urls): grant
 * `service-<PROJECT_NUMBER>@cloud-cdn-fill.iam.gserviceaccount.com` the Storage Object Viewer role on the
 * bucket; content is then reachable only through Cloud CDN / the load balancer, not through
 * storage.googleapis.com. See docs/components/gcp-assets-bucket.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { bool, intIn, resolveArgs, show } from "../shared/validate";
import { enableServices } from "./apis";
import { grantCdnFillRead } from "./cdnFill";
import { IamGrant } from "./iam";
import { validateLabels } from "../shared/tags";

export { CDN_FILL_KIND, CDN_FILL_PRINCIPAL, CDN_FILL_ROLE, cdnFillMember } from "./cdnFill";

export interface AssetsBucketArgs {
  project: pulumi.Input<string>;
  /** The bucket's location: the stack's region (single region: cheapest, next to Cloud Run). */
  region: string;
  /**
   * The physical bucket name (global namespace). Default: `<project>-<name>` fitted to bucket rules when
   * `project` is a plain string, else `<name>`.
   * @default derived
   */
  bucketName?: string;
  /**
   * Days a noncurrent (overwritten or deleted) object version is kept before deletion (versioning mode).
   * Cost: Standard storage ≈ $0.020/GiB-month in us-central1 for each kept version (cloud.google.com/storage/pricing, 2026-11).
   * @default 30
   */
  noncurrentVersionDays?: number;
  /** Days after which incomplete multipart (XML API) uploads are aborted. @default 7 */
  abortIncompleteUploadDays?: number;
  /**
   * A retention policy (days): no object can be deleted or overwritten before it is this old (WORM for
   * uploads). Cloud Storage does not allow a retention policy and Object Versioning on the same bucket, so
   * setting it turns versioning off (the policy protects more strongly). Not locked: Meridian never locks it.
   * Cost: objects are billed until they may be deleted.
   * @default none (versioning instead)
   */
  retentionDays?: number;
  /**
   * A Cloud KMS key (`projects/P/locations/L/keyRings/R/cryptoKeys/K`) for CMEK. The project's Cloud Storage
   * service agent needs `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it (grant it where the key lives).
   * Cost: $0.06/key-version-month + $0.03 per 10,000 operations (cloud.google.com/kms/pricing, 2026-11).
   * @default Google-managed encryption
   */
  kmsKeyName?: pulumi.Input<string>;
  /**
   * Let `pulumi destroy` delete a non-empty bucket. Keep false in prod; dev may set true.
   * @default false
   */
  forceDestroy?: boolean;
  /**
   * Grant the Cloud CDN cache fill agent read access here (needed for a backend bucket to serve). Set false
   * when the load balancer grants it (it does, after giving its backend bucket the signing key that makes
   * Google create the agent: see `./cdnFill`).
   * @default true
   */
  cdnReadAccess?: boolean;
  /** Enable storage.googleapis.com. @default true */
  enableApis?: boolean;
  /** Labels of the bucket. @default {} */
  labels?: Record<string, string>;
  /** Patches the bucket, the CDN read grant or the API enablement. @default none */
  transform?: {
    bucket?: Transform<gcp.storage.BucketArgs>;
    cdnReader?: Transform<gcp.storage.BucketIAMMemberArgs>;
    service?: Transform<gcp.projects.ServiceArgs>;
  };
}

export interface AssetsBucketSettings {
  region: string;
  bucketName: string;
  noncurrentVersionDays: number;
  abortIncompleteUploadDays: number;
  retentionDays?: number;
  forceDestroy: boolean;
  cdnReadAccess: boolean;
  enableApis: boolean;
  labels: Record<string, string>;
}

/** What auditors read about the bucket. */
export interface AssetsBucketPosture {
  versioning: boolean;
  publicAccessPrevention: "enforced";
  uniformBucketLevelAccess: true;
  encryption: "google-managed" | "cmek";
  retentionDays: number | null;
  /** Who may read objects (never allUsers). */
  readers: string[];
}

/** Validates every arg and applies defaults. */
export function resolveAssetsBucketArgs(name: string, args: AssetsBucketArgs): AssetsBucketSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  if (args.project === undefined || args.project === "") {
    throw new Error(`project is ${show(args.project)}; allowed: a GCP project id`);
  }
  if (typeof args.region !== "string" || !/^[a-z]+(?:-[a-z]+)+\d+$/.test(args.region)) {
    throw new Error(`region is ${show(args.region)}; allowed: a GCP region name, e.g. "us-central1"`);
  }
  const bucketName =
    args.bucketName ??
    physicalName("gcp:bucket", typeof args.project === "string" ? `${args.project}-${name}` : name);
  if (
    typeof bucketName !== "string" ||
    !/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/.test(bucketName) ||
    /^goog/.test(bucketName)
  ) {
    throw new Error(
      `bucketName is ${show(bucketName)}; allowed: 3-63 lowercase letters, digits, "-" and "_", starting and ` +
        `ending with a letter or digit, not starting with "goog" (no dots: they need domain verification)`,
    );
  }
  const retentionDays =
    args.retentionDays === undefined ? undefined : intIn("retentionDays", args.retentionDays, 1, 36500);
  return {
    region: args.region,
    bucketName,
    noncurrentVersionDays: intIn("noncurrentVersionDays", args.noncurrentVersionDays ?? 30, 1, 3650),
    abortIncompleteUploadDays: intIn(
      "abortIncompleteUploadDays",
      args.abortIncompleteUploadDays ?? 7,
      1,
      365,
    ),
    retentionDays,
    forceDestroy: bool("forceDestroy", args.forceDestroy ?? false),
    cdnReadAccess: bool("cdnReadAccess", args.cdnReadAccess ?? true),
    enableApis: bool("enableApis", args.enableApis ?? true),
    labels: validateLabels(args.labels),
  };
}

/** Lifecycle rules: abort stale multipart uploads; in versioning mode, delete old noncurrent versions. */
export function lifecycleRules(s: AssetsBucketSettings): gcp.types.input.storage.BucketLifecycleRule[] {
  const rules: gcp.types.input.storage.BucketLifecycleRule[] = [
    { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: s.abortIncompleteUploadDays } },
  ];
  if (s.retentionDays === undefined) {
    rules.push({
      action: { type: "Delete" },
      condition: { daysSinceNoncurrentTime: s.noncurrentVersionDays, withState: "ARCHIVED" },
    });
  }
  return rules;
}

/**
 * The assets bucket: private, readable by Cloud CDN's cache fill agent only.
 *
 * @example
 * const assets = new AssetsBucket("meridian-prod-assets", { project, region, labels });
 * new LoadBalancer("meridian-prod-edge", { assetsBucketName: assets.bucketName, ... });
 *
 * ## Cost (us-central1 list prices, cloud.google.com/storage/pricing, 2026-11)
 * Standard storage ≈ $0.020/GiB-month; class A operations $0.005/1,000, class B $0.0004/1,000; cache fill
 * from the bucket to Cloud CDN is billed by Cloud CDN. A few GiB of assets: well under $1/month.
 */
export class AssetsBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  /** `gs://<name>`. */
  public readonly url: pulumi.Output<string>;
  public readonly selfLink: pulumi.Output<string>;
  /** Every IAM binding this component creates (the CDN fill read grant). */
  public readonly grants: IamGrant[];
  public readonly posture: AssetsBucketPosture;
  public readonly settings: AssetsBucketSettings;

  constructor(name: string, args: AssetsBucketArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("AssetsBucket", name, () => resolveAssetsBucketArgs(name, args));
    super("meridian:gcp:AssetsBucket", name, {}, opts);
    this.settings = s;
    const t = args.transform ?? {};
    const apis = s.enableApis
      ? enableServices(name, args.project, ["storage.googleapis.com"], { parent: this }, t.service)
      : [];
    const versioning = s.retentionDays === undefined;

    const bucket = new gcp.storage.Bucket(
      ...applyTransform(
        t.bucket,
        `${name}-bucket`,
        {
          project: args.project,
          name: s.bucketName,
          location: s.region.toUpperCase(),
          storageClass: "STANDARD",
          uniformBucketLevelAccess: true,
          publicAccessPrevention: "enforced",
          versioning: { enabled: versioning },
          ...(s.retentionDays === undefined
            ? {}
            : { retentionPolicy: { retentionPeriod: String(s.retentionDays * 86400), isLocked: false } }),
          lifecycleRules: lifecycleRules(s),
          ...(args.kmsKeyName === undefined ? {} : { encryption: { defaultKmsKeyName: args.kmsKeyName } }),
          forceDestroy: s.forceDestroy,
          labels: s.labels,
        },
        { parent: this, dependsOn: apis },
      ),
    );

    const grants: IamGrant[] = s.cdnReadAccess
      ? [
          grantCdnFillRead(
            `${name}-cdn-fill-reader`,
            {
              project: args.project,
              bucketName: bucket.name,
              bucketLabel: s.bucketName,
              transform: t.cdnReader,
            },
            { parent: this },
          ),
        ]
      : [];

    this.bucketName = bucket.name;
    this.url = bucket.url;
    this.selfLink = bucket.selfLink;
    this.grants = grants;
    this.posture = {
      versioning,
      publicAccessPrevention: "enforced",
      uniformBucketLevelAccess: true,
      encryption: args.kmsKeyName === undefined ? "google-managed" : "cmek",
      retentionDays: s.retentionDays ?? null,
      readers: grants.map((g) => `${g.principal} (${g.role})`),
    };
    this.registerOutputs({
      bucketName: this.bucketName,
      url: this.url,
      selfLink: this.selfLink,
      grants: this.grants,
      posture: this.posture,
    });
  }
}
