import { strict as assert } from "node:assert";
import { SIG } from "../../infra/offline/runtime";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as CdnModule from "./cdn";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
  headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  fn: "aws:cloudfront/function:Function",
  distribution: "aws:cloudfront/distribution:Distribution",
} as const;
const TAGGABLE = new Set<string>([T.bucket, T.distribution, T.fn]);

const TAGS = TEST_TAGS;
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-4333-a444-555555555555";
const VERIFY = "0123456789abcdefSECRET";

const suite = componentSuite({ load: () => import("./cdn") });

async function build(name: string, args: Partial<CdnModule.CdnArgs> = {}) {
  const c = await suite.capture(new suite.mod.Cdn(name, { tags: TAGS, ...args }));
  return { ...c, cdn: c.component };
}
type Built = Awaited<ReturnType<typeof build>>;

/** Every cache behaviour of a distribution (default first). */
const behaviours = (d: Record<string, any>): Record<string, any>[] => [
  { pathPattern: "(default)", ...d.defaultCacheBehavior },
  ...(d.orderedCacheBehaviors ?? []),
];

/** Runs the CloudFront Function code against a viewer request and returns the rewritten URI. */
function runFunction(code: string, uri: string): string {
  const handler = new Function(`${code}\nreturn handler;`)() as (e: unknown) => { uri: string };
  return handler({ request: { uri, method: "GET", headers: {} } }).uri;
}

describe("aws Cdn (mocks)", () => {
  describe("prod-like: custom domain, HTTPS API origin, WAF, SPA", () => {
    let b: Built;
    before(async () => {
      b = await build("cdn-prod", {
        apiOrigin: { domainName: "api.example.com", protocol: "https-only" },
        domain: { aliases: ["www.example.com"], acmCertificateArn: CERT },
        webAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc",
        spaRewrite: true,
      });
    });

    it("blocks all public access and enforces bucket-owner ownership", () => {
      const bucket = b.one(T.bucket);
      const pab = inputsOf(b.one(T.pab));
      assert.equal(pab.bucket, bucket.id);
      for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
        assert.equal(pab[k], true, k);
      }
      assert.deepEqual(inputsOf(b.one(T.ownership)).rule, { objectOwnership: "BucketOwnerEnforced" });
      assert.equal(inputsOf(b.one(T.versioning)).versioningConfiguration.status, "Enabled");
      assert.deepEqual(inputsOf(b.one(T.sse)).rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ]);
      const rules = inputsOf(b.one(T.lifecycle)).rules;
      assert.deepEqual(
        rules.map((r: any) => [r.id, r.status]),
        [
          ["expire-noncurrent-versions", "Enabled"],
          ["abort-incomplete-multipart-uploads", "Enabled"],
        ],
      );
      assert.equal(rules[0].noncurrentVersionExpiration.noncurrentDays, 30);
      assert.equal(rules[1].abortIncompleteMultipartUpload.daysAfterInitiation, 7);
      assert.ok(b.one(T.lifecycle).dependencies.includes(b.one(T.versioning).urn));
      assert.match(inputsOf(bucket).bucketPrefix, /^cdn-prod-assets-$/);
    });

    it("bucket policy: only this distribution reads (OAC), and every non-TLS request is denied", () => {
      const bucketArn = b.one(T.bucket).outputs.arn as string;
      const dist = b.one(T.distribution);
      const doc = JSON.parse(inputsOf(b.one(T.policy)).policy);
      const allow = doc.Statement.find((s: any) => s.Effect === "Allow");
      assert.deepEqual(allow.Principal, { Service: "cloudfront.amazonaws.com" });
      assert.equal(allow.Action, "s3:GetObject");
      assert.equal(allow.Resource, `${bucketArn}/*`);
      assert.deepEqual(allow.Condition, { StringEquals: { "AWS:SourceArn": dist.outputs.arn } });
      const deny = doc.Statement.find((s: any) => s.Effect === "Deny");
      assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
      assert.deepEqual(deny.Resource, [bucketArn, `${bucketArn}/*`]);
      assert.equal(deny.Principal, "*");
      assert.equal(doc.Statement.length, 2);
      assert.ok(b.one(T.policy).dependencies.includes(b.one(T.pab).urn));
    });

    it("reads S3 through Origin Access Control signing always with sigv4", () => {
      const oac = inputsOf(b.one(T.oac));
      assert.deepEqual(
        [oac.originAccessControlOriginType, oac.signingBehavior, oac.signingProtocol],
        ["s3", "always", "sigv4"],
      );
      const d = inputsOf(b.one(T.distribution));
      const s3 = d.origins.find((o: any) => o.originId === "s3-assets");
      assert.equal(s3.originAccessControlId, b.one(T.oac).id);
      assert.equal(s3.domainName, b.one(T.bucket).outputs.bucketRegionalDomainName);
      assert.equal(s3.customOriginConfig, undefined);
    });

    it("API origin over HTTPS with TLS 1.2 only", () => {
      const api = inputsOf(b.one(T.distribution)).origins.find((o: any) => o.originId === "api");
      assert.equal(api.domainName, "api.example.com");
      assert.equal(api.customOriginConfig.originProtocolPolicy, "https-only");
      assert.deepEqual(api.customOriginConfig.originSslProtocols, ["TLSv1.2"]);
      assert.equal(api.customHeaders, undefined);
    });

    it("every behaviour redirects to HTTPS and sends the security headers", () => {
      const d = inputsOf(b.one(T.distribution));
      const all = behaviours(d);
      assert.equal(all.length, 4); // default, /api/*, /health/*, /uploads/*
      for (const bh of all) {
        assert.equal(bh.viewerProtocolPolicy, "redirect-to-https", bh.pathPattern);
        assert.equal(bh.responseHeadersPolicyId, b.one(T.headers).id, bh.pathPattern);
      }
      assert.equal(d.defaultCacheBehavior.targetOriginId, "s3-assets");
      assert.equal(d.defaultCacheBehavior.cachePolicyId, suite.mod.MANAGED_POLICIES.cachingOptimized);
    });

    it("/api/* and /health/* go to the ALB with caching disabled, all methods, viewer headers forwarded", () => {
      const ordered = inputsOf(b.one(T.distribution)).orderedCacheBehaviors.filter(
        (o: any) => o.targetOriginId === "api",
      );
      assert.deepEqual(
        ordered.map((o: any) => o.pathPattern),
        ["/api/*", "/health/*"],
      );
      for (const o of ordered) {
        assert.equal(o.targetOriginId, "api");
        assert.equal(o.cachePolicyId, "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "CachingDisabled");
        assert.equal(
          o.originRequestPolicyId,
          "b689b0a8-53d0-40ab-baf2-68738e2966ac",
          "AllViewerExceptHostHeader",
        );
        assert.deepEqual([...o.allowedMethods].sort(), [
          "DELETE",
          "GET",
          "HEAD",
          "OPTIONS",
          "PATCH",
          "POST",
          "PUT",
        ]);
        assert.equal(o.functionAssociations, undefined, "no SPA rewrite on the API");
      }
    });

    it("custom domain: ACM certificate, SNI, TLSv1.2_2021, aliases, WAF, HTTP/2+3, PriceClass_100", () => {
      const d = inputsOf(b.one(T.distribution));
      assert.deepEqual(d.viewerCertificate, {
        acmCertificateArn: CERT,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
      });
      assert.deepEqual(d.aliases, ["www.example.com"]);
      assert.equal(d.webAclId, "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc");
      assert.equal(d.httpVersion, "http2and3");
      assert.equal(d.priceClass, "PriceClass_100");
      assert.equal(d.enabled, true);
    });

    it("response headers policy: HSTS 2 years with subdomains and preload, nosniff, DENY, referrer, XSS", () => {
      const h = inputsOf(b.one(T.headers)).securityHeadersConfig;
      assert.deepEqual(h.strictTransportSecurity, {
        accessControlMaxAgeSec: 63072000,
        includeSubdomains: true,
        preload: true,
        override: true,
      });
      assert.deepEqual(h.contentTypeOptions, { override: true });
      assert.deepEqual(h.frameOptions, { frameOption: "DENY", override: true });
      assert.equal(h.referrerPolicy.referrerPolicy, "strict-origin-when-cross-origin");
      assert.deepEqual(h.xssProtection, { protection: true, modeBlock: true, override: true });
    });

    it("SPA function: viewer-request on the default behaviour only; rewrites routes, never /api/* or /health/*", () => {
      const fn = b.one(T.fn);
      const f = inputsOf(fn);
      assert.equal(f.runtime, "cloudfront-js-2.0");
      assert.equal(f.publish, true);
      const d = inputsOf(b.one(T.distribution));
      const assoc = d.defaultCacheBehavior.functionAssociations;
      assert.equal(assoc.length, 1);
      assert.equal(assoc[0].eventType, "viewer-request");
      // Function ARNs are not modelled offline (unknown until deployed): check the dependency instead.
      assert.ok(
        b.one(T.distribution).dependencies.includes(fn.urn),
        "distribution does not use the function",
      );
      const cases: [string, string][] = [
        ["/", "/index.html"],
        ["/dashboard", "/index.html"],
        ["/users/42/edit", "/index.html"],
        ["/assets/app.3f9a.js", "/assets/app.3f9a.js"],
        ["/favicon.ico", "/favicon.ico"],
        ["/api", "/api"],
        ["/api/v1/places", "/api/v1/places"],
        ["/api/v1/export", "/api/v1/export"],
        ["/health/ready", "/health/ready"],
        ["/health", "/health"],
        ["/apidocs", "/index.html"],
      ];
      for (const [uri, want] of cases) assert.equal(runFunction(f.code, uri), want, uri);
    });

    it("outputs, posture and public endpoint", async () => {
      const dist = b.one(T.distribution);
      assert.equal(await promiseOf(b.cdn.distributionId), dist.id);
      assert.equal(await promiseOf(b.cdn.distributionArn), dist.outputs.arn);
      assert.equal(await promiseOf(b.cdn.domainName), dist.outputs.domainName);
      assert.equal(await promiseOf(b.cdn.url), "https://www.example.com");
      assert.equal(await promiseOf(b.cdn.bucketName), b.one(T.bucket).outputs.bucket);
      assert.deepEqual(b.cdn.posture, { minTlsVersion: "TLSv1.2_2021", httpRedirect: true, waf: true });
      assert.deepEqual(b.cdn.publicEndpoint, {
        name: "www.example.com",
        kind: "aws:cloudfront:distribution",
        tls: "TLSv1.2_2021",
        waf: true,
      });
      for (const r of b.children.filter((c) => c.custom)) {
        assert.equal(r.parent, b.urn);
        if (!TAGGABLE.has(r.type)) continue;
        const tags = inputsOf(r).tags;
        for (const [k, v] of Object.entries(TAGS)) assert.equal(tags[k], v, `${r.name} ${k}`);
      }
    });
  });

  describe("dev: no domain, HTTP to the ALB with a secret origin header", () => {
    let b: Built;
    before(async () => {
      b = await build("cdn-dev", {
        apiOrigin: {
          domainName: "meridian-dev-123.us-east-1.elb.amazonaws.com",
          protocol: "http-only",
          originVerifyHeader: { name: "X-Origin-Verify", value: VERIFY },
        },
      });
    });

    it("uses the default certificate and records that it allows TLSv1 viewers", async () => {
      const d = inputsOf(b.one(T.distribution));
      assert.deepEqual(d.viewerCertificate, { cloudfrontDefaultCertificate: true });
      assert.equal(d.aliases, undefined);
      assert.deepEqual(b.cdn.posture, { minTlsVersion: "TLSv1", httpRedirect: true, waf: false });
      assert.equal(await promiseOf(b.cdn.url), `https://${b.one(T.distribution).outputs.domainName}`);
      for (const bh of behaviours(d)) assert.equal(bh.viewerProtocolPolicy, "redirect-to-https");
      assert.equal(b.all(T.fn).length, 0);
      assert.equal(d.defaultCacheBehavior.functionAssociations, undefined);
    });

    it("sends the origin verify header as a secret", () => {
      const dist = b.one(T.distribution);
      const api = inputsOf(dist).origins.find((o: any) => o.originId === "api");
      assert.equal(api.customOriginConfig.originProtocolPolicy, "http-only");
      assert.deepEqual(api.customHeaders, [{ name: "X-Origin-Verify", value: VERIFY }]);
      const wire = JSON.stringify(dist.inputs);
      assert.ok(wire.includes(SIG.secret), "the header value is not marked secret");
    });
  });

  it("/uploads/* (the API's image uploads) is served from the bucket: cached, GET/HEAD, no SPA rewrite", async () => {
    const b = await build("cdn-uploads", { spaRewrite: true });
    const d = inputsOf(b.one(T.distribution));
    const uploads = d.orderedCacheBehaviors.find((o: any) => o.pathPattern === "/uploads/*");
    assert.equal(uploads.targetOriginId, "s3-assets");
    assert.equal(uploads.cachePolicyId, suite.mod.MANAGED_POLICIES.cachingOptimized);
    assert.deepEqual([...uploads.allowedMethods].sort(), ["GET", "HEAD"]);
    assert.equal(uploads.functionAssociations, undefined, "no SPA rewrite on image URLs");
    assert.equal(uploads.compress, false, "images are already compressed");
    const none = await build("cdn-no-uploads", { uploadsPrefix: null });
    const ordered = inputsOf(none.one(T.distribution)).orderedCacheBehaviors;
    assert.ok(!ordered.some((o: any) => o.pathPattern === "/uploads/*"));
    assert.throws(
      () => new suite.mod.Cdn("cdn-bad-uploads", { tags: TAGS, uploadsPrefix: "Up/loads" }),
      /uploadsPrefix is "Up\/loads"; allowed: one path segment/,
    );
    assert.throws(
      () => new suite.mod.Cdn("cdn-bad-uploads", { tags: TAGS, uploadsPrefix: "api" }),
      /uploadsPrefix "api" overlaps apiPaths entry "\/api\/\*"; allowed: a prefix the API does not serve/,
    );
  });

  it("assets only (no API origin): one origin, no ordered behaviours; KMS encryption option", async () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const b = await build("cdn-assets", { encryption: { kmsKeyArn: key }, priceClass: "PriceClass_All" });
    const d = inputsOf(b.one(T.distribution));
    assert.equal(d.origins.length, 1);
    assert.deepEqual(
      (d.orderedCacheBehaviors ?? []).map((o: any) => o.pathPattern),
      ["/uploads/*"],
      "only the uploads behaviour",
    );
    assert.equal(d.priceClass, "PriceClass_All");
    assert.deepEqual(inputsOf(b.one(T.sse)).rules, [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key },
        bucketKeyEnabled: true,
      },
    ]);
  });

  describe("validation", () => {
    const throwsSync = (args: Partial<CdnModule.CdnArgs>, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Cdn("cdn-invalid", { tags: TAGS, ...args }), pattern);
      assert.equal(suite.session.resources.length, before);
    };

    it("http-only to the ALB requires the origin verify header", () => {
      throwsSync(
        { apiOrigin: { domainName: "alb.example.com", protocol: "http-only" } },
        /Cdn "cdn-invalid": apiOrigin\.protocol is "http-only" without originVerifyHeader; allowed: "https-only" .* or "http-only" together with originVerifyHeader/,
      );
    });

    it("names the arg, the bad value and what is allowed", () => {
      throwsSync(
        { apiOrigin: { domainName: "a.example.com", protocol: "https" as never } },
        /apiOrigin\.protocol is "https"; allowed: "https-only", "http-only"/,
      );
      throwsSync(
        {
          apiOrigin: {
            domainName: "a.example.com",
            protocol: "http-only",
            originVerifyHeader: { name: "X-Origin-Verify", value: "short" },
          },
        },
        /apiOrigin\.originVerifyHeader\.value has 5 characters; allowed: a secret of at least 16/,
      );
      throwsSync(
        {
          domain: { aliases: ["www.example.com"], acmCertificateArn: CERT.replace("us-east-1", "eu-west-1") },
        },
        /domain\.acmCertificateArn is "arn:aws:acm:eu-west-1:.*"; allowed: an ACM certificate ARN in us-east-1/,
      );
      throwsSync(
        { domain: { aliases: [], acmCertificateArn: CERT } },
        /domain\.aliases is \[\]; allowed: a non-empty list/,
      );
      throwsSync(
        { priceClass: "PriceClass_50" as never },
        /priceClass is "PriceClass_50"; allowed: "PriceClass_100"/,
      );
      throwsSync({ apiPaths: ["/*"] }, /apiPaths contains "\/\*"; allowed: path patterns below/);
      throwsSync(
        { noncurrentVersionDays: 0 },
        /noncurrentVersionDays is 0; allowed: an integer from 1 to 3650/,
      );
    });
  });
});
