/**
 * Policy results for people and tools: the terminal section, the Markdown PR comment and SARIF 2.1.0
 * (GitHub code scanning: one rule per policy, one result per finding, with the source location).
 */
import type { PreviewResult } from "../run";
import type { Finding, PolicyInfo, PolicyRun } from "./run";
import { urnName, urnType } from "../urn";

const SEVERITY_ORDER = ["critical", "high", "medium", "low", ""];

function sevRank(s?: string): number {
  const i = SEVERITY_ORDER.indexOf(s ?? "");
  return i < 0 ? SEVERITY_ORDER.length : i;
}

function where(f: Finding): string {
  return f.sourcePosition ? `${f.sourcePosition.file}:${f.sourcePosition.line}` : "";
}

function resourceLabel(f: Finding): string {
  if (!f.urn) return "(stack)";
  return `${f.resourceType ?? urnType(f.urn)} ${f.resourceName ?? urnName(f.urn)}`;
}

export function groups(run: PolicyRun) {
  const violations = run.findings.filter((f) => f.status === "violation");
  return {
    mandatory: violations.filter((f) => f.enforcement === "mandatory"),
    advisory: violations.filter((f) => f.enforcement !== "mandatory"),
    waived: run.findings.filter((f) => f.status === "waived"),
    unknown: run.findings.filter((f) => f.status === "unknown"),
  };
}

/** One line: the verdict. */
export function summaryLine(run: PolicyRun): string {
  const g = groups(run);
  return (
    `Policy pack ${run.pack.name}@${run.pack.version}: ${g.mandatory.length} mandatory, ${g.advisory.length} advisory` +
    `, ${g.waived.length} waived, ${g.unknown.length} cannot check during preview` +
    ` (${run.policies.length} policies, ${run.resourcesAnalyzed} resources)`
  );
}

type Style = Record<"bold" | "dim" | "yellow" | "red" | "green" | "cyan", (s: string) => string>;

/** The terminal section: violations grouped by severity with remediation, then checked counts. */
export function policyTextLines(run: PolicyRun, s: Style): string[] {
  const out: string[] = [];
  const g = groups(run);
  const byName = new Map(run.policies.map((p) => [p.name, p]));
  out.push(
    s.bold(`Policies: ${run.pack.name}@${run.pack.version}`) +
      s.dim(`  (config: ${run.configFile ? run.configFile : "pack defaults"})`),
  );
  const section = (title: string, list: Finding[], color: (x: string) => string, withFix: boolean) => {
    if (!list.length) return;
    out.push(`  ${color(s.bold(`${title} (${list.length})`))}`);
    const sevs = [...new Set(list.map((f) => f.severity ?? ""))].sort((a, b) => sevRank(a) - sevRank(b));
    for (const sev of sevs) {
      out.push(`    ${s.bold((sev || "unspecified").toUpperCase())}`);
      for (const f of list.filter((x) => (x.severity ?? "") === sev)) {
        const loc = where(f);
        out.push(`      ${color(f.policy)}  ${resourceLabel(f)}${loc ? s.dim(`  (${loc})`) : ""}`);
        out.push(`        ${f.message.split("\n").join("\n        ")}`);
        const fix = byName.get(f.policy)?.remediation;
        if (withFix && fix) out.push(s.dim(`        fix: ${fix}`));
      }
    }
  };
  section("Mandatory violations", g.mandatory, s.red, true);
  section("Advisory violations", g.advisory, s.yellow, true);
  section("Waived", g.waived, s.dim, false);
  section("Cannot check during preview (advisory)", g.unknown, s.dim, false);
  if (!run.findings.length) out.push(`  ${s.green("No findings.")}`);
  const applied = run.policies.filter((p) => p.checked > 0).sort((a, b) => a.name.localeCompare(b.name));
  out.push(
    `  ${s.bold("Resources checked per policy")}` +
      s.dim(` (policies with nothing to check: ${run.policies.length - applied.length})`),
  );
  const w = Math.max(...applied.map((p) => p.name.length), 10);
  for (const p of applied) {
    const n = run.findings.filter((f) => f.policy === p.name && f.status === "violation").length;
    const line = `    ${p.name.padEnd(w)}  ${String(p.checked).padStart(4)}  ${p.enforcement.padEnd(9)}`;
    out.push(n ? `${line}${s.red(` ${n} finding${n === 1 ? "" : "s"}`)}` : line.trimEnd());
  }
  out.push(g.mandatory.length ? s.red(summaryLine(run)) : s.green(summaryLine(run)));
  return out;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

/** The PR comment: a summary table, then one block per violation. */
export function renderMarkdown(
  result: PreviewResult,
  run: PolicyRun,
  opts: { marker?: string } = {},
): string {
  const g = groups(run);
  const cloud = result.config[`${result.project.name}:cloud`]?.value;
  const title = `${result.project.name}/${result.stack}${cloud ? ` (${cloud})` : ""}`;
  const byName = new Map(run.policies.map((p) => [p.name, p]));
  const out: string[] = [];
  if (opts.marker) out.push(`<!-- ${opts.marker} -->`);
  out.push(
    `### ${g.mandatory.length ? ":x:" : ":white_check_mark:"} Policy report: ${title}`,
    "",
    `Offline preview (nothing was deployed) checked with **${run.pack.name}@${run.pack.version}**` +
      ` over the analyzer protocol: ${result.resources.length} resources, ${run.policies.length} policies.`,
    "",
    "| | count |",
    "|---|---:|",
    `| mandatory violations (block merge) | ${g.mandatory.length} |`,
    `| advisory violations | ${g.advisory.length} |`,
    `| waived | ${g.waived.length} |`,
    `| cannot check during preview | ${g.unknown.length} |`,
    "",
  );
  const violations = [...g.mandatory, ...g.advisory];
  if (violations.length) {
    out.push("| enforcement | severity | policy | resource | source |", "|---|---|---|---|---|");
    for (const f of violations)
      out.push(
        `| ${f.enforcement} | ${f.severity ?? ""} | \`${f.policy}\` | \`${mdEscape(resourceLabel(f))}\` | ${where(f) ? `\`${where(f)}\`` : ""} |`,
      );
    out.push("", "#### Details", "");
    for (const f of violations) {
      const p = byName.get(f.policy);
      out.push(
        `<details${f.enforcement === "mandatory" ? " open" : ""}><summary><b>${f.enforcement}</b> · <code>${f.policy}</code> · ${escapeHtml(resourceLabel(f))}</summary>`,
        "",
        `- **Rule:** ${p?.description ?? f.description}`,
        `- **Finding:** ${mdEscape(f.message)}`,
        `- **Resource:** \`${f.urn ?? "(stack)"}\``,
        ...(where(f) ? [`- **Source:** \`${where(f)}\``] : []),
        ...(p?.severity ? [`- **Severity:** ${p.severity}`] : []),
        ...(p?.remediation ? [`- **Fix:** ${p.remediation}`] : []),
        ...(p?.references.length ? [`- **References:** ${p.references.join(", ")}`] : []),
        "",
        "</details>",
        "",
      );
    }
  } else out.push("No violations.", "");
  const minor = (title2: string, list: Finding[]) => {
    if (!list.length) return;
    out.push(`<details><summary>${title2} (${list.length})</summary>`, "");
    for (const f of list)
      out.push(`- \`${f.policy}\` · \`${mdEscape(resourceLabel(f))}\`: ${mdEscape(f.message)}`);
    out.push("", "</details>", "");
  };
  minor("Waived findings", g.waived);
  minor("Cannot check during preview", g.unknown);
  const checked = run.policies.filter((p) => p.checked > 0).sort((a, b) => a.name.localeCompare(b.name));
  out.push(
    `<details><summary>Resources checked per policy (${checked.length} of ${run.policies.length} policies applied)</summary>`,
    "",
    "| policy | enforcement | resources checked |",
    "|---|---|---:|",
    ...checked.map((p) => `| \`${p.name}\` | ${p.enforcement} | ${p.checked} |`),
    "",
    "</details>",
  );
  return out.join("\n") + "\n";
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const SARIF_LEVEL = (f: Finding) =>
  f.enforcement === "mandatory" && f.status === "violation"
    ? "error"
    : f.status === "violation"
      ? "warning"
      : "note";
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** SARIF 2.1.0 as GitHub code scanning accepts it. `prefix` (the project directory relative to the repository) makes locations repository-relative. */
export function renderSarif(result: PreviewResult, run: PolicyRun, opts: { prefix?: string } = {}): string {
  const rules = run.policies.map((p: PolicyInfo) => ({
    id: p.name,
    name: p.name
      .split("-")
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(""),
    shortDescription: { text: p.description },
    fullDescription: { text: p.description },
    help: {
      text: `${p.description}\n\nFix: ${p.remediation ?? "-"}\nReferences: ${p.references.join(", ") || "-"}`,
      markdown: `**${p.description}**\n\n**Fix:** ${p.remediation ?? "-"}\n\n**References:** ${p.references.join(", ") || "-"}`,
    },
    defaultConfiguration: {
      level: p.enforcement === "mandatory" ? "error" : "warning",
      enabled: p.enforcement !== "disabled",
    },
    properties: {
      tags: ["security", ...(p.cloud ? [p.cloud] : []), ...(p.area ? [p.area] : [])],
      ...(p.severity ? { "security-severity": SECURITY_SEVERITY[p.severity] } : {}),
      precision: "high",
    },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const prefix = opts.prefix ? opts.prefix.replace(/\/?$/, "/") : "";
  const results = run.findings
    .filter((f) => f.status !== "unknown")
    .map((f) => ({
      ruleId: f.policy,
      ruleIndex: index.get(f.policy) ?? 0,
      level: SARIF_LEVEL(f),
      message: { text: `${resourceLabel(f)}: ${f.message.replace(/\n/g, " ")}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: `${prefix}${f.sourcePosition?.file ?? result.project.main}` },
            region: {
              startLine: Math.max(1, f.sourcePosition?.line ?? 1),
              ...(f.sourcePosition?.column ? { startColumn: f.sourcePosition.column } : {}),
            },
          },
          ...(f.urn ? { logicalLocations: [{ fullyQualifiedName: f.urn, kind: "resource" }] } : {}),
        },
      ],
      partialFingerprints: { "meridian/v1": `${f.policy}|${f.urn ?? "stack"}|${f.message}`.slice(0, 500) },
      ...(f.status === "waived" ? { suppressions: [{ kind: "external", justification: f.message }] } : {}),
      properties: { enforcement: f.enforcement, stack: result.stack, status: f.status },
    }));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: run.pack.name,
            version: run.pack.version,
            semanticVersion: run.pack.version,
            informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
            rules,
          },
        },
        automationDetails: {
          id: `meridian-policy/${result.stack}/${result.config[`${result.project.name}:cloud`]?.value ?? "default"}/`,
        },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}

/**
 * The SARIF log of a preview that failed before the pack could judge it (config error, program failure):
 * no results, one invocation marked unsuccessful with the error, so code scanning shows the run failed
 * instead of an empty, clean-looking upload. `packName` is the pack the run would have used (the driver).
 */
export function renderFailureSarif(
  error: string,
  opts: { packName: string; stack: string; cloud?: string },
): string {
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: opts.packName,
            informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
            rules: [],
          },
        },
        automationDetails: { id: `meridian-policy/${opts.stack}/${opts.cloud ?? "default"}/` },
        invocations: [
          {
            executionSuccessful: false,
            toolExecutionNotifications: [{ level: "error", message: { text: error } }],
          },
        ],
        results: [],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
