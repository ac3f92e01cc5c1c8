/**
 * The AWS CDN's routing (components/aws/cdn.ts), as pure data for the distribution: its origins (the
 * assets bucket through Origin Access Control, and the API's load balancer when there is one) and its
 * cache behaviours with the AWS managed cache and origin request policies they use:
 * - default: the bucket, CachingOptimized, GET/HEAD/OPTIONS, compressed, the SPA function if any;
 * - each API path: the ALB, CachingDisabled, every method, all viewer headers but Host forwarded;
 * - `/<uploadsPrefix>/*`: the bucket, CachingOptimized (objects' own Cache-Control), not recompressed.
 * Every behaviour redirects HTTP to HTTPS and sends the security headers.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CdnSettings } from "./cdnArgs";

/** AWS managed cache and origin request policies (ids are global and fixed). */
export const MANAGED_POLICIES = {
  /** Cache policy CachingOptimized: long TTLs, gzip/brotli, no headers/cookies/query strings in the key. */
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  /** Cache policy CachingDisabled: TTL 0, every request goes to the origin. */
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Origin request policy AllViewerExceptHostHeader: all viewer headers, cookies, query strings; Host is the origin's. */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

/** Origin ids within the distribution. */
export const S3_ORIGIN = "s3-assets";
export const API_ORIGIN = "api";

type Origin = aws.types.input.cloudfront.DistributionOrigin;
type Behaviour = aws.types.input.cloudfront.DistributionOrderedCacheBehavior;
type DefaultBehaviour = aws.types.input.cloudfront.DistributionDefaultCacheBehavior;

/** The bucket origin (read with the OAC `oacId`) and, with `s.apiOrigin`, the API origin over TLS 1.2. */
export function cdnOrigins(
  s: CdnSettings,
  bucketDomainName: pulumi.Input<string>,
  oacId: pulumi.Input<string>,
): Origin[] {
  const origins: Origin[] = [
    { originId: S3_ORIGIN, domainName: bucketDomainName, originAccessControlId: oacId },
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
  return origins;
}

/** The ordered behaviours: the API paths (with an API origin), then the uploads prefix (if any). */
export function orderedBehaviours(s: CdnSettings, headersPolicyId: pulumi.Input<string>): Behaviour[] {
  const apiBehaviours: Behaviour[] = s.apiOrigin
    ? s.apiPaths.map((pathPattern) => ({
        pathPattern,
        targetOriginId: API_ORIGIN,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: MANAGED_POLICIES.cachingDisabled,
        originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
        responseHeadersPolicyId: headersPolicyId,
        compress: true,
      }))
    : [];
  // Uploaded images: immutable objects, cached as their Cache-Control says; already compressed.
  const uploadsBehaviours: Behaviour[] = s.uploadsPrefix
    ? [
        {
          pathPattern: `/${s.uploadsPrefix}/*`,
          targetOriginId: S3_ORIGIN,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: MANAGED_POLICIES.cachingOptimized,
          responseHeadersPolicyId: headersPolicyId,
          compress: false,
        },
      ]
    : [];
  return [...apiBehaviours, ...uploadsBehaviours];
}

/** The default behaviour: the bucket, cached, with the SPA function's ARN on viewer requests if given. */
export function defaultBehaviour(
  headersPolicyId: pulumi.Input<string>,
  spaFunctionArn?: pulumi.Input<string>,
): DefaultBehaviour {
  return {
    targetOriginId: S3_ORIGIN,
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ["GET", "HEAD", "OPTIONS"],
    cachedMethods: ["GET", "HEAD"],
    cachePolicyId: MANAGED_POLICIES.cachingOptimized,
    responseHeadersPolicyId: headersPolicyId,
    compress: true,
    functionAssociations: spaFunctionArn
      ? [{ eventType: "viewer-request", functionArn: spaFunctionArn }]
      : undefined,
  };
}
