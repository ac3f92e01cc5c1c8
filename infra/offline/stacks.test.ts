/**
 * Meridian's own stacks through the offline engine, as a platform team and CI run them:
 * dev and prod on both clouds, the outputs contract, and config errors.
 */
import { strict as assert } from "node:assert";
import { checkOutputsContract } from "../../components/shared/contracts";
import { preview } from "./test/cli";

type Doc = any;
const graphs = new Map<string, Doc>();

function graph(stack: string, cloud: string): Doc {
  const key = `${stack}/${cloud}`;
  if (!graphs.has(key)) {
    const r = preview(["--stack", stack, "--cloud", cloud, "--format", "json", "-q"]);
    assert.equal(r.code, 0, `preview ${key} failed:\n${r.stderr}`);
    graphs.set(key, JSON.parse(r.stdout));
  }
  return graphs.get(key);
}

/** Shape of a JSON value: keys and value kinds, not values. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return "array";
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== "cidrs")
        .map(([k, x]) => [k, shape(x)]),
    );
  }
  return v === null ? "null" : typeof v;
}

const count = (doc: Doc, type: string) => doc.resources.filter((r: Doc) => r.type === type).length;

describe("Meridian stacks through the offline engine", function () {
  this.timeout(180_000);

  for (const stack of ["dev", "prod"]) {
    for (const cloud of ["aws", "gcp"]) {
      it(`${stack}/${cloud}: previews a full network and satisfies the outputs contract`, () => {
        const doc = graph(stack, cloud);
        assert.equal(doc.stack, stack);
        assert.equal(doc.outputs.cloud, cloud);
        assert.equal(doc.outputs.profile, stack);
        assert.deepEqual(checkOutputsContract(doc.outputs), [], "missing contract paths");
        assert.equal(count(doc, `meridian:${cloud}:Network`), 1);
        assert.ok(doc.summary.custom >= 10, `only ${doc.summary.custom} cloud resources`);
        // Every resource created by our own code carries a source position inside the repository.
        for (const r of doc.resources.filter((x: Doc) => x.custom)) {
          assert.ok(r.sourcePosition, `${r.urn} has no source position`);
          assert.doesNotMatch(
            r.sourcePosition.file,
            /^\//,
            `${r.urn}: ${r.sourcePosition.file} is not in the repo`,
          );
        }
      });
    }
  }

  it("both clouds return the same outputs shape", () => {
    for (const stack of ["dev", "prod"]) {
      assert.deepEqual(shape(graph(stack, "gcp").outputs), shape(graph(stack, "aws").outputs));
    }
  });

  it("dev and prod differ where the profile says: AZs and NAT gateways on AWS", () => {
    const dev = graph("dev", "aws");
    const prod = graph("prod", "aws");
    assert.equal(count(dev, "aws:ec2/natGateway:NatGateway"), 1);
    assert.equal(count(prod, "aws:ec2/natGateway:NatGateway"), 3);
    assert.equal(count(dev, "aws:ec2/subnet:Subnet"), 6);
    assert.equal(count(prod, "aws:ec2/subnet:Subnet"), 9);
    assert.equal(prod.outputs.network.egress.strategy, "perAz");
    assert.equal(prod.outputs.posture.network.flowLogs.retentionDays, 90);
  });

  it("tags every taggable AWS resource with the standard set", () => {
    const doc = graph("prod", "aws");
    const tagged = doc.resources.filter((r: Doc) => r.custom && r.inputs.tags);
    assert.ok(tagged.length >= 15);
    for (const r of tagged) {
      for (const k of ["app", "environment", "owner", "cost-center", "managed-by"]) {
        assert.ok(k in r.inputs.tags, `${r.urn} lacks tag ${k}`);
      }
    }
  });

  it("loads only the selected cloud's stack", () => {
    const aws = graph("dev", "aws");
    assert.equal(aws.resources.filter((r: Doc) => r.type.startsWith("gcp:")).length, 0);
    const gcp = graph("dev", "gcp");
    assert.equal(gcp.resources.filter((r: Doc) => r.type.startsWith("aws:")).length, 0);
  });

  it("meridian:cloud=azure fails before any resource, naming the allowed clouds", () => {
    const r = preview(["--stack", "dev", "--config", "meridian:cloud=azure"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /meridian:cloud/);
    assert.match(r.stderr, /azure/);
    assert.match(r.stderr, /aws, gcp/);
    assert.match(r.stderr, /before registering any cloud resource/);
    assert.doesNotMatch(r.stderr, /at Object\.|node:internal/);
  });

  it("reports several config problems at once", () => {
    const r = preview([
      "--stack",
      "prod",
      "--cloud",
      "aws",
      "-c",
      "meridian:vpcCidr=10.40.1.0/33",
      "-c",
      "meridian:minInstances=5",
      "-c",
      "meridian:maxInstances=3",
      "-c",
      "meridian:image=ghcr.io/acme/api:latest",
    ]);
    assert.equal(r.code, 1);
    for (const key of ["meridian:vpcCidr", "meridian:minInstances", "meridian:image"])
      assert.match(r.stderr, new RegExp(key));
  });
});
