/**
 * `npm run preview -- --stack dev --cloud aws`: the offline preview of a Pulumi TypeScript project.
 *
 * Exit codes: 0 preview succeeded (and no mandatory policy violation); 1 the program or its stack config
 * failed, or a mandatory policy violation remains; 2 the command line, the project or the policy config is
 * wrong (no Pulumi.yaml, unknown stack, bad flag, unknown policy name).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Cli, Format, outputFormats, parseCli, targetsFor, USAGE } from "./cliArgs";
import { isTypeScript, NOT_TYPECHECKED, provideSdks, selectPolicyConfig, typecheck } from "./outside";
import {
  ConfigOverride,
  loadProject,
  listStacks,
  ProjectError,
  resolveConfig,
  StackConfigError,
  TypeProblem,
} from "./project";
import { PolicyPackError } from "./policy/protocol";
import { renderFailureSarif, renderMarkdown, renderSarif, summaryLine } from "./policy/render";
import { PolicyConfigError, PolicyRun, startPolicySession } from "./policy/run";
import { renderExport } from "./export";
import { renderFailureMarkdown, renderJson, renderText } from "./report";
import { PreviewOptions, PreviewResult, ProgramError, runPreview } from "./run";

const repoRoot = path.resolve(__dirname, "..", "..");
const MARKER = "meridian-policy-report";
/** Where the command was run from (the preview changes into the project directory). */
const invokedFrom = process.cwd();

/** Values of declared types that do not parse, found before the program ran with their defaults instead. */
class TypedConfigFailure extends Error {
  constructor(
    readonly problems: TypeProblem[],
    /** What the program then reported (its own config validation, a crash), if anything. */
    readonly cause: unknown,
  ) {
    super(problems.map((p) => p.message).join("\n"));
    this.name = "TypedConfigFailure";
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Progress on standard error: a live counter on a terminal, a line every few seconds otherwise. */
function progress(quiet: boolean) {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let count = 0;
  let stopped = false;
  return {
    tick(n: number) {
      count = n;
      // After done() (the preview ended or failed) the SDK may still register resources: stay silent.
      if (quiet || stopped) return;
      const now = Date.now();
      if (tty && now - last > 100) {
        process.stderr.write(`\r  registering resources: ${n} (${((now - started) / 1000).toFixed(1)}s)`);
        last = now;
      } else if (!tty && now - started > 2000 && now - last > 2000) {
        process.stderr.write(
          `  ... ${plural(n, "resource")} registered (${((now - started) / 1000).toFixed(1)}s)\n`,
        );
        last = now;
      }
    },
    done() {
      if (!quiet && !stopped && tty && count > 0) process.stderr.write("\r\x1b[K");
      stopped = true;
    },
  };
}

/** What is known of the run when it fails: names for the failure report. */
interface RunContext {
  project?: string;
  stack?: string;
  cloud?: string;
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
  const ctx: RunContext = { stack: cli.stack, cloud: cli.cloud };
  try {
    return await preview(cli, ctx, p);
  } catch (err) {
    p.done();
    const failure = describeFailure(err, cli.verbose);
    process.stderr.write(failure.text);
    writeFailureReports(cli, ctx, failure);
    return failure.code;
  }
}

async function preview(cli: Cli, ctx: RunContext, p: ReturnType<typeof progress>): Promise<number> {
  const project = loadProject(cli.cwd ?? repoRoot);
  ctx.project = project.name;
  let stack = cli.stack;
  if (!stack) {
    const stacks = listStacks(project);
    if (stacks.length !== 1) {
      throw new ProjectError(
        `--stack is required (stacks in ${path.relative(process.cwd(), project.dir) || "."}: ${stacks.join(", ") || "none"})`,
      );
    }
    stack = stacks[0];
    ctx.stack = stack;
  }
  const overrides: ConfigOverride[] = [...cli.overrides];
  if (cli.cloud !== undefined) overrides.unshift({ key: `${project.name}:cloud`, value: cli.cloud });
  const formats = outputFormats(cli.outputs);
  const own = project.dir === repoRoot;

  // Meridian's pack is the default for Meridian, and for any project when a policy report is asked for.
  const wantsPolicy = formats.includes("md") || formats.includes("sarif");
  const packDir = cli.noPolicy
    ? undefined
    : (cli.policyPack ?? (own || wantsPolicy ? path.join(repoRoot, "policies") : undefined));
  if (cli.policyConfig && !fs.existsSync(cli.policyConfig))
    throw new ProjectError(`--policy-config ${cli.policyConfig}: no such file`);
  const notes: string[] = [];
  const sdkNote = own ? undefined : provideSdks(project);
  if (sdkNote) notes.push(sdkNote);
  if (isTypeScript(project)) {
    if (cli.typecheck) {
      const errors = typecheck(project);
      if (errors)
        throw new ProgramError(
          `TypeScript type errors (as \`pulumi preview\` reports them):\n${errors}`,
          undefined,
          undefined,
          0,
        );
    } else if (!own) notes.push(NOT_TYPECHECKED);
  }

  // Mistyped values of declared keys: run the program with the declared defaults instead, so that the
  // report lists the type problems and every problem the program's own validation finds, at once.
  const typeProblems = resolveConfig(project, stack, overrides, { collectTypeProblems: true }).typeProblems;
  for (const t of typeProblems)
    if (t.fallback !== undefined) overrides.push({ key: t.key, value: t.fallback });

  // The policy config is parsed before the program runs, as the CLI does (a bad file stops here, exit 2);
  // the pack starts first and analyzes each resource as it registers, as the engine's analyzers do.
  const policyConfig = packDir
    ? selectPolicyConfig(packDir, project.dir, stack, cli.policyConfig, invokedFrom)
    : undefined;
  const session = packDir
    ? startPolicySession({ packDir, configFile: (policyConfig ?? {}).file })
    : undefined;
  let result: PreviewResult;
  try {
    const options: PreviewOptions = {
      cwd: project.dir,
      stack,
      overrides,
      organization: cli.organization,
      onStart: (ctx) => session?.begin(ctx),
      onResource: (r, n) => {
        p.tick(n);
        session?.analyze(r);
      },
    };
    result = await runPreview(options);
  } catch (e) {
    session?.discard();
    throw typeProblems.length ? new TypedConfigFailure(typeProblems, e) : e;
  }
  p.done();
  if (typeProblems.length) {
    session?.discard();
    throw new TypedConfigFailure(typeProblems, undefined);
  }
  for (const message of notes) {
    result.notes.push({ level: "warning", message });
    if (!cli.quiet) process.stderr.write(`  note: ${message}\n`);
  }

  let policy: PolicyRun | undefined;
  if (packDir) {
    const config = policyConfig ?? {};
    if (config.note) {
      result.notes.push({ level: "warning", message: config.note });
      if (!cli.quiet) process.stderr.write(`  note: ${config.note}\n`);
    }
    if (!cli.quiet)
      process.stderr.write(`  running policy pack ${path.relative(invokedFrom, packDir) || "."}...\n`);
    policy = await session!.finish(result);
  }

  const render = (format: Format): string => {
    if (format === "json") return renderJson(result, { showSecrets: cli.showSecrets }, policy);
    if (format === "export") return renderExport(result, { showSecrets: cli.showSecrets });
    if (format === "md") return renderMarkdown(result, policy!, { marker: MARKER });
    if (format === "sarif")
      return renderSarif(result, policy!, { prefix: sarifPrefix(invokedFrom, project.dir) });
    return renderText(result, { color: cli.color, showSecrets: cli.showSecrets }, policy);
  };
  const targets = targetsFor(cli.outputs, stack, cli.cloud);
  const written: string[] = [];
  for (const t of targets) {
    const report = render(t.format);
    if (!t.file) {
      process.stdout.write(report);
      continue;
    }
    fs.mkdirSync(path.dirname(t.file), { recursive: true });
    fs.writeFileSync(t.file, report);
    written.push(`${t.format} report written to ${path.relative(invokedFrom, t.file) || t.file}`);
  }
  if (written.length) {
    process.stderr.write(
      `Offline preview of ${result.project.name}/${result.stack}: ${plural(result.resources.length, "resource")}; ${written.join("; ")}\n`,
    );
    if (policy) process.stderr.write(`${summaryLine(policy)}\n`);
  }
  if (policy && policy.mandatory > 0) {
    if (written.length || targets.some((t) => t.format !== "text"))
      process.stderr.write(`${plural(policy.mandatory, "mandatory policy violation")}: failing (exit 1).\n`);
    return 1;
  }
  return 0;
}

interface Failure {
  code: number;
  /** What goes to standard error. */
  text: string;
  /** The same, for a report (no hint about flags that only matter on the terminal). */
  report: string;
}

function describeFailure(err: unknown, verbose: boolean): Failure {
  if (err instanceof ProjectError || err instanceof PolicyConfigError) {
    return { code: 2, text: `error: ${err.message}\n`, report: `error: ${err.message}` };
  }
  const header = "Offline preview failed (nothing was deployed).";
  if (err instanceof TypedConfigFailure) {
    const lines = [header, ...err.problems.map((p) => p.message)];
    const withDefaults = err.problems.filter((p) => p.fallback !== undefined).map((p) => p.key);
    const known = new Set(lines);
    const extra =
      err.cause instanceof StackConfigError
        ? err.cause.message.split("\n").filter((l) => !known.has(l))
        : undefined;
    if (extra?.length) lines.push(...extra);
    else if (err.cause !== undefined && !extra) {
      const cause = describeFailure(err.cause, verbose);
      const body = cause.report.replace(`${header}\n`, "");
      lines.push(
        withDefaults.length
          ? `With the declared default${withDefaults.length > 1 ? "s" : ""} in place of ${withDefaults.join(", ")}, further:`
          : "Further:",
        body,
      );
    }
    const text = `${lines.join("\n")}\n`;
    return { code: 1, text, report: text.trimEnd() };
  }
  if (err instanceof StackConfigError) {
    const text = `${header}\n${err.message}\n`;
    return { code: 1, text, report: text.trimEnd() };
  }
  if (err instanceof ProgramError) {
    const where = err.location ? `\n    at ${err.location}` : "";
    const when =
      err.registered === 0
        ? "before registering any cloud resource"
        : `after registering ${plural(err.registered, "cloud resource")}`;
    const body = `${header}\nThe program failed ${when}:\n${err.message}${where}\n`;
    let hint = "";
    if (verbose && err.detail) hint = `\n${err.detail}\n`;
    else if (err.location) hint = "(run with --verbose for the full stack trace)\n";
    return { code: 1, text: body + hint, report: body.trimEnd() };
  }
  if (err instanceof PolicyPackError) {
    const text = `Offline preview ran, but the policy pack failed:\n${err.message}\n`;
    return { code: 1, text, report: text.trimEnd() };
  }
  const e = err as Error;
  const body = `${header}\nInternal error in the offline engine: ${e?.message ?? String(err)}\n`;
  return { code: 1, text: body + (verbose && e?.stack ? `${e.stack}\n` : ""), report: body.trimEnd() };
}

/**
 * A failed run still writes its Markdown report (the PR comment shows the error, not "no report") and its SARIF
 * (code scanning records an unsuccessful run).
 */
function writeFailureReports(cli: Cli, ctx: RunContext, failure: Failure): void {
  const targets = targetsFor(cli.outputs, ctx.stack ?? "preview", ctx.cloud);
  for (const t of targets) {
    if ((t.format !== "md" && t.format !== "sarif") || !t.file) continue;
    try {
      fs.mkdirSync(path.dirname(t.file), { recursive: true });
      fs.writeFileSync(
        t.file,
        t.format === "md"
          ? renderFailureMarkdown(ctx, failure.report, { marker: MARKER })
          : renderFailureSarif(failure.report, {
              packName: "meridian-guardrails",
              stack: ctx.stack ?? "preview",
              cloud: ctx.cloud,
            }),
      );
      process.stderr.write(
        `${t.format} report with the error written to ${path.relative(invokedFrom, t.file)}\n`,
      );
    } catch (e) {
      process.stderr.write(`could not write ${t.file}: ${(e as Error).message}\n`);
    }
  }
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

/**
 * Where SARIF locations are rooted: paths relative to the directory the command runs in when the project is
 * inside it (Meridian's own stacks, `infra/offline/...`), else relative to the project itself, so code
 * scanning in an outside project's repository places the findings (never `../other-project/index.ts`).
 */
function sarifPrefix(invokedFrom: string, projectDir: string): string {
  const rel = path.relative(invokedFrom, projectDir);
  return rel.startsWith("..") || path.isAbsolute(rel) ? "" : rel;
}
