/**
 * The AWS Database's credentials: the master password generated with @pulumi/random (never in config), the
 * JSON credentials secret the RDS Proxy reads, and the connection URL secret the service reads as
 * `DATABASE_URL` ({@link databaseUrl}, pure). Both secrets are in Secrets Manager; values are passed only
 * as Pulumi secrets. Tested in database.mock.test.ts and databaseSecrets.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import type { PartKit } from "./partKit";
import { POSTGRES_PORT } from "./rdsPostgres";

/** The `sslmode` written into the connection URL. */
export const SSL_MODES = ["require", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Per-child `transform` hooks of the database's credentials. */
export interface DatabaseSecretTransforms {
  password?: Transform<random.RandomPasswordArgs>;
  /** Both secrets (`<name>-url-secret`, `<name>-credentials-secret`). */
  secret?: Transform<aws.secretsmanager.SecretArgs>;
  secretVersion?: Transform<aws.secretsmanager.SecretVersionArgs>;
}

/** What the credential builders need from the Database component. */
export interface DatabaseSecretKit extends PartKit<DatabaseSecretTransforms> {
  /** Days a deleted secret can be restored, or 0. */
  recoveryWindowDays: number;
}

/** A secret and its name. */
export interface NamedSecret {
  secret: aws.secretsmanager.Secret;
  secretName: string;
}

/**
 * The connection URL: `postgres://user:pass@host:5432/db?sslmode=<mode>`. User and password are
 * percent-encoded. No `sslrootcert` parameter: postgres.js (the app's driver) forwards unknown URL
 * parameters to the server as startup parameters, and PostgreSQL rejects `sslrootcert` there.
 */
export function databaseUrl(parts: {
  username: string;
  password: string;
  host: string;
  port: number;
  database: string;
  sslMode: SslMode;
}): string {
  const user = encodeURIComponent(parts.username);
  const pass = encodeURIComponent(parts.password);
  return `postgres://${user}:${pass}@${parts.host}:${parts.port}/${parts.database}?sslmode=${parts.sslMode}`;
}

/** The master password: 32 letters and digits. */
export function createMasterPassword(kit: DatabaseSecretKit): random.RandomPassword {
  return new random.RandomPassword(
    ...applyTransform(
      kit.t.password,
      `${kit.name}-master-password`,
      // Letters and digits only: safe in a URL, in libpq keyword strings and in shells.
      { length: 32, special: false, minLower: 2, minUpper: 2, minNumeric: 2 },
      kit.childOpts(),
    ),
  );
}

/** The secret `<name>/database/credentials`: JSON `{username, password, engine, host, port, dbname}`. */
export function createCredentialsSecret(
  kit: DatabaseSecretKit,
  c: { username: string; password: pulumi.Output<string>; host: pulumi.Output<string>; database: string },
): NamedSecret {
  const secretName = physicalName("aws:secret", `${kit.name}/database/credentials`);
  const secret = createSecret(
    kit,
    `${kit.name}-credentials-secret`,
    secretName,
    `Master credentials of ${kit.name} (JSON: username, password, host, port, dbname)`,
  );
  createSecretVersion(
    kit,
    `${kit.name}-credentials-secret-version`,
    secret,
    pulumi.jsonStringify({
      username: c.username,
      password: c.password,
      engine: "postgres",
      host: c.host,
      port: POSTGRES_PORT,
      dbname: c.database,
    }),
  );
  return { secret, secretName };
}

/** The secret `<name>/database/url`: the {@link databaseUrl} of `host` (the instance, or the proxy). */
export function createUrlSecret(
  kit: DatabaseSecretKit,
  c: {
    username: string;
    password: pulumi.Output<string>;
    host: pulumi.Output<string>;
    database: string;
    sslMode: SslMode;
  },
): NamedSecret {
  const secretName = physicalName("aws:secret", `${kit.name}/database/url`);
  const secret = createSecret(
    kit,
    `${kit.name}-url-secret`,
    secretName,
    `DATABASE_URL of ${kit.name} (TLS ${c.sslMode})`,
  );
  createSecretVersion(
    kit,
    `${kit.name}-url-secret-version`,
    secret,
    pulumi.secret(
      pulumi.all([c.password, c.host]).apply(([pass, host]) =>
        databaseUrl({
          username: c.username,
          password: pass,
          host,
          port: POSTGRES_PORT,
          database: c.database,
          sslMode: c.sslMode,
        }),
      ),
    ),
  );
  return { secret, secretName };
}

function createSecret(
  kit: DatabaseSecretKit,
  logicalName: string,
  secretName: string,
  description: string,
): aws.secretsmanager.Secret {
  return new aws.secretsmanager.Secret(
    ...applyTransform(
      kit.t.secret,
      logicalName,
      {
        name: secretName,
        description: asciiDescription(description),
        recoveryWindowInDays: kit.recoveryWindowDays,
        tags: kit.tagsFor(logicalName),
      },
      kit.childOpts(),
    ),
  );
}

function createSecretVersion(
  kit: DatabaseSecretKit,
  logicalName: string,
  secret: aws.secretsmanager.Secret,
  value: pulumi.Input<string>,
): aws.secretsmanager.SecretVersion {
  return new aws.secretsmanager.SecretVersion(
    ...applyTransform(
      kit.t.secretVersion,
      logicalName,
      { secretId: secret.id, secretString: pulumi.secret(value) },
      kit.childOpts(),
    ),
  );
}
