import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { previewGraph } from "../diagram/previews";
import { loadCatalogue } from "./catalogue";
import { estimateStack } from "./estimate";

/** docs/cost-dev.md states each measured total in a `<!-- cost-dev:<key> <usd> -->` marker. */
const doc = fs.readFileSync(path.resolve(__dirname, "..", "..", "docs", "cost-dev.md"), "utf8");
function documented(key: string): number {
  const m = new RegExp(`<!-- cost-dev:${key} ([\\d.]+) -->`).exec(doc);
  assert.ok(m, `docs/cost-dev.md has no cost-dev:${key} marker`);
  return Number(m[1]);
}

const previewWith = (cloud: string, config: string[]) => previewGraph("dev", cloud, config);

const cents = (n: number) => Math.round(n * 100) / 100;

describe("docs/cost-dev.md: the cheap dev options cost what the page says (real preview graphs)", function () {
  this.timeout(300_000);
  const c = loadCatalogue();

  it("AWS: default and the cheap set (cpu 0.25, 512 MiB)", () => {
    assert.equal(cents(estimateStack(previewGraph("dev", "aws"), c).total), documented("aws-default"));
    const cheap = estimateStack(previewWith("aws", ["meridian:cpu=0.25", "meridian:memoryMiB=512"]), c);
    assert.equal(cents(cheap.total), documented("aws-cheap"));
    assert.deepEqual(cheap.unpriced, []);
  });

  it("AWS cheap set without a cache (meridian:cacheEnabled=false): no ElastiCache line, everything priced", () => {
    const e = estimateStack(
      previewWith("aws", ["meridian:cpu=0.25", "meridian:memoryMiB=512", "meridian:cacheEnabled=false"]),
      c,
    );
    assert.deepEqual(
      e.lines.filter((l) => /elasticache|-cache-/.test(`${l.type} ${l.name}`)).map((l) => l.name),
      [],
    );
    assert.equal(cents(e.total), documented("aws-cheap-nocache"));
    assert.deepEqual(e.unpriced, []);
  });

  it("AWS cheap set + natStrategy=instance: a t4g.nano NAT instance instead of the gateway (+ spot: the task priced as Spot)", () => {
    const cheap = ["meridian:cpu=0.25", "meridian:memoryMiB=512", "meridian:natStrategy=instance"];
    const e = estimateStack(previewWith("aws", cheap), c);
    assert.deepEqual(
      e.lines.filter((l) => l.type === "aws:ec2/natGateway:NatGateway").map((l) => l.name),
      [],
    );
    const nat = e.lines.find((l) => l.type === "aws:ec2/instance:Instance");
    assert.deepEqual(
      nat?.items.map((i) => i.price),
      ["aws.ec2.t4g.nano", "aws.ebs.gp3.gb"],
    );
    assert.equal(cents(e.total), documented("aws-cheap-nat-instance"));
    assert.deepEqual(e.unpriced, []);
    // Dev with meridian:spot=true runs every task on Fargate Spot (no on-demand base outside prod).
    const spot = estimateStack(previewWith("aws", [...cheap, "meridian:spot=true"]), c);
    const svc = spot.lines.find((l) => l.type === "aws:ecs/service:Service");
    assert.ok(
      svc?.items.every((i) => i.label.endsWith("(Spot)")),
      JSON.stringify(svc?.items.map((i) => i.label)),
    );
    assert.ok(spot.total < e.total, `${spot.total} < ${e.total}`);
  });

  it("AWS, every built option together (cheap set + NAT instance + all-Spot + no cache)", () => {
    const e = estimateStack(
      previewWith("aws", [
        "meridian:cpu=0.25",
        "meridian:memoryMiB=512",
        "meridian:natStrategy=instance",
        "meridian:spot=true",
        "meridian:cacheEnabled=false",
      ]),
      c,
    );
    assert.equal(cents(e.total), documented("aws-cheapest-built"));
    assert.deepEqual(e.unpriced, []);
  });

  it("AWS natStrategy=none: no NAT gateway, the four Fargate endpoints in every private subnet, dearer", () => {
    const g = previewWith("aws", ["meridian:natStrategy=none"]);
    assert.equal(g.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length, 0);
    const eps = g.resources.filter(
      (r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface",
    );
    assert.deepEqual(
      eps.map((r) => r.name).sort(),
      ["ecr-api", "ecr-dkr", "logs", "secretsmanager"].map((s) => `meridian-dev-network-vpce-${s}`),
    );
    for (const e of eps)
      assert.equal((e.inputs.subnetIds as unknown[]).length, 2, `${e.name}: one ENI per AZ`);
    assert.equal(cents(estimateStack(g, c).total), documented("aws-nat-none"));
  });

  it("GCP: default, and the cheap set minInstances 0 + db-f1-micro (the shared-core tier priced per instance-hour)", () => {
    assert.equal(cents(estimateStack(previewGraph("dev", "gcp"), c).total), documented("gcp-default"));
    const e = estimateStack(
      previewWith("gcp", ["meridian:minInstances=0", "meridian:dbTier=db-f1-micro"]),
      c,
    );
    assert.equal(cents(e.total), documented("gcp-cheap"));
    assert.deepEqual(e.unpriced, []);
    const sql = e.lines.find((l) => l.type === "gcp:sql/databaseInstance:DatabaseInstance");
    assert.ok(
      sql?.items.some((i) => i.price === "gcp.sql.shared.f1-micro"),
      "priced as db-f1-micro",
    );
  });

  it("GCP cheap set without a cache (meridian:cacheEnabled=false): no Memorystore line, everything priced", () => {
    const e = estimateStack(
      previewWith("gcp", [
        "meridian:minInstances=0",
        "meridian:dbTier=db-f1-micro",
        "meridian:cacheEnabled=false",
      ]),
      c,
    );
    assert.deepEqual(
      e.lines.filter((l) => /redis|-cache-/.test(`${l.type} ${l.name}`)).map((l) => l.name),
      [],
    );
    assert.equal(cents(e.total), documented("gcp-cheap-nocache"));
    assert.deepEqual(e.unpriced, []);
  });
});
