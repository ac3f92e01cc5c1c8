/**
 * The AWS CDN's CloudFront distribution (components/aws/cdn.ts): HTTP/2 and HTTP/3, IPv6, the origins and
 * behaviours of `./cdnBehaviours`, `index.html` as root object, no geo restriction; with a custom domain
 * its aliases, the ACM certificate (us-east-1), SNI and TLSv1.2_2021, else the *.cloudfront.net
 * certificate; the WAF web ACL and standard access logs when given.
 *
 * Cost (list prices): first 1 TB out and 10M requests/month free; then $0.085/GB (NA/EU) and
 * $0.0075-0.01 per 10,000 HTTPS requests; `priceClass` limits the edge locations used.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { asciiDescription } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { CdnArgs, CdnKit, CdnSettings, MIN_TLS_WITH_DOMAIN } from "./cdnArgs";
import { cdnOrigins, defaultBehaviour, orderedBehaviours } from "./cdnBehaviours";

/** What the distribution is built from: the bucket, its OAC, the headers policy and the SPA function. */
export interface DistributionParts {
  bucket: aws.s3.Bucket;
  oac: aws.cloudfront.OriginAccessControl;
  headers: aws.cloudfront.ResponseHeadersPolicy;
  spaFunction?: aws.cloudfront.Function;
}

/** Creates the distribution, logical name `<name>`. */
export function createDistribution(
  kit: CdnKit,
  s: CdnSettings,
  args: Pick<CdnArgs, "webAclArn" | "accessLogs">,
  parts: DistributionParts,
): aws.cloudfront.Distribution {
  const name = kit.name;
  const headersId: pulumi.Input<string> = parts.headers.id;
  return new aws.cloudfront.Distribution(
    ...applyTransform(
      kit.transform.distribution,
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
        origins: cdnOrigins(s, parts.bucket.bucketRegionalDomainName, parts.oac.id),
        defaultCacheBehavior: defaultBehaviour(headersId, parts.spaFunction?.arn),
        orderedCacheBehaviors: orderedBehaviours(s, headersId),
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
        tags: kit.tagsFor(name),
      },
      kit.childOpts(),
    ),
  );
}
