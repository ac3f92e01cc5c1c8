/**
 * Preview graphs of Meridian's AWS stacks for the IAM proof, including a prod variant with every option
 * that adds or changes a role (`meridian:accountBaseline`, `meridian:otelCollector`). The plain dev and
 * prod graphs and the variant (with `--config` overrides) come from the shared, cached
 * `previewGraph` (infra/diagram/previews.ts).
 */
import type { PreviewGraph } from "../cost/graph";
import { previewGraph } from "../diagram/previews";

/** The config overrides that switch on every role-bearing option of the AWS stack. */
export const ALL_OPTIONS = ["meridian:accountBaseline=true", "meridian:otelCollector=true"];
/** The dev-only option that adds a role (the NAT instance's). */
export const NAT_INSTANCE = "meridian:natStrategy=instance";

/** The stacks the proof covers: name, and how to get the graph. */
export const PROOF_STACKS: { label: string; graph: () => PreviewGraph }[] = [
  { label: "dev-aws", graph: () => previewGraph("dev", "aws") },
  { label: "prod-aws", graph: () => previewGraph("prod", "aws") },
  { label: `prod-aws with ${ALL_OPTIONS.join(", ")}`, graph: () => previewGraph("prod", "aws", ALL_OPTIONS) },
  // The NAT instance's role exists only in dev (natStrategy instance is refused in prod).
  {
    label: "dev-aws with meridian:natStrategy=instance",
    graph: () => previewGraph("dev", "aws", [NAT_INSTANCE]),
  },
];
