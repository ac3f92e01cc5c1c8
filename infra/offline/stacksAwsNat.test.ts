/**
 * `meridian:natStrategy=instance` through the offline engine, with the policy pack: the dev stack builds
 * one NAT instance and no NAT gateway, the AMI is a visible placeholder (only a deployment reads AWS's SSM
 * parameter),
 * the pack finds nothing on the instance, and prod refuses the option before any resource exists.
 */
import { strict as assert } from "node:assert";
import { preview } from "./test/cli";
import { count, Doc, stackDoc } from "./test/stackGraphs";

describe("Meridian AWS stack with a NAT instance (meridian:natStrategy=instance)", function () {
  this.timeout(180_000);

  it("dev: one NAT instance instead of the gateway, AMI a placeholder offline, 0 mandatory findings", () => {
    const doc = stackDoc("dev", "aws", ["meridian:natStrategy=instance"]);
    assert.equal(count(doc, "aws:ec2/natGateway:NatGateway"), 0);
    assert.equal(count(doc, "aws:ec2/instance:Instance"), 1);
    assert.deepEqual(doc.outputs.network.egress, { strategy: "instance", natGateways: 0 });
    const nat = doc.resources.find((x: Doc) => x.type === "aws:ec2/instance:Instance");
    // The engine answers a data source it has no model for with a visible placeholder and a warning, as for
    // any program (engineSemantics.test.ts): the real AMI id is read from AWS's SSM parameter at deploy time.
    assert.match(nat.inputs.ami, /^offline-placeholder-/);
    assert.match(
      doc.notes.map((n: Doc) => n.message).join("\n"),
      /no offline model for data source aws:ssm\/getParameter:getParameter: .*invented placeholders for .*value/,
    );
    assert.equal(doc.policy.mandatory, 0);
    const analysed = (id: string) => doc.policy.policies.find((p: Doc) => p.name === id);
    for (const id of ["aws-ec2-imdsv2", "aws-ec2-no-public-ip", "aws-ebs-encrypted"])
      assert.ok(analysed(id), `${id} is in the pack`);
    assert.deepEqual(
      doc.policy.findings.filter((f: Doc) => f.resourceName === nat.name),
      [],
      "no finding (not even 'cannot check') on the NAT instance",
    );
  });

  it("dev with meridian:natInstanceAmi: the pinned image is used as given, no SSM lookup", () => {
    const ami = "ami-0123456789abcdef0";
    const doc = stackDoc(
      "dev",
      "aws",
      ["meridian:natStrategy=instance", `meridian:natInstanceAmi=${ami}`],
      ["--no-policy"],
    );
    assert.equal(doc.resources.find((x: Doc) => x.type === "aws:ec2/instance:Instance").inputs.ami, ami);
    assert.doesNotMatch(doc.notes.map((n: Doc) => n.message).join("\n"), /SSM parameter/);
  });

  it("prod: refused by the config rules, naming the key and why", () => {
    const r = preview([
      "--stack",
      "prod",
      "--cloud",
      "aws",
      "-c",
      "meridian:natStrategy=instance",
      "--format",
      "json",
      "-q",
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /meridian:natStrategy/);
    assert.match(r.stderr, /must not be instance in prod: one EC2 instance with no SLA/);
  });
});
