/**
 * The CDN's own TLS certificate on AWS: ACM in us-east-1 (CloudFront only takes certificates from there,
 * whatever the stack's region — AWS CloudFront developer guide, "Requirements for using SSL/TLS certificates
 * with CloudFront"), DNS-validated. With `hostedZoneId` the validation record is created in Route 53 and the
 * ARN is that of the completed validation (so the distribution waits for it); without it the ARN is the
 * certificate's, and the validation record must be created by whoever owns the zone (docs/aws.md).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withName } from "../components/shared/tags";

export interface CdnCertificateArgs {
  /** Base of the logical names: `${base}-cdn-cert`, `${base}-cdn-cert-validation`. */
  base: string;
  /** The CDN's host name, e.g. `cdn.example.com`. */
  domain: string;
  /** Route 53 hosted zone for the validation record; none: validated outside this stack. */
  hostedZoneId?: string;
  tags: Record<string, string>;
  /** A provider for us-east-1. */
  usEast1: aws.Provider;
}

/** Creates the certificate (and its validation when the zone is known); returns the ARN to give CloudFront. */
export function cdnCertificate(a: CdnCertificateArgs): pulumi.Output<string> {
  const cert = new aws.acm.Certificate(
    `${a.base}-cdn-cert`,
    { domainName: a.domain, validationMethod: "DNS", tags: withName(a.tags, `${a.base}-cdn-cert`) },
    { provider: a.usEast1 },
  );
  if (!a.hostedZoneId) return cert.arn;
  const records = cert.domainValidationOptions.apply((opts) => opts.slice(0, 1));
  const record = new aws.route53.Record(`${a.base}-cdn-cert-validation`, {
    zoneId: a.hostedZoneId,
    name: records.apply((r) => r[0].resourceRecordName),
    type: records.apply((r) => r[0].resourceRecordType),
    records: [records.apply((r) => r[0].resourceRecordValue)],
    ttl: 300,
    allowOverwrite: true,
  });
  return new aws.acm.CertificateValidation(
    `${a.base}-cdn-cert`,
    { certificateArn: cert.arn, validationRecordFqdns: [record.fqdn] },
    { provider: a.usEast1 },
  ).certificateArn;
}
