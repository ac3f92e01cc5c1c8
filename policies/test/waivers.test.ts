import { strict as assert } from "node:assert";
import { MIN_REASON_LENGTH, setWaivers, waiverProblem, type Waiver } from "../lib/waivers";

describe("waivers: what makes one valid (lib/waivers.ts)", () => {
  const rules = new Set(["aws-iam-no-wildcard-actions"]);
  const base: Waiver = {
    rule: "aws-iam-no-wildcard-actions",
    resource: "*deploy-role*",
    reason: "vendor maintenance window, ticket OPS-1",
    expires: "2027-06-30",
  };
  before(() => setWaivers([], "2026-11-30"));
  after(() => setWaivers([]));

  it("a waiver with rule, resource, a stated reason and a future expiry is valid", () => {
    assert.equal(waiverProblem(base, rules), undefined);
  });

  it("a missing, blank or too-short reason is refused, naming its length and the minimum", () => {
    assert.equal(waiverProblem({ ...base, reason: undefined }, rules), "has no reason");
    assert.equal(waiverProblem({ ...base, reason: "   " }, rules), "has no reason");
    for (const reason of ["y", "ok", "  temporary  ", "x".repeat(MIN_REASON_LENGTH - 1)]) {
      const problem = waiverProblem({ ...base, reason }, rules) ?? "";
      const n = reason.trim().length;
      assert.match(problem, new RegExp(`^has a reason of ${n} characters?`), reason);
      assert.match(problem, new RegExp(`at least ${MIN_REASON_LENGTH} characters`), reason);
    }
    assert.equal(waiverProblem({ ...base, reason: "x".repeat(MIN_REASON_LENGTH) }, rules), undefined);
  });

  it("an unknown rule, no resource, or a missing/past expiry is refused", () => {
    assert.match(waiverProblem({ ...base, rule: "no-such-rule" }, rules) ?? "", /pack does not have/);
    assert.match(waiverProblem({ ...base, resource: "" }, rules) ?? "", /names no resource/);
    assert.match(waiverProblem({ ...base, expires: "soon" }, rules) ?? "", /no valid expiry date/);
    assert.equal(waiverProblem({ ...base, expires: "2026-11-29" }, rules), "expired on 2026-11-29");
  });
});
