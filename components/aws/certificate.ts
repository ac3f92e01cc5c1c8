/**
 * The ALB's TLS certificate and DNS: a DNS-validated ACM certificate for `domain` (RSA 2048, no SANs),
 * validated through Route 53 when `hostedZoneId` is given (otherwise the validation records are returned for
 * the caller's DNS provider, and `pulumi up` waits for them), and the alias record pointing the domain at
 * the ALB. Public ACM certificates are free (AWS Certificate Manager pricing). Tested in
 * loadBalancer.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform } from "../shared/transform";
import type { ServiceKit } from "./serviceSettings";

/** A DNS record ACM asks for to prove control of the domain. */
export interface ValidationRecord {
  name: string;
  type: string;
  value: string;
}

/** A DNS-validated ACM certificate; validated through Route 53 when the zone is given. */
export function createCertificate(
  kit: ServiceKit,
  domain: string,
  hostedZoneId: pulumi.Input<string> | undefined,
): { arn: pulumi.Output<string>; records: pulumi.Output<ValidationRecord[]> } {
  const n = kit.name;
  const cert = new aws.acm.Certificate(
    ...applyTransform(
      kit.t.certificate,
      `${n}-cert`,
      {
        domainName: domain,
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
        tags: kit.tagsFor(`${n}-cert`),
      },
      kit.childOpts({ deleteBeforeReplace: false }),
    ),
  );
  const records = cert.domainValidationOptions.apply((opts) =>
    (opts ?? []).map((o) => ({
      name: o.resourceRecordName ?? "",
      type: o.resourceRecordType ?? "CNAME",
      value: o.resourceRecordValue ?? "",
    })),
  );
  let fqdns: pulumi.Input<string>[] | undefined;
  if (hostedZoneId !== undefined) {
    // One domain, no SANs: exactly one validation record.
    const record = new aws.route53.Record(
      ...applyTransform(
        kit.t.dnsRecord,
        `${n}-cert-validation`,
        {
          zoneId: hostedZoneId,
          name: records.apply((r) => r[0]?.name ?? ""),
          type: records.apply((r) => r[0]?.type ?? "CNAME"),
          records: [records.apply((r) => r[0]?.value ?? "")],
          ttl: 300,
          allowOverwrite: true,
        },
        kit.childOpts(),
      ),
    );
    fqdns = [record.fqdn];
  }
  // Without a zone this waits (up to 75 minutes) for the records to be created at the DNS provider.
  const validation = new aws.acm.CertificateValidation(
    `${n}-cert-validation`,
    { certificateArn: cert.arn, validationRecordFqdns: fqdns },
    kit.childOpts(),
  );
  return { arn: validation.certificateArn, records };
}

/** The `A` alias record `domain` -> the ALB, in `hostedZoneId` (`ingress: "internet"` with a zone). */
export function createAliasRecord(
  kit: ServiceKit,
  hostedZoneId: pulumi.Input<string>,
  domain: string,
  alb: aws.lb.LoadBalancer,
): aws.route53.Record {
  return new aws.route53.Record(
    ...applyTransform(
      kit.t.dnsRecord,
      `${kit.name}-alias`,
      {
        zoneId: hostedZoneId,
        name: domain,
        type: "A",
        aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
      },
      kit.childOpts(),
    ),
  );
}
