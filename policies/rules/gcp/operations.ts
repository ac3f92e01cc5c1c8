/** GCP operations: Cloud SQL backups, labels, log retention, firewall logging, Artifact Registry tags. */
import { resourceRule } from "../../lib/rule";
import { show } from "../../lib/util";
import { allowsOf, FIREWALL } from "./exposure";
import { Obj } from "./refs";
import { SQL } from "./tls";

const MIN_BACKUP_DAYS = 7;

export const sqlBackups = resourceRule<{ minRetainedBackups: number }>({
  id: "gcp-sql-backups",
  description:
    "Cloud SQL has automated backups with point-in-time recovery, keeps enough of them, and has deletion protection.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "gcp",
  area: "resilience",
  remediation:
    "Meridian: the GCP database component (components/gcp/database.ts) enables backups and PITR with the configured retention, and deletion protection in prod. Raw: `settings.backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, backupRetentionSettings: { retainedBackups: 7 } }` and `deletionProtection: true` (and `settings.deletionProtectionEnabled: true`).",
  references: ["CKV_GCP_14", "CIS GCP 6.7"],
  types: [SQL],
  config: {
    minRetainedBackups: {
      type: "integer",
      default: MIN_BACKUP_DAYS,
      description:
        "Minimum `backupRetentionSettings.retainedBackups` (daily backups kept; the API default is 7).",
    },
  },
  check(r, report, ctx) {
    const settings = (r.props.settings ?? {}) as Obj;
    const b = (settings.backupConfiguration ?? {}) as Obj;
    if (b.enabled !== true) report("settings.backupConfiguration.enabled is not true.");
    else {
      if (b.pointInTimeRecoveryEnabled !== true && !/^MYSQL/.test(String(r.props.databaseVersion)))
        report("point-in-time recovery is off (backupConfiguration.pointInTimeRecoveryEnabled).");
      const min = ctx.config.minRetainedBackups ?? MIN_BACKUP_DAYS;
      const kept = Number(((b.backupRetentionSettings ?? {}) as Obj).retainedBackups ?? 7);
      if (kept < min)
        report(
          `backupConfiguration.backupRetentionSettings.retainedBackups is ${kept}; at least ${min} required.`,
        );
    }
    if (r.props.deletionProtection === false) report("deletionProtection is false.");
  },
});

const RUN_V2 = "gcp:cloudrunv2/service:Service";

/** GCP resource types that take `labels` (or `userLabels` for Cloud SQL). */
export const LABELLED = [
  "gcp:storage/bucket:Bucket",
  RUN_V2,
  "gcp:cloudrunv2/job:Job",
  "gcp:redis/instance:Instance",
  "gcp:compute/instance:Instance",
  "gcp:secretmanager/secret:Secret",
  "gcp:compute/globalAddress:GlobalAddress",
  "gcp:compute/forwardingRule:ForwardingRule",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  "gcp:artifactregistry/repository:Repository",
  SQL,
];

const STANDARD_LABELS = ["app", "environment", "owner", "cost-center", "managed-by"];

export const gcpRequiredLabels = resourceRule<{ requiredLabels: string[] }>({
  id: "gcp-required-labels",
  description:
    "Labelled GCP resources carry the standard labels (app, environment, owner, cost-center, managed-by).",
  severity: "low",
  enforcement: "advisory",
  cloud: "gcp",
  area: "tagging",
  remediation:
    "Meridian: components apply `gcpLabels()` from components/shared/tags.ts. Raw: add the missing keys to `labels` (Cloud SQL: `settings.userLabels`).",
  references: [],
  types: LABELLED,
  config: {
    requiredLabels: {
      type: "array",
      items: { type: "string" },
      default: STANDARD_LABELS,
      description: "Label keys every labelled resource must carry.",
    },
  },
  check(r, report, ctx) {
    const labels = (r.type === SQL ? ((r.props.settings ?? {}) as Obj).userLabels : r.props.labels) as
      Obj | undefined;
    const keys = new Set(Object.keys(labels ?? {}));
    const missing = (ctx.config.requiredLabels ?? STANDARD_LABELS).filter((k) => !keys.has(k));
    if (missing.length) report(`missing label(s): ${missing.join(", ")}.`);
  },
});

export const gcpLogRetention = resourceRule<{ minDays: number }>({
  id: "gcp-log-retention",
  description: "Cloud Logging buckets keep logs at least 30 days.",
  severity: "low",
  enforcement: "advisory",
  cloud: "gcp",
  area: "logging",
  remediation:
    "Meridian: the GCP network and log routing components (components/gcp/network.ts, components/gcp/logRouting.ts) take the retention from the profile. Raw: `retentionDays` >= 30 on `gcp.logging.ProjectBucketConfig`.",
  references: [],
  types: ["gcp:logging/projectBucketConfig:ProjectBucketConfig"],
  config: { minDays: { type: "integer", default: 30, description: "Minimum retention (days)." } },
  check(r, report, ctx) {
    const min = ctx.config.minDays ?? 30;
    const days = Number(r.props.retentionDays ?? 30);
    if (days < min) report(`retentionDays is ${days}; at least ${min} required.`);
  },
});

export const firewallLogging = resourceRule({
  id: "gcp-firewall-logging",
  description: "VPC firewall allow rules log the connections they admit (Firewall Rules Logging).",
  severity: "low",
  enforcement: "advisory",
  cloud: "gcp",
  area: "logging",
  remediation:
    'Meridian: the GCP network component (components/gcp/network.ts) logs both of its rules and routes firewall logs to the network\'s log bucket. Raw: `logConfig: { metadata: "INCLUDE_ALL_METADATA" }` (or `"EXCLUDE_ALL_METADATA"` for smaller entries) on every allow rule.',
  references: [],
  types: [FIREWALL],
  check(r, report) {
    if (!allowsOf(r.props).length) return;
    if (!r.props.logConfig && r.props.enableLogging !== true)
      report("no logConfig: the connections this allow rule admits are not logged.");
  },
});

export const artifactRegistryImmutableTags = resourceRule({
  id: "gcp-artifact-registry-immutable-tags",
  description:
    "Artifact Registry Docker repositories have immutable tags, so a released tag cannot be moved to another image.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "gcp",
  area: "supply-chain",
  remediation:
    "Meridian: the GCP registry component (components/gcp/registry.ts) sets it. Raw: `dockerConfig: { immutableTags: true }` on `gcp.artifactregistry.Repository` (format DOCKER, standard mode); deploy by digest either way.",
  references: [],
  types: ["gcp:artifactregistry/repository:Repository"],
  check(r, report) {
    if (String(r.props.format ?? "").toUpperCase() !== "DOCKER") return;
    const mode = String(r.props.mode ?? "STANDARD_REPOSITORY");
    if (mode !== "STANDARD_REPOSITORY") return; // remote and virtual repositories hold no pushed tags
    const docker = (r.props.dockerConfig ?? {}) as Obj;
    if (docker.immutableTags !== true)
      report(`dockerConfig.immutableTags is ${show(docker.immutableTags ?? "unset (false)")}.`);
  },
});

export const gcpOperationsRules = [
  sqlBackups,
  gcpRequiredLabels,
  gcpLogRetention,
  firewallLogging,
  artifactRegistryImmutableTags,
];
