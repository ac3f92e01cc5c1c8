/** Client IP trust model (SECURITY_TRUST_PROXY): pure resolution, and end to end through the rate limiter. */
import { strict as assert } from "node:assert";
import { normaliseIp, parseTrustProxy, resolveClientIp } from "../src/clientIp";
import { ConfigError, loadConfig } from "../src/env";
import { createFixture } from "./fixture";
import { testEnv } from "./harness";
import { keyPrefix } from "./redis";
import { createRedisFixture, type RedisFixture } from "./redis-fixture";

const h = (entries: Record<string, string>) => new Headers(entries);

describe("client IP trust model", () => {
  it("0 hops: the TCP peer; X-Forwarded-For is ignored", () => {
    const trust = parseTrustProxy("0");
    assert.equal(resolveClientIp(trust, h({ "x-forwarded-for": "6.6.6.6" }), "10.0.0.7"), "10.0.0.7");
  });

  it("N hops: the N-th address from the right; entries a client wrote further left are ignored", () => {
    const one = parseTrustProxy("1");
    // The client forged "6.6.6.6"; the ALB appended the real peer 203.0.113.9; the TCP peer is the ALB.
    const forged = h({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" });
    assert.equal(resolveClientIp(one, forged, "10.0.1.20"), "203.0.113.9");
    assert.equal(resolveClientIp(parseTrustProxy("2"), forged, "10.0.1.20"), "6.6.6.6");
    // Fewer entries than hops: the leftmost (Express semantics); none at all: the peer.
    assert.equal(resolveClientIp(parseTrustProxy("3"), forged, "10.0.1.20"), "6.6.6.6");
    assert.equal(resolveClientIp(one, h({}), "10.0.1.20"), "10.0.1.20");
    // Garbage where the proxy's entry should be: fall back to the peer, never to client-written data.
    assert.equal(
      resolveClientIp(one, h({ "x-forwarded-for": "1.1.1.1, not-an-ip" }), "10.0.1.20"),
      "10.0.1.20",
    );
  });

  it("cloudfront: CloudFront-Viewer-Address (ip:port, IPv6 unbracketed); X-Forwarded-For is ignored", () => {
    const cf = parseTrustProxy("cloudfront");
    const v4 = h({ "cloudfront-viewer-address": "198.51.100.4:46532", "x-forwarded-for": "6.6.6.6" });
    assert.equal(resolveClientIp(cf, v4, "10.0.0.1"), "198.51.100.4");
    const v6 = h({ "cloudfront-viewer-address": "2001:db8:85a3:7::8a2e:370:7334:443" });
    assert.equal(resolveClientIp(cf, v6, "10.0.0.1"), "2001:db8:85a3:7::/64");
    assert.equal(resolveClientIp(cf, h({ "x-forwarded-for": "6.6.6.6" }), "10.0.0.1"), "10.0.0.1");
  });

  it("google: the second entry from the right of X-Forwarded-For (the external ALB appends client, LB)", () => {
    const g = parseTrustProxy("google");
    const xff = h({ "x-forwarded-for": "6.6.6.6, 198.51.100.23, 34.120.0.1" });
    assert.equal(resolveClientIp(g, xff, "169.254.1.1"), "198.51.100.23");
    assert.equal(resolveClientIp(g, h({ "x-forwarded-for": "198.51.100.23" }), "169.254.1.1"), "169.254.1.1");
  });

  it("normalises: IPv4-mapped IPv6 to IPv4, IPv6 to its /64, non-addresses rejected", () => {
    assert.equal(normaliseIp("::ffff:192.0.2.1"), "192.0.2.1");
    assert.equal(normaliseIp("2001:db8::1"), "2001:db8:0:0::/64");
    assert.equal(normaliseIp("2001:db8:0:0:ffff::2"), "2001:db8:0:0::/64");
    assert.equal(normaliseIp("[2001:db8:1:2::3]"), "2001:db8:1:2::/64");
    assert.equal(normaliseIp("999.1.1.1"), undefined);
    assert.equal(normaliseIp("localhost"), undefined);
  });

  it("SECURITY_TRUST_PROXY rejects anything else, naming the variable and what is allowed", () => {
    assert.throws(
      () => loadConfig(testEnv("postgres://u@127.0.0.1/db", { SECURITY_TRUST_PROXY: "true" })),
      (e: ConfigError) =>
        /SECURITY_TRUST_PROXY: must be a number of proxy hops 0-10, `cloudfront`/.test(e.message),
    );
  });
});

describe("client IP end to end: a forged X-Forwarded-For does not change the rate-limit identity", function () {
  this.timeout(60_000);
  let f: RedisFixture;
  before(async () => {
    f = await createRedisFixture("client_ip", {
      SECURITY_TRUST_PROXY: "1",
      RATE_LIMIT_DEFAULT: "2/60s",
      CACHE_ENABLED: "false",
    });
  });
  after(async () => f?.close());

  it("rotating the client-written part of X-Forwarded-For still hits the same bucket", async () => {
    const get = (forged: string) =>
      f.request("/api/businesses", { headers: { "x-forwarded-for": `${forged}, 203.0.113.50` } });
    assert.equal((await get("1.1.1.1")).status, 200);
    assert.equal((await get("2.2.2.2")).status, 200);
    const third = await get("3.3.3.3");
    assert.equal(third.status, 429, "the forged entries must not create new identities");
    // Another real client (what the proxy appended) has its own bucket.
    const other = await f.request("/api/businesses", {
      headers: { "x-forwarded-for": "1.1.1.1, 203.0.113.51" },
    });
    assert.equal(other.status, 200);
  });

  it("the TCP peer is the identity under 0 hops (node-server's incoming socket)", async () => {
    const g = await createFixture(
      "client_ip_peer",
      { REDIS_KEY_PREFIX: keyPrefix("client-ip-peer"), RATE_LIMIT_DEFAULT: "1/60s", CACHE_ENABLED: "false" },
      { redis: f.redis },
    );
    try {
      const env = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
      const req = (ip: string, xff: string) =>
        g.built.app.request("/api/businesses", { headers: { "x-forwarded-for": xff } }, env(ip));
      assert.equal((await req("192.0.2.10", "9.9.9.1")).status, 200);
      assert.equal((await req("192.0.2.10", "9.9.9.2")).status, 429);
      assert.equal((await req("::ffff:192.0.2.11", "9.9.9.2")).status, 200);
    } finally {
      await g.close();
    }
  });
});
