/**
 * Renders an offline preview: the terminal report people read and the JSON graph tools read.
 */
import { policyTextLines } from "./policy/render";
import type { PolicyRun } from "./policy/run";
import { PreviewResult } from "./run";
import { CapturedResource, displayValue, unknownPaths } from "./runtime";
import { urnName, urnType } from "./urn";

export interface RenderOptions {
  color: boolean;
  showSecrets: boolean;
  /** Replaces the offline-preview banner (the audit of a deployed stack: infra/audit). */
  banner?: string[];
  /** Replaces the closing "Offline preview: N resources ..." line. */
  closing?: string;
}

const style = (on: boolean) => ({
  bold: (s: string) => (on ? `\x1b[1m${s}\x1b[22m` : s),
  dim: (s: string) => (on ? `\x1b[2m${s}\x1b[22m` : s),
  yellow: (s: string) => (on ? `\x1b[33m${s}\x1b[39m` : s),
  cyan: (s: string) => (on ? `\x1b[36m${s}\x1b[39m` : s),
  green: (s: string) => (on ? `\x1b[32m${s}\x1b[39m` : s),
  red: (s: string) => (on ? `\x1b[31m${s}\x1b[39m` : s),
});

/** Counts of resources by type token, most frequent first. */
export function countByType(resources: CapturedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The banner every report starts with: this is not a deployment. */
export function banner(result: PreviewResult): string[] {
  return [
    `OFFLINE PREVIEW of ${result.project.name}/${result.stack}: nothing was deployed.`,
    "No cloud account, Pulumi CLI or provider plugin was used. Ids, ARNs, endpoints and addresses are",
    "placeholders computed by Meridian's offline model (account 123456789012); values shown as [unknown]",
    "are known only after a real `pulumi up`. Use this to review what a stack creates, not what it costs to run.",
  ];
}

/** The terminal report; with a policy run, its violations come last, before the summary line. */
export function renderText(result: PreviewResult, opts: RenderOptions, policy?: PolicyRun): string {
  const s = style(opts.color);
  const out: string[] = [];
  const rule = "=".repeat(100);
  out.push(s.yellow(rule));
  for (const line of opts.banner ?? banner(result)) out.push(s.yellow(line));
  out.push(s.yellow(rule), "");

  const cloud = result.config[`${result.project.name}:cloud`]?.value;
  out.push(
    `${s.bold("Project")} ${result.project.name}  ${s.bold("Stack")} ${result.stack}` +
      (cloud ? `  ${s.bold("Cloud")} ${cloud}` : "") +
      `  ${s.bold("Program")} ${result.project.main}`,
    "",
  );

  // Resource tree, grouped by component.
  const children = new Map<string, CapturedResource[]>();
  const roots: CapturedResource[] = [];
  const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
  for (const r of result.resources) {
    if (r.parent && byUrn.has(r.parent)) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    } else roots.push(r);
  }
  const descendants = (urn: string): CapturedResource[] =>
    (children.get(urn) ?? []).flatMap((c) => [c, ...descendants(c.urn)]);

  out.push(s.bold(`Resources (${result.resources.length})`));
  const walk = (r: CapturedResource, prefix: string, last: boolean, depth: number) => {
    const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
    const kids = children.get(r.urn) ?? [];
    let line = `${prefix}${branch}${r.custom ? r.type : s.cyan(r.type)}  ${s.bold(r.name)}`;
    if (!r.custom && r.type !== "pulumi:pulumi:Stack") {
      const all = descendants(r.urn);
      line += s.dim(
        `  (${all.length} resources: ${countByType(all)
          .map(([t, n]) => `${n} ${shortType(t)}`)
          .join(", ")})`,
      );
    }
    if (r.custom) {
      const unknown = Object.keys(r.outputs).filter((k) => unknownPaths(r.outputs[k]).length > 0);
      const flags: string[] = [];
      if (r.options.protect) flags.push("protected");
      if (r.options.deleteBeforeReplace) flags.push("deleteBeforeReplace");
      if (r.options.retainOnDelete) flags.push("retainOnDelete");
      if (r.options.ignoreChanges?.length) flags.push(`ignoreChanges: ${r.options.ignoreChanges.join(",")}`);
      if (unknown.length) flags.push(`${unknown.length} unknown`);
      if (r.provider && !r.provider.includes("::default_"))
        flags.push(`provider: ${r.provider.split("::")[3] ?? r.provider}`);
      if (flags.length) line += s.dim(`  [${flags.join("; ")}]`);
    }
    out.push(line);
    const nextPrefix = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
    kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1, depth + 1));
  };
  roots.forEach((r, i) => walk(r, "", i === roots.length - 1, 0));
  out.push("");

  out.push(s.bold("Resources by type"));
  const counts = countByType(result.resources);
  const width = Math.max(...counts.map(([t]) => t.length), 4);
  for (const [t, n] of counts) out.push(`  ${t.padEnd(width)}  ${String(n).padStart(4)}`);
  out.push("");

  out.push(s.bold("Outputs"));
  const outputs = displayValue(result.outputs, opts.showSecrets) as Record<string, unknown>;
  if (Object.keys(outputs).length === 0) out.push(s.dim("  (none)"));
  else out.push(...yamlLines(outputs, 1));
  out.push("");

  if (result.diagnostics.length) {
    out.push(s.bold("Diagnostics"));
    for (const d of result.diagnostics) {
      const who = d.urn ? `${urnType(d.urn)} ${urnName(d.urn)}: ` : "";
      out.push(
        `  ${d.severity === "warning" ? s.yellow("warning") : d.severity.padEnd(7)} ${who}${d.message}`,
      );
    }
    out.push("");
  }
  if (result.notes.length) {
    out.push(s.bold("Notes"));
    for (const n of result.notes)
      out.push(`  ${n.level === "warning" ? s.yellow("warning") : s.dim("info   ")} ${n.message}`);
    out.push("");
  }
  if (policy) out.push(...policyTextLines(policy, s), "");
  const custom = result.resources.filter((r) => r.custom).length;
  out.push(
    s.green(
      opts.closing ??
        `Offline preview: ${plural(result.resources.length, "resource")} (${plural(custom, "cloud resource")}, ${plural(result.resources.length - custom, "component")}) ` +
          `in ${(result.durationMs / 1000).toFixed(1)}s. Nothing was deployed.`,
    ),
  );
  return out.join("\n") + "\n";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `aws:ec2/subnet:Subnet` -> `Subnet`; keeps the package for component types. */
function shortType(t: string): string {
  const parts = t.split(":");
  return parts.length === 3 && parts[0] !== "meridian" ? parts[2] : t;
}

/** A small YAML-like rendering of plain JSON values. */
export function yamlLines(value: unknown, indent: number): string[] {
  const pad = "  ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((v) => {
      if (v !== null && typeof v === "object") {
        const [first, ...rest] = yamlLines(v, indent + 1);
        return [`${pad}- ${first.trimStart()}`, ...rest];
      }
      return [`${pad}- ${scalar(v)}`];
    });
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([k, v]) => {
      if (v !== null && typeof v === "object" && (Array.isArray(v) ? v.length : Object.keys(v).length)) {
        return [`${pad}${k}:`, ...yamlLines(v, indent + 1)];
      }
      return [
        `${pad}${k}: ${v !== null && typeof v === "object" ? (Array.isArray(v) ? "[]" : "{}") : scalar(v)}`,
      ];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function scalar(v: unknown): string {
  if (typeof v === "string") return v === "[secret]" || v === "[unknown]" ? v : JSON.stringify(v);
  return String(v);
}

/** The JSON graph: every resource with display values, for other tools (plus policy results when run). */
export function renderJson(
  result: PreviewResult,
  opts: { showSecrets: boolean },
  policy?: PolicyRun,
): string {
  const resources = result.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    parent: r.parent ?? null,
    id: r.id ?? null,
    provider: r.provider ?? null,
    providers: r.providers ?? undefined,
    inputs: displayValue(r.inputs, opts.showSecrets),
    outputs: displayValue(r.outputs, opts.showSecrets),
    computedByModel: r.computed,
    unknownOutputs: unknownPaths(r.outputs),
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    options: r.options,
    sourcePosition: r.sourcePosition ?? null,
  }));
  const doc = {
    kind: result.kind,
    formatVersion: result.formatVersion,
    deployed: result.deployed,
    notice: banner(result).join(" "),
    project: result.project,
    stack: result.stack,
    sdkVersion: result.sdkVersion,
    config: result.config,
    summary: {
      resources: result.resources.length,
      custom: result.resources.filter((r) => r.custom).length,
      components: result.resources.filter((r) => !r.custom).length,
      byType: Object.fromEntries(countByType(result.resources)),
    },
    resources,
    outputs: displayValue(result.outputs, opts.showSecrets),
    diagnostics: result.diagnostics,
    notes: result.notes,
    ...(policy ? { policy } : {}),
    durationMs: result.durationMs,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

/**
 * The Markdown report of a preview that failed before any policy ran (bad config, a program error): the PR
 * comment shows the error instead of "no report".
 */
export function renderFailureMarkdown(
  what: { project?: string; stack?: string; cloud?: string },
  message: string,
  opts: { marker?: string } = {},
): string {
  const title = `${what.project ?? "(no project)"}/${what.stack ?? "(no stack)"}${what.cloud ? ` (${what.cloud})` : ""}`;
  const out: string[] = [];
  if (opts.marker) out.push(`<!-- ${opts.marker} -->`);
  const fence = message.includes("```") ? "~~~~" : "```";
  out.push(
    `### :x: Policy report: ${title}: the preview failed`,
    "",
    "The offline preview stopped before the policy pack could check it (nothing was deployed). The error:",
    "",
    `${fence}text`,
    message.trimEnd(),
    fence,
    "",
  );
  return out.join("\n");
}
