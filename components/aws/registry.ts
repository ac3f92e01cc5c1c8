/**
 * The container registry of a Meridian service on AWS: one private ECR repository with immutable tags,
 * scan on push, encryption at rest (AES256 or a customer KMS key) and a lifecycle policy that keeps the
 * last N tagged images and expires untagged ones. App developers push, then set `meridian:image` to the
 * pushed digest (`<repositoryUrl>@sha256:...`). See docs/components/aws-registry.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { Tags, withName } from "../shared/tags";
import { applyTransform, Transform } from "../shared/transform";
import { intIn, resolveArgs, show } from "../shared/validate";

/** Encryption ECR offers for a repository. */
export const REGISTRY_ENCRYPTION_TYPES = ["AES256", "KMS"] as const;
export type RegistryEncryptionType = (typeof REGISTRY_ENCRYPTION_TYPES)[number];

/** Per-child `transform` hooks. */
export interface RegistryTransforms {
  repository?: Transform<aws.ecr.RepositoryArgs>;
  lifecyclePolicy?: Transform<aws.ecr.LifecyclePolicyArgs>;
}

export interface RegistryArgs {
  /**
   * Repository name (lowercase; `/` allowed for namespaces). Changing it replaces the repository, which
   * fails while it holds images (`forceDelete` is false).
   * @default the component name, lowercased
   * @example "meridian/api"
   */
  repositoryName?: string;
  /**
   * Encryption at rest: `"AES256"` (S3-managed keys, free) or `"KMS"` (a KMS key: the AWS managed
   * `aws/ecr` key, or `kmsKeyArn`). Cannot be changed after creation (replaces the repository).
   * Cost: KMS: $1/month per customer managed key plus $0.03 per 10,000 requests.
   * @default "AES256"
   */
  encryption?: RegistryEncryptionType;
  /**
   * KMS key ARN for `encryption: "KMS"` (only with it).
   * @default the AWS managed key `aws/ecr`
   */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * How many tagged images the lifecycle policy keeps (newest first); older tagged images expire.
   * Keep enough to roll back. Cost: storage $0.10/GB-month.
   * @default 30
   */
  keepTaggedImages?: number;
  /**
   * Days after which untagged images (layers of failed or superseded pushes) expire.
   * @default 7
   */
  untaggedExpiryDays?: number;
  /**
   * Tags for every taggable child (each also gets its `Name`). Pass the standard set (`awsTags(...)`).
   */
  tags: Record<string, string>;
  /** Patches any child's args or options (partial object or function). @default none */
  transform?: RegistryTransforms;
}

export const REGISTRY_DEFAULTS = {
  encryption: "AES256",
  keepTaggedImages: 30,
  untaggedExpiryDays: 7,
} as const;

export interface RegistrySettings {
  repositoryName: string;
  encryption: RegistryEncryptionType;
  kmsKeyArn?: pulumi.Input<string>;
  keepTaggedImages: number;
  untaggedExpiryDays: number;
  tags: Tags;
}

const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** Validates every arg and applies defaults. Each error names the arg, the value and what is allowed. */
export function resolveRegistryArgs(name: string, args: RegistryArgs): RegistrySettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const repositoryName = args.repositoryName ?? name.toLowerCase();
  if (
    typeof repositoryName !== "string" ||
    repositoryName.length < 2 ||
    repositoryName.length > 256 ||
    !REPOSITORY_NAME.test(repositoryName)
  ) {
    throw new Error(
      `repositoryName is ${show(repositoryName)}; allowed: 2-256 lowercase letters, digits and . _ - separators, ` +
        `optionally namespaced with / (e.g. "meridian/api")`,
    );
  }
  const encryption = args.encryption ?? REGISTRY_DEFAULTS.encryption;
  if (!(REGISTRY_ENCRYPTION_TYPES as readonly string[]).includes(encryption)) {
    throw new Error(`encryption is ${show(encryption)}; allowed: "AES256", "KMS"`);
  }
  if (args.kmsKeyArn !== undefined && encryption !== "KMS") {
    throw new Error(
      `kmsKeyArn is set but encryption is ${show(encryption)}; set encryption: "KMS" to use a key`,
    );
  }
  if (
    typeof args.kmsKeyArn === "string" &&
    !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(args.kmsKeyArn)
  ) {
    throw new Error(
      `kmsKeyArn is ${show(args.kmsKeyArn)}; allowed: a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`,
    );
  }
  const keepTaggedImages = intIn(
    "keepTaggedImages",
    args.keepTaggedImages ?? REGISTRY_DEFAULTS.keepTaggedImages,
    1,
    1000,
  );
  const untaggedExpiryDays = intIn(
    "untaggedExpiryDays",
    args.untaggedExpiryDays ?? REGISTRY_DEFAULTS.untaggedExpiryDays,
    1,
    3650,
  );
  const tags = args.tags as unknown;
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    throw new Error(`tags is ${show(tags)}; allowed: a map of strings (pass the standard set, awsTags(...))`);
  }
  return {
    repositoryName,
    encryption: encryption as RegistryEncryptionType,
    kmsKeyArn: args.kmsKeyArn,
    keepTaggedImages,
    untaggedExpiryDays,
    tags: { ...(tags as Tags) },
  };
}

/** The lifecycle policy document: expire untagged images after D days, keep the last N tagged images. */
export function lifecyclePolicyDocument(keepTaggedImages: number, untaggedExpiryDays: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${untaggedExpiryDays} days`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: untaggedExpiryDays,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keepTaggedImages} tagged images`,
        selection: {
          tagStatus: "tagged",
          tagPatternList: ["*"],
          countType: "imageCountMoreThan",
          countNumber: keepTaggedImages,
        },
        action: { type: "expire" },
      },
    ],
  });
}

/**
 * A private ECR repository for the Meridian API image.
 *
 * Tags are immutable (a tag can never be moved to other content, so a deployed tag is what was tested),
 * every push is scanned (basic scanning), images are encrypted at rest, and a lifecycle policy bounds
 * storage. `forceDelete` is false: deleting the stack never silently deletes images.
 *
 * @example
 * const registry = new Registry("meridian-api", { tags });
 * // docker push ${registry.repositoryUrl}:v1.2.3 ; then
 * // pulumi config set meridian:image ${repositoryUrl}@sha256:<digest>
 * new Service("api", { image, repositoryArn: registry.repositoryArn, ... });
 *
 * ## Cost
 * Storage $0.10/GB-month; basic scan on push free; data transfer to Fargate in the same region free (through
 * NAT: $0.045/GB processed, or interface endpoints).
 */
export class Registry extends pulumi.ComponentResource {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: push here. */
  public readonly repositoryUrl: pulumi.Output<string>;
  public readonly repositoryArn: pulumi.Output<string>;
  public readonly repositoryName: pulumi.Output<string>;
  /** The registry (account) id. */
  public readonly registryId: pulumi.Output<string>;

  constructor(name: string, args: RegistryArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("Registry", name, () => resolveRegistryArgs(name, args));
    super("meridian:aws:Registry", name, {}, opts);
    const t = args.transform ?? {};
    const childOpts = { parent: this };
    const repoName = `${name}-repo`;
    const repository = new aws.ecr.Repository(
      ...applyTransform(
        t.repository,
        repoName,
        {
          name: s.repositoryName,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [
            s.encryption === "KMS"
              ? { encryptionType: "KMS", kmsKey: s.kmsKeyArn }
              : { encryptionType: "AES256" },
          ],
          forceDelete: false,
          tags: withName(s.tags, physicalName("aws:tag", repoName)),
        },
        childOpts,
      ),
    );
    new aws.ecr.LifecyclePolicy(
      ...applyTransform(
        t.lifecyclePolicy,
        `${name}-lifecycle`,
        {
          repository: repository.name,
          policy: lifecyclePolicyDocument(s.keepTaggedImages, s.untaggedExpiryDays),
        },
        childOpts,
      ),
    );
    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
    this.repositoryName = repository.name;
    this.registryId = repository.registryId;
    this.registerOutputs({
      repositoryUrl: this.repositoryUrl,
      repositoryArn: this.repositoryArn,
      repositoryName: this.repositoryName,
      registryId: this.registryId,
    });
  }
}
