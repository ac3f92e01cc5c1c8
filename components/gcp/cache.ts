/**
 * Meridian's Redis on GCP: one Memorystore for Redis instance on the network's private services access range,
 * TLS (`SERVER_AUTHENTICATION`), AUTH, a weekly maintenance window, RDB snapshots in prod and, in prod,
 * `STANDARD_HA` with read replicas. The app gets a `rediss://:<AUTH>@<host>:<port>` URL secret (`REDIS_URL`)
 * and the server CA bundle as a second secret, mounted as a file (`REDIS_CA_FILE`). Both variables are reserved
 * in docs/app.md: the app does not read Redis yet.
 *
 * Validation is pure and exported ({@link resolveGcpCacheArgs}). See docs/components/gcp-cache.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { bool, intIn, oneOf, resolveArgs, show } from "../shared/validate";
import { enableServices } from "./apis";
import { caBundle } from "./databaseSettings";
import { validatePrincipals, type IamGrant } from "./iam";
import { validateLabels } from "./network";
import { createManagedSecret, SecretAccessor, SecretRef } from "./secret";

/** Redis versions Memorystore for Redis offers (REDIS_7_2 is the newest, 2026-11). */
export const REDIS_VERSIONS = ["REDIS_7_2", "REDIS_7_0", "REDIS_6_X"] as const;
export type RedisVersion = (typeof REDIS_VERSIONS)[number];
export const CACHE_TIERS = ["BASIC", "STANDARD_HA"] as const;
export type CacheTier = (typeof CACHE_TIERS)[number];
export const RDB_PERIODS = ["ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS"] as const;
export type RdbPeriod = (typeof RDB_PERIODS)[number];
const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;

/** Where the service mounts the CA secret; `REDIS_CA_FILE` points here. */
export const CACHE_CA_FILE_PATH = "/etc/meridian/redis/server-ca.pem";

export interface GcpCacheTransforms {
  instance?: Transform<gcp.redis.InstanceArgs>;
  secret?: Transform<gcp.secretmanager.SecretArgs>;
  secretVersion?: Transform<gcp.secretmanager.SecretVersionArgs>;
  accessor?: Transform<gcp.secretmanager.SecretIamMemberArgs>;
  service?: Transform<gcp.projects.ServiceArgs>;
}

export interface GcpCacheArgs {
  project: pulumi.Input<string>;
  /** @example "us-central1" */
  region: string;
  /** The VPC (`network.networkSelfLink`). */
  networkSelfLink: pulumi.Input<string>;
  /** The private services access range name (`network.privateServicesRangeName`). */
  privateServicesRangeName: pulumi.Input<string>;
  /** The peering (`network.privateServicesConnection`): the instance is created after it. */
  privateServicesConnection: pulumi.Resource;
  /** Identities that read the URL and CA secrets (the runtime service account). */
  accessors: SecretAccessor[];
  /**
   * Read replicas (0-5). 0: `BASIC` (one node, no SLA); 1+: `STANDARD_HA` with a failover replica and
   * `replicas` read replicas (needs `memorySizeGb` >= 5).
   * Cost (us-central1, cloud.google.com/memorystore/docs/redis/pricing, 2026-11): Basic 1 GB ≈ $36/month;
   * Standard 5 GB with 1 read replica ≈ $0.054/GB-h × 5 GB × 2 nodes ≈ $394/month.
   * @default 0
   */
  replicas?: number;
  /** Capacity in GB (1-300; 5+ with read replicas). Cost: proportional (Basic ≈ $0.049/GB-h for 1-4 GB). @default 1 */
  memorySizeGb?: number;
  /** @default "REDIS_7_2" */
  redisVersion?: RedisVersion;
  /** RDB snapshots (no extra charge). @default true when replicas >= 1 */
  persistence?: boolean;
  /** RDB snapshot period. @default "TWELVE_HOURS" */
  snapshotPeriod?: RdbPeriod;
  /** Weekly maintenance window start, UTC (one hour). @default { day: "SUNDAY", hour: 5 } */
  maintenanceWindow?: { day: (typeof DAYS)[number]; hour: number };
  /** Refuse deletion (the provider's guard and Pulumi `protect`). Set it in prod. @default false */
  deletionProtection?: boolean;
  /** Enable redis.googleapis.com and secretmanager.googleapis.com. @default true */
  enableApis?: boolean;
  /** Labels of the instance and the secrets. @default {} */
  labels?: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: GcpCacheTransforms;
}

export interface GcpCacheSettings {
  region: string;
  tier: CacheTier;
  replicas: number;
  memorySizeGb: number;
  redisVersion: RedisVersion;
  persistence: boolean;
  snapshotPeriod: RdbPeriod;
  maintenanceWindow: { day: (typeof DAYS)[number]; hour: number };
  deletionProtection: boolean;
  enableApis: boolean;
  labels: Record<string, string>;
}

/** Validates every arg and applies defaults. Errors name the arg, the value and what is allowed. */
export function resolveGcpCacheArgs(args: GcpCacheArgs): GcpCacheSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  for (const key of ["project", "networkSelfLink", "privateServicesRangeName"] as const) {
    if (args[key] === undefined || args[key] === "")
      throw new Error(`${key} is ${show(args[key])}; required`);
  }
  if (typeof args.region !== "string" || !/^[a-z]+-[a-z]+\d+$/.test(args.region)) {
    throw new Error(`region is ${show(args.region)}; allowed: a GCP region such as "us-central1"`);
  }
  if (!args.privateServicesConnection) {
    throw new Error(`privateServicesConnection is ${show(args.privateServicesConnection)}; required`);
  }
  validatePrincipals("accessors", args.accessors);
  const replicas = intIn("replicas", args.replicas ?? 0, 0, 5);
  const memorySizeGb = intIn("memorySizeGb", args.memorySizeGb ?? (replicas > 0 ? 5 : 1), 1, 300, " (GB)");
  if (replicas > 0 && memorySizeGb < 5) {
    throw new Error(
      `memorySizeGb is ${memorySizeGb} with replicas ${replicas}; allowed: at least 5 GB with read replicas (Memorystore requirement)`,
    );
  }
  const mw = args.maintenanceWindow ?? { day: "SUNDAY", hour: 5 };
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return {
    region: args.region,
    tier: replicas > 0 ? "STANDARD_HA" : "BASIC",
    replicas,
    memorySizeGb,
    redisVersion: oneOf("redisVersion", args.redisVersion ?? "REDIS_7_2", REDIS_VERSIONS),
    persistence: bool("persistence", args.persistence ?? replicas > 0),
    snapshotPeriod: oneOf("snapshotPeriod", args.snapshotPeriod ?? "TWELVE_HOURS", RDB_PERIODS),
    maintenanceWindow: {
      day: oneOf("maintenanceWindow.day", mw?.day, DAYS),
      hour: intIn("maintenanceWindow.hour", mw?.hour, 0, 23),
    },
    deletionProtection: bool("deletionProtection", args.deletionProtection ?? false),
    enableApis: bool("enableApis", args.enableApis ?? true),
    labels: validateLabels(args.labels),
  };
}

/** The `rediss://` URL: TLS, the AUTH string as the default user's password. */
export function redisUrl(auth: string, host: string, port: number): string {
  return `rediss://:${encodeURIComponent(auth)}@${host}:${port}`;
}

/**
 * A Redis cache for the Meridian API on Memorystore.
 *
 * @example
 * const cache = new Cache("meridian-prod-cache", { project, region, networkSelfLink: network.networkSelfLink,
 *   privateServicesRangeName: network.privateServicesRangeName,
 *   privateServicesConnection: network.privateServicesConnection, accessors: [runtime], replicas: 1, labels });
 * // service: REDIS_URL from cache.urlSecret; cache.caSecret mounted at cache.caFilePath (REDIS_CA_FILE)
 */
export class Cache extends pulumi.ComponentResource {
  /** Pinned reference of the `REDIS_URL` secret. */
  public readonly urlSecret: SecretRef;
  /** Pinned reference of the server CA bundle secret (PEM). */
  public readonly caSecret: SecretRef;
  /** Suggested mount path of the CA secret (`REDIS_CA_FILE`). */
  public readonly caFilePath: string;
  /** The primary endpoint's IP. */
  public readonly host: pulumi.Output<string>;
  /** 6378 with TLS. */
  public readonly port: pulumi.Output<number>;
  /** The read endpoint (replicas), empty without replicas. */
  public readonly readHost: pulumi.Output<string>;
  public readonly instanceId: pulumi.Output<string>;
  public readonly secretNames: string[];
  public readonly grants: IamGrant[];
  public readonly posture: NonNullable<Posture["cache"]>;
  public readonly settings: GcpCacheSettings;

  constructor(name: string, args: GcpCacheArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("Cache", name, () => resolveGcpCacheArgs(args));
    super("meridian:gcp:Cache", name, {}, opts);
    this.settings = s;
    const t = args.transform ?? {};
    const child = (extra: pulumi.CustomResourceOptions = {}) => ({ parent: this, ...extra });
    const apis = s.enableApis
      ? enableServices(
          name,
          args.project,
          ["redis.googleapis.com", "secretmanager.googleapis.com"],
          child(),
          t.service,
        )
      : [];

    const instance = new gcp.redis.Instance(
      ...applyTransform(
        t.instance,
        name,
        {
          project: args.project,
          region: s.region,
          name: physicalName("gcp:redis", name),
          displayName: `Cache of ${name}`.slice(0, 80),
          tier: s.tier,
          memorySizeGb: s.memorySizeGb,
          redisVersion: s.redisVersion,
          authorizedNetwork: args.networkSelfLink,
          connectMode: "PRIVATE_SERVICE_ACCESS",
          reservedIpRange: args.privateServicesRangeName,
          transitEncryptionMode: "SERVER_AUTHENTICATION",
          authEnabled: true,
          readReplicasMode: s.replicas > 0 ? "READ_REPLICAS_ENABLED" : "READ_REPLICAS_DISABLED",
          replicaCount: s.replicas > 0 ? s.replicas : undefined,
          persistenceConfig: s.persistence
            ? { persistenceMode: "RDB", rdbSnapshotPeriod: s.snapshotPeriod }
            : { persistenceMode: "DISABLED" },
          maintenancePolicy: {
            weeklyMaintenanceWindows: [
              { day: s.maintenanceWindow.day, startTime: { hours: s.maintenanceWindow.hour, minutes: 0 } },
            ],
          },
          deletionProtection: s.deletionProtection,
          labels: s.labels,
        },
        child({ dependsOn: [args.privateServicesConnection, ...apis], protect: s.deletionProtection }),
      ),
    );

    const secretOpts = child({ dependsOn: [instance, ...apis] });
    const common = {
      project: args.project,
      accessors: args.accessors,
      labels: s.labels,
      deletionProtection: s.deletionProtection,
      transform: { secret: t.secret, version: t.secretVersion, accessor: t.accessor },
    };
    const url = createManagedSecret(
      `${name}-url`,
      {
        ...common,
        idParts: [name, "redis-url"],
        data: pulumi.secret(
          pulumi
            .all([instance.authString, instance.host, instance.port])
            .apply(([auth, host, port]) => redisUrl(auth, host, port)),
        ),
      },
      secretOpts,
    );
    const ca = createManagedSecret(
      `${name}-ca`,
      { ...common, idParts: [name, "redis-ca"], data: instance.serverCaCerts.apply((c) => caBundle(c)) },
      secretOpts,
    );

    this.urlSecret = url.ref;
    this.caSecret = ca.ref;
    this.caFilePath = CACHE_CA_FILE_PATH;
    this.host = instance.host;
    this.port = instance.port;
    this.readHost = instance.readEndpoint;
    this.instanceId = instance.id;
    this.secretNames = [url.secretId, ca.secretId];
    this.grants = [...url.grants, ...ca.grants];
    // Memorystore encrypts data at rest by default (Google-managed keys).
    this.posture = { tls: true, auth: true, encryptedAtRest: true };
    this.registerOutputs({
      urlSecret: this.urlSecret,
      caSecret: this.caSecret,
      caFilePath: this.caFilePath,
      host: this.host,
      port: this.port,
      readHost: this.readHost,
      instanceId: this.instanceId,
      secretNames: this.secretNames,
      grants: this.grants,
      posture: this.posture,
    });
  }
}
