/**
 * Validation of what a caller puts in the AWS service's containers: the image reference (pinned by digest
 * where required), plain environment variables (names, and never a secret-looking value) and Secrets Manager
 * references. Pure; used when the Service resolves its args (serviceSettings.ts) and by the container
 * definitions (containers.ts). Tested in containers.test.ts and service.mock.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ENV_NAME,
  validateEnvironment as validatePlainEnvironment,
  type Environment,
} from "../shared/environment";
import { show } from "../shared/validate";

const IMAGE_REF =
  /^(?:(?<registry>[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d+)?)\/)?(?<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

/** Validates an image reference; with `requireDigest`, it must be pinned by `@sha256:<64 hex>`. */
export function validateImage(image: unknown, requireDigest: boolean): string {
  if (typeof image !== "string" || image.length > 512 || !IMAGE_REF.test(image)) {
    throw new Error(
      `image is ${show(image)}; allowed: an image reference [registry/]repository[:tag][@sha256:<64 hex>] ` +
        `(lowercase repository), e.g. "123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian-api@sha256:<digest>"`,
    );
  }
  if (requireDigest && !/@sha256:[a-f0-9]{64}$/.test(image)) {
    throw new Error(
      `image is ${show(image)} but requireDigest is true; allowed: an image pinned by digest ` +
        `(<repository>@sha256:<64 hex>); a tag can be moved to other content. Get the digest with ` +
        `\`docker buildx imagetools inspect IMAGE\` or \`crane digest IMAGE\``,
    );
  }
  return image;
}

/** Names the component sets itself. */
const RESERVED_ENV = ["PORT", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL"];

/**
 * Validates plain environment variables (components/shared/environment.ts): valid names, string values,
 * nothing that is or looks secret (Secrets Manager instead).
 */
export function validateEnvironment(env: unknown): Environment {
  return validatePlainEnvironment(env, {
    reserved: RESERVED_ENV,
    reservedWhy: "is set by the component (use containerPort for PORT)",
    store: "Secrets Manager",
    visibleIn: "the task definition",
    secretHint: (k) => `its ARN in secrets: { ${k}: <secret ARN> }`,
  });
}

const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(?::[^:]*:[^:]*:[^:]*)?$/;

/** The secret's own ARN (IAM resource) from a `valueFrom` that may carry `:jsonKey:stage:version`. */
export function secretResourceArn(valueFrom: string): string {
  return valueFrom.split(":").slice(0, 7).join(":");
}

/** Validates the secret references (known ARNs are checked now; outputs when they resolve). */
export function validateSecrets(
  secrets: unknown,
  environment: Record<string, pulumi.Input<string>>,
): Record<string, pulumi.Input<string>> {
  const s = secrets ?? {};
  if (s === null || typeof s !== "object" || Array.isArray(s)) {
    throw new Error(`secrets is ${show(s)}; allowed: a map of variable name to Secrets Manager secret ARN`);
  }
  for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
    if (!ENV_NAME.test(k)) {
      throw new Error(
        `secrets has the name ${show(k)}; allowed: letters, digits and _ (not starting with a digit)`,
      );
    }
    if (k in environment) {
      throw new Error(
        `${k} is in both environment and secrets; allowed: one of them (a secret belongs in secrets)`,
      );
    }
    if (RESERVED_ENV.includes(k)) throw new Error(`secrets.${k} is set by the component; use another name`);
    if (typeof v === "string" && !SECRET_ARN.test(v)) {
      throw new Error(
        `secrets.${k} is ${show(v)}; allowed: a Secrets Manager secret ARN ` +
          `(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 chars>), optionally with ":<jsonKey>::"`,
      );
    }
    if (v === undefined || v === null) throw new Error(`secrets.${k} is ${show(v)}; allowed: a secret ARN`);
  }
  return { ...(s as Record<string, pulumi.Input<string>>) };
}
