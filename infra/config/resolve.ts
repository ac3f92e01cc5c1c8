/** Reading, parsing and checking each key on its own (defaults by profile and cloud, ranges, formats). */
import { cidrFinding } from "./findings";
import { KEY_NAMES, KNOWN_KEYS, type KeyName } from "./keys";
import { Problems } from "./problems";
import {
  type Cloud,
  type ConfigKind,
  type ConfigScalar,
  type Finding,
  type KeyDef,
  type Profile,
  full,
} from "./types";

/** The default profile of a stack: "prod" for prod, prod-*, production*; else "dev". */
export function profileFromStack(stack: string): Profile {
  return stack === "prod" || stack.startsWith("prod-") || stack.startsWith("production") ? "prod" : "dev";
}

/** A key's default for a profile and cloud (undefined when the key has none). */
export function defaultFor(
  def: KeyDef,
  profile: Profile,
  cloud: Cloud | undefined,
): ConfigScalar | undefined {
  const d = def.default;
  if (typeof d === "function") return d(profile, cloud);
  if (d !== null && typeof d === "object") return d[profile];
  return d;
}

type Parsed = { ok: true; value: ConfigScalar } | { ok: false; message: string };

/** Parses a raw Pulumi config string by kind: strict decimal integers and numbers, true/false only. */
export function parseScalar(kind: ConfigKind, text: string): Parsed {
  switch (kind) {
    case "string":
      return { ok: true, value: text };
    case "boolean":
      return text === "true" || text === "false"
        ? { ok: true, value: text === "true" }
        : { ok: false, message: "expected true or false" };
    case "integer":
      return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))
        ? { ok: true, value: Number(text) }
        : { ok: false, message: "expected an integer, like 3" };
    case "number":
      return /^-?(\d+(\.\d+)?|\.\d+)$/.test(text)
        ? { ok: true, value: Number(text) }
        : { ok: false, message: "expected a number, like 0.5" };
  }
}

/** What is wrong with a parsed value under the key's own rules (not rules across keys). */
export function keyFinding(def: KeyDef, value: ConfigScalar, profile: Profile): Finding | undefined {
  if (typeof value === "string") {
    if (def.allowed && !def.allowed.includes(value))
      return `not ${def.noun ?? "an allowed value"}; allowed: ${def.allowed.join(", ")}`;
    if (value === "") return "is empty; set a value, or remove the key to use the default";
    if (def.pattern && !def.pattern.test(value)) return `not ${def.patternHint ?? "in the expected format"}`;
    if (def.cidr) {
      const f = cidrFinding(value, def.cidr.minPrefix, def.cidr.maxPrefix);
      if (f) return f;
    }
    if (def.check) {
      const f = def.check(value);
      if (f) return f;
    }
  }
  if (typeof value === "number") {
    if (def.oneOf && !def.oneOf.includes(value)) return `allowed: ${def.oneOf.join(", ")}`;
    const { min, max } = def;
    if ((min !== undefined && value < min) || (max !== undefined && value > max))
      return max === undefined ? `must be at least ${min}` : `must be between ${min} and ${max}`;
  }
  if (profile === "prod" && def.prod) {
    const { min, equals, why } = def.prod;
    if (min !== undefined && typeof value === "number" && value < min)
      return `must be at least ${min} in prod (${why})`;
    if (equals !== undefined && value !== equals) return `must be ${equals} in prod (${why})`;
  }
  return undefined;
}

/** The resolved value of every key, and which keys failed their own checks. */
export interface Resolved {
  readonly cloud: Cloud | undefined;
  readonly profile: Profile;
  readonly values: Readonly<Record<string, string>>;
  readonly problems: Problems;
  /** The value of a key (its default when unset or invalid). */
  get(name: KeyName): ConfigScalar | undefined;
  /** True when none of these keys had a problem of its own. */
  valid(...names: KeyName[]): boolean;
}

/** True when the key takes part in this stack: its cloud is selected (or it is set) and it is active. */
export function keyApplies(
  name: KeyName,
  def: KeyDef,
  r: Pick<Resolved, "cloud" | "values">,
  get: (n: KeyName) => unknown,
): boolean {
  if (def.activeWhen && get(def.activeWhen.key as KeyName) !== def.activeWhen.equals) return false;
  return def.cloud === "both" || def.cloud === r.cloud || r.values[full(name)] !== undefined;
}

/** Reads, parses and checks every key of the table, collecting problems. */
export function resolveKeys(
  project: string,
  stack: string,
  values: Readonly<Record<string, string>>,
  problems: Problems,
): Resolved {
  const resolved = new Map<KeyName, ConfigScalar | undefined>();
  const invalid = new Set<KeyName>();
  const get = (name: KeyName) => resolved.get(name);

  // cloud and profile first: the other defaults depend on them.
  const cloudText = values[full("cloud")];
  let cloud: Cloud | undefined;
  if (cloudText === undefined || cloudText === "") {
    problems.add(
      full("cloud"),
      "is required; allowed: aws, gcp (set it with `pulumi config set meridian:cloud aws`)",
    );
    invalid.add("cloud");
  } else {
    const f = keyFinding(KNOWN_KEYS.cloud, cloudText, "dev");
    if (f) {
      problems.add(full("cloud"), f);
      invalid.add("cloud");
    } else cloud = cloudText as Cloud;
  }
  resolved.set("cloud", cloud);

  let profile = profileFromStack(stack);
  const profileText = values[full("profile")];
  if (profileText !== undefined) {
    const f = keyFinding(KNOWN_KEYS.profile, profileText, profile);
    if (f) {
      problems.add(full("profile"), f);
      invalid.add("profile");
    } else profile = profileText as Profile;
  }
  resolved.set("profile", profile);

  const ctx = { cloud, values };
  for (const name of KEY_NAMES) {
    if (name === "cloud" || name === "profile") continue;
    const def = KNOWN_KEYS[name];
    const key = full(name);
    const text = values[key];
    const fallback = name === "appName" ? project : defaultFor(def, profile, cloud);
    if (!keyApplies(name, def, ctx, get)) {
      resolved.set(name, text ?? fallback);
      continue;
    }
    if (text === undefined) {
      resolved.set(name, fallback);
      // The project name stands in for appName: it must be a valid app name too.
      if (name === "appName" && fallback !== undefined) {
        const f = keyFinding(def, fallback, profile);
        if (f) {
          problems.add(key, `the project name is not a valid app name (${f}); set meridian:appName`, project);
          invalid.add(name);
        }
      }
      continue;
    }
    const parsed = parseScalar(def.kind, text);
    const finding = parsed.ok ? keyFinding(def, parsed.value, profile) : parsed.message;
    if (finding !== undefined) {
      problems.add(key, finding);
      invalid.add(name);
      resolved.set(name, fallback);
    } else resolved.set(name, parsed.ok ? parsed.value : fallback);
  }

  return {
    cloud,
    profile,
    values,
    problems,
    get,
    valid: (...names) => names.every((n) => !invalid.has(n)),
  };
}
