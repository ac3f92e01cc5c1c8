/**
 * GKE Workload Identity: lets one Kubernetes ServiceAccount act as a Google service account
 * (`roles/iam.workloadIdentityUser` on that account for `serviceAccount:<project>.svc.id.goog[<ns>/<ksa>]`),
 * so Pods get the runtime identity's permissions without a key.
 * https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity (read 2026-11).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { checkGrant, checkMember, IamGrant, ServiceAccount } from "./iam";

export const WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser";
/** The posture kind of a Kubernetes service account principal. */
export const KSA_KIND = "gke:kubernetes-service-account";

/** The IAM member of a Kubernetes service account in a project's workload pool. Pure. */
export function ksaMember(project: string, namespace: string, ksa: string): string {
  return `serviceAccount:${project}.svc.id.goog[${namespace}/${ksa}]`;
}

/** Binds `<namespace>/<ksa>` to the Google service account; returns the grant for the posture. */
export function bindWorkloadIdentity(
  name: string,
  args: { project: string; namespace: string; ksa: string; serviceAccount: ServiceAccount },
  opts: pulumi.CustomResourceOptions = {},
): IamGrant {
  const grant = checkGrant({
    principal: `${args.namespace}/${args.ksa}`,
    role: WORKLOAD_IDENTITY_USER,
    on: `service account ${args.serviceAccount.accountId}`,
  });
  new gcp.serviceaccount.IAMMember(
    name,
    {
      serviceAccountId: args.serviceAccount.account.name,
      role: WORKLOAD_IDENTITY_USER,
      member: checkMember(grant, ksaMember(args.project, args.namespace, args.ksa)),
    },
    opts,
  );
  return grant;
}
