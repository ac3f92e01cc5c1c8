import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";
import type * as AssetsModule from "./assetsBucket";
import { BASIC_ROLES, PUBLIC_MEMBERS } from "./iam";

const PROJECT = "meridian-test-1234";
const T = {
  bucket: "gcp:storage/bucket:Bucket",
  member: "gcp:storage/bucketIAMMember:BucketIAMMember",
  service: "gcp:projects/service:Service",
} as const;

const suite = componentSuite({
  load: () => import("./assetsBucket"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

async function build(name: string, args: Partial<AssetsModule.AssetsBucketArgs> = {}) {
  const c = await suite.capture(
    new suite.mod.AssetsBucket(name, { project: PROJECT, region: "us-central1", ...args }),
  );
  return { ...c, assets: c.component, bucket: inputsOf(c.one(T.bucket)) };
}

describe("gcp AssetsBucket (mocks)", () => {
  it("is private: UBLA, public access prevention enforced, versioned, regional, not force-destroyed", async () => {
    const b = await build("assets", { labels: { env: "test" } });
    const k = b.bucket;
    assert.equal(k.uniformBucketLevelAccess, true);
    assert.equal(k.publicAccessPrevention, "enforced");
    assert.deepEqual(k.versioning, { enabled: true });
    assert.equal(k.location, "US-CENTRAL1");
    assert.equal(k.forceDestroy, false);
    assert.equal(k.retentionPolicy, undefined);
    assert.equal(k.encryption, undefined);
    assert.equal(k.name, "meridian-test-1234-assets");
    assert.deepEqual(k.labels, { env: "test" });
  });

  it("deletes noncurrent versions after 30 days and aborts multipart uploads after 7", async () => {
    const b = await build("assets-lc");
    assert.deepEqual(b.bucket.lifecycleRules, [
      { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
      { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 30, withState: "ARCHIVED" } },
    ]);
  });

  it("grants exactly one read role: objectViewer to the Cloud CDN fill agent, on this bucket", async () => {
    const b = await build("assets-cdn");
    const members = b.all(T.member).map(inputsOf);
    assert.equal(members.length, 1);
    const m = members[0];
    assert.equal(m.role, "roles/storage.objectViewer");
    // The offline model's placeholder project number.
    assert.match(m.member, /^serviceAccount:service-\d+@cloud-cdn-fill\.iam\.gserviceaccount\.com$/);
    assert.equal(m.bucket, "meridian-test-1234-assets-cdn");
    for (const x of members) {
      assert.ok(!(PUBLIC_MEMBERS as readonly string[]).includes(x.member));
      assert.ok(!(BASIC_ROLES as readonly string[]).includes(x.role));
    }
    assert.deepEqual(b.assets.grants, [
      {
        principal: "cloud-cdn-fill",
        role: "roles/storage.objectViewer",
        on: "bucket meridian-test-1234-assets-cdn",
      },
    ]);
  });

  it("creates no grant when CDN read access is off", async () => {
    const b = await build("assets-nocdn", { cdnReadAccess: false });
    assert.equal(b.all(T.member).length, 0);
    assert.deepEqual(b.assets.grants, []);
    assert.deepEqual(b.assets.posture.readers, []);
  });

  it("with a retention policy: versioning off (GCS refuses both), no noncurrent rule", async () => {
    const b = await build("assets-ret", { retentionDays: 30 });
    assert.deepEqual(b.bucket.versioning, { enabled: false });
    assert.deepEqual(b.bucket.retentionPolicy, { retentionPeriod: String(30 * 86400), isLocked: false });
    assert.equal(b.bucket.lifecycleRules.length, 1);
    assert.equal(b.assets.posture.versioning, false);
    assert.equal(b.assets.posture.retentionDays, 30);
  });

  it("uses the CMEK key when given and says so in the posture", async () => {
    const key = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k";
    const b = await build("assets-cmek", { kmsKeyName: key, forceDestroy: true });
    assert.deepEqual(b.bucket.encryption, { defaultKmsKeyName: key });
    assert.equal(b.bucket.forceDestroy, true);
    assert.equal(b.assets.posture.encryption, "cmek");
  });

  it("exposes name, gs:// url and the posture; enables storage first", async () => {
    const b = await build("assets-out");
    assert.equal(await promiseOf(b.assets.bucketName), "meridian-test-1234-assets-out");
    assert.equal(await promiseOf(b.assets.url), "gs://meridian-test-1234-assets-out");
    assert.deepEqual(b.assets.posture, {
      versioning: true,
      publicAccessPrevention: "enforced",
      uniformBucketLevelAccess: true,
      encryption: "google-managed",
      retentionDays: null,
      readers: ["cloud-cdn-fill (roles/storage.objectViewer)"],
    });
    const api = b.one(T.service);
    assert.equal(inputsOf(api).service, "storage.googleapis.com");
    assert.ok(b.one(T.bucket).dependencies.includes(api.urn));
  });

  it("rejects bad args naming the arg", () => {
    const bad: [Partial<AssetsModule.AssetsBucketArgs>, RegExp][] = [
      [{ noncurrentVersionDays: 0 }, /AssetsBucket "x": noncurrentVersionDays is 0/],
      [{ retentionDays: 1.5 }, /retentionDays is 1.5/],
      [{ bucketName: "Bad.Name" }, /bucketName is "Bad.Name"/],
      [{ bucketName: "google-assets" }, /bucketName is "google-assets"/],
      [{ region: "us" }, /region is "us"/],
      [{ forceDestroy: 1 as never }, /forceDestroy is 1; allowed: true or false/],
    ];
    for (const [args, re] of bad) {
      assert.throws(
        () => new suite.mod.AssetsBucket("x", { project: PROJECT, region: "us-central1", ...args }),
        re,
      );
    }
  });
});
