/**
 * Identity and access: service accounts, Google-managed service agents (`projects.ServiceIdentity`),
 * project-level and service-account-level IAM members, and enabled APIs. Service agent emails follow
 * Google's `service-PROJECT_NUMBER@<agent domain>` shape with the placeholder project number.
 */
import { str } from "../context";
import { fingerprint, iamMember, Model, numericId } from "./shared";

/** Service agent domains of the APIs Meridian uses (Google Cloud "Service agents" reference). */
const SERVICE_AGENTS: Record<string, string> = {
  "sqladmin.googleapis.com": "gcp-sa-cloud-sql.iam.gserviceaccount.com",
  "secretmanager.googleapis.com": "gcp-sa-secretmanager.iam.gserviceaccount.com",
  "artifactregistry.googleapis.com": "gcp-sa-artifactregistry.iam.gserviceaccount.com",
  "run.googleapis.com": "serverless-robot-prod.iam.gserviceaccount.com",
  "redis.googleapis.com": "cloud-redis.iam.gserviceaccount.com",
  "storage.googleapis.com": "gs-project-accounts.iam.gserviceaccount.com",
  "cloudscheduler.googleapis.com": "gcp-sa-cloudscheduler.iam.gserviceaccount.com",
  "logging.googleapis.com": "gcp-sa-logging.iam.gserviceaccount.com",
  "monitoring.googleapis.com": "gcp-sa-monitoring-notification.iam.gserviceaccount.com",
  "compute.googleapis.com": "compute-system.iam.gserviceaccount.com",
  "cloudkms.googleapis.com": "gcp-sa-cloudkms.iam.gserviceaccount.com",
  "servicenetworking.googleapis.com": "service-networking.iam.gserviceaccount.com",
};

/** The service agent email of an API in the placeholder project. */
export function serviceAgentEmail(service: string, projectNumber: string): string {
  const domain =
    SERVICE_AGENTS[service] ?? `gcp-sa-${service.replace(/\.googleapis\.com$/, "")}.iam.gserviceaccount.com`;
  return `service-${projectNumber}@${domain}`;
}

export const IAM_MODELS: Record<string, Model> = {
  "gcp:serviceaccount/account:Account": (call, ctx) => {
    const accountId = str(call.inputs, "accountId") ?? ctx.name.slice(0, 30);
    const email = `${accountId}@${ctx.project}.iam.gserviceaccount.com`;
    ctx.placeholder("assignedId");
    return {
      id: `projects/${ctx.project}/serviceAccounts/${email}`,
      out: {
        email,
        name: `projects/${ctx.project}/serviceAccounts/${email}`,
        uniqueId: numericId(ctx.seed, 21),
        member: `serviceAccount:${email}`,
      },
    };
  },
  "gcp:projects/serviceIdentity:ServiceIdentity": (call, ctx) => {
    const email = serviceAgentEmail(
      str(call.inputs, "service") ?? "unknown.googleapis.com",
      ctx.projectNumber,
    );
    ctx.placeholder("projectNumber");
    return {
      id: `projects/${ctx.project}/services/${str(call.inputs, "service") ?? "unknown"}`,
      out: { email, member: `serviceAccount:${email}` },
    };
  },
  // A project's IAM resource id is the project id itself.
  "gcp:projects/iAMMember:IAMMember": iamMember((call, ctx) => str(call.inputs, "project") ?? ctx.project),
  // Audit config: the provider's id is `<resource id>/audit_config/<service>` (terraform-provider-google
  // resource_iam_audit_config.go); the policy's etag is known only to the real project.
  "gcp:projects/iAMAuditConfig:IAMAuditConfig": (call, ctx) => ({
    id: `${str(call.inputs, "project") ?? ctx.project}/audit_config/${str(call.inputs, "service") ?? "allServices"}`,
    out: { etag: fingerprint(ctx.seed) },
  }),
  "gcp:serviceaccount/iAMMember:IAMMember": iamMember(
    (call) => str(call.inputs, "serviceAccountId") ?? "unknown",
  ),
  "gcp:projects/service:Service": (call, ctx) => ({
    id: `${str(call.inputs, "project") ?? ctx.project}/${str(call.inputs, "service") ?? call.name}`,
    out: {},
  }),
};
