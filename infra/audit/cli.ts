/**
 * `npm run audit -- --from stack.json`: audits a deployed stack from `pulumi stack export`, with no cloud
 * credentials and no Pulumi CLI (docs/audit.md).
 *
 * Exit codes: 0 the audit ran and no mandatory policy violation; 1 a mandatory violation (as `pulumi policy
 * analyze` fails), or the pack failed; 2 bad command line or an export that cannot be read (the message names
 * the field).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { Format, outputFormats, resolveOutputs, targetsFor } from "../offline/cliArgs";
import { ProjectError } from "../offline/project";
import { PolicyConfigError } from "../offline/policy/run";
import { summaryLine } from "../offline/policy/render";
import { ExportError } from "./load";
import { renderAudit } from "./report";
import { runAudit } from "./run";

const repoRoot = path.resolve(__dirname, "..", "..");

export const USAGE = `Usage: npm run audit -- --from FILE [options]

Audits a stack from the JSON of \`pulumi stack export\` (any Pulumi program; deployment version 3 or 4):
runs the policy pack over the analyzer protocol as \`pulumi policy analyze --file\` does, evaluates the
go-live checklist and shows the stack's posture output. No cloud account, CLI or provider plugin.

Options:
      --from FILE         the export (\`pulumi stack export --file FILE\`, or \`--show-secrets\` to let the
                          pack see secret values); also what \`npm run preview -- --format export\` writes
  -f, --format LIST       text (default), json, md, sarif; several: md,sarif,json
  -o, --out FILE          write the report to FILE (- for standard output); one per format, in order
      --out-dir DIR       write every format to DIR/<stack>-audit.<txt|json|md|sarif>
      --policy-pack DIR   the policy pack (default: this repository's policies/)
      --policy-config F   the pack's config (default: policies/config/<stack>.json for a Meridian stack)
      --no-policy         only the checklist and the posture
      --show-secrets      show secret values the export holds in plaintext instead of [secret]
      --no-color          plain text (also when NO_COLOR is set or output is not a terminal)
  -q, --quiet             no progress on standard error
  -h, --help              this help

Exit codes: 0 audited; 1 a mandatory policy violation, or the pack failed; 2 bad usage or unreadable export.`;

interface AuditCli {
  from: string;
  formats: Format[];
  outputs: ReturnType<typeof resolveOutputs>;
  packDir?: string;
  policyConfig?: string;
  showSecrets: boolean;
  color: boolean;
  quiet: boolean;
}

export function parseAuditCli(argv: string[]): AuditCli | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: "string" },
      format: { type: "string", short: "f", multiple: true },
      out: { type: "string", short: "o", multiple: true },
      "out-dir": { type: "string" },
      "policy-pack": { type: "string" },
      "policy-config": { type: "string" },
      "no-policy": { type: "boolean" },
      "show-secrets": { type: "boolean" },
      "no-color": { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  if (!values.from) throw new ProjectError("--from FILE is required (the JSON of `pulumi stack export`)");
  const formats = values.format?.flatMap((f) => f.split(",")).map((f) => f.trim());
  const outputs = resolveOutputs(formats, values.out ?? [], values["out-dir"]);
  const used = outputFormats(outputs);
  if (used.includes("export"))
    throw new ProjectError("--format export is the preview's; an audit writes text, json, md or sarif");
  if (values["no-policy"] && values["policy-pack"])
    throw new ProjectError("--policy-pack and --no-policy cannot be combined");
  const policyConfig = values["policy-config"] ? path.resolve(values["policy-config"]) : undefined;
  if (policyConfig && !fs.existsSync(policyConfig))
    throw new ProjectError(`--policy-config ${policyConfig}: no such file`);
  const toTerminal =
    outputs.kind === "files" && outputs.targets.some((t) => !t.file) && process.stdout.isTTY === true;
  return {
    from: path.resolve(values.from),
    formats: used,
    outputs,
    packDir: values["no-policy"]
      ? undefined
      : path.resolve(values["policy-pack"] ?? path.join(repoRoot, "policies")),
    policyConfig,
    showSecrets: values["show-secrets"] ?? false,
    color: toTerminal && !values["no-color"] && !process.env.NO_COLOR,
    quiet: values.quiet ?? false,
  };
}

async function main(argv: string[]): Promise<number> {
  let cli: AuditCli | "help";
  try {
    cli = parseAuditCli(argv);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (cli === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (!cli.quiet) process.stderr.write(`  auditing ${path.relative(process.cwd(), cli.from)}...\n`);
    const audit = await runAudit({
      file: cli.from,
      packDir: cli.packDir,
      policyConfig: cli.policyConfig,
      showSecrets: cli.showSecrets,
    });
    const written: string[] = [];
    for (const t of targetsFor(cli.outputs, audit.result.stack, "audit")) {
      const report = renderAudit(audit, t.format as Exclude<Format, "export">, {
        color: cli.color,
        showSecrets: cli.showSecrets,
        marker: "meridian-stack-audit",
      });
      if (!t.file) {
        process.stdout.write(report);
        continue;
      }
      fs.mkdirSync(path.dirname(t.file), { recursive: true });
      fs.writeFileSync(t.file, report);
      written.push(`${t.format} report written to ${path.relative(process.cwd(), t.file) || t.file}`);
    }
    if (written.length) {
      process.stderr.write(
        `Audit of ${audit.result.project.name}/${audit.result.stack}: ${written.join("; ")}\n`,
      );
      if (audit.policy) process.stderr.write(`${summaryLine(audit.policy)}\n`);
    }
    if (audit.policy && audit.policy.mandatory > 0) {
      process.stderr.write(`${audit.policy.mandatory} mandatory policy violation(s): failing (exit 1).\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof ExportError || err instanceof ProjectError || err instanceof PolicyConfigError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`Audit failed: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      const drained = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => s.write("", () => resolve()));
      void Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => process.exit(code));
    },
    (err) => {
      process.stderr.write(`Internal error in the audit: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
