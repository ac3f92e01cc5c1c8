/**
 * Preview graphs of Meridian's AWS stacks for the IAM proof, including a prod variant with every option
 * that adds or changes a role (`meridian:accountBaseline`, `meridian:otelCollector`). The plain dev and
 * prod graphs come from the shared cache (infra/diagram/previews.ts); the variant runs the offline
 * preview the same way, with `--config` overrides.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { PreviewGraph } from "../cost/graph";
import { previewGraph } from "../diagram/previews";

const repo = path.resolve(__dirname, "..", "..");

/** The config overrides that switch on every role-bearing option of the AWS stack. */
export const ALL_OPTIONS = ["meridian:accountBaseline=true", "meridian:otelCollector=true"];

/** The stacks the proof covers: name, and how to get the graph. */
export const PROOF_STACKS: { label: string; graph: () => PreviewGraph }[] = [
  { label: "dev-aws", graph: () => previewGraph("dev", "aws") },
  { label: "prod-aws", graph: () => previewGraph("prod", "aws") },
  { label: `prod-aws with ${ALL_OPTIONS.join(", ")}`, graph: () => previewWith("prod", ALL_OPTIONS) },
];

/** Previews `stack` on AWS with `config` overrides (`KEY=VALUE`); throws with the CLI's stderr on failure. */
export function previewWith(stack: string, config: string[]): PreviewGraph {
  const args = ["--stack", stack, "--cloud", "aws", "-f", "json", "--no-policy", "-q"];
  for (const c of config) args.push("--config", c);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(repo, "infra", "offline", "cli.ts"), ...args],
    {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    },
  );
  if (r.status !== 0)
    throw new Error(`preview ${stack} ${config.join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  return { ...doc, project: doc.project.name };
}
