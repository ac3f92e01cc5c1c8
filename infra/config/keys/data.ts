/** Config keys — The data stores: PostgreSQL (RDS / Cloud SQL), its backups, and the cache (ElastiCache / Memorystore). See keys/index.ts for how the table is used. */
import { sqlTierFinding } from "../findings";
import { type KeyDef, pp } from "../types";

export const DATA_KEYS = {
  postgresVersion: {
    kind: "string",
    allowed: ["16", "17"],
    default: "16",
    cloud: "both",
    description: "PostgreSQL major version (RDS / Cloud SQL), with PostGIS.",
  },
  dbInstanceClass: {
    kind: "string",
    default: pp("db.t4g.micro", "db.m7g.large"),
    pattern: /^db\.[a-z0-9]+\.[a-z0-9]+$/,
    patternHint: "an RDS instance class like db.t4g.micro or db.m7g.large",
    cloud: "aws",
    description:
      "RDS instance class. Cost: db.t4g.micro ~$12/month, db.m7g.large ~$125/month (single-AZ, us-east-1; Multi-AZ doubles it).",
  },
  dbTier: {
    kind: "string",
    default: pp("db-custom-1-3840", "db-custom-2-7680"),
    check: sqlTierFinding,
    cloud: "gcp",
    description:
      "Cloud SQL machine tier: db-custom-<vCPUs>-<MiB> (Enterprise edition; 1 or an even number of vCPUs up to 96, 0.9-6.5 GiB per vCPU in multiples of 256 MiB), db-perf-optimized-N-<vCPUs> (Enterprise Plus), or the shared-core db-f1-micro/db-g1-small (no SLA; refused in prod). Cost: db-custom-1-3840 ~$50/month, db-custom-2-7680 ~$100/month (zonal, us-central1; regional HA doubles it).",
  },
  dbStorageGb: {
    kind: "integer",
    default: pp(20, 100),
    min: 20,
    max: 65536,
    cloud: "both",
    description:
      "Initial database storage, in GB. Cost: gp3 ~$0.115/GB-month (RDS), SSD ~$0.17/GB-month (Cloud SQL).",
  },
  dbMaxStorageGb: {
    kind: "integer",
    default: pp(100, 1000),
    min: 20,
    max: 65536,
    cloud: "both",
    description:
      "Ceiling for storage autoscaling, in GB; must be >= dbStorageGb. Storage only grows: you pay for what it grew to.",
  },
  dbHighAvailability: {
    kind: "boolean",
    default: pp(false, true),
    cloud: "both",
    description:
      "A standby in another zone with automatic failover: Multi-AZ (RDS) / regional HA (Cloud SQL). Cost: doubles the instance (and storage) price.",
  },
  dbProxy: {
    kind: "boolean",
    default: pp(false, true),
    cloud: "aws",
    description:
      "Put RDS Proxy (TLS required) in front of the database: connection pooling and faster failover. Cost: ~$0.015/vCPU-hour of the instance, at least 2 vCPUs (~$22/month).",
  },
  dbBackupRetentionDays: {
    kind: "integer",
    default: pp(7, 14),
    min: 1,
    max: 35,
    prod: { min: 7, why: "prod keeps a week of point-in-time recovery" },
    cloud: "both",
    description:
      "Automated backup retention, in days. The point-in-time recovery window is the same on RDS and at most 7 days on Cloud SQL (transaction logs); GCP requires at least 7.",
  },
  dbDeletionProtection: {
    kind: "boolean",
    default: pp(false, true),
    prod: { equals: true, why: "a prod database is never deleted by a `pulumi destroy` or a replace" },
    cloud: "both",
    description: "Refuse to delete the database until this is turned off.",
  },
  backupRetentionDays: {
    kind: "integer",
    default: pp(0, 35),
    min: 0,
    max: 36500,
    prod: { min: 7, why: "prod keeps at least a week of independent backups" },
    cloud: "aws",
    description:
      "Days AWS Backup keeps the database's daily backups, in a vault separate from RDS's own snapshots (0 = no AWS Backup plan). Cost: backup storage ~$0.095/GB-month.",
  },
  cacheEnabled: {
    kind: "boolean",
    default: true,
    prod: {
      equals: true,
      why: "prod keeps the API's own rate limits, its response cache and webhook de-duplication in Redis",
    },
    cloud: "both",
    description:
      "Build the cache (ElastiCache / Memorystore) and give the API its REDIS_URL. false (dev only) builds no cache, no REDIS_URL secret, no cache security-group or NetworkPolicy rule, no cache alarms or dashboard widgets, and posture.cache is null. The API then runs without Redis (docs/app-redis.md): no rate limiting by the API itself (the WAF / Cloud Armor per-IP limit stays), no response cache (every read goes to PostgreSQL), webhook de-duplication only by PostgreSQL's unique key. Saves: ~$10/month on AWS (cache.t4g.micro + 2 secrets), ~$36/month on GCP (Memorystore Basic 1 GB + 2 secret versions) (docs/cost-dev.md).",
  },
  cacheNodeType: {
    kind: "string",
    default: pp("cache.t4g.micro", "cache.m7g.large"),
    pattern: /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
    patternHint: "an ElastiCache node type like cache.t4g.micro or cache.m7g.large",
    cloud: "aws",
    description:
      "ElastiCache (Redis OSS/Valkey) node type. Cost per node: cache.t4g.micro ~$12/month, cache.m7g.large ~$115/month (us-east-1).",
  },
  cacheMemoryGb: {
    kind: "integer",
    default: pp(1, 5),
    min: 1,
    max: 300,
    cloud: "gcp",
    description:
      "Memorystore for Redis capacity, in whole GB. Cost: ~$0.05/GB-hour basic, more for standard tier with replicas (~$36/month for 1 GB basic).",
  },
  cacheReplicas: {
    kind: "integer",
    default: pp(0, 1),
    min: 0,
    max: 5,
    prod: { min: 1, why: "a replica in another zone takes over when the primary fails" },
    cloud: "both",
    description: "Cache read replicas (0 = a single node). Cost: each replica costs as much as the primary.",
  },
} satisfies Record<string, KeyDef>;
