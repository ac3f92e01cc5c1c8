/**
 * `npm run diagram -- GRAPH.json [--out FILE]`: the Mermaid architecture diagram of a previewed stack (the
 * JSON of `npm run preview -- -f json`) as a Markdown section, for a PR comment or a doc.
 *
 * Exit codes: 0 written; 2 bad usage or a file that is not a preview graph.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { GraphError, readGraph } from "../infra/cost/graph";
import { renderDiagramMarkdown } from "../infra/diagram/diagram";

const USAGE = "Usage: npm run diagram -- GRAPH.json [--out FILE]";

export function runDiagram(argv: string[]): { code: number; stdout: string; stderr: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { out: { type: "string", short: "o" } },
      allowPositionals: true,
    });
  } catch (err) {
    return { code: 2, stdout: "", stderr: `error: ${(err as Error).message}\n${USAGE}\n` };
  }
  if (parsed.positionals.length !== 1) return { code: 2, stdout: "", stderr: `${USAGE}\n` };
  try {
    const md = renderDiagramMarkdown(readGraph(parsed.positionals[0]));
    if (parsed.values.out) fs.writeFileSync(parsed.values.out, md);
    return { code: 0, stdout: parsed.values.out ? "" : md, stderr: "" };
  } catch (err) {
    if (err instanceof GraphError) return { code: 2, stdout: "", stderr: `error: ${err.message}\n` };
    throw err;
  }
}

if (require.main === module) {
  const r = runDiagram(process.argv.slice(2));
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
