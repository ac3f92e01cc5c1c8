import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, isSecretInput, promiseOf } from "../../infra/offline/testing";
import type * as LbModule from "./loadBalancer";

const PROJECT = "meridian-test-1234";
const POLICY = `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/securityPolicies/armor-policy`;
const T = {
  address: "gcp:compute/globalAddress:GlobalAddress",
  cert: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
  ssl: "gcp:compute/sSLPolicy:SSLPolicy",
  neg: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
  backend: "gcp:compute/backendService:BackendService",
  bucket: "gcp:compute/backendBucket:BackendBucket",
  urlMap: "gcp:compute/uRLMap:URLMap",
  https: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  http: "gcp:compute/targetHttpProxy:TargetHttpProxy",
  rule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
} as const;

const suite = componentSuite({
  load: () => import("./loadBalancer"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

async function build(name: string, args: Partial<LbModule.LoadBalancerArgs> = {}) {
  const c = await suite.capture(
    new suite.mod.LoadBalancer(name, {
      project: PROJECT,
      region: "us-central1",
      cloudRunService: "meridian-test-api",
      securityPolicy: POLICY,
      assetsBucketName: "meridian-test-1234-assets",
      ...args,
    }),
  );
  return { ...c, lb: c.component };
}

describe("gcp LoadBalancer (mocks)", () => {
  describe("dev: no domain", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
      b = await build("edge-dev", { labels: { env: "test" } });
    });

    it("reserves one global external IPv4 address with labels", () => {
      const a = inputsOf(b.one(T.address));
      assert.equal(a.addressType, "EXTERNAL");
      assert.equal(a.ipVersion, "IPV4");
      assert.deepEqual(a.labels, { env: "test" });
    });

    it("serves a Google-managed certificate for <ip-with-dashes>.sslip.io of that address", async () => {
      const ip = await promiseOf(b.lb.ipAddress);
      const host = `${ip.replace(/\./g, "-")}.sslip.io`;
      const cert = inputsOf(b.one(T.cert));
      assert.equal(cert.type, "MANAGED");
      assert.deepEqual(cert.managed.domains, [host]);
      assert.equal(await promiseOf(b.lb.host), host);
      assert.equal(await promiseOf(b.lb.url), `https://${host}`);
      assert.deepEqual(b.lb.dnsRecords, []);
    });

    it("terminates TLS 1.2+ MODERN on 443 with the certificate and the SSL policy", () => {
      const ssl = inputsOf(b.one(T.ssl));
      assert.equal(ssl.profile, "MODERN");
      assert.equal(ssl.minTlsVersion, "TLS_1_2");
      const proxy = inputsOf(b.one(T.https));
      assert.deepEqual(proxy.sslCertificates, [b.one(T.cert).id]);
      assert.equal(proxy.sslPolicy, b.one(T.ssl).id);
      assert.equal(proxy.urlMap, b.byName("edge-dev-https").id);
    });

    it("reaches Cloud Run through a serverless NEG and an HTTPS backend with Cloud Armor, logging, no CDN", () => {
      const neg = inputsOf(b.one(T.neg));
      assert.equal(neg.networkEndpointType, "SERVERLESS");
      assert.deepEqual(neg.cloudRun, { service: "meridian-test-api" });
      assert.equal(neg.region, "us-central1");
      const be = inputsOf(b.one(T.backend));
      assert.equal(be.loadBalancingScheme, "EXTERNAL_MANAGED");
      assert.equal(be.protocol, "HTTPS");
      assert.equal(be.securityPolicy, POLICY);
      assert.equal(be.enableCdn, false);
      assert.deepEqual(be.logConfig, { enable: true, sampleRate: 1 });
      assert.deepEqual(be.backends, [{ group: b.one(T.neg).id }]);
      assert.equal(be.cdnPolicy, undefined);
    });

    it("serves the assets bucket through Cloud CDN with negative caching and serve-while-stale", () => {
      const bb = inputsOf(b.one(T.bucket));
      assert.equal(bb.bucketName, "meridian-test-1234-assets");
      assert.equal(bb.enableCdn, true);
      assert.equal(bb.cdnPolicy.cacheMode, "CACHE_ALL_STATIC");
      assert.equal(bb.cdnPolicy.negativeCaching, true);
      assert.deepEqual(bb.cdnPolicy.negativeCachingPolicies, [
        { code: 404, ttl: 60 },
        { code: 410, ttl: 60 },
      ]);
      assert.equal(bb.cdnPolicy.serveWhileStale, 86400);
      assert.ok(bb.customResponseHeaders.some((h: string) => h.startsWith("Strict-Transport-Security:")));
    });

    it("routes /api and /health to Cloud Run and everything else to the bucket, with URL map tests", () => {
      const m = inputsOf(b.byName("edge-dev-https"));
      const be = b.one(T.backend).id;
      const bucket = b.one(T.bucket).id;
      assert.equal(m.defaultService, bucket);
      assert.deepEqual(m.hostRules, [{ hosts: ["*"], pathMatcher: "edge" }]);
      assert.equal(m.pathMatchers[0].defaultService, bucket);
      assert.deepEqual(m.pathMatchers[0].pathRules, [
        { paths: ["/api", "/api/*", "/health", "/health/*"], service: be },
      ]);
      assert.ok(m.tests.some((t: any) => t.path === "/health/ready" && t.service === be));
      assert.ok(m.tests.some((t: any) => t.path === "/index.html" && t.service === bucket));
    });

    it("port 80 only redirects to HTTPS (301, query kept) on the same IP; plain HTTP never reaches a backend", () => {
      const redirect = inputsOf(b.byName("edge-dev-redirect"));
      assert.deepEqual(redirect.defaultUrlRedirect, {
        httpsRedirect: true,
        redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
        stripQuery: false,
      });
      assert.equal(redirect.defaultService, undefined);
      assert.equal(redirect.pathMatchers, undefined);
      assert.equal(inputsOf(b.one(T.http)).urlMap, b.byName("edge-dev-redirect").id);
      const rules = b.all(T.rule).map(inputsOf);
      assert.deepEqual(rules.map((r) => r.portRange).sort(), ["443", "80"]);
      const ipId = b.one(T.address).id;
      for (const r of rules) {
        assert.equal(r.ipAddress, ipId);
        assert.equal(r.loadBalancingScheme, "EXTERNAL_MANAGED");
        assert.deepEqual(r.labels, { env: "test" });
      }
      assert.equal(rules.find((r) => r.portRange === "80")!.target, b.one(T.http).id);
      assert.equal(rules.find((r) => r.portRange === "443")!.target, b.one(T.https).id);
    });

    it("reports the posture: 443 with TLS and WAF, 80 redirect-only, edge summary, the fill agent's read", () => {
      const [https, http] = b.lb.posture.publicEndpoints;
      assert.equal(https.tls, "TLS1.2+ (MODERN)");
      assert.equal(https.waf, true);
      assert.match(http.kind, /redirect-only/);
      assert.deepEqual(b.lb.posture.edge, { minTlsVersion: "TLS1.2", httpRedirect: true, waf: true });
      assert.deepEqual(b.lb.grants, [
        {
          principal: "cloud-cdn-fill",
          role: "roles/storage.objectViewer",
          on: "bucket meridian-test-1234-assets",
        },
      ]);
    });

    it("grants the Cloud CDN fill agent read on the bucket only after a signing key exists (which creates it)", () => {
      const key = b.one("gcp:compute/backendBucketSignedUrlKey:BackendBucketSignedUrlKey");
      assert.equal(inputsOf(key).backendBucket, inputsOf(b.one(T.bucket)).name);
      assert.ok(isSecretInput(key.inputs.keyValue), "the signing key is not secret");
      assert.match(inputsOf(key).keyValue, /^[A-Za-z0-9_-]{22}==$/, "a base64url 128-bit key");
      const reader = inputsOf(b.one("gcp:storage/bucketIAMMember:BucketIAMMember"));
      assert.deepEqual(
        [reader.bucket, reader.role],
        ["meridian-test-1234-assets", "roles/storage.objectViewer"],
      );
      assert.match(reader.member, /^serviceAccount:service-\d+@cloud-cdn-fill\.iam\.gserviceaccount\.com$/);
      assert.ok(
        b.one("gcp:storage/bucketIAMMember:BucketIAMMember").dependencies.includes(key.urn),
        "the grant does not wait for the signing key",
      );
    });

    it("parents every child to the component and creates them after the compute API", () => {
      const api = b.children.find((c) => c.type === "gcp:projects/service:Service")!;
      for (const r of b.children) {
        assert.equal(r.parent, b.urn, r.name);
        if (r !== api && r.type.startsWith("gcp:"))
          assert.ok(r.dependencies.includes(api.urn), `${r.name} does not wait for the API`);
      }
    });
  });

  describe("grantBucketRead: false", () => {
    it("creates neither the signing key nor the grant", async () => {
      const b = await build("edge-nogrant", { grantBucketRead: false });
      assert.equal(b.all("gcp:compute/backendBucketSignedUrlKey:BackendBucketSignedUrlKey").length, 0);
      assert.equal(b.all("gcp:storage/bucketIAMMember:BucketIAMMember").length, 0);
      assert.deepEqual(b.lb.grants, []);
    });
  });

  describe("prod: a domain", () => {
    it("certifies the domain, RESTRICTED when asked, lists the A record, sampled logging as configured", async () => {
      const b = await build("edge-prod", {
        domain: "app.example.com",
        sslProfile: "RESTRICTED",
        logSampleRate: 0.5,
      });
      assert.deepEqual(inputsOf(b.one(T.cert)).managed.domains, ["app.example.com"]);
      assert.equal(inputsOf(b.one(T.ssl)).profile, "RESTRICTED");
      assert.equal(inputsOf(b.one(T.backend)).logConfig.sampleRate, 0.5);
      assert.equal(await promiseOf(b.lb.url), "https://app.example.com");
      assert.equal(b.lb.dnsRecords.length, 1);
      assert.equal(b.lb.dnsRecords[0].name, "app.example.com");
      assert.equal(await promiseOf(b.lb.dnsRecords[0].value), await promiseOf(b.lb.ipAddress));
      assert.equal(b.lb.posture.publicEndpoints[0].name, "app.example.com:443");
      assert.equal(b.lb.posture.publicEndpoints[0].tls, "TLS1.2+ (RESTRICTED)");
    });
  });

  it("rejects bad args before registering anything, naming the arg", () => {
    const base = {
      project: PROJECT,
      region: "us-central1",
      cloudRunService: "api",
      securityPolicy: POLICY,
      assetsBucketName: "b",
    };
    const bad: [Partial<LbModule.LoadBalancerArgs>, RegExp][] = [
      [{ securityPolicy: "" }, /LoadBalancer "x": securityPolicy is ""; it is required/],
      [{ domain: "*.example.com" }, /domain is "\*\.example\.com"/],
      [{ sslProfile: "COMPATIBLE" as never }, /sslProfile is "COMPATIBLE"; allowed: "MODERN", "RESTRICTED"/],
      [{ logSampleRate: 0 }, /logSampleRate is 0/],
      [{ apiPaths: ["/*"] }, /apiPaths contains "\/\*"/],
      [{ cdn: { cacheMode: "FORCE_CACHE_ALL" as never } }, /cdn.cacheMode is "FORCE_CACHE_ALL"/],
      [{ devHostSuffix: "example.com" as never }, /devHostSuffix is "example.com"/],
    ];
    for (const [args, re] of bad) {
      assert.throws(() => new suite.mod.LoadBalancer("x", { ...base, ...args }), re);
    }
  });
});
