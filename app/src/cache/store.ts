/**
 * The Redis side of the stale-while-revalidate response cache: entries, the global version used for
 * invalidation, and the refresh lock.
 *
 * Keys (all under REDIS_KEY_PREFIX): `cache:version` (an integer, INCR'd by every successful admin write) and
 * `cache:e:<sha256 of path + sorted query>` (JSON `{ v, at, type, body }`). An entry is only valid while its
 * `v` equals the current version, so one INCR invalidates every cached response at once, on every instance,
 * without scanning keys; the orphaned entries expire by TTL. One MGET reads the version and the entry
 * together (one round trip per cached request). The refresh lock `cache:lock:<hash>` is SET NX PX with a
 * random token and released only by its owner (compare-and-delete script). Every INCR is published (same
 * script, atomically) on the Pub/Sub channel named like the version key, for the in-process tier (local.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { RedisGateway } from "../redis";

export interface CacheEntry {
  /** Cache version the entry was computed under. */
  v: string;
  /** When the response was computed (ms since the epoch, app clock). */
  at: number;
  /** Content-Type of the response. */
  type: string;
  body: string;
}

export type Freshness = "fresh" | "stale" | "expired";

const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const BUMP_LUA = `local v = redis.call('INCR', KEYS[1]); redis.call('PUBLISH', KEYS[1], v); return v`;
type WithScripts = Redis & {
  meridianRelease(key: string, token: string): Promise<number>;
  meridianBump(key: string): Promise<number>;
};

/**
 * Defines the cache's scripts on `r` once (EVALSHA with EVAL fallback, ioredis `defineCommand`). Call it when
 * the client is set up (createApp does), before any command: with `enableAutoPipelining`, a command defined
 * while an automatic pipeline is pending is missing on that pipeline and the client throws an uncaught
 * `results[i] is not iterable` (redis/ioredis#1931).
 */
export function defineCacheScripts(r: Redis): WithScripts {
  const c = r as WithScripts;
  if (typeof c.meridianRelease !== "function") {
    c.defineCommand("meridianRelease", { numberOfKeys: 1, lua: RELEASE_LUA });
    c.defineCommand("meridianBump", { numberOfKeys: 1, lua: BUMP_LUA });
  }
  return c;
}

/** Canonical cache identity of a request: the path plus its query parameters sorted by name then value. */
export function canonicalRequest(url: URL): string {
  const params = [...url.searchParams.entries()].sort(([a, x], [b, y]) =>
    a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1,
  );
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

export class CacheStore {
  constructor(
    private readonly redis: RedisGateway,
    /** Seconds an entry is fresh (served without refresh). */
    readonly freshS: number,
    /** Seconds after that it may still be served while one refresh runs. */
    readonly staleS: number,
  ) {}

  private hash(request: string): string {
    return createHash("sha256").update(request).digest("hex").slice(0, 40);
  }

  get versionKey(): string {
    return this.redis.key("cache", "version");
  }

  /** The current version and the entry for `request` (if any, whatever its version). One round trip. */
  async lookup(request: string): Promise<{ version: string; entry?: CacheEntry }> {
    const [version, raw] = await this.redis.run((r) =>
      r.mget(this.versionKey, this.redis.key("cache", "e", this.hash(request))),
    );
    let entry: CacheEntry | undefined;
    if (raw) {
      try {
        entry = JSON.parse(raw) as CacheEntry;
      } catch {
        entry = undefined;
      }
    }
    return { version: version ?? "0", entry };
  }

  /** How usable `entry` is at `now` under `version` (a different version counts as expired). */
  freshness(entry: CacheEntry, version: string, now: number): Freshness {
    if (entry.v !== version) return "expired";
    const age = now - entry.at;
    if (age < this.freshS * 1000) return "fresh";
    if (age < (this.freshS + this.staleS) * 1000) return "stale";
    return "expired";
  }

  /** Store a response computed under `version` at `at`; the key lives fresh + stale seconds. */
  async store(request: string, entry: CacheEntry): Promise<void> {
    const ttlMs = (this.freshS + this.staleS) * 1000;
    await this.redis.run((r) =>
      r.set(this.redis.key("cache", "e", this.hash(request)), JSON.stringify(entry), "PX", ttlMs),
    );
  }

  /** Take the refresh lock for `request` for `ms`; resolves with a release function, or undefined if held. */
  async lock(request: string, ms: number): Promise<(() => Promise<void>) | undefined> {
    const key = this.redis.key("cache", "lock", this.hash(request));
    const token = randomUUID();
    const ok = await this.redis.run((r) => r.set(key, token, "PX", ms, "NX"));
    if (ok !== "OK") return undefined;
    return async () => {
      await this.redis.run((r) => defineCacheScripts(r).meridianRelease(key, token));
    };
  }

  /** The current version ("0" before the first write); rejects when Redis is unavailable. */
  async readVersion(): Promise<string> {
    return (await this.redis.run((r) => r.get(this.versionKey))) ?? "0";
  }

  /** Invalidate every cached response (all instances): INCR the version and publish it; resolves with it. */
  async bumpVersion(): Promise<string> {
    return String(await this.redis.run((r) => defineCacheScripts(r).meridianBump(this.versionKey)));
  }
}
