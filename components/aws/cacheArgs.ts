/**
 * The arguments of the AWS Cache component (components/aws/cache.ts): engines and versions ElastiCache
 * offers, node sizing, failover, snapshots and windows, the slow log, the per-child transforms, the
 * defaults, the validated settings and the kit every child-building module (`cacheAccess.ts`,
 * `replicationGroup.ts`, `cacheAuth.ts`) receives. Validation is in `cacheSettings.ts`.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import type { ChildKit } from "../shared/component";
import type { Tags } from "../shared/tags";
import type { Transform } from "../shared/transform";

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

/** What every child-building module of the cache receives: the component's name, transforms and kit. */
export interface CacheKit extends ChildKit {
  /** The component's name: children's logical names are `<name>-<suffix>` (the group's is `<name>`). */
  name: string;
  transform: CacheTransforms;
  settings: CacheSettings;
}
