/**
 * `npm run preview -- --stack dev --cloud aws`: the offline preview of a Pulumi TypeScript project.
 *
 * Exit codes: 0 preview succeeded; 1 the program or its stack config failed (the message says why);
 * 2 the command line or the project is wrong (no Pulumi.yaml, unknown stack, bad flag).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  ConfigOverride,
  loadProject,
  listStacks,
  parseOverride,
  ProjectError,
  StackConfigError,
} from "./project";
import { renderJson, renderText } from "./report";
import { ProgramError, runPreview } from "./run";

const USAGE = `Usage: npm run preview -- [options]

Previews a Pulumi TypeScript program offline: no cloud account, CLI or provider plugins.

Options:
  -s, --stack NAME        stack to preview (reads Pulumi.NAME.yaml); required unless the project has one stack
      --cloud aws|gcp     shorthand for --config <project>:cloud=VALUE
  -c, --config KEY=VALUE  override a config value (repeatable); KEY without namespace belongs to the project
      --secret KEY=VALUE  like --config, but the value is a secret (repeatable)
  -C, --cwd DIR           directory of the Pulumi project (default: this repository)
  -f, --format FORMAT     text (default) or json (the whole resource graph)
  -o, --out FILE          write the report to FILE instead of standard output
      --show-secrets      show secret values instead of [secret]
      --no-color          plain text output (also when NO_COLOR is set or output is not a terminal)
  -v, --verbose           on failure, print the full stack trace
  -q, --quiet             no progress on standard error
  -h, --help              this help

Exit codes: 0 preview ok; 1 the program or its config failed; 2 bad usage or project.`;

const repoRoot = path.resolve(__dirname, "..", "..");

interface Cli {
  stack?: string;
  cloud?: string;
  overrides: ConfigOverride[];
  cwd: string;
  format: "text" | "json";
  out?: string;
  showSecrets: boolean;
  color: boolean;
  verbose: boolean;
  quiet: boolean;
}

function parseCli(argv: string[]): Cli | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string", short: "s" },
      cloud: { type: "string" },
      config: { type: "string", short: "c", multiple: true },
      secret: { type: "string", multiple: true },
      cwd: { type: "string", short: "C" },
      format: { type: "string", short: "f" },
      out: { type: "string", short: "o" },
      "show-secrets": { type: "boolean" },
      "no-color": { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") {
    throw new ProjectError(`--format "${format}" is not supported; allowed: text, json`);
  }
  const overrides = [
    ...(values.config ?? []).map((c) => parseOverride(c)),
    ...(values.secret ?? []).map((c) => parseOverride(c, true)),
  ];
  const toTerminal = !values.out && process.stdout.isTTY === true;
  return {
    stack: values.stack,
    cloud: values.cloud,
    overrides,
    cwd: path.resolve(values.cwd ?? repoRoot),
    format,
    out: values.out ? path.resolve(values.out) : undefined,
    showSecrets: values["show-secrets"] ?? false,
    color: toTerminal && !values["no-color"] && !process.env.NO_COLOR,
    verbose: values.verbose ?? false,
    quiet: values.quiet ?? false,
  };
}

/** Progress on standard error: a live counter on a terminal, a line every few seconds otherwise. */
function progress(quiet: boolean) {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let count = 0;
  return {
    tick(n: number) {
      count = n;
      if (quiet) return;
      const now = Date.now();
      if (tty && now - last > 100) {
        process.stderr.write(`\r  registering resources: ${n} (${((now - started) / 1000).toFixed(1)}s)`);
        last = now;
      } else if (!tty && now - started > 2000 && now - last > 2000) {
        process.stderr.write(`  ... ${n} resources registered (${((now - started) / 1000).toFixed(1)}s)\n`);
        last = now;
      }
    },
    done() {
      if (!quiet && tty && count > 0) process.stderr.write("\r\x1b[K");
    },
  };
}

async function main(argv: string[]): Promise<number> {
  let cli: Cli | "help";
  try {
    cli = parseCli(argv);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (cli === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const p = progress(cli.quiet);
  try {
    const project = loadProject(cli.cwd);
    let stack = cli.stack;
    if (!stack) {
      const stacks = listStacks(project);
      if (stacks.length !== 1) {
        throw new ProjectError(
          `--stack is required (stacks in ${path.relative(process.cwd(), project.dir) || "."}: ${stacks.join(", ") || "none"})`,
        );
      }
      stack = stacks[0];
    }
    const overrides = [...cli.overrides];
    if (cli.cloud !== undefined) overrides.unshift({ key: `${project.name}:cloud`, value: cli.cloud });

    const result = await runPreview({ cwd: project.dir, stack, overrides, onResource: (_r, n) => p.tick(n) });
    p.done();
    const report =
      cli.format === "json"
        ? renderJson(result, { showSecrets: cli.showSecrets })
        : renderText(result, { color: cli.color, showSecrets: cli.showSecrets });
    if (cli.out) {
      fs.mkdirSync(path.dirname(cli.out), { recursive: true });
      fs.writeFileSync(cli.out, report);
      process.stderr.write(
        `Offline preview of ${result.project.name}/${result.stack}: ${result.resources.length} resources; ${cli.format} report written to ${cli.out}\n`,
      );
    } else process.stdout.write(report);
    return 0;
  } catch (err) {
    p.done();
    return reportFailure(err, cli.verbose);
  }
}

function reportFailure(err: unknown, verbose: boolean): number {
  if (err instanceof ProjectError) {
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  const header = "Offline preview failed (nothing was deployed).";
  if (err instanceof StackConfigError) {
    process.stderr.write(`${header}\n${err.message}\n`);
    return 1;
  }
  if (err instanceof ProgramError) {
    const where = err.location ? `\n    at ${err.location}` : "";
    const when =
      err.registered === 0
        ? "before registering any cloud resource"
        : `after registering ${err.registered} cloud resource${err.registered === 1 ? "" : "s"}`;
    process.stderr.write(`${header}\nThe program failed ${when}:\n${err.message}${where}\n`);
    if (verbose && err.detail) process.stderr.write(`\n${err.detail}\n`);
    else if (err.location) process.stderr.write("(run with --verbose for the full stack trace)\n");
    return 1;
  }
  const e = err as Error;
  process.stderr.write(`${header}\nInternal error in the offline engine: ${e?.message ?? String(err)}\n`);
  if (verbose && e?.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    // Pulumi's runtime keeps handles open; the preview is complete, so exit explicitly.
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  },
  (err) => {
    process.stderr.write(`Internal error in the offline engine: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
