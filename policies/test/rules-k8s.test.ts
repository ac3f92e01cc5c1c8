/**
 * The Kubernetes rules (rules/k8s/*), every workload kind included: each flags its violating resource and
 * passes its clean one (cases in cases/).
 */
import { itFlagsAndPasses } from "./cases/case";
import { K8S_RULE_CASES } from "./cases";

describe("meridian-guardrails rules (violating and clean resources)", () => {
  itFlagsAndPasses(K8S_RULE_CASES);
});
