/**
 * What both GCP runtimes (Cloud Run: stacks/gcp.ts; GKE: stacks/gke.ts) build the same way, in the same
 * order: the network, the APIs the stack's own resources need, the runtime identity (before the data stores,
 * so each store's secrets can grant it access), the image registry, Cloud SQL, Memorystore, the admin API key
 * and the inbound webhooks' secrets (Secret Manager, read by the runtime identity only). With
 * `meridian:cacheEnabled=false` (dev only) there is no Memorystore: `cache` is undefined and the posture
 * says `cache: null` with the reason.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { enableServices } from "../components/gcp/apis";
import { AuditLogs, meridianAuditedServices } from "../components/gcp/auditLogs";
import { Cache } from "../components/gcp/cache";
import { Database } from "../components/gcp/database";
import { createServiceAccount } from "../components/gcp/iam";
import { Network, type NetworkArgs } from "../components/gcp/network";
import { Registry } from "../components/gcp/registry";
import { createManagedSecret } from "../components/gcp/secret";
import { gcpLabels } from "../components/shared/tags";
import type { MeridianConfig } from "./config";
import { cachePosture } from "./noCache";
import { webhookSecrets } from "./webhooks";

export interface GcpFoundationOptions {
  /** The runtime-specific network arguments: Cloud Run's egress, or GKE's secondary ranges. */
  network: Pick<NetworkArgs, "serverlessEgress" | "connectorCidr" | "secondaryRanges">;
  /** The runtime service account's description. */
  runtimeDescription: string;
}

/** Builds the shared GCP foundation of a stack (see the module comment). */
export function createGcpFoundation(config: MeridianConfig, o: GcpFoundationOptions) {
  const labels = gcpLabels(config.tags);
  const base = config.baseName;
  const prod = config.profile === "prod";
  const { project, region } = config.gcp;

  const network = new Network(`${base}-network`, {
    project,
    region,
    subnetCidr: config.gcp.subnetCidr,
    privateServicesCidr: config.gcp.privateServicesCidr,
    ...o.network,
    flowLogs: {
      aggregationInterval: prod ? "INTERVAL_1_MIN" : "INTERVAL_5_MIN",
      retentionDays: config.logRetentionDays,
    },
    labels,
  });

  // APIs the stack's own resources need (the components enable theirs): service accounts, project-level
  // grants, the secrets. Never disabled on destroy.
  const apis = enableServices(
    base,
    project,
    ["iam.googleapis.com", "cloudresourcemanager.googleapis.com", "secretmanager.googleapis.com"],
    {},
  );

  // The runtime identity exists before the data stores so each of their secrets can grant it access.
  const runtime = createServiceAccount(
    `${base}-runtime`,
    { project, base, role: "runtime", description: o.runtimeDescription },
    { dependsOn: apis },
  );
  const readers = [{ principal: runtime.accountId, member: runtime.member }];

  const registry = new Registry(`${base}-api`, { project, region, readers, labels });

  const stores = {
    project,
    region,
    networkSelfLink: network.networkSelfLink,
    privateServicesRangeName: network.privateServicesRangeName,
    privateServicesConnection: network.privateServicesConnection,
    accessors: readers,
    labels,
  };
  const database = new Database(`${base}-db`, {
    ...stores,
    postgresVersion: config.database.postgresVersion,
    tier: config.database.tier,
    highAvailability: config.database.highAvailability,
    diskSizeGb: config.database.storageGb,
    maxDiskSizeGb: config.database.maxStorageGb,
    backupRetentionDays: config.database.backupRetentionDays,
    deletionProtection: config.database.deletionProtection,
  });
  const cache = config.cache.enabled
    ? new Cache(`${base}-cache`, {
        ...stores,
        replicas: config.cache.replicas,
        memorySizeGb: config.cache.memoryGb,
        deletionProtection: prod,
      })
    : undefined;

  // The admin API key and the webhooks' secrets: generated or from config, kept in Secret Manager, injected
  // by a pinned reference (never in plain config).
  const secret = (logical: string, data: pulumi.Input<string>) =>
    createManagedSecret(
      `${base}-${logical}`,
      { project, idParts: [base, logical], data, accessors: readers, labels, deletionProtection: prod },
      { dependsOn: apis },
    );
  const adminKey = new random.RandomPassword(`${base}-admin-api-key`, { length: 48, special: false });
  const adminKeySecret = secret("admin-api-key", adminKey.result);
  const webhooks = webhookSecrets(config, base).map((w) => ({ env: w.env, secret: secret(w.name, w.value) }));

  // The opt-in baseline (meridian:accountBaseline): Data Access audit
  // logs of exactly the services this stack uses, kept 400 days in their own bucket, locked in prod.
  const auditLogs = config.accountBaseline
    ? new AuditLogs(`${base}-audit`, {
        project,
        region,
        services: meridianAuditedServices({ runtime: config.gcp.runtime, cache: cache !== undefined }),
        locked: prod,
      })
    : undefined;

  // The posture facts the foundation knows; both runtimes report them the same way.
  const posture = {
    network: network.posture,
    secrets: [
      ...database.secretNames,
      ...(cache?.secretNames ?? []),
      adminKeySecret.secretId,
      ...webhooks.map((w) => w.secret.secretId),
    ],
    database: database.posture,
    ...cachePosture(cache),
    backups: { database: database.backups },
    accountBaseline: auditLogs ? (auditLogs.posture as unknown as Record<string, unknown>) : null,
  };

  /**
   * The posture's `logRetentionDays` (days by log store): the VPC flow logs, then the runtime's own stores
   * (`observed`, from its Observability), then the audit-log bucket when the baseline is on.
   */
  const logRetentionDays = (observed: Record<string, number>): Record<string, number> => ({
    "network-flow-logs": config.logRetentionDays,
    ...observed,
    ...(auditLogs?.retention ? { [auditLogs.retention.name]: auditLogs.retention.days } : {}),
  });

  return {
    posture,
    logRetentionDays,
    labels,
    base,
    prod,
    project,
    region,
    network,
    apis,
    runtime,
    readers,
    registry,
    database,
    cache,
    adminKeySecret,
    webhooks,
    auditLogs,
  };
}
