/**
 * The JSON graphs of Meridian's own stacks, from the offline preview run as a child process (as CI runs
 * it): `npm run preview -- --stack S --cloud C [--config K=V ...] -f json --no-policy`. Cached per process.
 * The one place the diagram, cost and IAM tools and their tests get a stack's graph from.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PreviewGraph } from "../cost/graph";

const repo = path.resolve(__dirname, "..", "..");

/** The four stacks the docs and the PR comment show. */
export const STACKS: { stack: string; cloud: string }[] = [
  { stack: "dev", cloud: "aws" },
  { stack: "prod", cloud: "aws" },
  { stack: "dev", cloud: "gcp" },
  { stack: "prod", cloud: "gcp" },
];

const cache = new Map<string, PreviewGraph>();

/**
 * Previews one stack (with `config` overrides, `KEY=VALUE`) and returns its graph; throws with the CLI's
 * standard error when it fails.
 */
export function previewGraph(stack: string, cloud: string, config: readonly string[] = []): PreviewGraph {
  const key = [`${stack}-${cloud}`, ...config].join(" ");
  const hit = cache.get(key);
  if (hit) return hit;
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(repo, "infra", "offline", "cli.ts"),
      "--stack",
      stack,
      "--cloud",
      cloud,
      "-f",
      "json",
      "--no-policy",
      "-q",
      ...config.flatMap((kv) => ["--config", kv]),
    ],
    {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    },
  );
  if (r.status !== 0) throw new Error(`preview ${key} failed (exit ${r.status}):\n${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  const g: PreviewGraph = { ...doc, project: doc.project.name };
  cache.set(key, g);
  return g;
}
