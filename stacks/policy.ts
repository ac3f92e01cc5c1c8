/**
 * The policy pack every Meridian stack is checked with, named in the posture document so auditors know
 * which rules a deployment passed (`pulumi preview --policy-pack policies`, or the offline engine).
 */
import policiesPackage from "../policies/package.json";

export const POLICY_PACK = { name: "meridian-guardrails", version: policiesPackage.version } as const;
