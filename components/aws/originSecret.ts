/**
 * The origin-verify secret of CloudFront-only ingress (`ingress: "cloudfront"`): a random 48-character
 * value, stored in Secrets Manager (7-day recovery window), that CloudFront sends as the
 * `X-Origin-Verify` header and the ALB's listener rule requires. Secrets Manager: $0.40/secret-month.
 * Tested in loadBalancer.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { ORIGIN_VERIFY_HEADER } from "./serviceArgs";
import type { ServiceKit } from "./serviceSettings";

/** The header CloudFront adds to prove a request came through it (defined in serviceArgs.ts). */
export { ORIGIN_VERIFY_HEADER };

/** The origin-verify secret: a random value in Secrets Manager, which CloudFront sends as a header. */
export function createOriginSecret(kit: ServiceKit): {
  value: pulumi.Output<string>;
  secretArn: pulumi.Output<string>;
  secretName: string;
} {
  const n = kit.name;
  const password = new random.RandomPassword(
    `${n}-origin-verify`,
    { length: 48, special: false },
    kit.childOpts(),
  );
  const secretName = physicalName("aws:secret", `meridian/${n}/origin-verify`);
  const secret = new aws.secretsmanager.Secret(
    ...applyTransform(
      kit.t.originVerifySecret,
      `${n}-origin-verify-secret`,
      {
        name: secretName,
        description: asciiDescription(`Value of the ${ORIGIN_VERIFY_HEADER} header CloudFront sends to ${n}`),
        recoveryWindowInDays: 7,
        tags: kit.tagsFor(`${n}-origin-verify-secret`),
      },
      kit.childOpts(),
    ),
  );
  new aws.secretsmanager.SecretVersion(
    `${n}-origin-verify-version`,
    { secretId: secret.id, secretString: password.result },
    kit.childOpts(),
  );
  return { value: password.result, secretArn: secret.arn, secretName };
}
