/**
 * The container registry of a Meridian service on Google Cloud: one Artifact Registry Docker repository with
 * immutable tags, cleanup policies (keep the N most recent versions, delete untagged ones after D days and
 * old tagged ones after T days), vulnerability scanning, and `roles/artifactregistry.reader` on this
 * repository only for the identities that pull. See docs/components/gcp-registry.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { bool, intIn, resolveArgs, show } from "../shared/validate";
import { enableServices } from "./apis";
import { checkGrant, checkMember, IamGrant, validatePrincipals } from "./iam";
import { validateLabels } from "../shared/tags";
import { checkRegion } from "./serviceSettings";

/** The role that pulls images. */
export const REGISTRY_READER_ROLE = "roles/artifactregistry.reader";

export interface RegistryTransforms {
  repository?: Transform<gcp.artifactregistry.RepositoryArgs>;
  /** Every reader binding; the function form receives the logical name. */
  reader?: Transform<gcp.artifactregistry.RepositoryIamMemberArgs>;
  api?: Transform<gcp.projects.ServiceArgs>;
}

/** An identity allowed to pull: its posture label and IAM member. */
export interface RegistryReader {
  principal: string;
  member: pulumi.Input<string>;
}

export interface RegistryArgs {
  /** The project. */
  project: pulumi.Input<string>;
  /** The repository's region (the same as the service: pulls stay in the region). */
  region: string;
  /** Repository id (lowercase, starts with a letter). @default the component name */
  repositoryId?: string;
  /**
   * Versions of each image always kept, newest first (a KEEP policy that wins over the deletes): enough to roll back.
   * Cost: storage $0.10/GiB-month after 0.5 GiB free (https://cloud.google.com/artifact-registry/pricing, 2026-11).
   * @default 30
   */
  keepRecentVersions?: number;
  /** Days after which untagged versions (superseded pushes) are deleted. @default 7 */
  untaggedExpiryDays?: number;
  /** Days after which tagged versions beyond `keepRecentVersions` are deleted. @default 180 */
  taggedExpiryDays?: number;
  /**
   * Scan pushed images for vulnerabilities (Artifact Analysis; enables containerscanning.googleapis.com).
   * Cost: $0.26 per image scanned (https://cloud.google.com/artifact-analysis/pricing, 2026-11).
   * @default true
   */
  vulnerabilityScanning?: boolean;
  /**
   * A Cloud KMS key for CMEK (`projects/P/locations/R/keyRings/K/cryptoKeys/C`); create-only.
   * Cost: $0.06/key-version-month + $0.03 per 10,000 operations (Cloud KMS pricing, 2026-11).
   * @default Google-managed encryption
   */
  kmsKeyName?: pulumi.Input<string>;
  /** Identities granted roles/artifactregistry.reader on this repository only. @default [] */
  readers?: RegistryReader[];
  /** Enable artifactregistry.googleapis.com (and containerscanning.googleapis.com). @default true */
  enableApis?: boolean;
  /** Labels of the repository (pass `gcpLabels(...)`). */
  labels: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: RegistryTransforms;
}

export const REGISTRY_DEFAULTS = {
  keepRecentVersions: 30,
  untaggedExpiryDays: 7,
  taggedExpiryDays: 180,
  vulnerabilityScanning: true,
  enableApis: true,
} as const;

export interface RegistrySettings {
  region: string;
  repositoryId: string;
  keepRecentVersions: number;
  untaggedExpiryDays: number;
  taggedExpiryDays: number;
  vulnerabilityScanning: boolean;
  readers: RegistryReader[];
  enableApis: boolean;
  labels: Record<string, string>;
}

const REPOSITORY_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Validates every arg and applies defaults. Pure. */
export function resolveRegistryArgs(name: string, args: RegistryArgs): RegistrySettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = REGISTRY_DEFAULTS;
  if (args.project === undefined || args.project === null || args.project === "") {
    throw new Error(`project is ${show(args.project)}; allowed: a GCP project id (required)`);
  }
  const repositoryId = args.repositoryId ?? physicalName("gcp:artifactRepository", name);
  if (typeof repositoryId !== "string" || !REPOSITORY_ID.test(repositoryId)) {
    throw new Error(
      `repositoryId is ${show(repositoryId)}; allowed: 1-63 lowercase letters, digits and hyphens, starting with a letter`,
    );
  }
  if (
    typeof args.kmsKeyName === "string" &&
    !/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(args.kmsKeyName)
  ) {
    throw new Error(
      `kmsKeyName is ${show(args.kmsKeyName)}; allowed: projects/P/locations/R/keyRings/K/cryptoKeys/C`,
    );
  }
  const readers = validatePrincipals("readers", args.readers ?? []);
  return {
    region: checkRegion(args.region),
    repositoryId,
    keepRecentVersions: intIn("keepRecentVersions", args.keepRecentVersions ?? d.keepRecentVersions, 1, 1000),
    untaggedExpiryDays: intIn("untaggedExpiryDays", args.untaggedExpiryDays ?? d.untaggedExpiryDays, 1, 3650),
    taggedExpiryDays: intIn("taggedExpiryDays", args.taggedExpiryDays ?? d.taggedExpiryDays, 1, 3650),
    vulnerabilityScanning: bool(
      "vulnerabilityScanning",
      args.vulnerabilityScanning ?? d.vulnerabilityScanning,
    ),
    readers: [...readers],
    enableApis: bool("enableApis", args.enableApis ?? d.enableApis),
    labels: validateLabels(args.labels),
  };
}

/** The cleanup policies: KEEP the N most recent versions (wins), DELETE untagged after D days and tagged after T days. */
export function cleanupPolicies(
  s: Pick<RegistrySettings, "keepRecentVersions" | "untaggedExpiryDays" | "taggedExpiryDays">,
) {
  const days = (n: number) => `${n * 86400}s`;
  return [
    { id: "keep-recent", action: "KEEP", mostRecentVersions: { keepCount: s.keepRecentVersions } },
    {
      id: "delete-untagged",
      action: "DELETE",
      condition: { tagState: "UNTAGGED", olderThan: days(s.untaggedExpiryDays) },
    },
    {
      id: "delete-old-tagged",
      action: "DELETE",
      condition: { tagState: "TAGGED", olderThan: days(s.taggedExpiryDays) },
    },
  ];
}

/**
 * A private Artifact Registry Docker repository for the Meridian API image.
 *
 * @example
 * const registry = new Registry("meridian-prod-registry", { project, region, labels,
 *   readers: [{ principal: runtime.accountId, member: runtime.member }] });
 * // docker push ${registry.repositoryUrl}/api:v1.2.3, then meridian:image = <repositoryUrl>/api@sha256:<digest>
 */
export class Registry extends pulumi.ComponentResource {
  /** `projects/P/locations/R/repositories/ID`. */
  public readonly repositoryId: pulumi.Output<string>;
  /** The repository's id (its last path part). */
  public readonly repositoryName: string;
  /** `<region>-docker.pkg.dev/<project>/<repository>`: push `<repositoryUrl>/<image>:<tag>` here. */
  public readonly repositoryUrl: pulumi.Output<string>;
  /** Every IAM binding this component creates. */
  public readonly grants: IamGrant[];

  constructor(name: string, args: RegistryArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("Registry", name, () => resolveRegistryArgs(name, args));
    super("meridian:gcp:Registry", name, {}, opts);
    const t = args.transform ?? {};
    const apis = s.enableApis
      ? enableServices(
          name,
          args.project,
          [
            "artifactregistry.googleapis.com",
            ...(s.vulnerabilityScanning ? ["containerscanning.googleapis.com"] : []),
          ],
          { parent: this },
          t.api,
        )
      : [];
    const repository = new gcp.artifactregistry.Repository(
      ...applyTransform(
        t.repository,
        `${name}-repo`,
        {
          project: args.project,
          location: s.region,
          repositoryId: s.repositoryId,
          format: "DOCKER",
          mode: "STANDARD_REPOSITORY",
          description: asciiDescription(`Meridian API images (${name}); tags are immutable`),
          dockerConfig: { immutableTags: true },
          cleanupPolicyDryRun: false,
          cleanupPolicies: cleanupPolicies(s),
          vulnerabilityScanningConfig: {
            enablementConfig: s.vulnerabilityScanning ? "INHERITED" : "DISABLED",
          },
          kmsKeyName: args.kmsKeyName,
          labels: s.labels,
        },
        { parent: this, dependsOn: apis },
      ),
    );
    this.grants = s.readers.map((r) => {
      const grant = checkGrant({
        principal: r.principal,
        role: REGISTRY_READER_ROLE,
        on: `artifact registry repository ${s.repositoryId}`,
      });
      new gcp.artifactregistry.RepositoryIamMember(
        ...applyTransform(
          t.reader,
          `${name}-reader-${r.principal}`,
          {
            project: args.project,
            location: s.region,
            repository: repository.name,
            role: REGISTRY_READER_ROLE,
            member: checkMember(grant, r.member),
          },
          { parent: this },
        ),
      );
      return grant;
    });
    this.repositoryId = repository.id;
    this.repositoryName = s.repositoryId;
    this.repositoryUrl = pulumi.interpolate`${s.region}-docker.pkg.dev/${args.project}/${s.repositoryId}`;
    this.registerOutputs({
      repositoryId: this.repositoryId,
      repositoryName: this.repositoryName,
      repositoryUrl: this.repositoryUrl,
      grants: this.grants,
    });
  }
}
