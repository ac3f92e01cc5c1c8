/**
 * Violating and clean resources of rules/gcp/operations.ts: Cloud SQL backups, labels, log retention,
 * firewall logging, immutable Artifact Registry tags.
 */
import type { Case } from "../case";
import { sql, tags } from "../builders";

export const GCP_OPERATIONS_CASES: Case[] = [
  {
    rule: "gcp-sql-backups",
    bad: {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      props: { databaseVersion: "POSTGRES_16", settings: {} },
    },
    good: { type: "gcp:sql/databaseInstance:DatabaseInstance", props: sql({}) },
  },
  {
    rule: "gcp-required-labels",
    bad: { type: "gcp:storage/bucket:Bucket", props: { labels: {} } },
    good: { type: "gcp:storage/bucket:Bucket", props: { labels: tags } },
  },
  {
    rule: "gcp-log-retention",
    bad: { type: "gcp:logging/projectBucketConfig:ProjectBucketConfig", props: { retentionDays: 7 } },
    good: { type: "gcp:logging/projectBucketConfig:ProjectBucketConfig", props: { retentionDays: 90 } },
  },
  {
    rule: "gcp-firewall-logging",
    bad: {
      type: "gcp:compute/firewall:Firewall",
      props: { network: "n", allows: [{ protocol: "tcp", ports: ["8080"] }], sourceRanges: ["10.0.0.0/8"] },
    },
    good: {
      type: "gcp:compute/firewall:Firewall",
      props: {
        network: "n",
        allows: [{ protocol: "tcp", ports: ["8080"] }],
        sourceRanges: ["10.0.0.0/8"],
        logConfig: { metadata: "EXCLUDE_ALL_METADATA" },
      },
    },
    says: "no logConfig",
  },
  {
    rule: "gcp-artifact-registry-immutable-tags",
    bad: { type: "gcp:artifactregistry/repository:Repository", props: { format: "DOCKER" } },
    good: {
      type: "gcp:artifactregistry/repository:Repository",
      props: { format: "DOCKER", dockerConfig: { immutableTags: true } },
    },
    says: "dockerConfig.immutableTags is unset (false)",
  },
];
