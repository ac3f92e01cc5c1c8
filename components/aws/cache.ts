/**
 * Meridian's cache on AWS: an ElastiCache replication group (Valkey or Redis OSS, cluster mode off) in the
 * isolated subnets, TLS required in transit, encrypted at rest, protected by an AUTH token generated with
 * @pulumi/random and stored in Secrets Manager together with the `rediss://` URL the service reads as
 * `REDIS_URL`; Multi-AZ with automatic failover when there is a replica; slow log to CloudWatch Logs.
 *
 * Validation is pure and exported ({@link resolveCacheArgs}, {@link memberClusterIds}). See
 * docs/components/aws-cache.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { childKit } from "../shared/component";
import { applyTransform, Transform } from "../shared/transform";
import { bool, intIn, resolveArgs, show } from "../shared/validate";
import { validateSecurityGroupIds, validateDailyWindow, validateWeeklyWindow } from "./database";
import { LOG_RETENTION_DAYS, validateTags } from "./network";

/** Engines and the versions the component accepts (versions ElastiCache offers). */
export const CACHE_ENGINES = ["valkey", "redis"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];
export const CACHE_ENGINE_VERSIONS: Record<CacheEngine, readonly string[]> = {
  valkey: ["7.2", "8.0", "8.1"],
  redis: ["7.1"],
};
export const DEFAULT_ENGINE_VERSION: Record<CacheEngine, string> = { valkey: "8.0", redis: "7.1" };

export const CACHE_PORT = 6379;

/** Per-child `transform` hooks. */
export interface CacheTransforms {
  securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  ingressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
  /** The egress rule {@link Cache.allowFrom} adds to a client's security group. */
  clientEgressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
  subnetGroup?: Transform<aws.elasticache.SubnetGroupArgs>;
  replicationGroup?: Transform<aws.elasticache.ReplicationGroupArgs>;
  authToken?: Transform<random.RandomPasswordArgs>;
  /** Both secrets (`<name>-url-secret`, `<name>-auth-secret`). */
  secret?: Transform<aws.secretsmanager.SecretArgs>;
  secretVersion?: Transform<aws.secretsmanager.SecretVersionArgs>;
  slowLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
}

export interface CacheArgs {
  /** The VPC (`network.vpcId`). */
  vpcId: pulumi.Input<string>;
  /** Subnets of the cache subnet group: the isolated tier (`network.isolatedSubnetIds`). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Security groups allowed to connect on 6379 (the service's tasks). One ingress rule each, by position
   * (append only). No CIDR access. Clients created after the cache are admitted with {@link Cache.allowFrom}.
   * @default [] (no client until allowFrom is called)
   */
  allowedSecurityGroupIds?: pulumi.Input<string>[];
  /**
   * `"valkey"` (open source fork of Redis, ≈ 20% cheaper nodes on ElastiCache) or `"redis"` (Redis OSS 7.1).
   * @default "valkey"
   */
  engine?: CacheEngine;
  /**
   * Engine version: valkey 7.2, 8.0, 8.1; redis 7.1.
   * @default "8.0" (valkey) / "7.1" (redis)
   */
  engineVersion?: string;
  /**
   * Node type (`cache.` prefix).
   * Cost: cache.t4g.micro ≈ $9.34/month (valkey, $0.0128/h) or $11.68 (redis); cache.t4g.small ≈ $18.7/$23.4.
   * @default "cache.t4g.micro"
   */
  nodeType?: string;
  /**
   * Read replicas (0-5): `numCacheClusters` is 1 + replicas. Each replica costs one more node.
   * @default 0
   */
  replicas?: number;
  /**
   * Automatic failover to a replica. Requires `replicas` >= 1.
   * @default replicas >= 1
   */
  automaticFailover?: boolean;
  /**
   * Place the replicas in other AZs than the primary. Requires `automaticFailover`.
   * @default replicas >= 1
   */
  multiAz?: boolean;
  /**
   * Days automatic snapshots are kept (0 disables them, max 35).
   * Cost: one snapshot per node free; beyond, $0.085/GB-month.
   * @default 1
   */
  snapshotRetentionDays?: number;
  /** Daily snapshot window, UTC. @default "03:00-04:00" */
  snapshotWindow?: string;
  /** Weekly maintenance window, UTC. @default "sun:05:00-sun:06:00" */
  maintenanceWindow?: string;
  /**
   * Days the slow-log log group keeps entries (CloudWatch Logs' allowed values).
   * Cost: ingestion $0.50/GB, storage $0.03/GB-month.
   * @default 30
   */
  slowLogRetentionDays?: number;
  /**
   * KMS key ARN for encryption at rest (always on); default: the ElastiCache owned key.
   * @default undefined
   */
  kmsKeyArn?: pulumi.Input<string>;
  /** Days a deleted secret can be restored (7-30), or 0 (dev). @default 7 */
  secretRecoveryWindowDays?: number;
  /** Tags for every taggable child (plus its `Name`). */
  tags: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: CacheTransforms;
}

export const CACHE_DEFAULTS = {
  engine: "valkey" as CacheEngine,
  nodeType: "cache.t4g.micro",
  replicas: 0,
  snapshotRetentionDays: 1,
  snapshotWindow: "03:00-04:00",
  maintenanceWindow: "sun:05:00-sun:06:00",
  slowLogRetentionDays: 30,
  secretRecoveryWindowDays: 7,
} as const;

export interface CacheSettings {
  engine: CacheEngine;
  engineVersion: string;
  nodeType: string;
  replicas: number;
  automaticFailover: boolean;
  multiAz: boolean;
  snapshotRetentionDays: number;
  snapshotWindow: string;
  maintenanceWindow: string;
  slowLogRetentionDays: number;
  secretRecoveryWindowDays: number;
  tags: Tags;
}

/** Validates every arg synchronously and applies defaults. */
export function resolveCacheArgs(args: CacheArgs): CacheSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = CACHE_DEFAULTS;
  if (args.vpcId === undefined || args.vpcId === "")
    throw new Error(`vpcId is ${show(args.vpcId)}; allowed: a VPC id`);
  if (args.subnetIds === undefined || (Array.isArray(args.subnetIds) && args.subnetIds.length === 0)) {
    throw new Error(`subnetIds is ${show(args.subnetIds)}; allowed: the isolated subnet ids`);
  }
  validateSecurityGroupIds("allowedSecurityGroupIds", args.allowedSecurityGroupIds);
  const engine = args.engine ?? d.engine;
  if (!CACHE_ENGINES.includes(engine)) {
    throw new Error(`engine is ${show(engine)}; allowed: ${CACHE_ENGINES.map(show).join(", ")}`);
  }
  const engineVersion = args.engineVersion ?? DEFAULT_ENGINE_VERSION[engine];
  if (!CACHE_ENGINE_VERSIONS[engine].includes(engineVersion)) {
    throw new Error(
      `engineVersion is ${show(engineVersion)} for engine ${show(engine)}; allowed: ` +
        `${CACHE_ENGINE_VERSIONS[engine].map(show).join(", ")}`,
    );
  }
  const nodeType = args.nodeType ?? d.nodeType;
  if (typeof nodeType !== "string" || !/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(nodeType)) {
    throw new Error(
      `nodeType is ${show(nodeType)}; allowed: a node type with the "cache." prefix, such as "cache.t4g.micro"`,
    );
  }
  const replicas = intIn("replicas", args.replicas ?? d.replicas, 0, 5);
  const automaticFailover = bool("automaticFailover", args.automaticFailover ?? replicas >= 1);
  if (automaticFailover && replicas < 1) {
    throw new Error(
      `automaticFailover is true with replicas ${replicas}; allowed: automaticFailover only with replicas >= 1 ` +
        `(failover needs a replica to promote)`,
    );
  }
  const multiAz = bool("multiAz", args.multiAz ?? replicas >= 1);
  if (multiAz && !automaticFailover) {
    throw new Error(
      `multiAz is true with automaticFailover false; allowed: multiAz only with automaticFailover (and replicas >= 1)`,
    );
  }
  const slowLogRetentionDays = args.slowLogRetentionDays ?? d.slowLogRetentionDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(slowLogRetentionDays)) {
    throw new Error(
      `slowLogRetentionDays is ${show(slowLogRetentionDays)}; allowed (CloudWatch Logs): ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  const secretRecoveryWindowDays = args.secretRecoveryWindowDays ?? d.secretRecoveryWindowDays;
  if (secretRecoveryWindowDays !== 0) intIn("secretRecoveryWindowDays", secretRecoveryWindowDays, 7, 30);
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return {
    engine,
    engineVersion,
    nodeType,
    replicas,
    automaticFailover,
    multiAz,
    snapshotRetentionDays: intIn(
      "snapshotRetentionDays",
      args.snapshotRetentionDays ?? d.snapshotRetentionDays,
      0,
      35,
    ),
    snapshotWindow: validateDailyWindow("snapshotWindow", args.snapshotWindow ?? d.snapshotWindow),
    maintenanceWindow: validateWeeklyWindow(
      "maintenanceWindow",
      args.maintenanceWindow ?? d.maintenanceWindow,
    ),
    slowLogRetentionDays,
    secretRecoveryWindowDays,
    tags: validateTags(args.tags),
  };
}

/**
 * The member cluster ids ElastiCache gives the nodes of a cluster-mode-disabled replication group:
 * `<group id>-001`, `-002`, ... (known before deployment, so alarms can be created per node).
 */
export function memberClusterIds(replicationGroupId: string, nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}

/** The `rediss://` URL: TLS, AUTH token as the password of the default user. */
export function cacheUrl(token: string, host: string, port: number): string {
  return `rediss://:${encodeURIComponent(token)}@${host}:${port}`;
}

/**
 * A Valkey/Redis cache for the Meridian API on ElastiCache.
 *
 * @example
 * const cache = new Cache("meridian-prod-cache", {
 *   vpcId: network.vpcId,
 *   subnetIds: network.isolatedSubnetIds,
 *   allowedSecurityGroupIds: [serviceSecurityGroupId],
 *   replicas: 1,
 *   nodeType: "cache.t4g.small",
 *   tags,
 * });
 * // service: secrets: [{ name: "REDIS_URL", valueFrom: cache.urlSecretArn }]
 *
 * ## Cost (us-east-1)
 * - dev (valkey cache.t4g.micro, no replica): ≈ $9.34/month.
 * - prod (valkey cache.t4g.small, 1 replica): ≈ $37.4/month; plus cross-AZ data transfer $0.01/GB each way.
 * - Secrets: 2 x $0.40/month. Slow log: CloudWatch Logs $0.50/GB.
 */
export class Cache extends pulumi.ComponentResource {
  /** The primary endpoint's host name (writes and reads). */
  public readonly primaryEndpoint: pulumi.Output<string>;
  /** The reader endpoint (replicas), when there are replicas. */
  public readonly readerEndpoint: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly replicationGroupId: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** Secret holding `rediss://:<token>@<primary>:6379` (`REDIS_URL`). */
  public readonly urlSecretArn: pulumi.Output<string>;
  /** Secret holding the AUTH token alone. */
  public readonly authSecretArn: pulumi.Output<string>;
  /** What auditors read about the cache. */
  public readonly posture: NonNullable<Posture["cache"]>;
  /** Names (never values) of the secrets this component creates. */
  public readonly secretNames: string[];
  /** The node (cache cluster) ids, for per-node alarms. Known before deployment. */
  public readonly memberClusters: string[];
  /** The slow-log group name and retention, for the posture's log retention map. */
  public readonly logRetention: Record<string, number>;
  public readonly settings: CacheSettings;

  private readonly baseName: string;
  private readonly egressFrom: (
    logical: string,
    client: pulumi.Input<string>,
  ) => aws.vpc.SecurityGroupEgressRule;
  private readonly ingressTo: (
    logical: string,
    from: pulumi.Input<string>,
    description: string,
  ) => aws.vpc.SecurityGroupIngressRule;

  constructor(name: string, args: CacheArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Cache", name, () => resolveCacheArgs(args));
    super("meridian:aws:Cache", name, {}, opts);
    this.baseName = name;
    this.settings = settings;
    const s = settings;
    const t = args.transform ?? {};
    const { childOpts, tagsFor } = childKit(this, s.tags);

    const sg = new aws.ec2.SecurityGroup(
      ...applyTransform(
        t.securityGroup,
        `${name}-sg`,
        {
          vpcId: args.vpcId,
          name: physicalName("aws:securityGroup", name, "cache"),
          description: asciiDescription(`${s.engine} ${name}: 6379 from the allowed groups only`),
          tags: tagsFor(`${name}-sg`),
        },
        childOpts(),
      ),
    );
    this.ingressTo = (logical, from, description) =>
      new aws.vpc.SecurityGroupIngressRule(
        ...applyTransform(
          t.ingressRule,
          logical,
          {
            securityGroupId: sg.id,
            referencedSecurityGroupId: from,
            ipProtocol: "tcp",
            fromPort: CACHE_PORT,
            toPort: CACHE_PORT,
            description: asciiDescription(description),
            tags: tagsFor(logical),
          },
          childOpts(),
        ),
      );
    this.egressFrom = (logical, client) =>
      new aws.vpc.SecurityGroupEgressRule(
        ...applyTransform(
          t.clientEgressRule,
          logical,
          {
            securityGroupId: client,
            referencedSecurityGroupId: sg.id,
            ipProtocol: "tcp",
            fromPort: CACHE_PORT,
            toPort: CACHE_PORT,
            description: asciiDescription(`${s.engine} to ${name}`),
            tags: tagsFor(logical),
          },
          childOpts(),
        ),
      );
    (args.allowedSecurityGroupIds ?? []).forEach((from, i) =>
      this.ingressTo(`${name}-ingress-${i}`, from, `${s.engine} from allowed group ${i}`),
    );

    const subnetGroup = new aws.elasticache.SubnetGroup(
      ...applyTransform(
        t.subnetGroup,
        `${name}-subnets`,
        {
          name: physicalName("aws:elasticache", name, "subnets"),
          description: asciiDescription(`Isolated subnets of ${name}`),
          subnetIds: args.subnetIds,
          tags: tagsFor(`${name}-subnets`),
        },
        childOpts(),
      ),
    );

    const slowLogName = physicalName("aws:logGroup", `/meridian/${name}/cache-slow-log`);
    const slowLog = new aws.cloudwatch.LogGroup(
      ...applyTransform(
        t.slowLogGroup,
        `${name}-slow-log`,
        { name: slowLogName, retentionInDays: s.slowLogRetentionDays, tags: tagsFor(`${name}-slow-log`) },
        childOpts(),
      ),
    );

    const token = new random.RandomPassword(
      ...applyTransform(
        t.authToken,
        `${name}-auth-token`,
        // 16-128 printable characters without @, " or / (ElastiCache's rule): letters and digits only.
        { length: 64, special: false, minLower: 2, minUpper: 2, minNumeric: 2 },
        childOpts(),
      ),
    );

    const groupId = physicalName("aws:elasticache", name);
    const nodes = 1 + s.replicas;
    const group = new aws.elasticache.ReplicationGroup(
      ...applyTransform(
        t.replicationGroup,
        name,
        {
          replicationGroupId: groupId,
          description: asciiDescription(`Cache of ${name} (${s.engine} ${s.engineVersion}, TLS, AUTH)`),
          engine: s.engine,
          engineVersion: s.engineVersion,
          nodeType: s.nodeType,
          port: CACHE_PORT,
          clusterMode: "disabled",
          numCacheClusters: nodes,
          automaticFailoverEnabled: s.automaticFailover,
          multiAzEnabled: s.multiAz,
          subnetGroupName: subnetGroup.name,
          securityGroupIds: [sg.id],
          transitEncryptionEnabled: true,
          transitEncryptionMode: "required",
          atRestEncryptionEnabled: true,
          kmsKeyId: args.kmsKeyArn,
          authToken: token.result,
          authTokenUpdateStrategy: "ROTATE",
          snapshotRetentionLimit: s.snapshotRetentionDays,
          snapshotWindow: s.snapshotWindow,
          maintenanceWindow: s.maintenanceWindow,
          autoMinorVersionUpgrade: true,
          applyImmediately: false,
          logDeliveryConfigurations: [
            {
              destination: slowLog.name,
              destinationType: "cloudwatch-logs",
              logFormat: "json",
              logType: "slow-log",
            },
          ],
          tags: tagsFor(name),
        },
        childOpts(),
      ),
    );

    const secret = (
      logical: string,
      secretName: string,
      description: string,
      value: pulumi.Input<string>,
    ) => {
      const sec = new aws.secretsmanager.Secret(
        ...applyTransform(
          t.secret,
          logical,
          {
            name: secretName,
            description: asciiDescription(description),
            recoveryWindowInDays: s.secretRecoveryWindowDays,
            tags: tagsFor(logical),
          },
          childOpts(),
        ),
      );
      new aws.secretsmanager.SecretVersion(
        ...applyTransform(
          t.secretVersion,
          `${logical}-version`,
          { secretId: sec.id, secretString: pulumi.secret(value) },
          childOpts(),
        ),
      );
      return sec;
    };
    const authSecretName = physicalName("aws:secret", `${name}/cache/auth-token`);
    const urlSecretName = physicalName("aws:secret", `${name}/cache/url`);
    const authSecret = secret(`${name}-auth-secret`, authSecretName, `AUTH token of ${name}`, token.result);
    const urlSecret = secret(
      `${name}-url-secret`,
      urlSecretName,
      `REDIS_URL of ${name} (rediss, TLS required)`,
      pulumi
        .all([token.result, group.primaryEndpointAddress])
        .apply(([tok, host]) => cacheUrl(tok, host, CACHE_PORT)),
    );

    this.primaryEndpoint = group.primaryEndpointAddress;
    this.readerEndpoint = group.readerEndpointAddress;
    this.port = pulumi.output(CACHE_PORT);
    this.replicationGroupId = group.id;
    this.securityGroupId = sg.id;
    this.urlSecretArn = urlSecret.arn;
    this.authSecretArn = authSecret.arn;
    this.posture = { tls: true, auth: true, encryptedAtRest: true };
    this.secretNames = [urlSecretName, authSecretName];
    this.memberClusters = memberClusterIds(groupId, nodes);
    this.logRetention = { [slowLogName]: s.slowLogRetentionDays };

    this.registerOutputs({
      primaryEndpoint: this.primaryEndpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      replicationGroupId: this.replicationGroupId,
      securityGroupId: this.securityGroupId,
      urlSecretArn: this.urlSecretArn,
      authSecretArn: this.authSecretArn,
      posture: this.posture,
      secretNames: this.secretNames,
      memberClusters: this.memberClusters,
      logRetention: this.logRetention,
    });
  }

  /**
   * Connects one more client security group on 6379, both ways: ingress to the cache's group and egress
   * from the client's group to exactly that group. For clients created after the cache (the service, whose
   * task group depends on this component's secrets). `label` names the rules: ASCII, unique, stable.
   */
  public allowFrom(label: string, securityGroupId: pulumi.Input<string>): void {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(label))
      throw new Error(
        `Cache "${this.baseName}": allowFrom label "${label}" is invalid; allowed: [a-z][a-z0-9-]{0,30}`,
      );
    this.ingressTo(
      `${this.baseName}-ingress-${label}`,
      securityGroupId,
      `${this.settings.engine} from ${label}`,
    );
    this.egressFrom(`${this.baseName}-egress-${label}`, securityGroupId);
  }
}
