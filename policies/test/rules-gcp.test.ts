/**
 * The GCP rules (rules/gcp/*): each flags its violating resource and passes its clean one (cases in cases/).
 */
import { itFlagsAndPasses } from "./cases/case";
import { GCP_CASES } from "./cases";

describe("meridian-guardrails rules (violating and clean resources)", () => {
  itFlagsAndPasses(GCP_CASES);
});
