/**
 * The GCP half of the opt-in account baseline (`meridian:accountBaseline`): Cloud Audit Logs Data Access
 * logs (ADMIN_READ, DATA_READ, DATA_WRITE) for exactly the services the stack uses, one
 * `gcp.projects.IAMAuditConfig` per service, with no exempted members, and (by default) those entries
 * routed to a log bucket of their own with a long retention.
 *
 * What Google already does without this component (Cloud Audit Logs overview,
 * https://cloud.google.com/logging/docs/audit, read 2026-11-30): Admin Activity and System Event logs of
 * every service are always written to `_Required` and kept 400 days at no charge; nothing can turn them
 * off. Data Access logs are off for every service but BigQuery; when on, they go to `_Default`, kept 30 days.
 *
 * Why a dedicated bucket (decision): an auditor asks "who read this secret / this object / pulled this
 * image" months after the fact, and 30 days in `_Default` does not answer it; raising `_Default`'s retention
 * instead would also keep (and bill) every application log that long. The bucket takes only the Data
 * Access entries of the audited services (the filter names them), they are excluded from `_Default` so
 * they are stored and billed once, and its retention defaults to 400 days, the same history as the Admin
 * Activity logs. The routing is `./logRouting` (bucket + sink + `_Default` exclusion), the same building
 * block the network and observability logs use. `locked` makes the retention immutable (Cloud Logging
 * `LogBucket.locked`: "The retention period on a locked bucket cannot be changed. Locked buckets may only be
 * deleted if they are empty."); it is off by default because it cannot be undone, and the stacks lock it in prod.
 *
 * Why per service, not `allServices` (CIS Google Cloud Foundations 2.1 asks for `allServices`): a project
 * may host other workloads, and `allServices` also turns on the highest-volume services (Compute Engine
 * reads) for a cost nobody chose; the list is explicit and shown in posture. Add `allServices` at the
 * organization or folder if the organization wants it: the union of both configurations applies.
 *
 * `IAMAuditConfig` edits the project's IAM policy (read-modify-write of `auditConfigs`) and must not be
 * combined with an authoritative `gcp.projects.IAMPolicy` in any stack of the project, or the two fight
 * over the policy (provider docs, `gcp.projects.IAMAuditConfig`). Meridian's stacks use only
 * non-authoritative `IAMMember` bindings, which coexist with it.
 *
 * Cost (https://cloud.google.com/stackdriver/pricing, read 2026-11-30): Cloud Logging ingestion $0.50/GiB
 * beyond the project's free 50 GiB/month; retention beyond 30 days $0.01/GiB-month. Audit configs, sinks,
 * exclusions and buckets are free. A small service writes ~1-3 GiB/month of Data Access entries (mostly
 * object reads and secret accesses): ~$0.50-1.50 ingestion (often inside the free 50 GiB) plus ~$0.25 of
 * retention at 400 days. GKE's Kubernetes API entries can be much larger. docs/components/gcp-audit-logs.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { enableServices } from "./apis";
import {
  AUDITED_SERVICE_NOTES,
  AuditLogsArgs,
  AuditLogsSettings,
  AuditLogsTransforms,
  AuditLogType,
  dataAccessFilter,
  resolveAuditLogsArgs,
} from "./auditLogsArgs";
import { createLogRouting } from "./logRouting";

export type { AuditLogsArgs } from "./auditLogsArgs";
export { meridianAuditedServices } from "./auditLogsArgs";

/** Where a kind of audit log goes and how long it stays there. */
export interface AuditLogDestination {
  /** `logging:<bucket>` (`_Required`, `_Default`, or `projects/P/locations/R/buckets/B`). */
  destination: string | pulumi.Output<string>;
  retentionDays: number;
  /** True when the retention can never be shortened (`_Required`, or a locked bucket). */
  locked: boolean;
}

/** What the posture says about the audit-log configuration (`posture.accountBaseline` on GCP). */
export interface AuditLogsPosture {
  kind: "gcp-cloud-audit-logs";
  /** Always on for every service (not configurable). */
  adminActivity: AuditLogDestination & { services: "all" };
  systemEvent: AuditLogDestination & { services: "all" };
  /** Turned on by this component, per service. */
  dataAccess: AuditLogDestination & {
    services: { service: string; logTypes: AuditLogType[]; exemptedMembers: string[]; records: string }[];
  };
}

/**
 * @example
 * new AuditLogs("meridian-prod-audit", {
 *   project, region,
 *   services: meridianAuditedServices({ runtime: "cloudrun" }),
 *   locked: true,
 * });
 *
 * ## Cost
 * Free by itself; Data Access volume is billed as Cloud Logging ingestion ($0.50/GiB beyond 50 GiB per
 * project and month) and retention beyond 30 days ($0.01/GiB-month): ~$1-2/month for a small service.
 */
export class AuditLogs extends pulumi.ComponentResource {
  /** The services with Data Access logs on, sorted. */
  public readonly services: string[];
  /** `projects/P/locations/R/buckets/B`, or undefined without `dedicatedBucket`. */
  public readonly logBucketId?: pulumi.Output<string>;
  /** The audit log bucket's id and retention for `posture.logRetentionDays`, when there is one. */
  public readonly retention?: { name: string; days: number };
  public readonly posture: AuditLogsPosture;
  public readonly settings: AuditLogsSettings;

  constructor(name: string, args: AuditLogsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("AuditLogs", name, () => resolveAuditLogsArgs(name, args));
    super("meridian:gcp:AuditLogs", name, {}, opts);
    this.settings = s;
    const t = args.transform ?? {};
    const apis = s.enableApis
      ? enableServices(
          name,
          args.project,
          ["cloudresourcemanager.googleapis.com", "logging.googleapis.com"],
          { parent: this },
          t.api,
        )
      : [];

    // Route first: entries written once the configs exist already have their bucket.
    const routing = s.dedicatedBucket
      ? createLogRouting(
          `${name}-logs`,
          {
            project: args.project,
            location: s.region,
            bucketId: s.bucketId,
            sinkName: s.sinkName,
            exclusionName: s.exclusionName,
            retentionDays: s.retentionDays,
            filter: dataAccessFilter(s.services),
            descriptions: {
              bucket: asciiDescription(`Data Access audit logs of ${name} (${s.services.length} services)`),
              sink: "Routes the audited services' Data Access audit logs to their own bucket",
              exclusion: "Stored in the audit log bucket instead of _Default",
            },
            transform: {
              logBucket: lockedBucket(s, t.logBucket),
              logSink: t.logSink,
              logExclusion: t.logExclusion,
            },
          },
          { parent: this, dependsOn: apis },
        )
      : undefined;

    const auditLogConfigs = s.logTypes.map((logType) => ({ logType }));
    for (const service of s.services) {
      new gcp.projects.IAMAuditConfig(
        ...applyTransform(
          t.auditConfig,
          `${name}-${service.split(".")[0]}`,
          { project: args.project, service, auditLogConfigs },
          { parent: this, dependsOn: routing ? [...apis, routing.exclusion] : apis },
        ),
      );
    }

    this.services = s.services;
    this.logBucketId = routing?.bucketId;
    this.retention = routing?.retention;
    const required = { destination: "logging:_Required", retentionDays: 400, locked: true };
    this.posture = {
      kind: "gcp-cloud-audit-logs",
      adminActivity: { services: "all", ...required },
      systemEvent: { services: "all", ...required },
      dataAccess: {
        services: s.services.map((service) => ({
          service,
          logTypes: s.logTypes,
          exemptedMembers: [],
          records: AUDITED_SERVICE_NOTES[service] ?? "see the service's audit logging page",
        })),
        ...(routing
          ? {
              destination: pulumi.interpolate`logging:${routing.bucketId}`,
              retentionDays: s.retentionDays,
              locked: s.locked,
            }
          : { destination: "logging:_Default", retentionDays: 30, locked: false }),
      },
    };
    this.registerOutputs({
      services: this.services,
      logBucketId: this.logBucketId,
      posture: this.posture,
    });
  }
}

/** The bucket transform with `locked` applied first, so a user transform still wins. */
function lockedBucket(
  s: AuditLogsSettings,
  user: AuditLogsTransforms["logBucket"],
): AuditLogsTransforms["logBucket"] {
  if (!s.locked) return user;
  return (a: gcp.logging.ProjectBucketConfigArgs, o: pulumi.CustomResourceOptions, n: string): void => {
    a.locked = true;
    if (typeof user === "function") user(a, o, n);
    else if (user) Object.assign(a, user);
  };
}
