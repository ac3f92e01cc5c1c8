/**
 * Arg validators and allowed-value lists that several AWS components share (network, database, cache,
 * service, CDN, WAF, observability, backup). Pure: no resources. Each error names the arg, the value and
 * what is allowed (the messages come from `../shared/validate`'s `show`).
 */
import { Tags } from "../shared/tags";
import { show } from "../shared/validate";

/**
 * Retention periods CloudWatch Logs accepts, in days (source: CloudWatch Logs API reference,
 * PutRetentionPolicy `retentionInDays`).
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Validates the tags: a map of string values (the caller builds the standard set). */
export function validateTags(tags: unknown): Tags {
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    throw new Error(`tags is ${show(tags)}; allowed: a map of strings (pass the standard set, awsTags(...))`);
  }
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v !== "string") throw new Error(`tags.${k} is ${show(v)}; allowed: a string`);
  }
  return { ...(tags as Tags) };
}

const DAY = "(mon|tue|wed|thu|fri|sat|sun)";
const HHMM = "([01]\\d|2[0-3]):[0-5]\\d";

/** Validates a `hh24:mi-hh24:mi` window. */
export function validateDailyWindow(arg: string, value: unknown): string {
  if (typeof value !== "string" || !new RegExp(`^${HHMM}-${HHMM}$`).test(value)) {
    throw new Error(
      `${arg} is ${show(value)}; allowed: a UTC window "hh24:mi-hh24:mi" such as "03:00-03:30"`,
    );
  }
  return value;
}

/** Validates a `ddd:hh24:mi-ddd:hh24:mi` window. */
export function validateWeeklyWindow(arg: string, value: unknown): string {
  if (typeof value !== "string" || !new RegExp(`^${DAY}:${HHMM}-${DAY}:${HHMM}$`).test(value)) {
    throw new Error(
      `${arg} is ${show(value)}; allowed: a UTC window "ddd:hh24:mi-ddd:hh24:mi" such as "sun:04:00-sun:05:00"`,
    );
  }
  return value;
}

/** Validates the allowed security groups: a list (possibly empty); literal ids must look like `sg-...`. */
export function validateSecurityGroupIds(arg: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    throw new Error(
      `${arg} is ${show(value)}; allowed: a list of security group ids (the clients' groups); ` +
        `no CIDR access is offered`,
    );
  }
  for (const id of value) {
    if (typeof id === "string" && !/^sg-[0-9a-f]{8,17}$/.test(id)) {
      throw new Error(
        `${arg} contains ${show(id)}; allowed: security group ids such as "sg-0123456789abcdef0"`,
      );
    }
  }
}
