/**
 * The cache switch (`meridian:cacheEnabled`, infra/config/keys/data.ts): what every stack reports when it
 * builds no cache. Refused in prod; the API runs without REDIS_URL (docs/app-redis.md).
 */
import type { Posture } from "../components/shared/contracts";

/** Why `posture.cache` is null, as `posture.absent.cache` says it. */
export const NO_CACHE_REASON = "meridian:cacheEnabled=false: dev without a cache";

/**
 * The posture's cache section: the cache's own facts, or `cache: null` and `absent.cache` with the reason.
 * Spread into the posture, so a stack with a cache reports exactly what it reported before the switch.
 */
export function cachePosture(
  cache: { posture: NonNullable<Posture["cache"]> } | undefined,
): Pick<Posture, "cache" | "absent"> {
  return cache ? { cache: cache.posture } : { cache: null, absent: { cache: NO_CACHE_REASON } };
}
