/**
 * The key table: every `meridian:*` key, grouped by area (one file each), in documentation order. The single
 * source for validation, defaults, the "did you mean" suggestion and docs/config.md.
 */
import type { Cloud, KeyDef } from "../types";

import { DATA_KEYS } from "./data";
import { EDGE_KEYS } from "./edge";
import { GENERAL_KEYS } from "./general";
import { NETWORK_KEYS } from "./network";
import { SERVICE_KEYS } from "./service";

const KEY_DEFS = { ...GENERAL_KEYS, ...NETWORK_KEYS, ...SERVICE_KEYS, ...DATA_KEYS, ...EDGE_KEYS };

/** The name of a `meridian:*` key (without the namespace). */
export type KeyName = keyof typeof KEY_DEFS;

/** A readable summary of a key's rules, generated from the table so docs/config.md cannot drift. */
function rulesSummary(def: KeyDef): string {
  const rules: string[] = [];
  if (def.oneOf) rules.push(`One of ${def.oneOf.join(", ")}.`);
  if (def.min !== undefined && def.max !== undefined) rules.push(`Range ${def.min}-${def.max}.`);
  else if (def.min !== undefined) rules.push(`At least ${def.min}.`);
  if (def.cidr) {
    const { minPrefix, maxPrefix } = def.cidr;
    const size = minPrefix === maxPrefix ? `exactly /${minPrefix}` : `prefix /${minPrefix} to /${maxPrefix}`;
    rules.push(`IPv4 CIDR, ${size}, aligned to its prefix, inside RFC 1918 (10/8, 172.16/12, 192.168/16).`);
  }
  if (def.patternHint) rules.push(`Format: ${def.patternHint}.`);
  if (def.activeWhen) rules.push(`Checked only when ${def.activeWhen.key} is ${def.activeWhen.equals}.`);
  if (def.prod?.min !== undefined) rules.push(`prod: at least ${def.prod.min}.`);
  if (def.prod?.equals !== undefined) rules.push(`prod: must be ${def.prod.equals}.`);
  return rules.join(" ");
}

/**
 * Every `meridian:*` key, in documentation order: type, allowed values, defaults per profile, rules
 * and description (with the rules summary appended). The single source for validation, defaults, the
 * "did you mean" suggestion and docs/config.md.
 */
export const KNOWN_KEYS: Readonly<Record<KeyName, KeyDef>> = Object.freeze(
  Object.fromEntries(
    Object.entries(KEY_DEFS as Record<string, KeyDef>).map(([name, def]) => {
      const summary = rulesSummary(def);
      return [
        name,
        Object.freeze({ ...def, description: summary ? `${def.description} ${summary}` : def.description }),
      ];
    }),
  ) as Record<KeyName, KeyDef>,
);

export const KEY_NAMES = Object.keys(KNOWN_KEYS) as KeyName[];

/** Provider keys Meridian reads; required when their cloud is selected, else checked only if set. */
export const PROVIDER_KEYS: readonly {
  key: string;
  cloud: Cloud;
  pattern: RegExp;
  what: string;
  example: string;
}[] = [
  {
    key: "aws:region",
    cloud: "aws",
    pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
    what: "an AWS region like us-east-1",
    example: "us-east-1",
  },
  {
    key: "gcp:project",
    cloud: "gcp",
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    what: "a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter",
    example: "my-project-id",
  },
  {
    key: "gcp:region",
    cloud: "gcp",
    pattern: /^[a-z]+-[a-z]+\d+$/,
    what: "a GCP region like us-central1",
    example: "us-central1",
  },
];
