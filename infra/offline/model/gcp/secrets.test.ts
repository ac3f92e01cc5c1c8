/**
 * The offline model of Secret Manager and KMS (secrets.ts) and of IAM members and service agents (iam.ts,
 * storage.ts): ids as the provider forms them.
 */
import { strict as assert } from "node:assert";
import { model, NUMBER, PROJECT } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("Secret Manager, KMS and IAM", () => {
    it("names secrets and versions with the project number, pinned to version 1", () => {
      const s = model("gcp:secretmanager/secret:Secret", { secretId: "meridian-dev-db-url" });
      assert.equal(s.id, `projects/${PROJECT}/secrets/meridian-dev-db-url`);
      assert.equal(s.s.name, `projects/${NUMBER}/secrets/meridian-dev-db-url`);
      assert.equal(s.s.secretId, "meridian-dev-db-url");
      const v = model("gcp:secretmanager/secretVersion:SecretVersion", { secret: s.id, secretData: "x" });
      assert.equal(v.s.version, "1");
      assert.equal(v.s.name, `projects/${NUMBER}/secrets/meridian-dev-db-url/versions/1`);
      assert.equal(v.id, v.s.name);
      assert.ok(v.s.createTime);
      const m = model("gcp:secretmanager/secretIamMember:SecretIamMember", {
        secretId: s.id,
        role: "roles/secretmanager.secretAccessor",
        member: "serviceAccount:run@x",
      });
      assert.equal(m.id, `${s.id}/roles/secretmanager.secretAccessor/serviceAccount:run@x`);
      assert.ok(m.s.etag);
    });

    it("ids project-level and bucket-level IAM members as the provider does, with a condition title", () => {
      const p = model("gcp:projects/iAMMember:IAMMember", {
        project: PROJECT,
        role: "roles/logging.logWriter",
        member: "serviceAccount:run@x",
      });
      assert.equal(p.id, `${PROJECT}/roles/logging.logWriter/serviceAccount:run@x`);
      const b = model("gcp:storage/bucketIAMMember:BucketIAMMember", {
        bucket: "assets",
        role: "roles/storage.objectViewer",
        member: "serviceAccount:cdn@x",
        condition: { title: "only-public-prefix", expression: "true" },
      });
      assert.equal(b.id, "b/assets/roles/storage.objectViewer/serviceAccount:cdn@x/only-public-prefix");
    });

    it("gives service agents Google's email shape and KMS keys a primary version", () => {
      const agent = model("gcp:projects/serviceIdentity:ServiceIdentity", {
        service: "sqladmin.googleapis.com",
      });
      assert.equal(agent.s.email, `service-${NUMBER}@gcp-sa-cloud-sql.iam.gserviceaccount.com`);
      assert.equal(agent.s.member, `serviceAccount:${agent.s.email}`);
      const ring = model("gcp:kms/keyRing:KeyRing", { name: "ring", location: "us-central1" });
      assert.equal(ring.id, `projects/${PROJECT}/locations/us-central1/keyRings/ring`);
      const key = model("gcp:kms/cryptoKey:CryptoKey", { name: "k", keyRing: ring.id });
      assert.equal(key.id, `${ring.id}/cryptoKeys/k`);
      assert.deepEqual(key.s.primaries, [{ name: `${key.id}/cryptoKeyVersions/1`, state: "ENABLED" }]);
      const sa = model("gcp:serviceaccount/account:Account", { accountId: "meridian-run" });
      assert.equal(sa.s.email, `meridian-run@${PROJECT}.iam.gserviceaccount.com`);
      assert.match(sa.s.uniqueId, /^\d{21}$/);
    });
  });
});
