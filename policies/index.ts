/**
 * Policy pack meridian-guardrails. Runs unchanged under the Pulumi CLI
 * (`pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json`) and under
 * Meridian's offline engine (`npm run preview`), which starts this program as its own process and speaks
 * the analyzer protocol to it, like the Pulumi engine does.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packArgs } from "./pack";

new PolicyPack(PACK_NAME, packArgs);
