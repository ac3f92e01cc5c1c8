/**
 * The offline engine's semantics, as the Pulumi engine applies them: URNs and transforms
 * (fixtures/engine-semantics), and data sources without a model answering shaped placeholders
 * (fixtures/unmodelled-data).
 */
import { strict as assert } from "node:assert";
import { preview, fixture } from "./test/cli";

describe("offline engine semantics: URNs and transforms as the Pulumi engine applies them", () => {
  let doc: any;

  before(() => {
    const r = preview(["--cwd", fixture("engine-semantics"), "--stack", "dev", "-f", "json", "--no-policy"]);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout);
  });

  const byName = (name: string) => doc.resources.find((x: any) => x.name === name);

  it("builds URNs like the engine: bare type at the top, the whole parent type chain when nested", () => {
    const p = "urn:pulumi:dev::engine-semantics::";
    assert.equal(byName("reports-db").urn, `${p}aws:rds/instance:Instance::reports-db`);
    assert.equal(
      doc.resources.find((x: any) => x.type === "acme:app:Platform").urn,
      `${p}acme:app:Platform::edge`,
    );
    assert.equal(
      doc.resources.find((x: any) => x.type === "acme:app:Tier").urn,
      `${p}acme:app:Platform$acme:app:Tier::edge`,
    );
    assert.equal(
      byName("edge-logs").urn,
      `${p}acme:app:Platform$acme:app:Tier$aws:s3/bucketV2:BucketV2::edge-logs`,
    );
    assert.equal(byName("edge-logs").parent, `${p}acme:app:Platform$acme:app:Tier::edge`);
  });

  it("registerResourceTransform and registerStackTransform run, and the recorded inputs are the transformed ones", () => {
    const db = byName("reports-db");
    assert.equal(db.inputs.storageEncrypted, true);
    assert.equal(db.inputs.publiclyAccessible, false);
    assert.equal(db.options.protect, true, "options a transform returns are applied");
    assert.equal(doc.outputs.dbEncrypted, true, "the program sees the transformed state");
  });

  it("applies SDK transformations first, then the resource's own transforms, its parents', the stack's in order", () => {
    assert.equal(byName("edge-logs").inputs.tags.order, "transformation>own>parent>stack1>stack2");
  });
});

describe("offline engine: data sources without a model answer shaped placeholders", () => {
  let doc: any;

  before(() => {
    const r = preview(["--cwd", fixture("unmodelled-data"), "--stack", "dev", "-f", "json", "--no-policy"]);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout);
  });

  const byName = (name: string) => doc.resources.find((x: any) => x.name === name);

  const note = (token: string) => doc.notes.find((n: any) => n.message.includes(`data source ${token}:`));

  it("a program reading getVpc, getSubnets, ssm.getParameter and getOrganization runs to the end", () => {
    assert.deepEqual(byName("internal").inputs.ingress[0].cidrBlocks, ["10.0.0.0/16"]);
    assert.match(byName("web").inputs.subnetId, /^offline-placeholder-/);
    assert.match(byName("web").inputs.tags.image, /^OFFLINE-PLACEHOLDER-/);
    assert.equal(doc.outputs.accounts, 1);
    assert.match(doc.outputs.vpcArn, /^arn:aws:ec2:eu-central-1:123456789012:offline-placeholder\//);
  });

  it("lists every invented value per data source in the notes", () => {
    for (const token of [
      "aws:ec2/getVpc:getVpc",
      "aws:ec2/getSubnets:getSubnets",
      "aws:ssm/getParameter:getParameter",
      "aws:organizations/getOrganization:getOrganization",
    ]) {
      assert.equal(note(token)?.level, "warning", token);
      assert.match(note(token).message, /invented placeholders for/, token);
    }
    assert.match(note("aws:ec2/getVpc:getVpc").message, /\bcidrBlock\b/);
    assert.match(note("aws:organizations/getOrganization:getOrganization").message, /roots\[0\]\.id/);
    assert.doesNotMatch(
      note("aws:ec2/getVpc:getVpc").message,
      /invented[^;]*\bdefault\b/,
      "echoed args are not invented",
    );
  });

  it("a policy document it cannot know is unknown, never an invented document", () => {
    assert.equal(byName("copied").inputs.policy, "[unknown]");
    assert.match(
      note("aws:iam/getPolicy:getPolicy").message,
      /unknown \(cannot check during preview\): policy/,
    );
  });
});
