/**
 * The args, defaults and validation of the GCP audit-log configuration (components/gcp/auditLogs.ts), and
 * which services a Meridian GCP stack audits ({@link meridianAuditedServices}). Pure: no resources.
 *
 * Sources (read 2026-11-30): Cloud Logging "Enable Data Access audit logs"
 * (https://cloud.google.com/logging/docs/audit/configure-data-access): Data Access logs are off by default
 * for every service but BigQuery, have three types (ADMIN_READ: reads of configuration or metadata;
 * DATA_READ / DATA_WRITE: reads and writes of user-provided data), and go to the `_Default` bucket unless
 * routed elsewhere; "Cloud Audit Logs overview" (https://cloud.google.com/logging/docs/audit): Admin
 * Activity and System Event logs are always written, cannot be disabled and are kept 400 days in the
 * `_Required` bucket at no charge.
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import type { Transform } from "../shared/transform";
import { bool, intIn, show } from "../shared/validate";
import { checkRegion } from "./serviceSettings";

/** The Data Access log types an `IAMAuditConfig` turns on (provider: `auditLogConfigs[].logType`). */
export const AUDIT_LOG_TYPES = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] as const;
export type AuditLogType = (typeof AUDIT_LOG_TYPES)[number];

/**
 * Retention limits of the audit log bucket, days. At least 30: a dedicated bucket that kept audit logs
 * for less time than `_Default` (30 days) would make them worse, not better. At most 3650 (Cloud Logging's
 * bucket maximum, "Configure custom retention").
 */
export const AUDIT_RETENTION_DAYS = { min: 30, max: 3650 } as const;

export const AUDIT_LOGS_DEFAULTS = {
  logTypes: AUDIT_LOG_TYPES,
  /** The same history as the Admin Activity logs in `_Required`, so both halves of the audit trail match. */
  retentionDays: 400,
  dedicatedBucket: true,
  locked: false,
  enableApis: true,
} as const;

/** What Data Access logs record per service, in words (posture and docs). */
export const AUDITED_SERVICE_NOTES: Readonly<Record<string, string>> = {
  "run.googleapis.com": "Cloud Run: reads of services, revisions, jobs and executions (ADMIN_READ)",
  "container.googleapis.com":
    "GKE: reads of clusters (ADMIN_READ) and the Kubernetes API's reads and writes (entries named k8s.io)",
  "sqladmin.googleapis.com": "Cloud SQL Admin API: reads of instances, users, backups (not SQL statements)",
  "secretmanager.googleapis.com": "Secret Manager: every secret version access (DATA_READ) and new versions",
  "storage.googleapis.com": "Cloud Storage: object reads (DATA_READ, incl. Cloud CDN fills) and writes",
  "redis.googleapis.com": "Memorystore: reads of instances and of their AUTH string",
  "artifactregistry.googleapis.com": "Artifact Registry: image pulls (DATA_READ) and pushes (DATA_WRITE)",
  "iam.googleapis.com": "IAM: reads of service accounts, roles and policies",
  "iamcredentials.googleapis.com":
    "Service account credentials: tokens minted by impersonating a service account",
  "sts.googleapis.com": "Security Token Service: token exchanges (GKE Workload Identity)",
  "cloudkms.googleapis.com": "Cloud KMS: encrypt/decrypt with a key (DATA_READ) and key reads",
};

/**
 * The `protoPayload.serviceName` values a service's Data Access entries carry: the service itself, and
 * for GKE also `k8s.io` (the Kubernetes API server's entries, "GKE audit policy",
 * https://cloud.google.com/kubernetes-engine/docs/concepts/audit-policy).
 */
export function logServiceNames(service: string): string[] {
  return service === "container.googleapis.com" ? [service, "k8s.io"] : [service];
}

/**
 * The services a Meridian GCP stack audits: those holding or handing out its data and identities. Both
 * runtimes: Cloud SQL, Secret Manager, Cloud Storage, Memorystore, Artifact Registry, IAM and service
 * account credentials; Cloud Run (`run`) or GKE (`container`, plus `sts` for Workload Identity's token
 * exchange); Memorystore only when the stack builds a cache; Cloud KMS only when a customer-managed key is used.
 *
 * Left out on purpose: Compute Engine (its ADMIN_READ entries record every read of the network and load
 * balancer configuration, usually a project's largest Data Access volume, and none of it is user data;
 * every change is already in the Admin Activity log), Service Networking, Cloud Scheduler, Cloud
 * Monitoring and Cloud Logging (configuration only, changes in Admin Activity).
 */
export function meridianAuditedServices(o: {
  runtime: "cloudrun" | "gke";
  /** The stack builds Memorystore. @default true */
  cache?: boolean;
  /** The stack uses a Cloud KMS key. @default false */
  cmek?: boolean;
}): string[] {
  const services = [
    "sqladmin.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
    ...(o.cache === false ? [] : ["redis.googleapis.com"]),
    "artifactregistry.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    ...(o.runtime === "gke" ? ["container.googleapis.com", "sts.googleapis.com"] : ["run.googleapis.com"]),
    ...(o.cmek ? ["cloudkms.googleapis.com"] : []),
  ];
  return services.sort();
}

/** Per-child transforms. */
export interface AuditLogsTransforms {
  /** Every `IAMAuditConfig`; the function form receives the logical name (`<name>-<service>`, e.g. `<name>-storage`). */
  auditConfig?: Transform<gcp.projects.IAMAuditConfigArgs>;
  /** The audit log bucket. */
  logBucket?: Transform<gcp.logging.ProjectBucketConfigArgs>;
  /** The sink routing Data Access entries to it. */
  logSink?: Transform<gcp.logging.ProjectSinkArgs>;
  /** The exclusion of the same entries from `_Default`. */
  logExclusion?: Transform<gcp.logging.ProjectExclusionArgs>;
  /** Every API enablement. */
  api?: Transform<gcp.projects.ServiceArgs>;
}

export interface AuditLogsArgs {
  /** The project whose audit configuration this sets (project-wide: one per project, never two stacks). */
  project: pulumi.Input<string>;
  /** Region of the audit log bucket (e.g. `us-central1`). */
  region: string;
  /**
   * Services whose Data Access logs are turned on, as API names (`secretmanager.googleapis.com`); one
   * `IAMAuditConfig` each. `allServices` is refused: it turns on every service of the project, including
   * the high-volume ones this stack does not use. See {@link meridianAuditedServices}.
   */
  services: string[];
  /**
   * Data Access log types turned on for every service.
   * Cost: Cloud Logging ingestion $0.50/GiB beyond the project's free 50 GiB/month (cloud.google.com/stackdriver/pricing, 2026-11-30).
   * @default ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] (CIS Google Cloud Foundations 2.1: DATA_READ and DATA_WRITE, no exempted members)
   */
  logTypes?: AuditLogType[];
  /**
   * Route the Data Access entries of these services to a log bucket of their own with `retentionDays`,
   * and exclude them from `_Default` (stored and billed once). False leaves them in `_Default` (30 days).
   * @default true
   */
  dedicatedBucket?: boolean;
  /**
   * Days the audit log bucket keeps entries (30-3650). Cost: $0.01/GiB-month beyond 30 days.
   * @default 400 (as long as Admin Activity logs stay in `_Required`)
   */
  retentionDays?: number;
  /**
   * Lock the bucket: its retention can never be changed again and it can be deleted only once empty (Cloud
   * Logging `LogBucket.locked`). Irreversible; the Meridian stacks lock it in prod.
   * @default false
   */
  locked?: boolean;
  /** Enable logging.googleapis.com and cloudresourcemanager.googleapis.com (never disabled on destroy). @default true */
  enableApis?: boolean;
  /** Patches any child's args or options. @default none */
  transform?: AuditLogsTransforms;
}

export interface AuditLogsSettings {
  region: string;
  services: string[];
  logTypes: AuditLogType[];
  dedicatedBucket: boolean;
  retentionDays: number;
  locked: boolean;
  enableApis: boolean;
  /** The bucket's id, sink and exclusion names (physical). */
  bucketId: string;
  sinkName: string;
  exclusionName: string;
}

const SERVICE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*\.googleapis\.com$/;

/** Validates every arg synchronously (errors name the arg, the value and what is allowed); applies defaults. */
export function resolveAuditLogsArgs(name: string, args: AuditLogsArgs): AuditLogsSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = AUDIT_LOGS_DEFAULTS;
  if (args.project === undefined || args.project === null || args.project === "") {
    throw new Error(`project is ${show(args.project)}; allowed: a GCP project id (required)`);
  }
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  const services = checkServices(args.services);
  const logTypes = args.logTypes ?? [...d.logTypes];
  if (
    !Array.isArray(logTypes) ||
    logTypes.length === 0 ||
    new Set(logTypes).size !== logTypes.length ||
    logTypes.some((t) => !AUDIT_LOG_TYPES.includes(t))
  ) {
    throw new Error(
      `logTypes is ${show(logTypes)}; allowed: a non-empty list without repeats of ${AUDIT_LOG_TYPES.map(show).join(", ")}`,
    );
  }
  return {
    region: checkRegion(args.region),
    services,
    logTypes: AUDIT_LOG_TYPES.filter((t) => logTypes.includes(t)),
    dedicatedBucket: bool("dedicatedBucket", args.dedicatedBucket ?? d.dedicatedBucket),
    retentionDays: intIn(
      "retentionDays",
      args.retentionDays ?? d.retentionDays,
      AUDIT_RETENTION_DAYS.min,
      AUDIT_RETENTION_DAYS.max,
      " (fewer than 30 would keep audit logs shorter than _Default does)",
    ),
    locked: bool("locked", args.locked ?? d.locked),
    enableApis: bool("enableApis", args.enableApis ?? d.enableApis),
    bucketId: physicalName("gcp:logBucket", name),
    sinkName: physicalName("gcp:resource", name, "sink"),
    exclusionName: physicalName("gcp:resource", name, "excl"),
  };
}

function checkServices(services: unknown): string[] {
  const allowed = `a non-empty list of distinct API names like "secretmanager.googleapis.com" (not "allServices")`;
  if (!Array.isArray(services) || services.length === 0) {
    throw new Error(`services is ${show(services)}; allowed: ${allowed}`);
  }
  for (const s of services) {
    if (typeof s !== "string" || !SERVICE.test(s)) {
      throw new Error(`services contains ${show(s)}; allowed: ${allowed}`);
    }
  }
  if (new Set(services).size !== services.length) {
    throw new Error(`services is ${show(services)}; allowed: ${allowed} (a service is listed twice)`);
  }
  return [...(services as string[])].sort();
}

/**
 * The Logging query selecting the Data Access entries of `services` (and nothing else): the sink's and
 * the `_Default` exclusion's filter. Pure.
 */
export function dataAccessFilter(services: readonly string[]): string {
  const names = services.flatMap(logServiceNames);
  return `log_id("cloudaudit.googleapis.com/data_access") AND (${names
    .map((n) => `protoPayload.serviceName="${n}"`)
    .join(" OR ")})`;
}
