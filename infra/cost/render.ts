/**
 * Cost reports: plain text for a terminal and a Markdown section for the PR comment — the monthly total,
 * where the money goes (by component and by resource), what could not be priced, the usage assumptions and
 * the catalogue's unverified prices; with a base estimate, the difference first.
 */
import { Assumptions } from "./catalogue";
import { CostDiff, diffLines, signedUsd, usd } from "./diff";
import { Estimate } from "./estimate";

const ASSUMPTION_TEXT: Record<keyof Assumptions, string> = {
  hoursPerMonth: "hours a month",
  edgeRequestsPerMonth: "requests a month through CDN/WAF/LB",
  cdnEgressGbPerMonth: "GB a month served by the CDN",
  natProcessedGbPerGateway: "GB a month through each NAT",
  albLcuAverage: "average ALB LCUs",
  logIngestGbPerGroup: "GB a month ingested per log group/bucket",
  auditLogIngestGbPerMonth: "GiB a month of GCP Data Access audit logs",
  objectStorageGbPerBucket: "GB stored per bucket",
  imageStorageGb: "GB of container images",
  jobRunsPerMonth: "scheduled job runs a month",
  jobMinutesPerRun: "minutes per job run",
  backupStoredGbFactor: "x database storage kept as backups",
};

/** Assumptions that only one cloud's prices use (the others apply to both). */
const ASSUMPTION_CLOUD: Partial<Record<keyof Assumptions, string>> = { auditLogIngestGbPerMonth: "gcp" };

/** The usage assumptions in words, without those of the other cloud when `cloud` is given. */
export function assumptionsLine(a: Assumptions, cloud?: string): string {
  return (Object.keys(ASSUMPTION_TEXT) as (keyof Assumptions)[])
    .filter((k) => cloud === undefined || (ASSUMPTION_CLOUD[k] ?? cloud) === cloud)
    .map((k) => `${a[k].toLocaleString("en-US")} ${ASSUMPTION_TEXT[k]}`)
    .join(", ");
}

function byComponent(e: Estimate): [string, number][] {
  const m = new Map<string, number>();
  for (const l of e.lines)
    m.set(l.component || "(stack)", (m.get(l.component || "(stack)") ?? 0) + l.monthly);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

function byLabel(e: Estimate): { label: string; count: number; monthly: number; details: string[] }[] {
  const m = new Map<string, { label: string; count: number; monthly: number; details: string[] }>();
  for (const l of e.lines) {
    const row = m.get(l.label) ?? { label: l.label, count: 0, monthly: 0, details: [] };
    row.count++;
    row.monthly += l.monthly;
    if (l.detail && !row.details.includes(l.detail)) row.details.push(l.detail);
    m.set(l.label, row);
  }
  return [...m.values()].sort((a, b) => b.monthly - a.monthly);
}

const title = (e: Estimate) => `${e.stack}-${e.cloud}`;

export function renderCostText(e: Estimate, diff?: CostDiff): string {
  const out: string[] = [];
  out.push(
    `Estimated cost of ${e.project}/${title(e)}: ${usd(e.total)}/month (list prices, before free tiers)`,
  );
  if (diff) {
    out.push(`Change against base: ${signedUsd(diff.delta)}/month (${usd(diff.base)} -> ${usd(diff.head)})`);
    for (const l of diffLines(diff)) out.push(`  ${l}`);
    for (const u of diff.newlyUnpriced) out.push(`  newly unpriced: ${u}`);
  }
  out.push("", "Where the money goes:");
  for (const r of byLabel(e))
    out.push(
      `  ${usd(r.monthly).padStart(10)}  ${r.label}${r.count > 1 ? ` x${r.count}` : ""}${r.details.length ? ` (${r.details.join("; ")})` : ""}`,
    );
  if (e.unpriced.length) {
    out.push("", "Not priced (billed, but not computable offline):");
    for (const u of e.unpriced) out.push(`  ${u.name} (${u.type}): ${u.reason}`);
  }
  if (e.usageOnly.length) {
    out.push("", "Usage only (not in the total):");
    for (const u of e.usageOnly) out.push(`  ${u.name} (${u.label}): ${u.reason}`);
  }
  out.push("", `Assumptions: ${assumptionsLine(e.assumptions, e.cloud)}.`);
  if (e.regionWarning) out.push(`Warning: ${e.regionWarning}.`);
  if (e.unverified.length)
    out.push(`Unverified prices used: ${e.unverified.join(", ")} (see infra/cost/prices.yaml).`);
  return `${out.join("\n")}\n`;
}

export function renderCostMarkdown(e: Estimate, diff?: CostDiff): string {
  const out: string[] = [];
  const head = `### Cost: ${title(e)} — ${usd(e.total)}/month`;
  out.push(diff ? `${head} (${signedUsd(diff.delta)}/month against the base branch)` : head, "");
  if (diff) {
    if (diff.lines.length === 0) out.push("No change in the estimated monthly cost.", "");
    else {
      for (const l of diffLines(diff)) out.push(`- ${l.replace(/^([+-]?\$[\d,.]+\/month)/, "**$1**")}`);
      out.push("");
    }
    for (const u of diff.newlyUnpriced) out.push(`- :warning: newly unpriced: ${u}`);
  }
  out.push("<details><summary>Where the money goes</summary>", "");
  out.push("| component | monthly |", "| --- | ---: |");
  for (const [c, v] of byComponent(e)) out.push(`| ${c} | ${usd(v)} |`);
  out.push("", "| resource | count | monthly | what drives it |", "| --- | ---: | ---: | --- |");
  for (const r of byLabel(e))
    out.push(`| ${r.label} | ${r.count} | ${usd(r.monthly)} | ${r.details.join("; ")} |`);
  out.push("");
  if (e.unpriced.length) {
    out.push("Not priced (billed, but not computable offline):", "");
    for (const u of e.unpriced) out.push(`- \`${u.name}\` (${u.label}): ${u.reason}`);
    out.push("");
  }
  out.push(
    `List prices (${e.region ?? "default region"}; before free tiers and discounts; catalogue \`infra/cost/prices.yaml\`, ` +
      `prices dated ${e.pricesDated ?? "n/a"}; ${e.unverified.length} of the prices used are marked unverified). ` +
      `Usage assumed: ${assumptionsLine(e.assumptions, e.cloud)}. Usage-only resources not in the total: ${e.usageOnly.length}.`,
    "",
    ...(e.regionWarning ? [`:warning: ${e.regionWarning}.`, ""] : []),
    "</details>",
    "",
  );
  return out.join("\n");
}
