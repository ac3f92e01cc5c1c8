/**
 * The audit report in the preview's four formats, written by the preview's own writers (report.ts,
 * policy/render.ts) plus what only an audit has: where the export came from, the go-live checklist, the
 * posture output, values it could not see, resources that are not live.
 */
import * as path from "node:path";
import { Format } from "../offline/cliArgs";
import { renderJson, renderText, yamlLines } from "../offline/report";
import { renderMarkdown, renderSarif } from "../offline/policy/render";
import { Audit } from "./run";
import { checklistSummary, CheckResult, STATUS_LABEL } from "./checklist";

export interface AuditRenderOptions {
  color: boolean;
  showSecrets: boolean;
  /** Marker comment of the Markdown report (sticky PR comments). */
  marker?: string;
}

/** The first lines of every audit report. */
export function auditBanner(a: Audit): string[] {
  const from = a.loaded.fromPreview
    ? "an export written by the OFFLINE PREVIEW (placeholders, nothing deployed)"
    : `a deployment (${a.loaded.manifest.version ?? "engine version unknown"}${a.loaded.manifest.time ? `, ${a.loaded.manifest.time}` : ""})`;
  return [
    `STACK AUDIT of ${a.result.project.name}/${a.result.stack} from ${a.result.project.main}: ${from}.`,
    "No cloud account, Pulumi CLI or provider plugin was used: the policy pack judged the stored state",
    "(inputs per resource, outputs for the stack), as `pulumi policy analyze --file` does. The go-live checklist",
    "below reads the same state; items marked 'needs a human' say what to confirm.",
  ];
}

function summary(a: Audit): string {
  const c = checklistSummary(a.checklist);
  return `Audit: ${a.result.resources.length} live resources, ${a.loaded.notLive.length} not live, ${a.loaded.hidden.length} unreadable secrets; checklist ${c.pass} pass, ${c.fail} fail, ${c.human} need a human.`;
}

/** Renders one format (`export` is not an audit format). */
export function renderAudit(a: Audit, format: Exclude<Format, "export">, opts: AuditRenderOptions): string {
  if (format === "json") return renderAuditJson(a, opts);
  if (format === "md") return renderAuditMarkdown(a, opts);
  if (format === "sarif") return renderAuditSarif(a);
  return renderAuditText(a, opts);
}

function renderAuditText(a: Audit, opts: AuditRenderOptions): string {
  const base = renderText(a.result, { ...opts, banner: auditBanner(a), closing: summary(a) }, a.policy);
  const out = ["", "Go-live checklist"];
  for (const i of a.checklist) out.push(`  ${STATUS_LABEL[i.status].padEnd(13)} ${i.title}: ${i.why}`);
  if (a.posture === undefined) out.push("", "Posture: the stack has no `posture` output.");
  return base + out.join("\n") + "\n";
}

function renderAuditJson(a: Audit, opts: AuditRenderOptions): string {
  const doc = JSON.parse(renderJson(a.result, { showSecrets: opts.showSecrets }, a.policy)) as Record<
    string,
    unknown
  >;
  return (
    JSON.stringify(
      {
        ...doc,
        kind: "meridian.stack-audit",
        deployed: !a.loaded.fromPreview,
        notice: auditBanner(a).join(" "),
        audit: {
          from: a.result.project.main,
          manifest: a.loaded.manifest,
          fromPreview: a.loaded.fromPreview,
          secretsProvider: a.loaded.secretsProvider ?? null,
          notLive: a.loaded.notLive,
          unreadableSecrets: a.loaded.hidden,
          checklist: a.checklist,
          checklistSummary: checklistSummary(a.checklist),
          posture: a.posture ?? null,
        },
      },
      null,
      2,
    ) + "\n"
  );
}

const ICON: Record<CheckResult["status"], string> = {
  pass: ":white_check_mark:",
  fail: ":x:",
  human: ":eyes:",
};

function renderAuditMarkdown(a: Audit, opts: AuditRenderOptions): string {
  const title = `${a.result.project.name}/${a.result.stack}`;
  const out: string[] = [];
  if (a.policy) {
    // The preview's writer, with its one preview-only sentence said of an export instead.
    const md = renderMarkdown(a.result, a.policy, { marker: opts.marker });
    out.push(
      md
        .replace("### :x: Policy report:", "### :x: Stack audit:")
        .replace("### :white_check_mark: Policy report:", "### :white_check_mark: Stack audit:")
        .replace(
          "Offline preview (nothing was deployed) checked with",
          `${a.loaded.fromPreview ? "An offline preview's export (nothing deployed)" : "The deployed state"} in \`${a.result.project.main}\` checked with`,
        )
        .trimEnd(),
    );
  } else {
    if (opts.marker) out.push(`<!-- ${opts.marker} -->`);
    out.push(
      `### Stack audit: ${title}`,
      "",
      `The state in \`${a.result.project.main}\`; no policy pack ran (--no-policy).`,
    );
  }
  out.push("", "#### Go-live checklist", "", "| | item | why |", "|---|---|---|");
  for (const i of a.checklist)
    out.push(
      `| ${ICON[i.status]} ${STATUS_LABEL[i.status]} | ${i.title} | ${i.why.replace(/\|/g, "\\|").replace(/\n/g, "<br>")} |`,
    );
  out.push("");
  if (a.result.notes.length) {
    out.push("#### Notes", "");
    for (const n of a.result.notes) out.push(`- ${n.level === "warning" ? "**warning** " : ""}${n.message}`);
    out.push("");
  }
  if (a.posture !== undefined)
    out.push(
      "<details><summary>Posture (the stack's <code>posture</code> output)</summary>",
      "",
      "```yaml",
      ...yamlLines(a.posture, 0),
      "```",
      "",
      "</details>",
      "",
    );
  else out.push("The stack has no `posture` output.", "");
  return out.join("\n");
}

const SARIF_KIND: Record<CheckResult["status"], { kind: string; level: string }> = {
  pass: { kind: "pass", level: "none" },
  fail: { kind: "fail", level: "error" },
  human: { kind: "review", level: "note" },
};

/** The pack's SARIF run (when a pack ran), and one run for the checklist (results of kind pass/fail/review). */
function renderAuditSarif(a: Audit): string {
  const log = a.policy
    ? (JSON.parse(renderSarif(a.result, a.policy, { prefix: "" })) as { runs: unknown[] } & Record<
        string,
        unknown
      >)
    : { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [] as unknown[] };
  const uri = path.basename(a.result.project.main);
  log.runs.push({
    tool: {
      driver: {
        name: "meridian-go-live-checklist",
        rules: a.checklist.map((i) => ({ id: i.id, name: i.id, shortDescription: { text: i.title } })),
      },
    },
    automationDetails: { id: `meridian-audit/${a.result.stack}/` },
    results: a.checklist.map((i, index) => ({
      ruleId: i.id,
      ruleIndex: index,
      ...SARIF_KIND[i.status],
      message: { text: `${i.title}: ${STATUS_LABEL[i.status]}. ${i.why}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
          ...(i.resources.length
            ? {
                logicalLocations: i.resources
                  .slice(0, 10)
                  .map((u) => ({ fullyQualifiedName: u, kind: "resource" })),
              }
            : {}),
        },
      ],
    })),
  });
  return JSON.stringify(log, null, 2) + "\n";
}
