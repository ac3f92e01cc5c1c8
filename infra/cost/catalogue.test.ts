import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CatalogueError, isFree, loadCatalogue, validateCatalogue } from "./catalogue";

describe("cost catalogue (infra/cost/prices.yaml)", () => {
  const c = loadCatalogue();

  it("loads, and every price names its unit, region, date and official source", () => {
    assert.ok(Object.keys(c.prices).length > 40);
    for (const [key, p] of Object.entries(c.prices)) {
      assert.match(
        p.source,
        /^https:\/\/(aws\.amazon\.com|cloud\.google\.com)\//,
        `${key}: source is not an official page`,
      );
      assert.match(p.date, /^\d{4}-\d{2}-\d{2}$/, key);
      if (p.status === "unverified") assert.ok(p.why, `${key}: unverified without why`);
      if (p.status === "corroborated") assert.ok(p.seenOn, `${key}: corroborated without seenOn`);
    }
  });

  it("reports every problem at once, naming the entry and the field", () => {
    const bad = {
      assumptions: { ...c.assumptions, hoursPerMonth: "730" },
      prices: {
        "aws.nat.hour": { ...c.prices["aws.nat.hour"], price: -1 },
        "aws.x": {
          price: 1,
          unit: "h",
          region: "us-east-1",
          date: "2026-11-30",
          source: "https://aws.amazon.com/x/",
          status: "unverified",
        },
        "aws.y": { ...c.prices["aws.nat.hour"], status: "guessed", colour: "red" },
      },
      usageOnly: {},
      free: [],
    };
    assert.throws(
      () => validateCatalogue(bad, "t.yaml"),
      (e: CatalogueError) => {
        const text = e.problems.join("\n");
        assert.match(text, /assumptions\.hoursPerMonth: must be number/);
        assert.match(text, /prices\["aws\.nat\.hour"\]\.price: must be >= 0/);
        assert.match(text, /prices\["aws\.x"\]: missing field "why"/);
        assert.match(
          text,
          /prices\["aws\.y"\]\.status: must be equal to one of the allowed values \(verified, corroborated, unverified\)/,
        );
        assert.match(text, /prices\["aws\.y"\]: unknown field "colour"/);
        assert.match(e.message, /^t\.yaml: 5 problem/);
        return true;
      },
    );
  });

  it("names the file on a YAML syntax error", () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cat-")), "p.yaml");
    fs.writeFileSync(f, "prices: [\n");
    assert.throws(
      () => loadCatalogue(f),
      (e: CatalogueError) => e.file === f && e.problems.length === 1,
    );
  });

  it("matches free patterns by prefix or exactly", () => {
    assert.ok(isFree(c, "aws:iam/role:Role"));
    assert.ok(isFree(c, "pulumi:pulumi:Stack"));
    assert.ok(!isFree(c, "aws:ec2/natGateway:NatGateway"));
    assert.ok(!isFree(c, "aws:ec2/vpcEndpointService:VpcEndpointService"));
  });
});
