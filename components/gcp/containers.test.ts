import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
  containerEnvs,
  otelCollectorConfig,
  pinnedVersion,
  validateEnvironment,
  validateSecretFiles,
  validateSecrets,
} from "./containers";

describe("gcp containers (pure)", () => {
  it("keeps plain, non-secret variables and rejects reserved names", () => {
    assert.deepEqual(validateEnvironment({ LOG_LEVEL: "info" }), { LOG_LEVEL: "info" });
    assert.throws(() => validateEnvironment({ PORT: "9000" }), /environment\.PORT is set by Cloud Run/);
    assert.throws(
      () => validateEnvironment({ DB_PASSWORD: "x" }),
      /environment\.DB_PASSWORD looks like a secret/,
    );
    assert.throws(
      () => validateEnvironment({ REDIS_URL: "rediss://:pw@10.0.0.4:6378" }),
      /REDIS_URL is a URL with credentials/,
    );
    for (const name of ["REDIS_AUTH", "TLS_PRIVATE_PEM", "GCP_CREDENTIALS", "AUTH"])
      assert.throws(
        () => validateEnvironment({ [name]: "x" }),
        new RegExp(`environment\\.${name} looks like a secret`),
      );
    assert.deepEqual(validateEnvironment({ OAUTH_ISSUER: "https://idp.example" }), {
      OAUTH_ISSUER: "https://idp.example",
    });
    assert.deepEqual(validateEnvironment({ CORS_ALLOWED_ORIGINS: "https://a.example" }), {
      CORS_ALLOWED_ORIGINS: "https://a.example",
    });
  });

  it("pins secret versions and refuses latest or a name in both maps", () => {
    assert.equal(pinnedVersion("v", "12"), "12");
    assert.throws(() => pinnedVersion("secrets.X.version", "latest"), /secrets\.X\.version is "latest"/);
    assert.throws(
      () => validateSecrets({ A: { secretId: "a", version: "1" } }, { A: "x" }),
      /A is in both environment and secrets/,
    );
    assert.throws(
      () => validateSecrets({ A: { secretId: "bad id!", version: "1" } }, {}),
      /secrets\.A\.secretId is "bad id!"/,
    );
  });

  it("fails an Output version of latest when it resolves", async () => {
    const [env] = containerEnvs({}, { A: { secretId: "a", version: pulumi.output("latest") } });
    const version = env.valueSource!.secretKeyRef.version as pulumi.Output<string>;
    await assert.rejects(
      (version as unknown as { promise(): Promise<string> }).promise(),
      /secrets\.A\.version is "latest"/,
    );
  });

  it("mounts each secret file in its own directory", () => {
    const [m] = validateSecretFiles({ "/secrets/db-ca/ca.pem": { secretId: "db-ca", version: "1" } });
    assert.deepEqual(
      { ...m, ref: undefined },
      { volume: "secret-secrets-db-ca", directory: "/secrets/db-ca", fileName: "ca.pem", ref: undefined },
    );
    assert.throws(
      () =>
        validateSecretFiles({
          "/secrets/a/x.pem": { secretId: "a", version: "1" },
          "/secrets/a/y.pem": { secretId: "b", version: "1" },
        }),
      /two files in \/secrets\/a/,
    );
    assert.throws(
      () => validateSecretFiles({ "ca.pem": { secretId: "a", version: "1" } }),
      /secretFiles has the path "ca.pem"/,
    );
  });

  it("configures the collector for OTLP on localhost and Google Cloud exporters", () => {
    const c = JSON.parse(otelCollectorConfig());
    assert.equal(c.receivers.otlp.protocols.http.endpoint, "127.0.0.1:4318");
    assert.deepEqual(c.service.pipelines.metrics.exporters, ["googlecloud"]);
  });

  it("a secret Output never becomes a plain value: it fails when it resolves; a plain Output passes", async () => {
    const settle = (v: unknown) => (v as { promise(): Promise<unknown> }).promise();
    const [secret] = containerEnvs({ DB_HOST_NAME: pulumi.secret("db.internal") }, {});
    await assert.rejects(settle(secret.value), /environment\.DB_HOST_NAME is a secret Output/);
    const [plain] = containerEnvs({ DB_HOST_NAME: pulumi.output("db.internal") }, {});
    assert.equal(await settle(plain.value), "db.internal");
  });
});
