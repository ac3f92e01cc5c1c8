/**
 * Unknown values are "cannot check during preview" (advisory), never a pass, also inside stack checks;
 * secret values are checked like plain ones. Through @pulumi/policy's analyzer handlers (real
 * deserialization + unknownCheckingProxy; harness.ts).
 */
import { strict as assert } from "node:assert";
import { bucket } from "./cases/builders";
import { analyze, analyzeStack, secret, UNKNOWN } from "./harness";

describe("unknown and secret values", () => {
  it("an unknown value is 'cannot check during preview' (advisory), not a pass", async () => {
    const ds = (await analyze("aws:rds/instance:Instance", { publiclyAccessible: UNKNOWN })).filter(
      (d) => d.policy === "aws-rds-not-public",
    );
    assert.equal(ds.length, 1);
    assert.equal(ds[0].enforcement, "advisory");
    assert.match(
      ds[0].message,
      /^cannot check during preview: .*\.publiclyAccessible can't be known during preview/,
    );
  });

  it("an unknown IAM document inside a stack check is reported per resource", async () => {
    const ds = (
      await analyzeStack([
        bucket(),
        {
          type: "aws:s3/bucketPolicy:BucketPolicy",
          name: "p",
          props: { policy: UNKNOWN },
          deps: { bucket: ["b"] },
        },
      ])
    ).filter((d) => d.policy === "aws-s3-tls-only");
    assert.equal(ds.length, 1);
    assert.equal(ds[0].enforcement, "advisory");
    assert.match(ds[0].urn!, /BucketV2::b$/);
    assert.match(ds[0].message, /cannot check during preview/);
  });

  it("secret values are checked like plain ones", async () => {
    const ds = await analyze("aws:lb/listener:Listener", {
      protocol: secret("HTTP"),
      defaultActions: [{ type: "forward" }],
    });
    assert.ok(ds.some((d) => d.policy === "aws-lb-listener-tls" && d.enforcement === "mandatory"));
    const env = [{ name: "DATABASE_URL", value: "postgres://app:pw@db:5432/app" }];
    const ds2 = await analyze("aws:ecs/taskDefinition:TaskDefinition", {
      containerDefinitions: secret(
        JSON.stringify([{ name: "api", environment: env, readonlyRootFilesystem: true }]),
      ),
    });
    assert.ok(
      ds2.some((d) => d.policy === "aws-ecs-no-plaintext-secrets" && /embeds credentials/.test(d.message)),
    );
  });
});
