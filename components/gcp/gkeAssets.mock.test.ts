import { strict as assert } from "node:assert";
import { componentSuite, inputsOf } from "../../infra/offline/testing";
import type * as AssetsModule from "./gkeAssets";

const PROJECT = "meridian-test-1234";
const T = {
  bucket: "gcp:compute/backendBucket:BackendBucket",
  urlMap: "gcp:compute/uRLMap:URLMap",
  proxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  ssl: "gcp:compute/sSLPolicy:SSLPolicy",
  cert: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
  rule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  member: "gcp:storage/bucketIAMMember:BucketIAMMember",
} as const;

const suite = componentSuite({
  load: () => import("./gkeAssets"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

async function build(name: string, args: Partial<AssetsModule.GkeAssetsArgs> = {}) {
  return suite.capture(new suite.mod.GkeAssets(name, { project: PROJECT, bucketName: "assets-b", ...args }));
}

describe("gcp GkeAssets (mocks)", () => {
  it("serves the bucket through Cloud CDN over TLS 1.2+ with a managed certificate for the CDN host", async () => {
    const b = await build("cdn-tls", { domain: "cdn.example.com" });
    const bucket = inputsOf(b.one(T.bucket));
    assert.equal(bucket.bucketName, "assets-b");
    assert.equal(bucket.enableCdn, true);
    assert.deepEqual(inputsOf(b.one(T.cert)).managed.domains, ["cdn.example.com"]);
    assert.equal(inputsOf(b.one(T.ssl)).minTlsVersion, "TLS_1_2");
    assert.deepEqual(
      b
        .all(T.rule)
        .map((r) => inputsOf(r).portRange)
        .sort(),
      ["443", "80"],
    );
  });

  it("answers port 80 only with a redirect to HTTPS", async () => {
    const b = await build("cdn-redirect");
    const maps = b.all(T.urlMap).map(inputsOf);
    const redirect = maps.find((m) => m.defaultUrlRedirect);
    assert.ok(redirect, "a redirect-only URL map");
    assert.equal(redirect.defaultUrlRedirect.httpsRedirect, true);
    assert.equal(redirect.defaultService, undefined);
  });

  it("grants only Cloud CDN's fill agent read on the bucket", async () => {
    const b = await build("cdn-grant", { bucketLabel: "meridian-dev-assets" });
    assert.deepEqual(b.component.grants, [
      { principal: "cloud-cdn-fill", role: "roles/storage.objectViewer", on: "bucket meridian-dev-assets" },
    ]);
    assert.equal(inputsOf(b.one(T.member)).role, "roles/storage.objectViewer");
  });

  it("names the CDN host next to the API's, as on AWS", () => {
    assert.equal(suite.mod.assetsDomainFor("api.example.com"), "cdn.example.com");
    assert.equal(suite.mod.assetsDomainFor("shop.example.com"), "cdn.shop.example.com");
    assert.equal(suite.mod.assetsDomainFor(undefined), undefined);
  });

  it("refuses a bad domain or a missing bucket with the field", () => {
    assert.throws(
      () => new suite.mod.GkeAssets("cdn-bad", { project: PROJECT, bucketName: "" }),
      /GkeAssets "cdn-bad": bucketName is ""/,
    );
    assert.throws(
      () =>
        new suite.mod.GkeAssets("cdn-bad2", { project: PROJECT, bucketName: "b", domain: "*.example.com" }),
      /domain is "\*\.example\.com"; allowed: a lowercase fully qualified host name/,
    );
  });
});
