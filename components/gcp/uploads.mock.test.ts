import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";
import type * as UploadsModule from "./uploads";
import { identitiesFromGrants } from "./iam";

const PROJECT = "meridian-test-1234";
const MEMBER_TYPE = "gcp:storage/bucketIAMMember:BucketIAMMember";

const suite = componentSuite<typeof UploadsModule>({
  load: () => import("./uploads"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

describe("gcp uploads (runtime identity and environment for image uploads) (mocks)", () => {
  it("grants objectUser on the bucket only, conditioned on the uploads/ prefix; no project role", async () => {
    const before = suite.session.resources.length;
    const grant = suite.mod.grantUploadsWrite("runtime-uploads", {
      bucketName: "meridian-test-1234-assets",
      bucketLabel: "meridian-test-1234-assets",
      principal: "meridian-test-runtime",
      member: "serviceAccount:meridian-test-runtime@meridian-test-1234.iam.gserviceaccount.com",
    });
    await suite.session.settle();
    const created = suite.session.resources.slice(before);
    assert.deepEqual(
      created.map((r) => r.type),
      [MEMBER_TYPE],
      "one bucket-level member, nothing at the project",
    );
    const m = inputsOf(created[0]);
    assert.equal(m.bucket, "meridian-test-1234-assets");
    assert.equal(m.role, "roles/storage.objectUser");
    assert.equal(m.member, "serviceAccount:meridian-test-runtime@meridian-test-1234.iam.gserviceaccount.com");
    assert.equal(
      m.condition.expression,
      'resource.name.startsWith("projects/_/buckets/meridian-test-1234-assets/objects/uploads/")',
    );
    assert.deepEqual(identitiesFromGrants([grant]), [
      {
        name: "meridian-test-runtime",
        kind: "gcp:serviceaccount",
        permissions: [
          "roles/storage.objectUser on bucket meridian-test-1234-assets (objects uploads/* only)",
        ],
      },
    ]);
  });

  it("refuses public members and bad prefixes", () => {
    assert.throws(
      () =>
        suite.mod.grantUploadsWrite("bad-prefix", {
          bucketName: "b",
          bucketLabel: "b",
          principal: "p",
          member: "serviceAccount:p@x.iam.gserviceaccount.com",
          prefix: "../etc",
        }),
      /allowed: one path segment/,
    );
    assert.throws(
      () =>
        suite.mod.grantUploadsWrite("public", {
          bucketName: "b",
          bucketLabel: "b",
          principal: "p",
          member: "allUsers",
        }),
      /allUsers/,
    );
  });

  it("gives the app the GCS adapter's STORAGE_* environment", async () => {
    const env = suite.mod.uploadsEnvironment({
      bucketName: "meridian-test-1234-assets",
      publicBaseUrl: "https://x.sslip.io/",
    });
    assert.equal(env.STORAGE_BACKEND, "gcs");
    assert.equal(env.STORAGE_BUCKET, "meridian-test-1234-assets");
    assert.equal(env.STORAGE_PREFIX, "uploads");
    assert.equal(await promiseOf(env.STORAGE_PUBLIC_BASE_URL as never), "https://x.sslip.io");
  });
});
