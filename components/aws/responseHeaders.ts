/**
 * The AWS CDN's response headers policy (components/aws/cdn.ts), on every behaviour: HSTS for two years
 * with subdomains and preload, `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
 * `Referrer-Policy: strict-origin-when-cross-origin` and `X-XSS-Protection: 1; mode=block`, each
 * overriding what the origin sends. Free.
 */
import * as aws from "@pulumi/aws";
import { asciiDescription } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { CdnKit, cloudfrontName } from "./cdnArgs";

/** HSTS max-age: two years, the preload list's recommendation. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** Creates `<name>-security-headers`. */
export function createSecurityHeadersPolicy(kit: CdnKit): aws.cloudfront.ResponseHeadersPolicy {
  return new aws.cloudfront.ResponseHeadersPolicy(
    ...applyTransform(
      kit.transform.responseHeadersPolicy,
      `${kit.name}-security-headers`,
      {
        name: cloudfrontName(kit.name, "security-headers"),
        comment: asciiDescription(`HSTS and security headers for ${kit.name}`),
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
      kit.childOpts(),
    ),
  );
}
