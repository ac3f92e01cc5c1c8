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

  it("GCP: default, and minInstances 0 + db-f1-micro (Cloud SQL unpriced: shared-core is not in the catalogue)", () => {
    assert.equal(cents(estimateStack(previewGraph("dev", "gcp"), c).total), documented("gcp-default"));
    const e = estimateStack(
      previewWith("gcp", ["meridian:minInstances=0", "meridian:dbTier=db-f1-micro"]),
      c,
    );
    assert.equal(cents(e.total), documented("gcp-cheap-without-sql"));
    assert.deepEqual(
      e.unpriced.map((u) => u.type),
      ["gcp:sql/databaseInstance:DatabaseInstance"],
      "only the shared-core instance is unpriced; the page adds it by hand",
    );
  });
});
