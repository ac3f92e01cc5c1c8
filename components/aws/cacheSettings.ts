/**
 * Validation of the AWS Cache's args (components/aws/cache.ts) and the defaults applied: network placement,
 * engine and version, node type, replicas with failover and Multi-AZ, snapshot and maintenance windows,
 * slow-log retention (CloudWatch Logs' allowed values), secret recovery window. Pure: no resources.
 * Errors name the arg, the value and what is allowed.
 */
import { bool, intIn, show } from "../shared/validate";
import { validateDailyWindow, validateSecurityGroupIds, validateWeeklyWindow } from "./database";
import { LOG_RETENTION_DAYS, validateTags } from "./network";
import {
  CACHE_DEFAULTS,
  CACHE_ENGINE_VERSIONS,
  CACHE_ENGINES,
  CacheArgs,
  CacheSettings,
  DEFAULT_ENGINE_VERSION,
} from "./cacheArgs";

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
