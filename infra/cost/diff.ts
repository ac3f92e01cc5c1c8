/**
 * The cost difference between two estimates (base branch vs head of a PR), grouped by what a reviewer
 * reads ("NAT gateway"), largest change first: "+$65.70/month: NAT gateway (1 -> 3)".
 */
import { Estimate } from "./estimate";

export interface DiffLine {
  label: string;
  /** USD per month, head minus base. */
  delta: number;
  baseCount: number;
  headCount: number;
  /** Per-resource changes: added, removed, or a changed detail ("db.t4g.micro -> db.m7g.large"). */
  changes: string[];
}

export interface CostDiff {
  base: number;
  head: number;
  delta: number;
  lines: DiffLine[];
  /** Resources unpriced in head that were not in base. */
  newlyUnpriced: string[];
}

/** Changes under half a cent a month are noise from rounding, not a change. */
const EPSILON = 0.005;
/** Per-resource changes listed on one diff line. */
const MAX_CHANGES = 4;

export function diffEstimates(base: Estimate, head: Estimate): CostDiff {
  const labels = new Set([...base.lines, ...head.lines].map((l) => l.label));
  const lines: DiffLine[] = [];
  for (const label of labels) {
    const b = base.lines.filter((l) => l.label === label);
    const h = head.lines.filter((l) => l.label === label);
    const delta = h.reduce((s, l) => s + l.monthly, 0) - b.reduce((s, l) => s + l.monthly, 0);
    if (Math.abs(delta) < EPSILON) continue;
    const bByName = new Map(b.map((l) => [l.name, l]));
    const hByName = new Map(h.map((l) => [l.name, l]));
    const changes: string[] = [];
    for (const l of h) {
      const was = bByName.get(l.name);
      if (!was) changes.push(`${l.name} added`);
      else if (was.detail !== l.detail && was.detail && l.detail)
        changes.push(`${l.name}: ${was.detail} -> ${l.detail}`);
    }
    for (const l of b) if (!hByName.has(l.name)) changes.push(`${l.name} removed`);
    // A reviewer needs the gist: the first few changes, then how many more.
    const shown =
      changes.length > MAX_CHANGES
        ? [...changes.slice(0, MAX_CHANGES - 1), `${changes.length - MAX_CHANGES + 1} more`]
        : changes;
    lines.push({ label, delta, baseCount: b.length, headCount: h.length, changes: shown });
  }
  lines.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.label.localeCompare(y.label));
  const known = new Set(base.unpriced.map((u) => u.urn));
  return {
    base: base.total,
    head: head.total,
    delta: head.total - base.total,
    lines,
    newlyUnpriced: head.unpriced
      .filter((u) => !known.has(u.urn))
      .map((u) => `${u.name} (${u.label}): ${u.reason}`),
  };
}

/** "+$34.00", "-$2.50", "$0.00". */
export function signedUsd(n: number): string {
  const abs = usd(Math.abs(n));
  if (Math.abs(n) < EPSILON) return abs;
  return `${n > 0 ? "+" : "-"}${abs}`;
}

/** "$1,234.57". */
export function usd(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** One line per change: "+$65.70/month: NAT gateway (1 -> 3: meridian-prod-network-nat-c added, ...)". */
export function diffLines(d: CostDiff): string[] {
  return d.lines.map((l) => {
    const count = l.baseCount !== l.headCount ? `${l.baseCount} -> ${l.headCount}` : "";
    const what = [count, ...l.changes].filter(Boolean).join("; ");
    return `${signedUsd(l.delta)}/month: ${l.label}${what ? ` (${what})` : ""}`;
  });
}
