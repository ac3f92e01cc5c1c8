/**
 * Waivers: a stack's policy config may accept a finding for a while, with a reason and an expiry date.
 *
 * They live in the config of the policy `meridian-waivers` (one list for the whole pack, so a reviewer
 * reads every exception in one place):
 *
 * ```json
 * { "meridian-waivers": { "waivers": [
 *     { "rule": "gcp-no-public-members", "resource": "*public-assets*", "reason": "public web assets", "expires": "2026-06-30" }
 * ] } }
 * ```
 *
 * `resource` is a resource URN, or a name pattern (`*` matches any characters) matched against the
 * resource's name and its URN. A finding covered by a valid waiver is still reported, as advisory with a
 * `[waived]` prefix, so reports can list waived findings separately. A waiver without a reason (or with one
 * shorter than {@link MIN_REASON_LENGTH} characters), with an
 * expiry date in the past or unparseable, or naming a rule the pack does not have is itself a violation
 * (`meridian-waiver-valid`), and does not waive anything.
 *
 * How the list reaches the rules: @pulumi/policy gives each policy only its own config. `meridian-waivers`
 * is the first policy of the pack, so for every Analyze call it runs first, reads its config and publishes
 * the list here; the rules that run after it in the same call read it. The stack check runs after every
 * Analyze call. This works the same under the Pulumi CLI and the offline engine (both use the analyzer
 * protocol against this process).
 */
export interface Waiver {
  rule: string;
  resource: string;
  reason?: string;
  expires?: string;
}

export interface WaiverProblem {
  waiver: Waiver;
  problem: string;
}

let current: Waiver[] = [];
let today: string | undefined;

/** Publishes the waiver list (called by the `meridian-waivers` policy with its config). */
export function setWaivers(list: unknown, asOf?: string): void {
  current = Array.isArray(list) ? (list as Waiver[]).filter((w) => w && typeof w === "object") : [];
  today = asOf;
}

/** The published waivers. */
export function waivers(): Waiver[] {
  return current;
}

function todayIso(): string {
  return today ?? new Date().toISOString().slice(0, 10);
}

/** The shortest reason a waiver may give (trimmed): enough for "what is accepted and why", not "ok". */
export const MIN_REASON_LENGTH = 12;

/** Why a waiver is not valid, or undefined when it is. */
export function waiverProblem(w: Waiver, knownRules?: ReadonlySet<string>): string | undefined {
  if (!w.rule || typeof w.rule !== "string") return "names no rule";
  if (knownRules && !knownRules.has(w.rule)) return `names rule "${w.rule}", which the pack does not have`;
  if (!w.resource || typeof w.resource !== "string") return "names no resource (URN or name pattern)";
  if (!w.reason || typeof w.reason !== "string" || w.reason.trim() === "") return "has no reason";
  const reason = w.reason.trim();
  if (reason.length < MIN_REASON_LENGTH)
    return `has a reason of ${reason.length} character${reason.length === 1 ? "" : "s"} (${JSON.stringify(reason)}); state why the finding is accepted in at least ${MIN_REASON_LENGTH} characters`;
  if (!w.expires || !/^\d{4}-\d{2}-\d{2}$/.test(w.expires) || Number.isNaN(Date.parse(w.expires)))
    return `has no valid expiry date (YYYY-MM-DD), got ${JSON.stringify(w.expires ?? null)}`;
  if (w.expires < todayIso()) return `expired on ${w.expires}`;
  return undefined;
}

/** `*` glob to a whole-string regular expression. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** True when the waiver's resource is this URN or its pattern matches the name or the URN. */
export function waiverMatches(w: Waiver, urn: string, name: string): boolean {
  if (w.resource === urn) return true;
  const re = globToRegExp(w.resource);
  return re.test(name) || re.test(urn);
}

/** The valid waiver covering this rule and resource, if any. */
export function waiverFor(rule: string, urn: string, name: string): Required<Waiver> | undefined {
  const w = current.find((x) => x.rule === rule && !waiverProblem(x) && waiverMatches(x, urn, name));
  return w as Required<Waiver> | undefined;
}
