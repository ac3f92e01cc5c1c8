/**
 * The offline preview's command line: flags, and where each requested report format goes (several formats
 * from one preview: `--format md,sarif,json --out-dir DIR`, or one `--out` per format).
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigOverride, parseOverride, ProjectError } from "./project";

export const FORMATS = ["text", "json", "md", "sarif", "export"] as const;
export type Format = (typeof FORMATS)[number];

/** The file extension of each format (`--out-dir` names, and the format `--out FILE` implies). */
export const EXTENSIONS: Record<Format, string> = {
  text: "txt",
  json: "json",
  md: "md",
  sarif: "sarif",
  // `pulumi stack export` JSON; never inferred from `--out FILE` (`.json` is the graph).
  export: "export.json",
};

/** The CLI's default organization for a stack outside Pulumi Cloud (`pulumi.getOrganization()`). */
export const DEFAULT_ORGANIZATION = "organization";

/** Where the reports go: one target per format (`file` undefined: standard output). */
export type Outputs =
  | { kind: "files"; targets: { format: Format; file?: string }[] }
  | { kind: "dir"; dir: string; formats: Format[] };

export interface Cli {
  stack?: string;
  cloud?: string;
  organization: string;
  overrides: ConfigOverride[];
  /** Undefined: this repository. */
  cwd?: string;
  outputs: Outputs;
  policyPack?: string;
  policyConfig?: string;
  noPolicy: boolean;
  typecheck: boolean;
  showSecrets: boolean;
  color: boolean;
  verbose: boolean;
  quiet: boolean;
}

export function parseCli(argv: string[]): Cli | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string", short: "s" },
      cloud: { type: "string" },
      organization: { type: "string" },
      config: { type: "string", short: "c", multiple: true },
      secret: { type: "string", multiple: true },
      cwd: { type: "string", short: "C" },
      format: { type: "string", short: "f", multiple: true },
      out: { type: "string", short: "o", multiple: true },
      "out-dir": { type: "string" },
      "policy-pack": { type: "string" },
      "policy-config": { type: "string" },
      "no-policy": { type: "boolean" },
      typecheck: { type: "boolean" },
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
  const formats = values.format?.flatMap((f) => f.split(",")).map((f) => f.trim());
  const outputs = resolveOutputs(formats, values.out ?? [], values["out-dir"]);
  const used = outputFormats(outputs);
  if (values["no-policy"]) {
    const policyFormat = used.find((f) => f === "md" || f === "sarif");
    if (policyFormat)
      throw new ProjectError(
        `--format ${policyFormat} reports policy results; it cannot be combined with --no-policy`,
      );
  }
  if (values.organization !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(values.organization))
    throw new ProjectError(
      `--organization "${values.organization}" is not an organization name; allowed: letters, digits, "-", "_", "."`,
    );
  const overrides = [
    ...(values.config ?? []).map((c) => parseOverride(c)),
    ...(values.secret ?? []).map((c) => parseOverride(c, true)),
  ];
  const toTerminal = toStdout(outputs) && process.stdout.isTTY === true;
  return {
    stack: values.stack,
    cloud: values.cloud,
    organization: values.organization ?? DEFAULT_ORGANIZATION,
    overrides,
    cwd: values.cwd === undefined ? undefined : path.resolve(values.cwd),
    outputs,
    policyPack: values["policy-pack"] ? path.resolve(values["policy-pack"]) : undefined,
    policyConfig: values["policy-config"] ? path.resolve(values["policy-config"]) : undefined,
    noPolicy: values["no-policy"] ?? false,
    typecheck: values.typecheck ?? false,
    showSecrets: values["show-secrets"] ?? false,
    color: toTerminal && !values["no-color"] && !process.env.NO_COLOR,
    verbose: values.verbose ?? false,
    quiet: values.quiet ?? false,
  };
}

function checkFormat(f: string, flag: string): Format {
  if (!(FORMATS as readonly string[]).includes(f))
    throw new ProjectError(`${flag} "${f}" is not supported; allowed: ${FORMATS.join(", ")}`);
  return f as Format;
}

/**
 * Pairs formats with files. `--out-dir DIR`: every format into DIR. `--out` given once per format: in the
 * same order (`-` is standard output). `--out` without `--format`: the format each file's extension names.
 */
export function resolveOutputs(formats: string[] | undefined, outs: string[], outDir?: string): Outputs {
  const checked = formats?.map((f) => checkFormat(f, "--format"));
  if (checked && new Set(checked).size !== checked.length)
    throw new ProjectError(`--format lists a format twice (${checked.join(",")}); give each once`);
  if (outDir !== undefined) {
    if (outs.length > 0) throw new ProjectError("--out and --out-dir cannot be combined; use one of them");
    return { kind: "dir", dir: path.resolve(outDir), formats: checked ?? ["text"] };
  }
  const target = (format: Format, o: string) => (o === "-" ? { format } : { format, file: path.resolve(o) });
  let targets: { format: Format; file?: string }[];
  if (!checked) {
    targets = outs.map((o) => target(o === "-" ? "text" : formatOfFile(o), o));
    if (targets.length === 0) targets = [{ format: "text" }];
  } else if (outs.length === 0) {
    if (checked.length > 1)
      throw new ProjectError(
        `--format ${checked.join(",")}: several formats need --out-dir DIR or one --out per format (in the same order)`,
      );
    targets = [{ format: checked[0] }];
  } else {
    if (outs.length !== checked.length)
      throw new ProjectError(
        `--out is given ${outs.length} time(s) for ${checked.length} format(s) (${checked.join(",")}): give one --out per format, in the same order, or --out-dir DIR`,
      );
    targets = checked.map((format, i) => target(format, outs[i]));
  }
  if (targets.filter((t) => !t.file).length > 1)
    throw new ProjectError("only one format can go to standard output (--out -); give the others a file");
  const files = targets.flatMap((t) => (t.file ? [t.file] : []));
  if (new Set(files).size !== files.length) throw new ProjectError("--out names the same file twice");
  return { kind: "files", targets };
}

function formatOfFile(file: string): Format {
  const ext = path.extname(file).slice(1).toLowerCase();
  const found = file.toLowerCase().endsWith(`.${EXTENSIONS.export}`)
    ? "export"
    : (Object.keys(EXTENSIONS) as Format[]).find((f) => EXTENSIONS[f] === ext);
  if (!found)
    throw new ProjectError(
      `--out ${file}: without --format the extension names the format; allowed: ${Object.values(EXTENSIONS)
        .map((e) => `.${e}`)
        .join(", ")}`,
    );
  return found;
}

export function outputFormats(o: Outputs): Format[] {
  return o.kind === "dir" ? o.formats : o.targets.map((t) => t.format);
}

function toStdout(o: Outputs): boolean {
  return o.kind === "files" && o.targets.some((t) => !t.file);
}

/** The files to write once the stack is known: `--out-dir` names them `<stack>[-<cloud>].<ext>`. */
export function targetsFor(o: Outputs, stack: string, cloud?: string): { format: Format; file?: string }[] {
  if (o.kind === "files") return o.targets;
  const base = cloud ? `${stack}-${cloud}` : stack;
  return o.formats.map((format) => ({ format, file: path.join(o.dir, `${base}.${EXTENSIONS[format]}`) }));
}

export const USAGE = `Usage: npm run preview -- [options]

Previews a Pulumi TypeScript program offline: no cloud account, CLI or provider plugins.

Options:
  -s, --stack NAME        stack to preview (reads Pulumi.NAME.yaml; without one, empty stack config as the
                          CLI does); required unless the project has one stack file
      --cloud aws|gcp     shorthand for --config <project>:cloud=VALUE
  -c, --config KEY=VALUE  override a config value (repeatable); KEY without namespace belongs to the project
      --secret KEY=VALUE  like --config, but the value is a secret (repeatable)
      --organization ORG  what pulumi.getOrganization() returns (default: ${DEFAULT_ORGANIZATION}, as the CLI
                          outside Pulumi Cloud)
  -C, --cwd DIR           directory of the Pulumi project (default: this repository)
  -f, --format LIST       text (default), json (the whole resource graph), md (policy report for a PR
                          comment), sarif (policy results, SARIF 2.1.0), export (the stack as
                          \`pulumi stack export\` writes it, for npm run audit); several: md,sarif,json
  -o, --out FILE          write the report to FILE (- for standard output); repeat once per format, in the
                          order of --format; without --format the extension names it (.txt .json .md .sarif
                          .export.json)
      --out-dir DIR       write every format to DIR/<stack>[-<cloud>].<txt|json|md|sarif|export.json>
      --policy-pack DIR   run the policy pack in DIR over the analyzer protocol (default: policies/ for this
                          repository, and for --format md|sarif of any project; otherwise none)
      --policy-config F   the pack's config (default: DIR/config/<stack>.json when the pack belongs to the
                          previewed project)
      --no-policy         do not run a policy pack
      --typecheck         type-check the program first (tsc --noEmit with its tsconfig), as the Pulumi
                          Node.js host does by default; without it the program is only transpiled
      --show-secrets      show secret values instead of [secret]
      --no-color          plain text output (also when NO_COLOR is set or output is not a terminal)
  -v, --verbose           on failure, print the full stack trace
  -q, --quiet             no progress on standard error
  -h, --help              this help

Exit codes: 0 preview ok; 1 the program or its config failed, or a mandatory policy violation;
2 bad usage, project or policy config.`;
