/** meridian:runtime: how the GCP option runs the API (cloudrun by default, or gke); refused on AWS. */
import { strict as assert } from "node:assert";
import { ConfigError, parseConfig } from "../config";

const GCP = { "meridian:cloud": "gcp", "gcp:project": "meridian-dev-4821", "gcp:region": "us-central1" };
const AWS = { "meridian:cloud": "aws", "aws:region": "us-east-1" };

function problems(values: Record<string, string>): string[] {
  try {
    parseConfig({ project: "meridian", stack: "dev", values });
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("config meridian:runtime", () => {
  it("defaults to cloudrun on GCP and accepts gke", () => {
    assert.equal(parseConfig({ project: "meridian", stack: "dev", values: GCP }).gcp.runtime, "cloudrun");
    const c = parseConfig({
      project: "meridian",
      stack: "dev",
      values: { ...GCP, "meridian:runtime": "gke" },
    });
    assert.equal(c.gcp.runtime, "gke");
  });

  it("refuses an unknown runtime, naming the allowed values", () => {
    const p = problems({ ...GCP, "meridian:runtime": "fargate" });
    assert.equal(p.length, 1);
    assert.match(p[0], /^meridian:runtime: .*allowed: cloudrun, gke/);
  });

  it("is refused on AWS with a clear error, whatever its value", () => {
    for (const v of ["gke", "cloudrun"]) {
      const p = problems({ ...AWS, "meridian:runtime": v });
      assert.equal(p.length, 1, p.join("\n"));
      assert.match(p[0], /^meridian:runtime: selects the GCP runtime .*AWS option always runs ECS Fargate/);
    }
  });
});
