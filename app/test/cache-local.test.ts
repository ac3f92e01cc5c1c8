/**
 * The in-process tier's synchronization rules (src/cache/local.ts), with a stand-in subscriber whose events
 * and replies the test orders exactly: what a real Redis makes racy. Pure (no Redis, no database); the
 * behaviour against real Redis is in cache-front.test.ts.
 */
import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { LocalCache, type LocalEntry } from "../src/cache/local";
import { createLogger } from "../src/logger";

const CHANNEL = "t:cache:version";

/** A subscriber connection: `status`, `subscribe()` and the events LocalCache listens to. */
class FakeSubscriber extends EventEmitter {
  status = "connecting";
  subscribe = async () => 1;
  disconnect = () => {
    this.status = "end";
    this.emit("close");
  };
  ready(): void {
    this.status = "ready";
    this.emit("ready");
  }
  lose(): void {
    this.status = "reconnecting";
    this.emit("close");
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const entry = (v: string, body = "{}"): LocalEntry => ({ v, at: 1000, route: "/r", headers: {}, body });
const flush = () => new Promise((r) => setImmediate(r));

function tier(readVersion: () => Promise<string>, maxBytes = 1 << 20) {
  const sub = new FakeSubscriber();
  const local = new LocalCache({
    maxBytes,
    freshS: 30,
    channel: CHANNEL,
    readVersion,
    now: () => 2000,
    logger: createLogger("silent"),
  });
  local.follow(sub as unknown as Redis);
  return { sub, local };
}

describe("cache local tier: synchronization", () => {
  it("a version published while the first read is in flight wins over the older read", async () => {
    const read = deferred<string>();
    const { sub, local } = tier(() => read.promise);
    sub.ready();
    await flush(); // subscribed; the version read is pending
    sub.emit("message", CHANNEL, "6");
    read.resolve("5");
    await flush();
    assert.equal(local.serving, true);
    local.set("/a?", entry("5"));
    assert.equal(local.get("/a?"), undefined, "an entry of the older version is never kept");
    local.set("/a?", entry("6"));
    assert.equal(local.get("/a?")?.v, "6");
    local.close();
  });

  it("a channel lost during a sync keeps the tier from serving until a later sync completes", async () => {
    const reads = [deferred<string>(), deferred<string>()];
    let n = 0;
    const { sub, local } = tier(() => reads[n++].promise);
    sub.ready();
    await flush();
    sub.lose(); // the connection drops while the first version read is in flight
    reads[0].resolve("3");
    await flush();
    assert.equal(local.serving, false, "messages may have been missed since the subscribe");
    sub.ready(); // reconnected: a new sync
    await flush();
    reads[1].resolve("4");
    await flush();
    assert.equal(local.serving, true);
    assert.equal(local.syncs, 1);
    local.close();
    assert.equal(local.serving, false);
  });

  it("compressed copies count in the byte budget", async () => {
    const { sub, local } = tier(async () => "1", 10_000);
    sub.ready();
    await flush();
    const e = entry("1", "x".repeat(3000));
    local.set("/a?", e);
    local.set("/b?", entry("1", "y".repeat(3000)));
    assert.equal(local.size, 2);
    e.encoded = { gzip: new Uint8Array(5000) };
    local.resize("/a?", e);
    assert.equal(local.get("/b?"), undefined, "the budget evicted the least recently used entry");
    assert.equal(local.get("/a?"), e);
    local.close();
  });
});
