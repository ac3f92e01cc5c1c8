/**
 * The GCP (Cloud Run) stack's part of the cross-component posture sections the AWS stack also fills
 * (stacks/awsPosture.ts): what GCP's components know, and `null` or a note where a fact is not known or
 * not built on GCP yet (each says why).
 *
 * Facts: Cloud SQL, Memorystore, Cloud Storage, Secret Manager, Cloud Logging and Artifact Registry encrypt
 * at rest with Google-managed keys unless a CMEK is set (Google Cloud "Default encryption at rest", read
 * 2026-11-30). The load balancer's SSL policy sets the viewer's TLS floor; the hop from Google's front end to
 * Cloud Run runs on Google's network with encryption Google applies and the stack cannot configure.
 * Without a cache (`meridian:cacheEnabled=false`) no fact names Memorystore.
 * `accountBaseline` (the Data Access audit-log configuration, or null) is the foundation's
 * (stacks/gcpFoundation.ts, components/gcp/auditLogs.ts), not this module's.
 */
import type { AssetsBucket } from "../components/gcp/assetsBucket";
import type { AuditLogs } from "../components/gcp/auditLogs";
import type { Cache } from "../components/gcp/cache";
import type { Database } from "../components/gcp/database";
import type { Posture, TlsHopFact } from "../components/shared/contracts";

export function gcpExtendedPosture(p: {
  base: string;
  database: Database;
  /** Absent when the stack builds no cache. */
  cache?: Cache;
  assets: AssetsBucket;
  viewerMinTls: string;
  /** Cloud Run (default) or GKE: the load balancer's hop to the workload differs. */
  runtime?: "cloudrun" | "gke";
  /** The foundation's Data Access audit-log configuration (`meridian:accountBaseline`), when built. */
  auditLogs?: AuditLogs;
}): Required<
  Pick<
    Posture,
    | "encryption"
    | "tlsHops"
    | "dataStoreBackups"
    | "resourcePolicies"
    | "restoreTesting"
    | "confirmOnDeployment"
  >
> {
  const { base, database, cache, assets } = p;
  const google = (store: string) => ({ store, encrypted: true, key: "google-managed" as const });
  return {
    encryption: [
      google(`cloudsql:${base}-db`),
      ...(cache ? [google(`memorystore:${base}-cache`)] : []),
      assets.posture.encryption === "cmek"
        ? { store: `gcs:${base}-assets`, encrypted: true, key: "customer-managed" as const }
        : google(`gcs:${base}-assets`),
      google("secretmanager:*"),
      google("logging:_Default"),
      google(`artifactregistry:${base}`),
    ],
    tlsHops: [
      { hop: "viewer", protocol: "https", minVersion: p.viewerMinTls, policy: "load balancer SSL policy" },
      p.runtime === "gke"
        ? {
            hop: "lb-to-task",
            protocol: "http",
            minVersion: null,
            note: "GKE Gateway to the pods (container-native NEGs) over HTTP inside the VPC; NetworkPolicies admit only the load balancer's ranges",
          }
        : {
            hop: "lb-to-task",
            protocol: "https",
            minVersion: null,
            note: "Google front end to Cloud Run (serverless NEG) on Google's network; encryption set by Google, not configurable",
          },
      {
        hop: "app-to-database",
        protocol: database.posture.tlsRequired ? "tls" : "plaintext",
        minVersion: null,
        policy: `Cloud SQL ENCRYPTED_ONLY; client sslmode ${database.posture.clientVerification}; the TLS floor is Cloud SQL's (confirm on the deployment)`,
      },
      ...(cache
        ? [
            {
              hop: "app-to-cache",
              protocol: cache.posture.tls ? "tls" : "plaintext",
              minVersion: null,
              policy:
                "Memorystore SERVER_AUTHENTICATION transit encryption; the TLS floor is Google's (confirm on the deployment)",
            } satisfies TlsHopFact,
          ]
        : []),
    ],
    dataStoreBackups: [
      {
        store: `cloudsql:${base}-db`,
        kind: database.backups.pointInTimeRecovery ? "automated-backups+pitr" : "automated-backups",
        retentionDays: database.backups.automatedDays,
      },
      ...(!cache
        ? []
        : cache.settings.persistence
          ? [
              {
                store: `memorystore:${base}-cache`,
                kind: "snapshots",
                retentionDays: 0,
                note: `RDB persistence every ${cache.settings.snapshotPeriod}: the latest snapshot only, for restarts (not a backup history)`,
              },
            ]
          : [
              {
                store: `memorystore:${base}-cache`,
                kind: "none",
                retentionDays: 0,
                note: "cache only: rebuilt from the database",
              },
            ]),
      {
        store: `gcs:${base}-assets`,
        kind: assets.posture.versioning ? "object-versioning" : "retention-policy",
        retentionDays: assets.posture.versioning
          ? assets.settings.noncurrentVersionDays
          : (assets.posture.retentionDays ?? 0),
      },
    ],
    // GCP has no resource policies in the AWS sense: access is IAM bindings on each resource, listed with
    // the resource in `identities`.
    resourcePolicies: [],
    // Not scheduled on GCP: Cloud SQL has no managed restore testing; the clone-and-check drill is a runbook
    // (docs/runbooks/gcp-clone-drill.md).
    restoreTesting: null,
    confirmOnDeployment: [
      "Encryption keys: Google-managed unless a CMEK is set outside the stack (`gcloud sql instances describe`, `gcloud storage buckets describe`).",
      `The TLS versions negotiated with Cloud SQL${cache ? " and Memorystore" : ""} (Google sets the floor): check from a job with \`openssl s_client\`.`,
      "Backups exist and restore: `gcloud sql backups list --instance=<instance>`, and the last clone drill (docs/runbooks/gcp-clone-drill.md).",
      "IAM bindings as GCP stores them (`gcloud projects get-iam-policy`, `gcloud run services get-iam-policy`): nothing outside the stack added members.",
      ...(p.auditLogs
        ? [
            "Data Access audit logs as GCP stores them (`gcloud projects get-iam-policy <project> --format='json(auditConfigs)'`): the stack's services, no exempted members, nothing removed; the audit log bucket's retention and lock (`gcloud logging buckets describe`).",
            "Project-wide settings outside this stack: organization policies (public access prevention, domain-restricted sharing).",
          ]
        : [
            "Project-wide settings outside this stack: Data Access audit logs, organization policies (public access prevention, domain-restricted sharing).",
          ]),
    ],
  };
}
