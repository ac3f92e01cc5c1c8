/**
 * The arguments of the AWS CDN component (components/aws/cdn.ts): the API origin, the custom domain, the
 * price classes and TLS policies CloudFront offers, the per-child transforms, the validated settings, and
 * the kit every child-building module (`cdnBucket.ts`, `originAccessControl.ts`, `responseHeaders.ts`,
 * `spaRewrite.ts`, `cdnBehaviours.ts`, `distribution.ts`) receives. Validation is in `cdnSettings.ts`.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ChildKit } from "../shared/component";
import { physicalName } from "../shared/naming";
import type { Tags } from "../shared/tags";
import type { Transform } from "../shared/transform";
import type { BucketEncryption, PrivateBucketTransforms } from "./bucket";

export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** The viewer TLS policy with a custom domain (TLS 1.2+, strong ciphers only). */
export const MIN_TLS_WITH_DOMAIN = "TLSv1.2_2021";
/** What the default *.cloudfront.net certificate allows: CloudFront fixes it at TLSv1, it cannot be raised. */
export const MIN_TLS_DEFAULT_CERT = "TLSv1";

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

/** What every child-building module of the CDN receives: the component's name, transforms and child kit. */
export interface CdnKit extends ChildKit {
  /** The component's name: children's logical names are `<name>-<suffix>` (the distribution's is `<name>`). */
  name: string;
  transform: CdnTransforms;
}

/** A name for CloudFront policies, OACs and functions: letters, digits, `-` and `_`, at most 64. */
export function cloudfrontName(...parts: string[]): string {
  const n = physicalName("aws:ecs", ...parts);
  return n.length <= 64 ? n : physicalName("aws:lb", ...parts).slice(0, 32);
}
