/**
 * Benchmark: wall time of the offline preview of each stack against the floor of merely importing
 * @pulumi/pulumi + @pulumi/aws + @pulumi/gcp in one Node process, measured in the same run.
 * Target: preview <= 3x the import floor. A script that prints a table, not a test.
 *
 * "preview" rows run the program only (`--no-policy`); "+ policy" rows add the policy pack, a second Node
 * process speaking gRPC (started before the program, analyzing resources as they register), which is what a
 * PR check pays. The target applies to both (docs/offline-engine.md#speed).
 *
 * Usage: npm run bench [-- --runs N]
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..");
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

function time(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function measure(args: string[]): { median: number; min: number; max: number } {
  time(args); // warm-up: file cache, tsx's transform cache
  const samples = Array.from({ length: runs }, () => time(args)).sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)],
    min: samples[0],
    max: samples[samples.length - 1],
  };
}

const floorArgs = ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/gcp');"];
const cases: [string, string[]][] = [["import floor (pulumi + aws + gcp)", floorArgs]];
for (const stack of ["dev", "prod"]) {
  for (const cloud of ["aws", "gcp"]) {
    const cli = (policy: boolean) => [
      "--import",
      "tsx",
      "infra/offline/cli.ts",
      "--stack",
      stack,
      "--cloud",
      cloud,
      "-f",
      "json",
      "-o",
      os.devNull,
      "-q",
      ...(policy ? [] : ["--no-policy"]),
    ];
    cases.push([`preview ${stack}/${cloud}`, cli(false)], [`preview ${stack}/${cloud} + policy`, cli(true)]);
  }
}

console.log(
  `Offline preview benchmark: ${runs} runs per case after one warm-up, node ${process.version}, ${os.cpus().length} cores\n`,
);
const rows: string[][] = [];
let floor = 0;
for (const [name, args] of cases) {
  const m = measure(args);
  if (floor === 0) floor = m.median;
  const ratio = m.median / floor;
  rows.push([
    name,
    m.median.toFixed(0),
    m.min.toFixed(0),
    m.max.toFixed(0),
    `${ratio.toFixed(2)}x`,
    name.startsWith("preview") ? (ratio <= 3 ? "ok" : "OVER 3x") : "-",
  ]);
}
const header = ["case", "median ms", "min ms", "max ms", "vs floor", "target <= 3x"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
