/**
 * GCP IAM written every way Pulumi allows (member, binding, policy from literal JSON or from the
 * getIAMPolicy data source; Cloud Run v1/v2, Cloud Functions, buckets, Pub/Sub, projects), through the
 * offline engine and the pack's process: every public member and basic role is a mandatory violation, and
 * least-privilege grants written the same ways stay silent. From the field cases f11 and f11b.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { fixture, preview } from "../test/cli";
import { typeGlobs } from "./run";

const pack = path.resolve(__dirname, "..", "..", "..", "policies");

describe("policy pack on GCP IAM in every spelling (fixture gcp-iam-forms)", function () {
  this.timeout(180_000);
  let doc: any;
  let code: number;
  let stderr: string;
  before(() => {
    const r = preview([
      "--cwd",
      fixture("gcp-iam-forms"),
      "--stack",
      "test",
      "--policy-pack",
      pack,
      "--format",
      "json",
      "-q",
    ]);
    code = r.code;
    stderr = r.stderr;
    doc = JSON.parse(r.stdout);
  });

  it("reports every public member and basic role as mandatory, and exits 1", () => {
    assert.equal(code, 1, stderr);
    const got = doc.policy.findings
      .map((f: any) => `${f.policy} ${f.resourceName} ${f.enforcement} ${f.status}`)
      .sort();
    assert.deepEqual(got, [
      "gcp-no-basic-roles project-policy mandatory violation",
      "gcp-no-basic-roles project-policy-literal mandatory violation",
      "gcp-no-public-members api-public-binding mandatory violation",
      "gcp-no-public-members events-public-publish mandatory violation",
      "gcp-no-public-members exports-any-google-account mandatory violation",
      "gcp-no-public-members hook-public mandatory violation",
      "gcp-no-public-members legacy-public-policy mandatory violation",
      "gcp-no-public-members project-policy mandatory violation",
      "gcp-no-public-members project-policy-literal mandatory violation",
    ]);
  });

  it("names the member and the role in each message", () => {
    const msg = (name: string, policy: string) =>
      doc.policy.findings.find((f: any) => f.resourceName === name && f.policy === policy).message;
    assert.match(msg("legacy-public-policy", "gcp-no-public-members"), /allUsers/);
    assert.match(msg("exports-any-google-account", "gcp-no-public-members"), /allAuthenticatedUsers/);
    assert.match(msg("project-policy", "gcp-no-basic-roles"), /roles\/editor/);
  });

  it("leaves least-privilege grants in the same spellings silent (checked, not skipped)", () => {
    const quiet = ["db-url-reader", "api-log-writer", "api-invoker-sa", "exports-private-policy"];
    for (const name of quiet) {
      assert.deepEqual(
        doc.policy.findings.filter((f: any) => f.resourceName === name),
        [],
        `${name} has findings`,
      );
    }
    const checked = doc.policy.policies.find((p: any) => p.name === "gcp-no-public-members");
    assert.equal(
      checked.checked,
      11,
      "every IAM resource of the fixture is checked, glob-matched types included",
    );
  });
});

describe("typeGlobs (how the engine counts what a stack policy checks)", () => {
  it("matches exact tokens and * patterns, nothing else", () => {
    const m = typeGlobs(["gcp:*:*IamMember", "aws:s3/bucket:Bucket"]);
    assert.equal(m("gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember"), true);
    assert.equal(m("gcp:pubsub/topicIAMMember:TopicIAMMember"), false);
    assert.equal(m("aws:s3/bucket:Bucket"), true);
    assert.equal(m("aws:s3Xbucket:Bucket"), false, "a dot or slash in a token is literal");
  });
});
