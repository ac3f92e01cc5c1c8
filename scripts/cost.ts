/**
 * `npm run cost -- --head reports/dev-aws.json [--base base/dev-aws.json] [--format text|md] [--out FILE]`:
 * the monthly cost estimate of a previewed stack (the JSON of `npm run preview -- -f json`) from the priced
 * catalogue infra/cost/prices.yaml, and with --base the difference ("+$65.70/month: NAT gateway (1 -> 3)").
 *
 * Exit codes: 0 estimate written; 2 bad usage, an unreadable graph or an invalid catalogue.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CatalogueError, DEFAULT_CATALOGUE, loadCatalogue } from "../infra/cost/catalogue";
import { diffEstimates } from "../infra/cost/diff";
import { estimateStack } from "../infra/cost/estimate";
import { GraphError, readGraph } from "../infra/cost/graph";
import { renderCostMarkdown, renderCostText } from "../infra/cost/render";

export const USAGE = `Usage: npm run cost -- --head GRAPH.json [--base GRAPH.json] [options]

Estimates the monthly cost of a previewed stack from infra/cost/prices.yaml.

Options:
      --head FILE       the preview graph to price (npm run preview -- -f json -o FILE)
      --base FILE       the base branch's graph: print the difference too
  -f, --format text|md  text (default) or a Markdown section for a PR comment
  -o, --out FILE        write to FILE instead of standard output
      --catalogue FILE  another price catalogue (default: infra/cost/prices.yaml)
  -h, --help            this help`;

export function runCost(argv: string[]): { code: number; stdout: string; stderr: string } {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        head: { type: "string" },
        base: { type: "string" },
        format: { type: "string", short: "f", default: "text" },
        out: { type: "string", short: "o" },
        catalogue: { type: "string", default: DEFAULT_CATALOGUE },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return { code: 2, stdout: "", stderr: `error: ${(err as Error).message}\n\n${USAGE}\n` };
  }
  if (values.help) return { code: 0, stdout: `${USAGE}\n`, stderr: "" };
  if (!values.head) return { code: 2, stdout: "", stderr: `error: --head is required\n\n${USAGE}\n` };
  if (values.format !== "text" && values.format !== "md")
    return {
      code: 2,
      stdout: "",
      stderr: `error: --format "${values.format}" is not supported; allowed: text, md\n`,
    };
  try {
    const catalogue = loadCatalogue(path.resolve(values.catalogue!));
    const head = estimateStack(readGraph(path.resolve(values.head)), catalogue);
    const diff = values.base
      ? diffEstimates(estimateStack(readGraph(path.resolve(values.base)), catalogue), head)
      : undefined;
    const text = values.format === "md" ? renderCostMarkdown(head, diff) : renderCostText(head, diff);
    if (values.out) {
      fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      fs.writeFileSync(values.out, text);
      return { code: 0, stdout: "", stderr: "" };
    }
    return { code: 0, stdout: text, stderr: "" };
  } catch (err) {
    if (err instanceof CatalogueError || err instanceof GraphError)
      return { code: 2, stdout: "", stderr: `error: ${err.message}\n` };
    throw err;
  }
}

if (require.main === module) {
  const r = runCost(process.argv.slice(2));
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
