/**
 * The cloud-neutral rules (rules/common/*): each flags its violating resource and passes its clean one
 * (cases in cases/).
 */
import { itFlagsAndPasses } from "./cases/case";
import { COMMON_CASES } from "./cases";

describe("meridian-guardrails rules (violating and clean resources)", () => {
  itFlagsAndPasses(COMMON_CASES);
});
