/**
 * Loads a Pulumi project the way the Pulumi CLI does: `Pulumi.yaml` (name, runtime, main, project config
 * declarations) and `Pulumi.<stack>.yaml` (stack config), merged with the same rules as the CLI's
 * `ValidateStackConfigAndApplyProjectConfig`: project keys without a namespace belong to the project,
 * declared keys without a default are required, declared types are checked, defaults fill in what the
 * stack does not set. Command-line overrides (`--config`) win over both, like `pulumi config set`.
 *
 * Encrypted stack values (`secure: v1:...`) cannot be decrypted without the stack's secrets provider;
 * they are passed to the program as secrets with a placeholder value, and the report says so.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { createHash } from "node:crypto";

/** A problem with the project, the stack or the command line: reported as a message, exit code 2. */
export class ProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProjectError";
  }
}

/** A stack configuration problem the real CLI would also refuse (missing or mistyped values): exit code 1. */
export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackConfigError";
  }
}

type ConfigType = "string" | "integer" | "boolean" | "array";

/** A declared project config key (Pulumi.yaml `config:` entry). */
export interface ConfigDeclaration {
  type?: ConfigType;
  description?: string;
  secret?: boolean;
  default?: unknown;
  value?: unknown;
  items?: unknown;
}

export interface ProjectInfo {
  /** Directory holding Pulumi.yaml. */
  dir: string;
  /** Path of the project file. */
  file: string;
  name: string;
  runtime: string;
  description?: string;
  /** Absolute path of the program entry (file). */
  main: string;
  /** Declarations keyed by fully-qualified key. */
  config: Record<string, ConfigDeclaration>;
  /** Directory of the stack files. */
  stackConfigDir: string;
  /** package.json `type` of the program ("module" or "commonjs"). */
  moduleType: "module" | "commonjs";
}

/** Where a config value came from. */
export type ConfigSource = "stack" | "project" | "override" | "placeholder";

export interface ResolvedConfig {
  /** Fully-qualified key -> value, as strings (objects/arrays as JSON), as the CLI passes them to programs. */
  values: Record<string, string>;
  secretKeys: string[];
  sources: Record<string, ConfigSource>;
  /** Things the reader of the report must know (undecryptable secrets, ESC environments). */
  notes: string[];
  /** Values that do not match their declared type (only with `collectTypeProblems`; otherwise thrown). */
  typeProblems: TypeProblem[];
}

/** A config value whose text does not match the type its project declares. */
export interface TypeProblem {
  key: string;
  message: string;
  /** The declared default, as the program would get it without the bad value (undefined: none). */
  fallback?: string;
}

/** A `--config key=value` override (`secret` when given with `--secret`). */
export interface ConfigOverride {
  key: string;
  value: string;
  secret?: boolean;
}

/** Reads Pulumi.yaml (or Pulumi.yml) from `dir`. */
export function loadProject(dir: string): ProjectInfo {
  const abs = path.resolve(dir);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(abs, f)).find((f) => fs.existsSync(f));
  if (!file)
    throw new ProjectError(`no Pulumi.yaml in ${abs}: pass --cwd with the directory of a Pulumi project`);
  const doc = parseYaml(file) as Record<string, unknown> | null;
  if (!doc || typeof doc !== "object") throw new ProjectError(`${file}: expected a YAML mapping`);

  const name = doc.name;
  if (typeof name !== "string" || name === "") throw new ProjectError(`${file}: "name" is required`);
  const runtime =
    typeof doc.runtime === "string"
      ? doc.runtime
      : typeof (doc.runtime as { name?: unknown } | undefined)?.name === "string"
        ? (doc.runtime as { name: string }).name
        : undefined;
  if (!runtime) throw new ProjectError(`${file}: "runtime" is required`);
  if (runtime !== "nodejs") {
    throw new ProjectError(
      `${file}: runtime "${runtime}" is not supported offline; the offline engine runs nodejs (TypeScript/JavaScript) programs`,
    );
  }

  const pkg = readPackageJson(abs);
  const main = resolveMain(abs, typeof doc.main === "string" ? doc.main : undefined, pkg, file);
  const config: Record<string, ConfigDeclaration> = {};
  const rawConfig = (doc.config ?? {}) as Record<string, unknown>;
  if (typeof rawConfig !== "object" || Array.isArray(rawConfig)) {
    throw new ProjectError(`${file}: "config" must be a mapping of keys to declarations or values`);
  }
  for (const [rawKey, decl] of Object.entries(rawConfig)) {
    const key = qualify(name, rawKey);
    if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
      const d = decl as ConfigDeclaration;
      if (d.type !== undefined && !["string", "integer", "boolean", "array"].includes(d.type)) {
        throw new ProjectError(
          `${file}: config "${rawKey}" has type "${d.type}"; allowed: string, integer, boolean, array`,
        );
      }
      if (d.type !== undefined && !key.startsWith(`${name}:`)) {
        throw new ProjectError(
          `${file}: config "${rawKey}" declares a type but is not in the project namespace "${name}"; only values can be set for other namespaces`,
        );
      }
      config[key] = d;
    } else {
      config[key] = { value: decl };
    }
  }
  const stackConfigDir = path.resolve(abs, typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".");
  return {
    dir: abs,
    file,
    name,
    runtime,
    description: typeof doc.description === "string" ? doc.description : undefined,
    main,
    config,
    stackConfigDir,
    moduleType: pkg?.type === "module" ? "module" : "commonjs",
  };
}

/** Stack names that have a stack file next to the project. */
export function listStacks(project: ProjectInfo): string[] {
  if (!fs.existsSync(project.stackConfigDir)) return [];
  return fs
    .readdirSync(project.stackConfigDir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * Merges project declarations, the stack file and overrides into the config the program sees.
 * Throws StackConfigError for what the real CLI refuses (missing required keys, wrong types).
 */
export function resolveConfig(
  project: ProjectInfo,
  stack: string,
  overrides: ConfigOverride[] = [],
  opts: { collectTypeProblems?: boolean } = {},
): ResolvedConfig {
  const stackFile = ["yaml", "yml"]
    .map((ext) => path.join(project.stackConfigDir, `Pulumi.${stack}.${ext}`))
    .find((f) => fs.existsSync(f));
  const values: Record<string, string> = {};
  const secret = new Set<string>();
  const sources: Record<string, ConfigSource> = {};
  const notes: string[] = [];
  // The CLI runs a stack without a stack file with empty stack config (project values and defaults only).
  let doc: Record<string, unknown> = {};
  if (stackFile) doc = (parseYaml(stackFile) ?? {}) as Record<string, unknown>;
  else {
    const known = listStacks(project);
    notes.push(
      `stack "${stack}" has no Pulumi.${stack}.yaml in ${project.stackConfigDir}: it ran with empty stack config, as the Pulumi CLI does` +
        (known.length ? ` (stack files found: ${known.join(", ")})` : ""),
    );
  }
  const stackFileName = stackFile ? path.basename(stackFile) : `Pulumi.${stack}.yaml`;
  const overridden = new Set(overrides.map((o) => qualify(project.name, o.key)));

  if (doc.environment !== undefined) {
    notes.push(
      `${stackFileName} imports Pulumi ESC environments; they are not resolved offline, so their values are absent`,
    );
  }
  const stackConfig = (doc.config ?? {}) as Record<string, unknown>;
  if (typeof stackConfig !== "object" || Array.isArray(stackConfig)) {
    throw new ProjectError(`${stackFile}: "config" must be a mapping of keys to values`);
  }
  for (const [rawKey, raw] of Object.entries(stackConfig)) {
    const key = qualify(project.name, rawKey);
    if (isSecure(raw)) {
      values[key] = placeholderSecret(key);
      secret.add(key);
      sources[key] = "placeholder";
      // A value supplied with --secret/--config replaces the placeholder below: nothing to report then.
      if (!overridden.has(key))
        notes.push(
          `${key} is encrypted in ${stackFileName} and cannot be decrypted offline; a placeholder secret was used (pass --secret ${key}=VALUE to supply one)`,
        );
      continue;
    }
    values[key] = toConfigString(raw);
    sources[key] = "stack";
  }

  // Project-level values and defaults; declared keys without either are required (project namespace only).
  const missing: string[] = [];
  for (const key of Object.keys(project.config).sort()) {
    const decl = project.config[key];
    if (key in values) continue;
    const fallback = decl.default !== undefined ? decl.default : decl.value;
    if (fallback === undefined) {
      if (
        decl.type !== undefined &&
        key.startsWith(`${project.name}:`) &&
        !overrides.some((o) => qualify(project.name, o.key) === key)
      ) {
        missing.push(key);
      }
      continue;
    }
    values[key] = toConfigString(fallback);
    sources[key] = "project";
    if (decl.secret) secret.add(key);
  }

  for (const o of overrides) {
    const key = qualify(project.name, o.key);
    values[key] = o.value;
    sources[key] = "override";
    if (o.secret) secret.add(key);
  }

  const problems: string[] = [];
  const typeProblems: TypeProblem[] = [];
  if (missing.length > 0) {
    problems.push(
      `Stack '${stack}' is missing configuration ${missing.length > 1 ? "values" : "value"} ${missing.map((k) => `'${shortKey(project.name, k)}'`).join(", ")}` +
        ` (declared in ${path.basename(project.file)} without a default; set with: pulumi config set <key> <value>)`,
    );
  }
  for (const [key, decl] of Object.entries(project.config)) {
    if (!(key in values) || decl.type === undefined) continue;
    if (decl.secret && !secret.has(key)) {
      problems.push(
        `Stack '${stack}' with configuration key '${shortKey(project.name, key)}' must be encrypted as it's secret`,
      );
    }
    if (!matchesType(decl.type, values[key])) {
      const fallback = decl.default !== undefined ? decl.default : decl.value;
      typeProblems.push({
        key,
        message: `Stack '${stack}' with configuration key '${shortKey(project.name, key)}' must be of type '${decl.type}' (got ${JSON.stringify(values[key])})`,
        fallback:
          fallback !== undefined && matchesType(decl.type, toConfigString(fallback))
            ? toConfigString(fallback)
            : undefined,
      });
    }
  }
  // Collected type problems are returned only when nothing else stops the program: a report has them all.
  if (!opts.collectTypeProblems || problems.length > 0) problems.push(...typeProblems.map((p) => p.message));
  if (problems.length > 0) throw new StackConfigError(problems.join("\n"));

  return { values, secretKeys: [...secret].sort(), sources, notes, typeProblems };
}

/** Parses `key=value` (the value may contain `=`). */
export function parseOverride(text: string, secret = false): ConfigOverride {
  const i = text.indexOf("=");
  if (i <= 0) throw new ProjectError(`--config expects key=value, got "${text}"`);
  return { key: text.slice(0, i), value: text.slice(i + 1), secret };
}

/** `cloud` -> `meridian:cloud`; keys with a namespace stay as they are. */
export function qualify(project: string, key: string): string {
  if (key.startsWith(`${project}:config:`)) return `${project}:${key.slice(project.length + 8)}`;
  return key.includes(":") ? key : `${project}:${key}`;
}

function shortKey(project: string, key: string): string {
  return key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key;
}

function isSecure(v: unknown): boolean {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as { secure?: unknown }).secure === "string"
  );
}

function placeholderSecret(key: string): string {
  return `offline-placeholder-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}

/** Pulumi passes primitives as their text and structured values as JSON. */
function toConfigString(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "";
  return JSON.stringify(v);
}

function matchesType(type: ConfigType, value: string): boolean {
  switch (type) {
    case "string":
      return true;
    case "integer":
      return /^-?\d+$/.test(value.trim());
    case "boolean":
      return value === "true" || value === "false";
    case "array":
      try {
        return Array.isArray(JSON.parse(value));
      } catch {
        return false;
      }
  }
}

function parseYaml(file: string): unknown {
  try {
    return yaml.load(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new ProjectError(`${file}: invalid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
}

function readPackageJson(dir: string): { main?: string; type?: string } | undefined {
  const f = path.join(dir, "package.json");
  if (!fs.existsSync(f)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(f, "utf8"));
  } catch (err) {
    throw new ProjectError(`${f}: invalid JSON: ${(err as Error).message}`);
  }
}

function resolveMain(
  dir: string,
  main: string | undefined,
  pkg: { main?: string } | undefined,
  file: string,
): string {
  const candidates: string[] = [];
  const base = main ? path.resolve(dir, main) : dir;
  if (main && fs.existsSync(base) && fs.statSync(base).isFile()) return base;
  if (!main && pkg?.main) candidates.push(path.resolve(dir, pkg.main));
  candidates.push(...["index.ts", "index.js", "index.mts", "index.mjs"].map((f) => path.join(base, f)));
  if (main && !path.extname(base)) candidates.unshift(`${base}.ts`, `${base}.js`);
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (!found) {
    throw new ProjectError(
      `${file}: cannot find the program: ${main ? `main "${main}" does not exist` : "no index.ts or index.js"} in ${dir}`,
    );
  }
  return found;
}
