/**
 * Meridian's edge on AWS: a CloudFront distribution in front of a private S3 bucket (static assets and
 * uploads, read through Origin Access Control) and, optionally, the API's load balancer for `/api/*` and
 * `/health/*` (caching disabled, viewer headers forwarded). HTTPS everywhere (viewers are redirected),
 * TLSv1.2_2021 with a custom domain, a response headers policy with HSTS and security headers, and an
 * optional CloudFront Function for single-page-app rewrites that never touches the API paths.
 *
 * This file is the component; each child lives in a module of its own: `cdnBucket.ts` (the bucket and its
 * policy), `originAccessControl.ts`, `responseHeaders.ts`, `spaRewrite.ts`, `cdnBehaviours.ts` (origins,
 * cache behaviours and managed policies), `distribution.ts`. The args are in `cdnArgs.ts`; validation is
 * pure and exported ({@link resolveCdnArgs} in `cdnSettings.ts`, {@link spaRewriteCode}). See
 * docs/components/aws-cdn.md.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Posture, ResourcePolicyFact } from "../shared/contracts";
import { childKit } from "../shared/component";
import { resolveArgs } from "../shared/validate";
import type { CdnArgs, CdnKit, CdnSettings } from "./cdnArgs";
import { createAssetsBucket, createAssetsBucketPolicy } from "./cdnBucket";
import { resolveCdnArgs } from "./cdnSettings";
import { createDistribution } from "./distribution";
import { createOriginAccessControl } from "./originAccessControl";
import { resourcePolicyFact } from "./policyWords";
import { createSecurityHeadersPolicy } from "./responseHeaders";
import { createSpaFunction, spaRewriteCode } from "./spaRewrite";

// The component's vocabulary, re-exported so importers of "./cdn" need not know the split.
export * from "./cdnArgs";
export { resolveCdnArgs } from "./cdnSettings";
export { MANAGED_POLICIES } from "./cdnBehaviours";
export { HSTS_MAX_AGE_SECONDS } from "./responseHeaders";
export { spaRewriteCode };

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
  /** The assets bucket's policy in words (OAC reads, TLS only), for the posture document. */
  public readonly resourcePolicies: ResourcePolicyFact[];
  /** The distribution as a public endpoint for the posture document. */
  public readonly publicEndpoint: Posture["publicEndpoints"][number];
  public readonly settings: CdnSettings;

  constructor(name: string, args: CdnArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Cdn", name, () => resolveCdnArgs(args));
    super("meridian:aws:Cdn", name, {}, opts);
    this.settings = settings;
    const s = settings;
    const kit: CdnKit = { ...childKit(this, s.tags), name, transform: args.transform ?? {} };

    const assets = createAssetsBucket(kit, s);
    const oac = createOriginAccessControl(kit);
    const headers = createSecurityHeadersPolicy(kit);
    const spaFunction = s.spaRewrite ? createSpaFunction(kit, s.apiPaths) : undefined;
    const distribution = createDistribution(kit, s, args, {
      bucket: assets.bucket,
      oac,
      headers,
      spaFunction,
    });
    const assetsPolicy = createAssetsBucketPolicy(kit, assets, distribution);

    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.url = s.domain
      ? pulumi.output(`https://${s.domain.aliases[0]}`)
      : pulumi.interpolate`https://${distribution.domainName}`;
    this.bucketName = assets.bucket.bucket;
    this.bucketArn = assets.bucket.arn;
    const waf = args.webAclArn !== undefined;
    this.posture = { minTlsVersion: s.minTlsVersion, httpRedirect: true, waf };
    this.resourcePolicies = [resourcePolicyFact(`s3:${name}-assets`, "bucket-policy", assetsPolicy.policy)];
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
