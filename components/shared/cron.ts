/**
 * The 5-field cron Meridian's config takes for the scheduled job (minute hour day-of-month month
 * day-of-week, numbers only, UTC): one checker for config validation and the components. Names (MON, JAN)
 * are refused because the clouds' dialects differ on them; `./schedule` translates for EventBridge,
 * Cloud Scheduler takes the expression as-is (unix-cron, https://cloud.google.com/scheduler/docs/configuring/cron-job-schedules).
 */
import { show } from "./validate";

const FIELDS: readonly [string, number, number][] = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day-of-month", 1, 31],
  ["month", 1, 12],
  ["day-of-week", 0, 6],
];

/**
 * Returns what is wrong with a 5-field cron, or undefined when it is valid. Each field is `*`, a number, a
 * range `a-b`, a list `a,b` or a step `* /n` / `a-b/n`, numbers within the field's range.
 */
export function cronProblem(v: string): string | undefined {
  const fields = v.trim().split(/\s+/);
  if (fields.length !== 5)
    return `a 5-field cron (minute hour day-of-month month day-of-week), e.g. "15 3 * * *"`;
  for (const [i, field] of fields.entries()) {
    const [name, lo, hi] = FIELDS[i];
    for (const part of field.split(",")) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      const bounds = m ? [m[2], m[3]].filter((x) => x !== undefined).map(Number) : [];
      const inRange = bounds.every((x) => x >= lo && x <= hi);
      const ordered = bounds.length < 2 || bounds[0] <= bounds[1];
      if (!m || !inRange || !ordered || (m[4] !== undefined && +m[4] < 1))
        return `${name} field "${part}" is not valid; allowed: *, ${lo}-${hi}, ranges a-b, lists a,b and steps */n`;
    }
  }
  return undefined;
}

/** Returns the cron normalised to single spaces, or throws `<arg> is <value>: <problem>`. */
export function checkCron(arg: string, v: unknown): string {
  const problem = typeof v === "string" ? cronProblem(v) : "a 5-field cron string";
  if (problem !== undefined) throw new Error(`${arg} is ${show(v)}; allowed: ${problem}`);
  return (v as string).trim().split(/\s+/).join(" ");
}
