import { strict as assert } from "node:assert";
import {
  apiPathList,
  backendBucketCdnPolicy,
  CDN_DEFAULTS,
  devHost,
  resolveCdn,
  tlsLabel,
  validateApiPaths,
  validateDomain,
} from "./urlMap";

describe("gcp edge routing (pure)", () => {
  it("derives the sslip.io host from the reserved IP, dashed", () => {
    assert.equal(devHost("203.0.113.7"), "203-0-113-7.sslip.io");
    assert.equal(devHost("34.120.5.9", "nip.io"), "34-120-5-9.nip.io");
    assert.throws(() => devHost("2001:db8::1"), /not an IPv4 address/);
    assert.throws(() => devHost("256.1.1.1"), /not an IPv4 address/);
  });

  it("routes the bare prefix as well as the wildcard to the API", () => {
    assert.deepEqual(apiPathList(["/api/*", "/health/*"]), ["/api", "/api/*", "/health", "/health/*"]);
  });

  it("refuses API paths that would swallow the assets or are malformed, naming the arg", () => {
    assert.throws(() => validateApiPaths(["/*"]), /apiPaths contains "\/\*"/);
    assert.throws(() => validateApiPaths([]), /apiPaths is \[\]/);
    assert.throws(() => validateApiPaths(["/api"]), /apiPaths contains "\/api"/);
    assert.throws(() => validateApiPaths(["/api/*", "/api/*"]), /duplicates/);
    assert.deepEqual(validateApiPaths(["/api/v2/*"]), ["/api/v2/*"]);
  });

  it("accepts exact host names only as domain", () => {
    assert.equal(validateDomain("app.example.com"), "app.example.com");
    assert.equal(validateDomain(undefined), undefined);
    for (const bad of [
      "*.example.com",
      "https://app.example.com",
      "App.Example.com",
      "example.com.",
      "localhost",
    ]) {
      assert.throws(() => validateDomain(bad), /^Error: domain is /, bad);
    }
  });

  it("defaults to CACHE_ALL_STATIC with short negative caching and serve-while-stale", () => {
    const p = backendBucketCdnPolicy(resolveCdn());
    assert.equal(p.cacheMode, "CACHE_ALL_STATIC");
    assert.equal(p.negativeCaching, true);
    assert.deepEqual(p.negativeCachingPolicies, CDN_DEFAULTS.negativeCaching);
    for (const n of p.negativeCachingPolicies) assert.ok(n.ttl <= 300, `negative TTL ${n.ttl} is not short`);
    assert.ok(p.serveWhileStale > 0);
    assert.equal(p.requestCoalescing, true);
    assert.equal(p.defaultTtl, 3600);
  });

  it("drops the TTL fields with USE_ORIGIN_HEADERS (the origin decides)", () => {
    const p = backendBucketCdnPolicy(resolveCdn({ cacheMode: "USE_ORIGIN_HEADERS" }));
    assert.equal(p.cacheMode, "USE_ORIGIN_HEADERS");
    assert.equal("defaultTtl" in p, false);
  });

  it("rejects FORCE_CACHE_ALL, inconsistent TTLs and bad negative caching, naming the field", () => {
    assert.throws(
      () => resolveCdn({ cacheMode: "FORCE_CACHE_ALL" as never }),
      /cdn.cacheMode is "FORCE_CACHE_ALL"/,
    );
    assert.throws(() => resolveCdn({ defaultTtl: 7200, maxTtl: 3600 }), /must not exceed cdn.maxTtl/);
    assert.throws(() => resolveCdn({ defaultTtl: -1 }), /cdn.defaultTtl is -1/);
    assert.throws(() => resolveCdn({ negativeCaching: [{ code: 500, ttl: 10 }] }), /code is 500/);
    assert.throws(() => resolveCdn({ negativeCaching: [{ code: 404, ttl: 3600 }] }), /ttl for 404 is 3600/);
  });

  it("labels TLS for the posture", () => {
    assert.equal(tlsLabel("MODERN"), "TLS1.2+ (MODERN)");
    assert.equal(tlsLabel("RESTRICTED"), "TLS1.2+ (RESTRICTED)");
  });
});
