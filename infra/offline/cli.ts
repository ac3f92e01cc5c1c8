/**
 * `npm run preview -- --stack dev --cloud aws`: the offline preview of a Pulumi TypeScript project.
 *
 * Exit codes: 0 preview succeeded (and no mandatory policy violation); 1 the program or its stack config
 * failed, or a mandatory policy violation remains; 2 the command line, the project or the policy config is
 * wrong (no Pulumi.yaml, unknown stack, bad flag, unknown policy name).
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
import { PolicyPackError } from "./policy/protocol";
import { renderMarkdown, renderSarif, summaryLine } from "./policy/render";
import {
  defaultPolicyConfig,
  PolicyConfigError,
  PolicyRun,
  runPolicyPack,
  startPackEarly,
} from "./policy/run";
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
  -f, --format FORMAT     text (default), json (the whole resource graph), md (policy report for a PR
                          comment) or sarif (policy results, SARIF 2.1.0 for code scanning)
      --policy-pack DIR   run the policy pack in DIR over the analyzer protocol (default for this
                          repository: policies/; other projects: none)
      --policy-config F   the pack's config (default: DIR/config/<stack>.json when it exists)
      --no-policy         do not run a policy pack
  -o, --out FILE          write the report to FILE instead of standard output
      --show-secrets      show secret values instead of [secret]
      --no-color          plain text output (also when NO_COLOR is set or output is not a terminal)
  -v, --verbose           on failure, print the full stack trace
  -q, --quiet             no progress on standard error
  -h, --help              this help

Exit codes: 0 preview ok; 1 the program or its config failed, or a mandatory policy violation;
2 bad usage, project or policy config.`;

const repoRoot = path.resolve(__dirname, "..", "..");

const FORMATS = ["text", "json", "md", "sarif"] as const;
type Format = (typeof FORMATS)[number];

interface Cli {
  stack?: string;
  cloud?: string;
  overrides: ConfigOverride[];
  cwd: string;
  format: Format;
  out?: string;
  policyPack?: string;
  policyConfig?: string;
  noPolicy: boolean;
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
      "policy-pack": { type: "string" },
      "policy-config": { type: "string" },
      "no-policy": { type: "boolean" },
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
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ProjectError(`--format "${format}" is not supported; allowed: ${FORMATS.join(", ")}`);
  }
  if (values["no-policy"] && (format === "md" || format === "sarif")) {
    throw new ProjectError(
      `--format ${format} reports policy results; it cannot be combined with --no-policy`,
    );
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
    format: format as Format,
    out: values.out ? path.resolve(values.out) : undefined,
    policyPack: values["policy-pack"] ? path.resolve(values["policy-pack"]) : undefined,
    policyConfig: values["policy-config"] ? path.resolve(values["policy-config"]) : undefined,
    noPolicy: values["no-policy"] ?? false,
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

    // Meridian's own pack is the default for Meridian; other projects opt in with --policy-pack.
    const packDir = cli.noPolicy
      ? undefined
      : (cli.policyPack ?? (project.dir === repoRoot ? path.join(repoRoot, "policies") : undefined));
    if ((cli.format === "md" || cli.format === "sarif") && !packDir) {
      throw new ProjectError(`--format ${cli.format} reports policy results; pass --policy-pack DIR`);
    }
    if (cli.policyConfig && !fs.existsSync(cli.policyConfig))
      throw new ProjectError(`--policy-config ${cli.policyConfig}: no such file`);
    const invokedFrom = process.cwd();

    // Start the pack while the program runs (the engine also loads analyzers first).
    const early = packDir ? startPackEarly(packDir) : undefined;
    let result: Awaited<ReturnType<typeof runPreview>>;
    try {
      result = await runPreview({ cwd: project.dir, stack, overrides, onResource: (_r, n) => p.tick(n) });
    } catch (e) {
      early?.discard();
      throw e;
    }
    p.done();
    let policy: PolicyRun | undefined;
    if (packDir) {
      if (!cli.quiet)
        process.stderr.write(`  running policy pack ${path.relative(invokedFrom, packDir) || "."}...\n`);
      policy = await runPolicyPack(result, {
        packDir,
        configFile: cli.policyConfig ?? defaultPolicyConfig(packDir, stack),
        connection: early?.connection,
      });
    }
    let report: string;
    if (cli.format === "json") report = renderJson(result, { showSecrets: cli.showSecrets }, policy);
    else if (cli.format === "md")
      report = renderMarkdown(result, policy!, { marker: "meridian-policy-report" });
    else if (cli.format === "sarif")
      report = renderSarif(result, policy!, { prefix: path.relative(invokedFrom, project.dir) });
    else report = renderText(result, { color: cli.color, showSecrets: cli.showSecrets }, policy);
    if (cli.out) {
      fs.mkdirSync(path.dirname(cli.out), { recursive: true });
      fs.writeFileSync(cli.out, report);
      process.stderr.write(
        `Offline preview of ${result.project.name}/${result.stack}: ${result.resources.length} resources; ${cli.format} report written to ${cli.out}\n`,
      );
      if (policy) process.stderr.write(`${summaryLine(policy)}\n`);
    } else process.stdout.write(report);
    if (policy && policy.mandatory > 0) {
      if (cli.out || cli.format !== "text")
        process.stderr.write(`${policy.mandatory} mandatory policy violation(s): failing (exit 1).\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    p.done();
    return reportFailure(err, cli.verbose);
  }
}

function reportFailure(err: unknown, verbose: boolean): number {
  if (err instanceof ProjectError || err instanceof PolicyConfigError) {
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
  if (err instanceof PolicyPackError) {
    process.stderr.write(`Offline preview ran, but the policy pack failed:\n${err.message}\n`);
    return 1;
  }
  const e = err as Error;
  process.stderr.write(`${header}\nInternal error in the offline engine: ${e?.message ?? String(err)}\n`);
  if (verbose && e?.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    // Pulumi's runtime keeps handles open; the preview is complete, so exit explicitly, but only once
    // stdout and stderr have drained: a large report written to a pipe is flushed asynchronously.
    process.exitCode = code;
    const drained = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => s.write("", () => resolve()));
    void Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => process.exit(code));
  },
  (err) => {
    process.stderr.write(`Internal error in the offline engine: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
