import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCost } from "../../scripts/cost";
import { preview } from "../offline/test/cli";
import { previewGraph, STACKS } from "../diagram/previews";
import { isFree, loadCatalogue } from "./catalogue";
import { estimateStack } from "./estimate";

/** Monthly totals the hand-written tables in docs/aws.md and docs/gcp.md give (see docs/cost.md). */
const DOCS_RANGE: Record<string, [number, number]> = {
  "dev-aws": [90, 150],
  "prod-aws": [650, 1050],
  "dev-gcp": [100, 180],
  "prod-gcp": [450, 850],
};

describe("cost estimate of Meridian's four stacks (real preview graphs)", function () {
  this.timeout(300_000);
  const c = loadCatalogue();

  for (const { stack, cloud } of STACKS) {
    it(`${stack}-${cloud}: non-zero, within the docs' range, every billed type priced or explained`, () => {
      const g = previewGraph(stack, cloud);
      const e = estimateStack(g, c);
      const [lo, hi] = DOCS_RANGE[`${stack}-${cloud}`];
      assert.ok(e.total >= lo && e.total <= hi, `total $${e.total.toFixed(2)} outside $${lo}-$${hi}`);
      assert.deepEqual(e.unpriced, [], "nothing unpriced in Meridian's own stacks");
      const accounted = e.lines.length + e.usageOnly.length + e.freeCount;
      const custom = g.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
      assert.equal(accounted, custom.length, "every resource is priced, usage-only or free");
      for (const l of e.lines) assert.ok(l.monthly > 0, `${l.name}: priced at $0`);
      for (const r of custom)
        if (isFree(c, r.type))
          assert.ok(!e.lines.some((l) => l.urn === r.urn), `${r.type} is free but priced`);
    });
  }

  it("npm run cost --base/--head prints the difference and a Markdown section", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-"));
    const write = (stack: string) => {
      const f = path.join(dir, `${stack}.json`);
      fs.writeFileSync(f, JSON.stringify(previewGraph(stack, "aws")));
      return f;
    };
    const base = write("dev");
    const head = write("prod");
    const text = runCost(["--base", base, "--head", head]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Estimated cost of meridian\/prod-aws: \$[\d,.]+\/month/);
    assert.match(text.stdout, /\n {2}\+\$[\d.]+\/month: NAT gateway \(1 -> 3; /);
    const md = runCost(["--base", base, "--head", head, "-f", "md"]);
    assert.match(
      md.stdout,
      /^### Cost: prod-aws — \$[\d,.]+\/month \(\+\$[\d,.]+\/month against the base branch\)/,
    );
    assert.match(md.stdout, /- \*\*\+\$[\d.]+\/month\*\*: RDS Proxy \(0 -> 1; /);
    const same = runCost(["--base", head, "--head", head, "-f", "md"]);
    assert.match(same.stdout, /No change in the estimated monthly cost/);
  });

  it("a PR that sets natStrategy=perAz on dev AWS shows the NAT gateways it adds", () => {
    const r = preview([
      "--stack",
      "dev",
      "--cloud",
      "aws",
      "-c",
      "meridian:natStrategy=perAz",
      "-f",
      "json",
      "--no-policy",
      "-q",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-"));
    fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify(previewGraph("dev", "aws")));
    fs.writeFileSync(path.join(dir, "head.json"), r.stdout);
    const out = runCost(["--base", path.join(dir, "base.json"), "--head", path.join(dir, "head.json")]);
    assert.equal(out.code, 0, out.stderr);
    const nat =
      c.prices["aws.nat.hour"].price * 730 +
      c.prices["aws.nat.gb"].price * c.assumptions.natProcessedGbPerGateway;
    const ip = c.prices["aws.ipv4.hour"].price * 730;
    assert.ok(
      out.stdout.includes(
        `+$${nat.toFixed(2)}/month: NAT gateway (1 -> 2; meridian-dev-network-nat-b added)`,
      ),
      out.stdout,
    );
    assert.ok(out.stdout.includes(`+$${ip.toFixed(2)}/month: public IPv4 address (1 -> 2;`), out.stdout);
  });

  it("npm run cost exits 2 on bad usage or a file that is not a graph", () => {
    assert.equal(runCost([]).code, 2);
    assert.equal(runCost(["--head", "x.json", "-f", "pdf"]).code, 2);
    const notGraph = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cost-")), "x.json");
    fs.writeFileSync(notGraph, "{}");
    const r = runCost(["--head", notGraph]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a preview graph/);
  });
});
