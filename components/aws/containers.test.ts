import { strict as assert } from "node:assert";
import { validateEnvironment } from "./containerInputs";
import { secretResourceArn } from "./containers";

const DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:meridian/db-url-AbCdEf";
const REDIS_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:meridian/redis-XyZ123";

describe("aws service containers (pure)", () => {
  it("secretResourceArn strips the :jsonKey:stage:version suffix", () => {
    assert.equal(secretResourceArn(`${REDIS_SECRET}:url::`), REDIS_SECRET);
    assert.equal(secretResourceArn(DB_SECRET), DB_SECRET);
  });

  it("validateEnvironment: the shared rules (as on Cloud Run), with ECS's reserved names and Secrets Manager", () => {
    assert.deepEqual(validateEnvironment({ LOG_LEVEL: "info" }), { LOG_LEVEL: "info" });
    assert.throws(() => validateEnvironment({ PORT: "9000" }), /environment\.PORT is set by the component/);
    assert.throws(
      () => validateEnvironment({ WEBHOOK_URL: "https://app:s3cret@hooks.example/in" }),
      /environment\.WEBHOOK_URL is a URL with credentials .*Secrets Manager and pass its ARN in secrets/,
    );
    for (const name of ["GITHUB_AUTH", "TLS_PEM", "PRIVATE_CERT", "SERVICE_CREDENTIALS"]) {
      assert.throws(() => validateEnvironment({ [name]: "x" }), /looks like a secret/, name);
    }
    assert.deepEqual(validateEnvironment({ OAUTH_ISSUER: "https://idp.example" }), {
      OAUTH_ISSUER: "https://idp.example",
    });
  });
});
