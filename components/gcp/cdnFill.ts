/**
 * Cloud CDN reading a private bucket: the cache fill service agent
 * `service-<PROJECT_NUMBER>@cloud-cdn-fill.iam.gserviceaccount.com` gets `roles/storage.objectViewer` on that
 * bucket only, and public access prevention stays enforced (Cloud CDN "Configure private bucket access",
 * cloud.google.com/cdn/docs/configure-private-bucket-access, and "Using signed URLs > Configure
 * permissions", read 2026-11).
 *
 * Google creates that agent when a backend of the project first gets a signed URL key, so a grant made
 * before one exists fails with "Service account ... does not exist" on a fresh project. The load balancer
 * therefore gives its backend bucket a signing key (also usable for signed URLs later) and grants read
 * after it; {@link grantCdnFillRead} is the one place the grant is written.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { checkGrant, checkMember, IamGrant } from "./iam";

/** The role Google documents for the cache fill agent (object get; list is included in the role). */
export const CDN_FILL_ROLE = "roles/storage.objectViewer";
/** The principal label of the Cloud CDN cache fill service agent in `grants` and the posture. */
export const CDN_FILL_PRINCIPAL = "cloud-cdn-fill";
/** Posture kinds for {@link identitiesFromGrants}: the fill agent is a Google-managed service agent. */
export const CDN_FILL_KIND: Record<string, string> = { [CDN_FILL_PRINCIPAL]: "gcp:service-agent" };

/** The Cloud CDN cache fill agent's member for a project number. */
export function cdnFillMember(projectNumber: string): string {
  return `serviceAccount:service-${projectNumber}@cloud-cdn-fill.iam.gserviceaccount.com`;
}

/**
 * Grants the fill agent `roles/storage.objectViewer` on one bucket (a `BucketIAMMember` named
 * `logicalName`). `bucketLabel` is the physical bucket name as the posture shows it.
 */
export function grantCdnFillRead(
  logicalName: string,
  args: {
    project: pulumi.Input<string>;
    bucketName: pulumi.Input<string>;
    bucketLabel: string;
    transform?: Transform<gcp.storage.BucketIAMMemberArgs>;
  },
  opts: pulumi.CustomResourceOptions,
): IamGrant {
  const grant = checkGrant({
    principal: CDN_FILL_PRINCIPAL,
    role: CDN_FILL_ROLE,
    on: `bucket ${args.bucketLabel}`,
  });
  const project = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: opts.parent });
  new gcp.storage.BucketIAMMember(
    ...applyTransform(
      args.transform,
      logicalName,
      {
        bucket: args.bucketName,
        role: CDN_FILL_ROLE,
        member: checkMember(
          grant,
          project.number.apply((n) => cdnFillMember(n)),
        ),
      },
      opts,
    ),
  );
  return grant;
}
