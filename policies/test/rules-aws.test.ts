/**
 * The AWS rules (rules/aws/*): each flags its violating resource and passes its clean one (cases in cases/).
 */
import { itFlagsAndPasses } from "./cases/case";
import { AWS_CASES } from "./cases";

describe("meridian-guardrails rules (violating and clean resources)", () => {
  itFlagsAndPasses(AWS_CASES);
});
