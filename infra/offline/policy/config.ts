/**
 * Policy config files (`--policy-pack-config FILE`), parsed and reconciled by the Pulumi CLI's rules
 * (pulumi/pulumi pkg/resource/analyzer/config.go: parsePolicyPackConfig, ReconcilePolicyPackConfig,
 * validatePolicyPackConfig; pkg/resource/plugin/analyzer_plugin.go: Configure):
 *
 * - the file is one JSON object (empty content means no config); `environments` names ESC environments
 *   (an array of strings), which only a Pulumi Cloud backend resolves;
 * - every other top-level key is a policy name, `all` included; its value is an enforcement level string
 *   (advisory | mandatory | remediate | disabled) or an object whose `enforcementLevel`, if present, is
 *   one, and whose other properties are that policy's config;
 * - reconciling starts from the pack's defaults (each policy's level and its schema's `default`s), applies
 *   `all`'s level to every policy, then each entry; then every policy with a config schema has its
 *   properties validated against `{ type: object, properties, required }` (JSON schema, so nested
 *   `additionalProperties`, `enum`, `items`... apply; the top level admits extra properties, as in the
 *   CLI); a key whose resulting level is empty fails the CLI's Configure (`invalid enforcement level ""`).
 *
 * Errors use the CLI's wording, prefixed with the file. One deliberate difference: a key that names no
 * policy of the pack (other than `all`) is an error here; the CLI passes it to the pack, which ignores
 * it, so a misspelt rule id would silently leave the rule at its default.
 */
import * as fs from "node:fs";
import { validateSchema } from "./schema";

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** One parsed entry: a level (absent when the object form gives none) and properties. */
export interface PolicyConfigEntry {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

export interface ParsedPolicyConfig {
  entries: Record<string, PolicyConfigEntry>;
  environments: string[];
}

/** What reconciling needs of a policy (from GetAnalyzerInfo). */
export interface PolicySchemaInfo {
  name: string;
  defaultEnforcement: EnforcementLevel;
  configSchema?: { properties?: Record<string, unknown>; required?: string[] };
}

export type ReconciledConfig = Record<
  string,
  { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }
>;

export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

const isLevel = (v: unknown): v is EnforcementLevel =>
  typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);

/** Go's `%v` of a decoded JSON value (the CLI formats bad values with it). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object")
    return `map[${Object.keys(v as object)
      .sort()
      .map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`)
      .join(" ")}]`;
  return String(v);
}

function goType(v: unknown): string {
  if (v === null) return "<nil>";
  if (Array.isArray(v)) return "[]interface {}";
  if (typeof v === "object") return "map[string]interface {}";
  return typeof v === "number" ? "float64" : typeof v === "boolean" ? "bool" : "string";
}

function fail(source: string, problems: string[]): never {
  const n = problems.length;
  throw new PolicyConfigError(
    n === 1 ? `${source}: ${problems[0]}` : `${source} (${n} problems):\n  ${problems.join("\n  ")}`,
  );
}

/**
 * Parses a policy config file's text like the CLI's parsePolicyPackConfig. Collects every problem (the
 * CLI stops at the first, in map order) and throws one {@link PolicyConfigError} naming `source`.
 */
export function parsePolicyPackConfig(text: string, source: string): ParsedPolicyConfig {
  if (text.trim() === "") return { entries: {}, environments: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(source, [`invalid JSON: ${(e as Error).message}`]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    fail(source, [
      `json: cannot unmarshal ${raw === null ? "null" : Array.isArray(raw) ? "array" : typeof raw} into Go value of type map[string]interface {} (the file must be one JSON object of policy names)`,
    ]);
  const config = { ...(raw as Record<string, unknown>) };
  const problems: string[] = [];
  const environments: string[] = [];
  if ("environments" in config) {
    const envs = config.environments;
    if (!Array.isArray(envs))
      problems.push(`"environments" must be an array of strings, got ${goType(envs)}`);
    else
      envs.forEach((e, i) =>
        typeof e === "string"
          ? environments.push(e)
          : problems.push(`"environments[${i}]" must be a string, got ${goType(e)}`),
      );
    delete config.environments;
  }
  const entries: Record<string, PolicyConfigEntry> = {};
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === "string") {
      if (!isLevel(v))
        problems.push(
          `parsing enforcement level for ${JSON.stringify(k)}: ${JSON.stringify(v)} is not a valid enforcement level (allowed: ${ENFORCEMENT_LEVELS.join(", ")})`,
        );
      else entries[k] = { enforcementLevel: v };
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const { enforcementLevel, ...props } = v as Record<string, unknown>;
      const entry: PolicyConfigEntry = {};
      if (enforcementLevel !== undefined) {
        if (typeof enforcementLevel !== "string") {
          problems.push(
            `parsing enforcement level for ${JSON.stringify(k)}: ${goValue(enforcementLevel)} is not a valid enforcement level; must be a string`,
          );
          continue;
        }
        if (!isLevel(enforcementLevel)) {
          problems.push(
            `parsing enforcement level for ${JSON.stringify(k)}: ${JSON.stringify(enforcementLevel)} is not a valid enforcement level (allowed: ${ENFORCEMENT_LEVELS.join(", ")})`,
          );
          continue;
        }
        entry.enforcementLevel = enforcementLevel;
      }
      if (Object.keys(props).length) entry.properties = props;
      // The CLI drops empty configs ({}).
      if (entry.enforcementLevel || entry.properties) entries[k] = entry;
    } else {
      problems.push(
        `parsing ${JSON.stringify(k)}: ${goValue(v)} is not a valid value; must be a string or object`,
      );
    }
  }
  if (problems.length) fail(source, problems);
  return { entries, environments };
}

/** Reads and parses a policy config file; the error names the file. */
export function loadPolicyPackConfig(file: string): ParsedPolicyConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new PolicyConfigError(`--policy-config ${file}: ${(e as Error).message}`);
  }
  const parsed = parsePolicyPackConfig(text, `--policy-config ${file}`);
  if (parsed.environments.length)
    throw new PolicyConfigError(
      `--policy-config ${file}: specifies ESC environments (${parsed.environments.join(", ")}) but the current backend does not support them (only Pulumi Cloud resolves them; the offline engine is a local backend)`,
    );
  return parsed;
}

/**
 * Reconciles parsed config with the pack's policies and validates it, like ReconcilePolicyPackConfig
 * followed by the engine's Configure. Throws one error listing every problem (sorted, as the CLI sorts).
 */
export function reconcilePolicyPackConfig(
  policies: readonly PolicySchemaInfo[],
  parsed: ParsedPolicyConfig | undefined,
  source: string,
  pack = "the pack",
): ReconciledConfig {
  const result: ReconciledConfig = {};
  for (const p of policies) {
    const props: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {}))
      if (s && typeof s === "object" && "default" in s) props[k] = (s as { default: unknown }).default;
    result[p.name] = { enforcementLevel: p.defaultEnforcement, properties: props };
  }
  const entries = parsed?.entries ?? {};
  const problems: string[] = [];
  const all = entries.all;
  if (all) {
    if (!all.enforcementLevel)
      problems.push(
        `"all": invalid enforcement level "" (the CLI's Configure rejects an "all" object without enforcementLevel)`,
      );
    else for (const k of Object.keys(result)) result[k].enforcementLevel = all.enforcementLevel;
    if (all.properties)
      problems.push(
        `"all": only enforcementLevel applies to every policy; properties ${Object.keys(all.properties).join(", ")} would reach no policy`,
      );
  }
  for (const [k, e] of Object.entries(entries)) {
    if (k === "all") continue;
    const r = result[k];
    if (!r) {
      problems.push(
        `${JSON.stringify(k)}: ${pack} has no policy with this name (the CLI would pass it on and the pack would ignore it)`,
      );
      continue;
    }
    if (e.enforcementLevel) r.enforcementLevel = e.enforcementLevel;
    // Like an unknown policy name, a property the policy does not declare would change nothing, silently:
    // the CLI does not check top-level properties, the engine here does (the same deliberate difference).
    const declared = Object.keys(policies.find((p) => p.name === k)?.configSchema?.properties ?? {});
    for (const prop of Object.keys(e.properties ?? {}))
      if (!declared.includes(prop))
        problems.push(
          `${JSON.stringify(k)}: unknown property ${JSON.stringify(prop)} (${declared.length ? `allowed: ${declared.join(", ")}` : "the policy takes no configuration"}); the CLI would pass it on and the policy would ignore it`,
        );
    Object.assign(r.properties, e.properties ?? {});
  }
  const schemaProblems: string[] = [];
  for (const p of policies) {
    if (!p.configSchema) continue;
    const schema: Record<string, unknown> = { type: "object" };
    if (p.configSchema.properties && Object.keys(p.configSchema.properties).length)
      schema.properties = p.configSchema.properties;
    if (p.configSchema.required?.length) schema.required = p.configSchema.required;
    for (const msg of validateSchema(schema, result[p.name].properties))
      schemaProblems.push(`validating policy config: ${p.name}: ${msg}`);
  }
  problems.push(...schemaProblems.sort());
  if (problems.length) fail(source, problems);
  return result;
}
