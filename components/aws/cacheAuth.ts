/**
 * The AWS Cache's AUTH (components/aws/cache.ts): a random 64-character token (letters and digits, within
 * ElastiCache's rule of 16-128 printable characters without `@`, `"` or `/`), and two Secrets Manager
 * secrets: the token alone and the `rediss://` URL the service reads as `REDIS_URL`. {@link cacheUrl} is
 * pure.
 *
 * Cost: Secrets Manager $0.40/month per secret.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { CACHE_PORT, CacheKit } from "./cacheArgs";

/** The `rediss://` URL: TLS, AUTH token as the password of the default user. */
export function cacheUrl(token: string, host: string, port: number): string {
  return `rediss://:${encodeURIComponent(token)}@${host}:${port}`;
}

/** Creates the token `<name>-auth-token`. */
export function createAuthToken(kit: CacheKit): random.RandomPassword {
  return new random.RandomPassword(
    ...applyTransform(
      kit.transform.authToken,
      `${kit.name}-auth-token`,
      // 16-128 printable characters without @, " or / (ElastiCache's rule): letters and digits only.
      { length: 64, special: false, minLower: 2, minUpper: 2, minNumeric: 2 },
      kit.childOpts(),
    ),
  );
}

/** The two secrets and their physical names. */
export interface CacheSecrets {
  authSecret: aws.secretsmanager.Secret;
  urlSecret: aws.secretsmanager.Secret;
  authSecretName: string;
  urlSecretName: string;
}

/**
 * Creates `<name>-auth-secret` (the token) and `<name>-url-secret` (`rediss://:<token>@<primary>:6379`),
 * each with its `-version`.
 */
export function createCacheSecrets(
  kit: CacheKit,
  token: pulumi.Output<string>,
  primaryEndpoint: pulumi.Output<string>,
): CacheSecrets {
  const { name, transform: t, childOpts, tagsFor } = kit;
  const secret = (logical: string, secretName: string, description: string, value: pulumi.Input<string>) => {
    const sec = new aws.secretsmanager.Secret(
      ...applyTransform(
        t.secret,
        logical,
        {
          name: secretName,
          description: asciiDescription(description),
          recoveryWindowInDays: kit.settings.secretRecoveryWindowDays,
          tags: tagsFor(logical),
        },
        childOpts(),
      ),
    );
    new aws.secretsmanager.SecretVersion(
      ...applyTransform(
        t.secretVersion,
        `${logical}-version`,
        { secretId: sec.id, secretString: pulumi.secret(value) },
        childOpts(),
      ),
    );
    return sec;
  };
  const authSecretName = physicalName("aws:secret", `${name}/cache/auth-token`);
  const urlSecretName = physicalName("aws:secret", `${name}/cache/url`);
  const authSecret = secret(`${name}-auth-secret`, authSecretName, `AUTH token of ${name}`, token);
  const urlSecret = secret(
    `${name}-url-secret`,
    urlSecretName,
    `REDIS_URL of ${name} (rediss, TLS required)`,
    pulumi.all([token, primaryEndpoint]).apply(([tok, host]) => cacheUrl(tok, host, CACHE_PORT)),
  );
  return { authSecret, urlSecret, authSecretName, urlSecretName };
}
