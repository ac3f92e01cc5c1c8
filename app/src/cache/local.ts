/**
 * The in-process tier of the response cache (#11): the final responses of recent cache hits, kept in this
 * instance's memory so the next identical request is answered without a Redis round trip (front.ts).
 *
 * What it holds: per canonical request (store.ts `canonicalRequest`), the exact 200 response the whole
 * middleware chain produced for a GET of it, minus the per-request headers (request id, trace context, Age,
 * X-Cache, rate-limit and CORS headers, content coding), with the identity body, the cache version and
 * the time it was computed — copied from the Redis entry, never younger than it. Bounded by bytes
 * (CACHE_LOCAL_MAX_BYTES, compressed copies included; lru-cache evicts the least recently used).
 *
 * When it may serve: only while it is **synchronized** with the Redis cache version — subscribed to the
 * version channel (store.ts publishes every INCR) and holding the version read after subscribing — and only
 * entries of that version and still fresh (age < CACHE_MAX_AGE_S). A write on any instance publishes the new
 * version; this instance drops to it on the message (the writing instance at once, from INCR's reply), so an
 * entry never outlives an invalidation by more than the message's delivery (Redis pub/sub on the same server,
 * sub-millisecond on a healthy link). Pub/sub is at-most-once: if the subscriber connection drops, the tier
 * stops serving until it has re-subscribed and re-read the version. Stale entries are never served from here:
 * those requests take the full path, which serves stale from Redis and refreshes (middleware.ts).
 */
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import type { Logger } from "../logger";

export interface LocalEntry {
  /** Cache version the response was computed under (Redis INCR value, decimal). */
  v: string;
  /** When it was computed (ms since the epoch, app clock): the Redis entry's `at`. */
  at: number;
  /** Route template for metrics and logs, e.g. `/api/businesses/:id`. */
  route: string;
  /** Response headers of the chain's answer without the per-request ones (lower-case names). */
  headers: Record<string, string>;
  body: string;
  /** Compressed bodies, made on first use (gzip / deflate): entries are immutable, so once per entry. */
  encoded?: { gzip?: Uint8Array<ArrayBuffer>; deflate?: Uint8Array<ArrayBuffer> };
  /** `headers` as a flat name/value list (`node:http` `writeHead`'s raw form), made on first use. */
  flat?: string[];
}

/** Headers that differ per request, never stored: recomputed by front.ts or by the middleware that owns them. */
export const PER_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  "x-request-id",
  "traceparent",
  "tracestate",
  "age",
  "x-cache",
  "ratelimit",
  "ratelimit-policy",
  "retry-after",
  "access-control-allow-origin",
  "access-control-expose-headers",
  "content-length",
  "content-encoding",
]);

export interface LocalCacheOptions {
  /** Byte budget for bodies + headers (approximate: UTF-16 string lengths). 0 disables the tier. */
  maxBytes: number;
  /** Seconds an entry is fresh (CACHE_MAX_AGE_S). */
  freshS: number;
  /** The Pub/Sub channel store.ts publishes new versions on. */
  channel: string;
  /** Reads the current version (GET through the gateway); rejects when Redis is unavailable. */
  readVersion: () => Promise<string>;
  now: () => number;
  logger: Logger;
}

/** Numeric max of two decimal version strings (versions only grow: INCR). */
function newer(a: string | undefined, b: string): string {
  return a === undefined || Number(b) > Number(a) ? b : a;
}

export class LocalCache {
  private readonly entries: LRUCache<string, LocalEntry>;
  private version?: string;
  private synchronized = false;
  private closed = false;
  private subscriber?: Redis;
  private retry?: NodeJS.Timeout;

  constructor(private readonly opts: LocalCacheOptions) {
    this.entries = new LRUCache<string, LocalEntry>({
      maxSize: Math.max(1, opts.maxBytes),
      sizeCalculation: (e) =>
        e.body.length +
        (e.encoded?.gzip?.byteLength ?? 0) +
        (e.encoded?.deflate?.byteLength ?? 0) +
        Object.entries(e.headers).reduce((n, [k, v]) => n + k.length + v.length, 64),
    });
  }

  /** True while entries may be served (subscribed and the version known). */
  get serving(): boolean {
    return this.synchronized && this.version !== undefined;
  }

  /** How many times the tier has (re)synchronized: subscribed and read the version (tests, dashboard). */
  syncs = 0;

  /** Number of entries held (tests, dashboard). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Start following the version channel on `subscriber` (a dedicated connection: a subscribed ioredis client
   * can issue no other command). Takes ownership: `close()` disconnects it.
   */
  follow(subscriber: Redis): void {
    this.subscriber = subscriber;
    // Every loss of the channel starts a new generation: a sync begun before it must not resume serving.
    let generation = 0;
    const stop = () => {
      generation += 1;
      if (this.synchronized) this.opts.logger.info("local response cache paused: version channel lost");
      this.synchronized = false;
    };
    subscriber.on("close", stop);
    subscriber.on("end", stop);
    subscriber.on("error", () => undefined); // reconnects with backoff; `close` pauses serving meanwhile
    subscriber.on("message", (channel: string, message: string) => {
      if (channel === this.opts.channel && /^\d+$/.test(message)) this.observe(message);
    });
    const sync = async () => {
      const started = generation;
      try {
        await subscriber.subscribe(this.opts.channel);
        // Read after subscribing: a version published in between arrives as a message and wins (newer()).
        const read = await this.opts.readVersion();
        this.version = newer(this.version, read); // after the await: a message may have moved it meanwhile
        this.entries.clear();
        if (!this.closed && started === generation && subscriber.status === "ready") {
          this.synchronized = true;
          this.syncs += 1;
        }
      } catch {
        // Redis unavailable (or the breaker open): try again in a second while the subscriber is connected;
        // a reconnect (`ready`) also retries.
        this.synchronized = false;
        if (!this.closed && subscriber.status === "ready") {
          clearTimeout(this.retry);
          this.retry = setTimeout(() => void sync(), 1000);
          this.retry.unref();
        }
      }
    };
    subscriber.on("ready", () => void sync());
    if (subscriber.status === "ready") void sync();
  }

  /** A version seen elsewhere (INCR reply, a Redis lookup, a message): the tier moves forward, never back. */
  observe(version: string): void {
    this.version = newer(this.version, version);
  }

  /** The fresh entry for `request` at the current version, or undefined (the full path answers). */
  get(request: string): LocalEntry | undefined {
    if (!this.serving) return undefined;
    const e = this.entries.get(request);
    if (!e) return undefined;
    if (e.v !== this.version || this.opts.now() - e.at >= this.opts.freshS * 1000) {
      this.entries.delete(request);
      return undefined;
    }
    return e;
  }

  /** Count `entry`'s size again after a compressed copy was added to it (the byte budget includes them). */
  resize(request: string, entry: LocalEntry): void {
    if (this.entries.peek(request) !== entry) return;
    this.entries.delete(request); // lru-cache keeps the old size when the same value is set again
    this.entries.set(request, entry);
  }

  /** Keep `entry` for `request` if it is of the current version (older versions are dropped on arrival). */
  set(request: string, entry: LocalEntry): void {
    if (!this.serving || entry.v !== this.version) return;
    this.entries.set(request, entry);
  }

  /** Stop serving and disconnect the subscriber. */
  close(): void {
    this.closed = true;
    this.synchronized = false;
    clearTimeout(this.retry);
    this.entries.clear();
    this.subscriber?.disconnect();
  }
}
