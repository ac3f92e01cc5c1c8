import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "./iam";
import { UPLOADS_PREFIX, uploadsEnvironment, uploadsWriteStatements } from "./uploads";

const resolve = <T>(o: pulumi.Input<T>): Promise<T> =>
  new Promise((res) => {
    pulumi.output(o).apply((v) => {
      res(v as T);
      return v;
    });
  });

const BUCKET_ARN = "arn:aws:s3:::meridian-dev-cdn-assets-1234";

describe("aws uploads (task role and environment for image uploads)", () => {
  it("allows exactly put and delete on <bucket>/uploads/*: no s3:*, nothing bucket-level", async () => {
    const statements = uploadsWriteStatements(BUCKET_ARN);
    const doc = JSON.parse(await resolve(policyJson(statements, "uploads")));
    assert.deepEqual(doc.Statement, [
      {
        Sid: "WriteUploads",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: `${BUCKET_ARN}/uploads/*`,
      },
    ]);
  });

  it("adds kms:GenerateDataKey on the bucket's key only when the bucket uses SSE-KMS", async () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const statements = uploadsWriteStatements(BUCKET_ARN, UPLOADS_PREFIX, key);
    assert.equal(statements.length, 2);
    assert.deepEqual(statements[1], {
      sid: "EncryptUploads",
      actions: ["kms:GenerateDataKey"],
      resources: [key],
    });
  });

  it("refuses a prefix that is not one safe path segment", () => {
    for (const bad of ["", "*", "a/b", "../x", "Uploads"]) {
      assert.throws(() => uploadsWriteStatements(BUCKET_ARN, bad), /allowed: one path segment/, bad);
    }
  });

  it("gives the app the S3 adapter's STORAGE_* environment, base URL without a trailing slash", async () => {
    const env = uploadsEnvironment({
      bucketName: "meridian-dev-cdn-assets-1234",
      region: "us-east-1",
      publicBaseUrl: "https://d111.cloudfront.net/",
    });
    const plain = Object.fromEntries(
      await Promise.all(Object.entries(env).map(async ([k, v]) => [k, await resolve(v)])),
    );
    assert.deepEqual(plain, {
      STORAGE_BACKEND: "s3",
      STORAGE_BUCKET: "meridian-dev-cdn-assets-1234",
      STORAGE_REGION: "us-east-1",
      STORAGE_PREFIX: "uploads",
      STORAGE_PUBLIC_BASE_URL: "https://d111.cloudfront.net",
    });
  });
});
