/**
 * Meridian's edge on AWS: a CloudFront distribution in front of a private S3 bucket (static assets and
 * uploads, read through Origin Access Control) and, optionally, the API's load balancer for `/api/*` and
 * `/health/*` (caching disabled, viewer headers forwarded). HTTPS everywhere (viewers are redirected),
 * TLSv1.2_2021 with a custom domain, a response headers policy with HSTS and security headers, and an
 * optional CloudFront Function for single-page-app rewrites that never touches the API paths.
 *
 * Validation is pure and exported ({@link resolveCdnArgs}, {@link spaRewriteCode}). See
 * docs/components/aws-cdn.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { childKit } from "../shared/component";
import { applyTransform, Transform } from "../shared/transform";
import { resolveArgs, show } from "../shared/validate";
import { validateTags } from "./network";
import {
  BucketEncryption,
  createPrivateBucket,
  denyInsecureTransport,
  PrivateBucketTransforms,
} from "./bucket";

/** AWS managed cache and origin request policies (ids are global and fixed). */
export const MANAGED_POLICIES = {
  /** Cache policy CachingOptimized: long TTLs, gzip/brotli, no headers/cookies/query strings in the key. */
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  /** Cache policy CachingDisabled: TTL 0, every request goes to the origin. */
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Origin request policy AllViewerExceptHostHeader: all viewer headers, cookies, query strings; Host is the origin's. */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** The viewer TLS policy with a custom domain (TLS 1.2+, strong ciphers only). */
export const MIN_TLS_WITH_DOMAIN = "TLSv1.2_2021";
/** What the default *.cloudfront.net certificate allows: CloudFront fixes it at TLSv1, it cannot be raised. */
export const MIN_TLS_DEFAULT_CERT = "TLSv1";

/** HSTS max-age: two years, the preload list's recommendation. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** Path patterns routed to the API by default. */
export const DEFAULT_API_PATHS = ["/api/*", "/health/*"] as const;

/** The API origin (the ALB). */
export interface ApiOrigin {
  /**
   * Host name CloudFront connects to. With `"https-only"` it must match the ALB's certificate (e.g.
   * `api.example.com`), not the ALB's `*.elb.amazonaws.com` name.
   */
  domainName: pulumi.Input<string>;
  /**
   * `"https-only"` (TLS 1.2 to the ALB; needs a certificate on the ALB) or `"http-only"` (the dev pattern
   * without a domain: allowed only with `originVerifyHeader`, and the ALB must accept only CloudFront's
   * origin-facing prefix list and check the header; traffic between CloudFront and the ALB then crosses
   * the internet unencrypted).
   */
  protocol: "https-only" | "http-only";
  /**
   * A secret header CloudFront adds to every origin request, which the ALB requires (listener rule), so the
   * ALB cannot be reached around CloudFront. Pass the value as a secret (random.RandomPassword).
   */
  originVerifyHeader?: { name: string; value: pulumi.Input<string> };
}

/** Per-child `transform` hooks. */
export interface CdnTransforms extends PrivateBucketTransforms {
  bucketPolicy?: Transform<aws.s3.BucketPolicyArgs>;
  originAccessControl?: Transform<aws.cloudfront.OriginAccessControlArgs>;
  responseHeadersPolicy?: Transform<aws.cloudfront.ResponseHeadersPolicyArgs>;
  spaFunction?: Transform<aws.cloudfront.FunctionArgs>;
  distribution?: Transform<aws.cloudfront.DistributionArgs>;
}

export interface CdnArgs {
  /** The API origin (the ALB). Omit for an assets-only distribution. @default none */
  apiOrigin?: ApiOrigin;
  /**
   * Path patterns sent to the API origin (caching disabled, all methods, viewer headers forwarded).
   * `/metrics` is deliberately not routed: Prometheus metrics stay inside the VPC.
   * @default ["/api/*", "/health/*"]
   */
  apiPaths?: string[];
  /**
   * A custom domain: aliases and an ACM certificate **in us-east-1** covering them. Viewers then get
   * TLSv1.2_2021 and SNI. Without it the distribution uses *.cloudfront.net, whose certificate allows
   * TLSv1 clients (CloudFront does not let that be changed); set a domain in prod.
   * Cost: ACM public certificates are free; SNI is free.
   * @default none
   */
  domain?: { aliases: string[]; acmCertificateArn: pulumi.Input<string> };
  /** ARN of a global (CLOUDFRONT scope, us-east-1) WAFv2 web ACL. @default none */
  webAclArn?: pulumi.Input<string>;
  /**
   * Edge locations used: `PriceClass_100` (North America, Europe, Israel: cheapest), `_200`, `_All`.
   * Cost: data out $0.085/GB (first 10 TB, NA/EU); 1 TB/month and 10M requests free.
   * @default "PriceClass_100"
   */
  priceClass?: PriceClass;
  /**
   * A CloudFront Function (viewer request, default behaviour only) that serves `/index.html` for paths
   * without a file extension (client-side routing). It never rewrites the API paths.
   * Cost: $0.10 per 1M invocations.
   * @default false
   */
  spaRewrite?: boolean;
  /**
   * Server-side encryption of the bucket: `"AES256"` (S3 managed keys) or a KMS key ARN (its key policy
   * must let `cloudfront.amazonaws.com` decrypt for this distribution, or CloudFront cannot read objects).
   * Cost: KMS $1/month per key + $0.03 per 10,000 requests (bucket keys cut this ~99%).
   * @default "AES256"
   */
  encryption?: BucketEncryption;
  /**
   * Days noncurrent object versions are kept before deletion.
   * Cost: S3 Standard $0.023/GB-month for every kept version.
   * @default 30
   */
  noncurrentVersionDays?: number;
  /**
   * CloudFront standard (legacy) access logs to an existing bucket that has ACLs enabled (CloudFront
   * writes them with an ACL; the assets bucket enforces bucket-owner ownership so it cannot host them).
   * Cost: S3 storage of the logs; delivery is free.
   * @default none
   */
  accessLogs?: { bucketDomainName: pulumi.Input<string>; prefix?: string };
  /**
   * The bucket prefix the API writes uploaded images under (its STORAGE_PREFIX): CloudFront serves
   * `/<prefix>/*` from the bucket with its own behaviour (cached by the objects' `Cache-Control`, never
   * rewritten by the SPA function, not recompressed). `null`: no uploads behaviour.
   * @default "uploads"
   */
  uploadsPrefix?: string | null;
  /** Tags for every taggable child (plus its `Name`). */
  tags: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: CdnTransforms;
}

export interface CdnSettings {
  apiOrigin?: ApiOrigin;
  apiPaths: string[];
  domain?: { aliases: string[]; acmCertificateArn: pulumi.Input<string> };
  priceClass: PriceClass;
  spaRewrite: boolean;
  encryption: BucketEncryption;
  noncurrentVersionDays: number;
  minTlsVersion: string;
  /** `/<uploadsPrefix>/*` is served from the bucket (null: no uploads behaviour). */
  uploadsPrefix: string | null;
  tags: Tags;
}

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Validates every arg synchronously and applies defaults. */
export function resolveCdnArgs(args: CdnArgs): CdnSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const api = args.apiOrigin;
  if (api !== undefined) {
    if (api === null || typeof api !== "object") {
      throw new Error(`apiOrigin is ${show(api)}; allowed: { domainName, protocol, originVerifyHeader? }`);
    }
    if (api.domainName === undefined || api.domainName === "") {
      throw new Error(`apiOrigin.domainName is ${show(api.domainName)}; allowed: the ALB's host name`);
    }
    if (api.protocol !== "https-only" && api.protocol !== "http-only") {
      throw new Error(`apiOrigin.protocol is ${show(api.protocol)}; allowed: "https-only", "http-only"`);
    }
    const h = api.originVerifyHeader;
    if (h !== undefined) {
      if (
        typeof h.name !== "string" ||
        !/^[A-Za-z0-9-]{1,128}$/.test(h.name) ||
        /^(x-amz-|x-edge-)/i.test(h.name)
      ) {
        throw new Error(
          `apiOrigin.originVerifyHeader.name is ${show(h.name)}; allowed: a header name of letters, digits and "-" ` +
            `not starting with X-Amz- or X-Edge-, such as "X-Origin-Verify"`,
        );
      }
      if (typeof h.value === "string" && h.value.length < 16) {
        throw new Error(
          `apiOrigin.originVerifyHeader.value has ${h.value.length} characters; allowed: a secret of at least 16 ` +
            `characters (generate it with random.RandomPassword)`,
        );
      }
    }
    if (api.protocol === "http-only" && h === undefined) {
      throw new Error(
        `apiOrigin.protocol is "http-only" without originVerifyHeader; allowed: "https-only" (ALB with a ` +
          `certificate), or "http-only" together with originVerifyHeader (the ALB then admits only CloudFront's ` +
          `prefix list carrying the secret header)`,
      );
    }
  }
  const apiPaths = args.apiPaths ?? [...DEFAULT_API_PATHS];
  if (!Array.isArray(apiPaths) || apiPaths.length === 0) {
    throw new Error(
      `apiPaths is ${show(apiPaths)}; allowed: a non-empty list of path patterns such as "/api/*"`,
    );
  }
  for (const p of apiPaths) {
    if (typeof p !== "string" || !/^\/[A-Za-z0-9._~\-/]+\*?$/.test(p) || p === "/*") {
      throw new Error(
        `apiPaths contains ${show(p)}; allowed: path patterns below "/" such as "/api/*" (not "/*")`,
      );
    }
  }
  let domain = args.domain;
  if (domain !== undefined) {
    if (!Array.isArray(domain.aliases) || domain.aliases.length === 0) {
      throw new Error(`domain.aliases is ${show(domain.aliases)}; allowed: a non-empty list of host names`);
    }
    for (const a of domain.aliases) {
      if (typeof a !== "string" || !HOST.test(a)) {
        throw new Error(
          `domain.aliases contains ${show(a)}; allowed: lowercase host names such as "cdn.example.com"`,
        );
      }
    }
    const arn = domain.acmCertificateArn;
    if (arn === undefined || arn === "") {
      throw new Error(
        `domain.acmCertificateArn is ${show(arn)}; allowed: an ACM certificate ARN in us-east-1`,
      );
    }
    if (typeof arn === "string" && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/.+$/.test(arn)) {
      throw new Error(
        `domain.acmCertificateArn is ${show(arn)}; allowed: an ACM certificate ARN in us-east-1 ` +
          `(CloudFront only uses certificates from us-east-1)`,
      );
    }
    domain = { aliases: [...domain.aliases], acmCertificateArn: arn };
  }
  const priceClass = args.priceClass ?? "PriceClass_100";
  if (!PRICE_CLASSES.includes(priceClass)) {
    throw new Error(`priceClass is ${show(priceClass)}; allowed: ${PRICE_CLASSES.map(show).join(", ")}`);
  }
  const encryption = args.encryption ?? "AES256";
  if (encryption !== "AES256") {
    if (encryption === null || typeof encryption !== "object" || !encryption.kmsKeyArn) {
      throw new Error(`encryption is ${show(encryption)}; allowed: "AES256" or { kmsKeyArn }`);
    }
  }
  const noncurrentVersionDays = args.noncurrentVersionDays ?? 30;
  if (!Number.isInteger(noncurrentVersionDays) || noncurrentVersionDays < 1 || noncurrentVersionDays > 3650) {
    throw new Error(
      `noncurrentVersionDays is ${show(noncurrentVersionDays)}; allowed: an integer from 1 to 3650`,
    );
  }
  const uploadsPrefix = args.uploadsPrefix === undefined ? "uploads" : args.uploadsPrefix;
  if (uploadsPrefix !== null) {
    if (typeof uploadsPrefix !== "string" || !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(uploadsPrefix)) {
      throw new Error(
        `uploadsPrefix is ${show(uploadsPrefix)}; allowed: one path segment of a-z, 0-9, '_', '-' (e.g. "uploads") or null`,
      );
    }
    const clash = apiPaths.find((p) => p === `/${uploadsPrefix}/*` || p.startsWith(`/${uploadsPrefix}/`));
    if (clash) {
      throw new Error(
        `uploadsPrefix "${uploadsPrefix}" overlaps apiPaths entry ${show(clash)}; allowed: a prefix the API does not serve`,
      );
    }
  }
  const spaRewrite = args.spaRewrite ?? false;
  if (typeof spaRewrite !== "boolean")
    throw new Error(`spaRewrite is ${show(spaRewrite)}; allowed: true or false`);
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return {
    apiOrigin: api,
    apiPaths: [...apiPaths],
    domain,
    priceClass,
    spaRewrite,
    encryption,
    noncurrentVersionDays,
    minTlsVersion: domain ? MIN_TLS_WITH_DOMAIN : MIN_TLS_DEFAULT_CERT,
    uploadsPrefix,
    tags: validateTags(args.tags),
  };
}

/**
 * The SPA rewrite (cloudfront-js-2.0, viewer request): a path whose last segment has no `.` is served
 * `/index.html`; the API prefixes are returned untouched (the function is only on the default behaviour,
 * this is the second guard).
 */
export function spaRewriteCode(apiPaths: readonly string[]): string {
  const prefixes = apiPaths.map((p) => p.replace(/\*$/, "").replace(/\/$/, ""));
  return [
    "function handler(event) {",
    "  var request = event.request;",
    "  var uri = request.uri;",
    `  var api = ${JSON.stringify(prefixes)};`,
    "  for (var i = 0; i < api.length; i++) {",
    "    if (uri === api[i] || uri.indexOf(api[i] + '/') === 0) return request;",
    "  }",
    "  var last = uri.substring(uri.lastIndexOf('/') + 1);",
    "  if (last.indexOf('.') === -1) request.uri = '/index.html';",
    "  return request;",
    "}",
    "",
  ].join("\n");
}

/** A name for CloudFront policies, OACs and functions: letters, digits, `-` and `_`, at most 64. */
function cloudfrontName(...parts: string[]): string {
  const n = physicalName("aws:ecs", ...parts);
  return n.length <= 64 ? n : physicalName("aws:lb", ...parts).slice(0, 32);
}

/**
 * The Meridian CDN: S3 (private, OAC) + optional API origin behind CloudFront.
 *
 * @example
 * const cdn = new Cdn("meridian-prod-cdn", {
 *   apiOrigin: { domainName: "api.example.com", protocol: "https-only" },
 *   domain: { aliases: ["www.example.com"], acmCertificateArn: usEast1CertArn },
 *   webAclArn: globalWaf.arn,
 *   spaRewrite: true,
 *   tags,
 * });
 *
 * ## Cost (list prices)
 * - CloudFront: first 1 TB out and 10M requests/month free; then $0.085/GB (NA/EU) and $0.0075-0.01 per
 *   10,000 HTTPS requests. Dev is usually free; a busy prod of 5 TB ≈ $340/month.
 * - S3: $0.023/GB-month + requests. CloudFront Function: $0.10 per 1M invocations.
 */
export class Cdn extends pulumi.ComponentResource {
  public readonly distributionId: pulumi.Output<string>;
  public readonly distributionArn: pulumi.Output<string>;
  /** The distribution's *.cloudfront.net name (the alias target for Route 53). */
  public readonly domainName: pulumi.Output<string>;
  /** `https://<first alias>` with a domain, else `https://<*.cloudfront.net>`. */
  public readonly url: pulumi.Output<string>;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** What auditors read about the edge. */
  public readonly posture: NonNullable<Posture["edge"]>;
  /** The distribution as a public endpoint for the posture document. */
  public readonly publicEndpoint: Posture["publicEndpoints"][number];
  public readonly settings: CdnSettings;

  constructor(name: string, args: CdnArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Cdn", name, () => resolveCdnArgs(args));
    super("meridian:aws:Cdn", name, {}, opts);
    this.settings = settings;
    const s = settings;
    const t = args.transform ?? {};
    const { childOpts, tagsFor } = childKit(this, s.tags);

    // -- the private bucket ------------------------------------------------------------------------------
    const { bucket, publicAccessBlock: pab } = createPrivateBucket(
      { childOpts, tagsFor },
      {
        name: `${name}-assets`,
        // A prefix (the provider appends a unique suffix): bucket names are global across all accounts.
        bucketPrefix: `${physicalName("aws:s3", name, "assets").slice(0, 36).replace(/-+$/, "")}-`,
        encryption: s.encryption,
        lifecycleRules: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: s.noncurrentVersionDays },
          },
          {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
        transform: t,
      },
    );

    // -- CloudFront ------------------------------------------------------------------------------------
    const oac = new aws.cloudfront.OriginAccessControl(
      ...applyTransform(
        t.originAccessControl,
        `${name}-oac`,
        {
          name: cloudfrontName(name, "assets-oac"),
          description: asciiDescription(`CloudFront reads the assets bucket of ${name}`),
          originAccessControlOriginType: "s3",
          signingBehavior: "always",
          signingProtocol: "sigv4",
        },
        childOpts(),
      ),
    );

    const headers = new aws.cloudfront.ResponseHeadersPolicy(
      ...applyTransform(
        t.responseHeadersPolicy,
        `${name}-security-headers`,
        {
          name: cloudfrontName(name, "security-headers"),
          comment: asciiDescription(`HSTS and security headers for ${name}`),
          securityHeadersConfig: {
            strictTransportSecurity: {
              accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
              includeSubdomains: true,
              preload: true,
              override: true,
            },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: "DENY", override: true },
            referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            xssProtection: { protection: true, modeBlock: true, override: true },
          },
        },
        childOpts(),
      ),
    );

    let spaFunction: aws.cloudfront.Function | undefined;
    if (s.spaRewrite) {
      spaFunction = new aws.cloudfront.Function(
        ...applyTransform(
          t.spaFunction,
          `${name}-spa-rewrite`,
          {
            name: cloudfrontName(name, "spa-rewrite"),
            runtime: "cloudfront-js-2.0",
            comment: "Serves /index.html for extensionless paths; never rewrites the API paths",
            publish: true,
            code: spaRewriteCode(s.apiPaths),
            tags: tagsFor(`${name}-spa-rewrite`),
          },
          childOpts(),
        ),
      );
    }

    const S3_ORIGIN = "s3-assets";
    const API_ORIGIN = "api";
    const origins: aws.types.input.cloudfront.DistributionOrigin[] = [
      {
        originId: S3_ORIGIN,
        domainName: bucket.bucketRegionalDomainName,
        originAccessControlId: oac.id,
      },
    ];
    const api = s.apiOrigin;
    if (api) {
      origins.push({
        originId: API_ORIGIN,
        domainName: api.domainName,
        customOriginConfig: {
          httpPort: 80,
          httpsPort: 443,
          originProtocolPolicy: api.protocol,
          originSslProtocols: ["TLSv1.2"],
          originReadTimeout: 30,
          originKeepaliveTimeout: 5,
        },
        customHeaders: api.originVerifyHeader
          ? [{ name: api.originVerifyHeader.name, value: pulumi.secret(api.originVerifyHeader.value) }]
          : undefined,
      });
    }
    const apiBehaviours: aws.types.input.cloudfront.DistributionOrderedCacheBehavior[] = api
      ? s.apiPaths.map((pathPattern) => ({
          pathPattern,
          targetOriginId: API_ORIGIN,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: MANAGED_POLICIES.cachingDisabled,
          originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
          responseHeadersPolicyId: headers.id,
          compress: true,
        }))
      : [];
    // Uploaded images: immutable objects, cached as their Cache-Control says; already compressed.
    const uploadsBehaviours: aws.types.input.cloudfront.DistributionOrderedCacheBehavior[] = s.uploadsPrefix
      ? [
          {
            pathPattern: `/${s.uploadsPrefix}/*`,
            targetOriginId: S3_ORIGIN,
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: MANAGED_POLICIES.cachingOptimized,
            responseHeadersPolicyId: headers.id,
            compress: false,
          },
        ]
      : [];

    const distribution = new aws.cloudfront.Distribution(
      ...applyTransform(
        t.distribution,
        name,
        {
          enabled: true,
          comment: asciiDescription(`Meridian ${name}`),
          httpVersion: "http2and3",
          isIpv6Enabled: true,
          priceClass: s.priceClass,
          defaultRootObject: "index.html",
          aliases: s.domain?.aliases,
          webAclId: args.webAclArn,
          origins,
          defaultCacheBehavior: {
            targetOriginId: S3_ORIGIN,
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD", "OPTIONS"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: MANAGED_POLICIES.cachingOptimized,
            responseHeadersPolicyId: headers.id,
            compress: true,
            functionAssociations: spaFunction
              ? [{ eventType: "viewer-request", functionArn: spaFunction.arn }]
              : undefined,
          },
          orderedCacheBehaviors: [...apiBehaviours, ...uploadsBehaviours],
          restrictions: { geoRestriction: { restrictionType: "none" } },
          viewerCertificate: s.domain
            ? {
                acmCertificateArn: s.domain.acmCertificateArn,
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: MIN_TLS_WITH_DOMAIN,
              }
            : { cloudfrontDefaultCertificate: true },
          loggingConfig: args.accessLogs
            ? {
                bucket: args.accessLogs.bucketDomainName,
                prefix: args.accessLogs.prefix ?? `${name}/`,
                includeCookies: false,
              }
            : undefined,
          tags: tagsFor(name),
        },
        childOpts(),
      ),
    );

    // -- bucket policy: only this distribution reads; nothing without TLS -----------------------------------
    new aws.s3.BucketPolicy(
      ...applyTransform(
        t.bucketPolicy,
        `${name}-assets-policy`,
        {
          bucket: bucket.id,
          policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "AllowCloudFrontRead",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: pulumi.interpolate`${bucket.arn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": distribution.arn } },
              },
              denyInsecureTransport(bucket.arn),
            ],
          }),
        },
        // S3 rejects a policy while Block Public Access is being set; order them.
        childOpts({ dependsOn: [pab] }),
      ),
    );

    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.url = s.domain
      ? pulumi.output(`https://${s.domain.aliases[0]}`)
      : pulumi.interpolate`https://${distribution.domainName}`;
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    const waf = args.webAclArn !== undefined;
    this.posture = { minTlsVersion: s.minTlsVersion, httpRedirect: true, waf };
    this.publicEndpoint = {
      name: s.domain ? s.domain.aliases[0] : `${name} (*.cloudfront.net)`,
      kind: "aws:cloudfront:distribution",
      tls: s.minTlsVersion,
      waf,
    };

    this.registerOutputs({
      distributionId: this.distributionId,
      distributionArn: this.distributionArn,
      domainName: this.domainName,
      url: this.url,
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      posture: this.posture,
      publicEndpoint: this.publicEndpoint,
    });
  }
}
