/**
 * Standard tags (AWS) and labels (GCP).
 *
 * Every resource Meridian creates carries the same five keys, so cost reports, inventory and the policy
 * pack's required-tags rule see one vocabulary on both clouds:
 * `app`, `environment`, `owner`, `cost-center`, `managed-by`.
 */
import { toAscii } from "./naming";
import { show } from "./validate";

/** The inputs of the standard tag set. */
export interface StandardTagInputs {
  /** Application name, e.g. `meridian`. */
  app: string;
  /** Environment (the stack's profile or name), e.g. `dev`, `prod`. */
  environment: string;
  /** Owning team, e.g. `platform`. */
  owner: string;
  /** Cost center for chargeback, e.g. `cc-1234`. */
  costCenter: string;
  /** Extra tags, merged last (cannot override the standard keys). */
  extra?: Record<string, string>;
}

/** The standard keys, in the order they are documented. */
export const STANDARD_TAG_KEYS = ["app", "environment", "owner", "cost-center", "managed-by"] as const;

/** Tag map as AWS takes it. */
export type Tags = Record<string, string>;

/**
 * Builds the AWS tag set. Values are ASCII-folded and cut to AWS's 256-character limit; keys to 128.
 * Extra tags cannot override a standard key (that would break cost reports silently): doing so throws.
 */
export function awsTags(t: StandardTagInputs): Tags {
  const tags: Tags = {
    app: t.app,
    environment: t.environment,
    owner: t.owner,
    "cost-center": t.costCenter,
    "managed-by": "pulumi",
  };
  for (const [k, v] of Object.entries(t.extra ?? {})) {
    if ((STANDARD_TAG_KEYS as readonly string[]).includes(k)) {
      throw new Error(
        `tags: extra tag "${k}" would override a standard tag; standard keys are ${STANDARD_TAG_KEYS.join(", ")}`,
      );
    }
    if (k.toLowerCase().startsWith("aws:"))
      throw new Error(`tags: key "${k}" uses the reserved prefix "aws:"`);
    tags[k] = v;
  }
  const out: Tags = {};
  for (const [k, v] of Object.entries(tags)) {
    out[toAscii(k, "_").slice(0, 128)] = toAscii(v, "_").slice(0, 256);
  }
  return out;
}

/** Adds the `Name` tag AWS consoles display. */
export function withName(tags: Tags, name: string): Tags {
  return { ...tags, Name: toAscii(name, "_").slice(0, 256) };
}

/**
 * Builds GCP labels from the same inputs. GCP label keys and values allow only lowercase letters,
 * digits, `_` and `-`, at most 63 characters, and keys must start with a letter.
 */
export function gcpLabels(t: StandardTagInputs): Tags {
  const out: Tags = {};
  for (const [k, v] of Object.entries(awsTags(t))) {
    const key = labelPart(k);
    if (!/^[a-z]/.test(key)) throw new Error(`labels: key "${k}" must start with a lowercase letter on GCP`);
    out[key] = labelPart(v);
  }
  return out;
}

function labelPart(s: string): string {
  return toAscii(s)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "-")
    .slice(0, 63);
}

/** Validates GCP labels: keys `[a-z][a-z0-9_-]{0,62}`, values `[a-z0-9_-]{0,63}`, at most 64 labels. */
export function validateLabels(labels: Record<string, string> = {}): Record<string, string> {
  const entries = Object.entries(labels);
  if (entries.length > 64) throw new Error(`labels has ${entries.length} entries; allowed: at most 64`);
  for (const [k, v] of entries) {
    if (!/^[a-z][a-z0-9_-]{0,62}$/.test(k)) {
      throw new Error(`labels key ${show(k)} is invalid; allowed: [a-z][a-z0-9_-]{0,62} (GCP label key)`);
    }
    if (typeof v !== "string" || !/^[a-z0-9_-]{0,63}$/.test(v)) {
      throw new Error(`labels.${k} value ${show(v)} is invalid; allowed: [a-z0-9_-]{0,63} (GCP label value)`);
    }
  }
  return { ...labels };
}
