/**
 * The rule tables as a whole: every rule of the pack has a violating/clean case (cases/, run per cloud by
 * rules-aws/gcp/k8s/common.test.ts), and a finding reports the rule's default enforcement and the violation
 * detail after the description. Through @pulumi/policy's analyzer handlers (harness.ts).
 */
import { strict as assert } from "node:assert";
import { RULES } from "../pack";
import { CASES } from "./cases";
import { analyze } from "./harness";

describe("meridian-guardrails rules (violating and clean resources)", () => {
  it("every rule has a case", () => {
    const covered = new Set(CASES.map((c) => c.rule));
    assert.deepEqual(
      RULES.map((r) => r.id).filter((id) => !covered.has(id)),
      [],
    );
  });

  it("reports the default enforcement of the rule and the violation detail after the description", async () => {
    const [d] = (await analyze("aws:rds/instance:Instance", { publiclyAccessible: true })).filter(
      (x) => x.policy === "aws-rds-not-public",
    );
    assert.equal(d.enforcement, "mandatory");
    assert.match(d.message, /^RDS instances are not publicly accessible\.\npubliclyAccessible is true/);
    const [a] = (await analyze("aws:rds/instance:Instance", {})).filter(
      (x) => x.policy === "aws-rds-deletion-protection",
    );
    assert.equal(a.enforcement, "advisory");
  });
});
