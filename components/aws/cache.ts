/**
 * Meridian's cache on AWS: an ElastiCache replication group (Valkey or Redis OSS, cluster mode off) in the
 * isolated subnets, TLS required in transit, encrypted at rest, protected by an AUTH token generated with
 * @pulumi/random and stored in Secrets Manager together with the `rediss://` URL the service reads as
 * `REDIS_URL`; Multi-AZ with automatic failover when there is a replica; slow log to CloudWatch Logs.
 *
 * This file is the component; its children live in `cacheAccess.ts` (security group and rules),
 * `replicationGroup.ts` (subnet group, slow log, replication group) and `cacheAuth.ts` (token, secrets);
 * the args in `cacheArgs.ts`. Validation is pure and exported ({@link resolveCacheArgs} in
 * `cacheSettings.ts`, {@link memberClusterIds}). See docs/components/aws-cache.md.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { childKit } from "../shared/component";
import { resolveArgs } from "../shared/validate";
import { CacheAccess, createCacheAccess } from "./cacheAccess";
import { CACHE_PORT, CacheArgs, CacheKit, CacheSettings } from "./cacheArgs";
import { createAuthToken, createCacheSecrets } from "./cacheAuth";
import { resolveCacheArgs } from "./cacheSettings";
import {
  createReplicationGroup,
  createSlowLog,
  createSubnetGroup,
  memberClusterIds,
  replicationGroupId,
  slowLogName,
} from "./replicationGroup";

// The component's vocabulary, re-exported so importers of "./cache" need not know the split.
export * from "./cacheArgs";
export { resolveCacheArgs } from "./cacheSettings";
export { cacheUrl } from "./cacheAuth";
export { memberClusterIds };

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
  private readonly access: CacheAccess;

  constructor(name: string, args: CacheArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Cache", name, () => resolveCacheArgs(args));
    super("meridian:aws:Cache", name, {}, opts);
    this.baseName = name;
    this.settings = settings;
    const s = settings;
    const kit: CacheKit = { ...childKit(this, s.tags), name, transform: args.transform ?? {}, settings };

    this.access = createCacheAccess(kit, args.vpcId, args.allowedSecurityGroupIds ?? []);
    const sg = this.access.securityGroup;
    const subnetGroup = createSubnetGroup(kit, args.subnetIds);
    const slowLog = createSlowLog(kit);
    const token = createAuthToken(kit);
    const group = createReplicationGroup(kit, {
      subnetGroup,
      securityGroup: sg,
      slowLog,
      authToken: token.result,
      kmsKeyArn: args.kmsKeyArn,
    });
    const { authSecret, urlSecret, authSecretName, urlSecretName } = createCacheSecrets(
      kit,
      token.result,
      group.primaryEndpointAddress,
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
    this.memberClusters = memberClusterIds(replicationGroupId(name), 1 + s.replicas);
    this.logRetention = { [slowLogName(name)]: s.slowLogRetentionDays };

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
    this.access.ingressTo(
      `${this.baseName}-ingress-${label}`,
      securityGroupId,
      `${this.settings.engine} from ${label}`,
    );
    this.access.egressFrom(`${this.baseName}-egress-${label}`, securityGroupId);
  }
}
