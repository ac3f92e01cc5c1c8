/**
 * The AWS Cache's ElastiCache replication group (components/aws/cache.ts) and what it is placed with: the
 * subnet group (the isolated subnets) and the slow-log log group. Cluster mode off, `1 + replicas` nodes,
 * TLS required in transit, encrypted at rest, the AUTH token of `./cacheAuth`, automatic failover and
 * Multi-AZ when there is a replica, snapshots and maintenance in the configured windows, minor versions
 * upgraded in the window (`applyImmediately: false`).
 *
 * Cost (us-east-1): valkey cache.t4g.micro $0.0128/h ≈ $9.34/month per node (redis ≈ 25% more); the slow
 * log is CloudWatch Logs ingestion $0.50/GB and storage $0.03/GB-month.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { CACHE_PORT, CacheKit } from "./cacheArgs";

/**
 * The member cluster ids ElastiCache gives the nodes of a cluster-mode-disabled replication group:
 * `<group id>-001`, `-002`, ... (known before deployment, so alarms can be created per node).
 */
export function memberClusterIds(replicationGroupId: string, nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}

/** The replication group's physical id (`replicationGroupId`), from the component name only. */
export function replicationGroupId(name: string): string {
  return physicalName("aws:elasticache", name);
}

/** Creates the subnet group `<name>-subnets` over `subnetIds`. */
export function createSubnetGroup(
  kit: CacheKit,
  subnetIds: pulumi.Input<pulumi.Input<string>[]>,
): aws.elasticache.SubnetGroup {
  const { name } = kit;
  return new aws.elasticache.SubnetGroup(
    ...applyTransform(
      kit.transform.subnetGroup,
      `${name}-subnets`,
      {
        name: physicalName("aws:elasticache", name, "subnets"),
        description: asciiDescription(`Isolated subnets of ${name}`),
        subnetIds,
        tags: kit.tagsFor(`${name}-subnets`),
      },
      kit.childOpts(),
    ),
  );
}

/** The slow-log group's physical name, `/meridian/<name>/cache-slow-log` (known before deployment). */
export function slowLogName(name: string): string {
  return physicalName("aws:logGroup", `/meridian/${name}/cache-slow-log`);
}

/** Creates the slow-log group `<name>-slow-log` ({@link slowLogName}) with its retention. */
export function createSlowLog(kit: CacheKit): aws.cloudwatch.LogGroup {
  const { name } = kit;
  return new aws.cloudwatch.LogGroup(
    ...applyTransform(
      kit.transform.slowLogGroup,
      `${name}-slow-log`,
      {
        name: slowLogName(name),
        retentionInDays: kit.settings.slowLogRetentionDays,
        tags: kit.tagsFor(`${name}-slow-log`),
      },
      kit.childOpts(),
    ),
  );
}

/** What the replication group is built from. */
export interface ReplicationGroupParts {
  subnetGroup: aws.elasticache.SubnetGroup;
  securityGroup: aws.ec2.SecurityGroup;
  slowLog: aws.cloudwatch.LogGroup;
  authToken: pulumi.Input<string>;
  /** KMS key for encryption at rest; undefined: the ElastiCache owned key. */
  kmsKeyArn?: pulumi.Input<string>;
}

/** Creates the replication group, logical name `<name>`, physical id {@link replicationGroupId}. */
export function createReplicationGroup(
  kit: CacheKit,
  parts: ReplicationGroupParts,
): aws.elasticache.ReplicationGroup {
  const { name, settings: s } = kit;
  return new aws.elasticache.ReplicationGroup(
    ...applyTransform(
      kit.transform.replicationGroup,
      name,
      {
        replicationGroupId: replicationGroupId(name),
        description: asciiDescription(`Cache of ${name} (${s.engine} ${s.engineVersion}, TLS, AUTH)`),
        engine: s.engine,
        engineVersion: s.engineVersion,
        nodeType: s.nodeType,
        port: CACHE_PORT,
        clusterMode: "disabled",
        numCacheClusters: 1 + s.replicas,
        automaticFailoverEnabled: s.automaticFailover,
        multiAzEnabled: s.multiAz,
        subnetGroupName: parts.subnetGroup.name,
        securityGroupIds: [parts.securityGroup.id],
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        atRestEncryptionEnabled: true,
        kmsKeyId: parts.kmsKeyArn,
        authToken: parts.authToken,
        authTokenUpdateStrategy: "ROTATE",
        snapshotRetentionLimit: s.snapshotRetentionDays,
        snapshotWindow: s.snapshotWindow,
        maintenanceWindow: s.maintenanceWindow,
        autoMinorVersionUpgrade: true,
        applyImmediately: false,
        logDeliveryConfigurations: [
          {
            destination: parts.slowLog.name,
            destinationType: "cloudwatch-logs",
            logFormat: "json",
            logType: "slow-log",
          },
        ],
        tags: kit.tagsFor(name),
      },
      kit.childOpts(),
    ),
  );
}
