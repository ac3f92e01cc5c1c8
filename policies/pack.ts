/**
 * The pack's contents: every rule, as @pulumi/policy policies, and the pack's own metadata. index.ts
 * serves them (`new PolicyPack`); tests load this module to drive the same policies in-process.
 */
import type { PolicyPackArgs } from "@pulumi/policy";
import { CORE_AREAS, Rule, toPolicy } from "./lib/rule";
import { awsAccessRules } from "./rules/aws/access";
import { awsOperationsRules } from "./rules/aws/operations";
import { awsTlsRules } from "./rules/aws/tls";
import { commonRules, waiverPolicies } from "./rules/common";
import { gcpRules } from "./rules/gcp";
import { k8sRules } from "./rules/k8s";

export const PACK_NAME = "meridian-guardrails";

/** Every rule, in the order the analyzer runs them (after the waiver carrier). */
export const RULES: Rule[] = [
  ...awsTlsRules,
  ...awsAccessRules,
  ...awsOperationsRules,
  ...gcpRules,
  ...k8sRules,
  ...commonRules,
] as Rule[];

const ids = new Set<string>();
for (const r of RULES) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(r.id)) throw new Error(`rule id ${r.id} is not kebab-case`);
  if (ids.has(r.id)) throw new Error(`duplicate rule id ${r.id}`);
  ids.add(r.id);
}

/** Rule ids whose area must stay mandatory in prod. */
export const CORE_RULE_IDS = RULES.filter((r) => CORE_AREAS.includes(r.area)).map((r) => r.id);

export const packArgs: PolicyPackArgs = {
  displayName: "Meridian guardrails",
  description:
    "TLS everywhere and least privilege first; encryption at rest, backups, tagging, log retention and deploy-time pitfalls next. AWS, GCP and Kubernetes; reads raw resources, so it judges any Pulumi program.",
  enforcementLevel: "advisory",
  tags: ["meridian", "aws", "gcp", "kubernetes", "security"],
  policies: [...waiverPolicies(() => ids), ...RULES.map(toPolicy)],
};
