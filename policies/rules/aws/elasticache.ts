/**
 * ElastiCache at rest and access control, on every ElastiCache resource type that holds data:
 * replication groups, standalone cache clusters and serverless caches. (In-transit TLS is
 * aws-elasticache-transit-encryption in ./tls.ts.) A cluster that belongs to a replication group, and a
 * replication group that is a secondary of a global datastore, inherit these settings and are judged
 * where they are set.
 */
import { Res, resourceRule } from "../../lib/rule";

export const EC_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const EC_CLUSTER = "aws:elasticache/cluster:Cluster";
export const EC_SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";
/** Every ElastiCache resource that stores cache data (audited against @pulumi/aws in the tests). */
export const ELASTICACHE_DATA_TYPES = [EC_GROUP, EC_CLUSTER, EC_SERVERLESS];

const on = (v: unknown) => v === true || v === "true";
const set = (v: unknown) => v !== undefined && v !== null && v !== "";

/** True when the resource's settings are those of another resource (its group or global datastore). */
function inherits(r: Res): boolean {
  if (r.type === EC_CLUSTER) return set(r.props.replicationGroupId);
  if (r.type === EC_GROUP) return set(r.props.globalReplicationGroupId);
  return false;
}

export const elasticacheAtRest = resourceRule({
  id: "aws-elasticache-encrypted-at-rest",
  description:
    "ElastiCache data is encrypted at rest: replication groups set atRestEncryptionEnabled; a standalone cache cluster cannot, so it is replaced by a replication group or a serverless cache (always encrypted).",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "aws",
  area: "encryption",
  remediation:
    "Meridian: the cache component (components/aws/cache.ts) creates a replication group with it on. Raw: `atRestEncryptionEnabled: true` on `aws.elasticache.ReplicationGroup` (optionally `kmsKeyId`); replace a standalone `aws.elasticache.Cluster` with a one-node ReplicationGroup or an `aws.elasticache.ServerlessCache`.",
  references: ["CKV_AWS_29", "AWS FSBP ElastiCache.4"],
  types: ELASTICACHE_DATA_TYPES,
  check(r, report) {
    if (inherits(r) || r.type === EC_SERVERLESS) return; // serverless caches are always encrypted at rest
    if (r.type === EC_CLUSTER) {
      report(
        `a standalone cache cluster (engine ${r.props.engine ?? "unset"}) cannot encrypt data at rest; use a replication group with atRestEncryptionEnabled or a serverless cache.`,
      );
      return;
    }
    const v = r.props.atRestEncryptionEnabled;
    // The provider's default: false for redis, true for valkey.
    const effective = v === undefined || v === null ? r.props.engine === "valkey" : on(v);
    if (!effective)
      report(`atRestEncryptionEnabled is ${v === undefined ? "unset (false for redis)" : "not true"}.`);
  },
});

export const elasticacheAuth = resourceRule({
  id: "aws-elasticache-auth",
  description:
    "ElastiCache (Redis/Valkey) requires clients to authenticate: an AUTH token or RBAC user groups on replication groups, a user group on serverless caches; a standalone cache cluster cannot.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the cache component (components/aws/cache.ts) sets a generated `authToken` stored in Secrets Manager. Raw: `authToken` (with `transitEncryptionEnabled: true`) or `userGroupIds` on `aws.elasticache.ReplicationGroup`; `userGroupId` on `aws.elasticache.ServerlessCache`; replace a standalone `aws.elasticache.Cluster` with a replication group.",
  references: ["CKV_AWS_31", "AWS FSBP ElastiCache.6"],
  types: ELASTICACHE_DATA_TYPES,
  check(r, report) {
    if (inherits(r)) return;
    const engine = String(r.props.engine ?? "redis");
    if (r.type === EC_CLUSTER) {
      report(
        `a standalone cache cluster (engine ${engine}) cannot require AUTH; any client in the network can connect.`,
      );
      return;
    }
    if (r.type === EC_SERVERLESS) {
      if (engine !== "memcached" && !set(r.props.userGroupId))
        report("userGroupId is unset: the default user connects without a password.");
      return;
    }
    const groups = r.props.userGroupIds;
    const hasGroups = Array.isArray(groups) ? groups.length > 0 : set(groups);
    if (!set(r.props.authToken) && !set(r.props.authTokenWoVersion) && !hasGroups)
      report("neither authToken nor userGroupIds is set: clients connect without authenticating.");
  },
});
