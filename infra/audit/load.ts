/**
 * Reads the JSON of `pulumi stack export` (apitype.UntypedDeployment, deployment version 3, or 4 — the same
 * shape with a `features` list) from any Pulumi program, and turns its resources into the offline engine's
 * `CapturedResource`s so the policy pack and the reports run on them unchanged.
 *
 * Source: pulumi/pulumi `sdk/go/common/apitype/core.go` (DeploymentV3, ResourceV3, OperationV2, SecretV1),
 * `pkg/resource/stack/deployment.go` (`DeserializePropertyValue`), and `pkg/resource/deploy/
 * analyze_snapshot.go` (what `pulumi policy analyze --file` analyzes), commit 1b59498 (2026-08-21).
 *
 * Values, from state to Pulumi's wire format:
 * - a secret with `plaintext` (`--show-secrets`): its JSON-decoded value, still marked secret;
 * - a secret with `ciphertext`: a **secret unknown**, and its path is recorded in `hidden` (the audit says
 *   which values it could not see; the real CLI redacts them to the string "[secret]" instead, which a
 *   policy would judge as a value);
 * - the computed placeholder `04da6b54-...` stays unknown; byte strings are decoded; special floats
 *   (`8ad145fe-...`) become numbers; resource references, assets and archives are kept.
 *
 * Resources with `delete: true` (deleted, or replaced and awaiting deletion) and `pendingReplacement: true`
 * (deleted before their replacement was created) are not live: they are listed, not analyzed. Pending
 * operations (an update interrupted while creating/updating/deleting/reading) are listed with their type.
 */
import { CapturedOptions, CapturedResource, SIG, SourcePosition } from "../offline/runtime";
import { urnName } from "../offline/urn";
import { PREVIEW_MANIFEST } from "../offline/export";

/** The export cannot be read: the message names the field. Exit code 2. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}

const BYTE_STRING = "803fd3297a5875dc03ca845dda5d2a98";
const FLOAT = "8ad145fe-0d11-4827-bfd7-1abcbf086f5c";
const OPERATIONS = ["creating", "updating", "deleting", "reading"] as const;

/** A resource in the export that is not analyzed, and why. */
export interface NotLive {
  urn: string;
  type: string;
  reason: "deleted" | "pending replacement" | `pending operation: ${(typeof OPERATIONS)[number]}`;
}

/** A value the audit could not see (an encrypted secret). */
export interface Hidden {
  urn: string;
  /** `inputs.password`, `outputs.connection.password`... */
  path: string;
}

export interface LoadedExport {
  project: string;
  stack: string;
  /** `deployment.manifest` (`version`: the engine that wrote it). */
  manifest: { time?: string; version?: string };
  /** Written by `npm run preview -- --format export` (placeholders, not a deployment). */
  fromPreview: boolean;
  /** Live resources, in the export's order: what the pack analyzes. */
  resources: CapturedResource[];
  notLive: NotLive[];
  hidden: Hidden[];
  /** The root stack's outputs (wire format). */
  outputs: Record<string, unknown>;
  secretsProvider?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses and checks an export; every problem names the field (`deployment.resources[3].urn`). */
export function loadExport(text: string, file: string): LoadedExport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ExportError(
      `${file} is not JSON (${(e as Error).message}); expected the output of \`pulumi stack export\``,
    );
  }
  if (!isObject(doc)) throw new ExportError(`${file}: expected a JSON object {version, deployment}`);
  if (doc.version === undefined)
    throw new ExportError(`${file}: version is missing; expected 3 (\`pulumi stack export\` writes it)`);
  if (doc.version !== 3 && doc.version !== 4)
    throw new ExportError(
      `${file}: version ${JSON.stringify(doc.version)} is not supported; allowed: 3, 4 (deployment schema of \`pulumi stack export\`)`,
    );
  const d = doc.deployment;
  if (d === undefined) throw new ExportError(`${file}: deployment is missing`);
  if (!isObject(d)) throw new ExportError(`${file}: deployment must be an object`);
  if (!isObject(d.manifest)) throw new ExportError(`${file}: deployment.manifest is missing`);
  const list = (key: string): unknown[] => {
    const v = d[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new ExportError(`${file}: deployment.${key} must be an array`);
    return v;
  };
  const hidden: Hidden[] = [];
  const notLive: NotLive[] = [];
  const resources: CapturedResource[] = [];
  list("resources").forEach((raw, i) => {
    const r = toCaptured(raw, `deployment.resources[${i}]`, file, hidden);
    const res = raw as Json;
    if (res.delete === true) notLive.push({ urn: r.urn, type: r.type, reason: "deleted" });
    else if (res.pendingReplacement === true)
      notLive.push({ urn: r.urn, type: r.type, reason: "pending replacement" });
    else resources.push(r);
  });
  list("pending_operations").forEach((raw, i) => {
    const where = `deployment.pending_operations[${i}]`;
    if (!isObject(raw)) throw new ExportError(`${file}: ${where} must be an object {resource, type}`);
    const op = raw.type as (typeof OPERATIONS)[number];
    if (!OPERATIONS.includes(op))
      throw new ExportError(
        `${file}: ${where}.type ${JSON.stringify(raw.type)} is not an operation; allowed: ${OPERATIONS.join(", ")}`,
      );
    const r = toCaptured(raw.resource, `${where}.resource`, file, []);
    notLive.push({ urn: r.urn, type: r.type, reason: `pending operation: ${op}` });
  });
  const live = new Set(resources.map((r) => r.urn));
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent);
  const first = root ?? resources[0] ?? undefined;
  const [stack, project] = first ? first.urn.slice("urn:pulumi:".length).split("::") : ["unknown", "unknown"];
  const manifest = d.manifest;
  const version = typeof manifest.version === "string" ? manifest.version : undefined;
  return {
    project,
    stack,
    manifest: { time: typeof manifest.time === "string" ? manifest.time : undefined, version },
    fromPreview: version?.startsWith(PREVIEW_MANIFEST) ?? false,
    resources,
    notLive,
    // What the audit could not see among what it judges (not-live resources are only listed).
    hidden: hidden.filter((h) => live.has(h.urn)),
    outputs: root?.outputs ?? {},
    secretsProvider: isObject(d.secrets_providers) ? String(d.secrets_providers.type) : undefined,
  };
}

function toCaptured(raw: unknown, where: string, file: string, hidden: Hidden[]): CapturedResource {
  if (!isObject(raw)) throw new ExportError(`${file}: ${where} must be an object`);
  const str = (key: string, required = false): string | undefined => {
    const v = raw[key];
    if (v === undefined || (v === "" && !required)) {
      if (required) throw new ExportError(`${file}: ${where}.${key} is missing`);
      return undefined;
    }
    if (typeof v !== "string") throw new ExportError(`${file}: ${where}.${key} must be a string`);
    return v;
  };
  const strings = (key: string): string[] => {
    const v = raw[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
      throw new ExportError(`${file}: ${where}.${key} must be an array of strings`);
    return v as string[];
  };
  const urn = str("urn", true)!;
  if (!urn.startsWith("urn:pulumi:") || urn.split("::").length < 4)
    throw new ExportError(
      `${file}: ${where}.urn "${urn}" is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`,
    );
  const type = str("type", true)!;
  const props = (key: "inputs" | "outputs"): Record<string, unknown> => {
    const v = raw[key];
    if (v === undefined || v === null) return {};
    if (!isObject(v)) throw new ExportError(`${file}: ${where}.${key} must be an object`);
    return decodeProps(v, (path) => hidden.push({ urn, path: `${key}.${path}` }));
  };
  const pd = raw.propertyDependencies;
  if (pd !== undefined && pd !== null && !isObject(pd))
    throw new ExportError(`${file}: ${where}.propertyDependencies must be an object`);
  const options: CapturedOptions = {};
  if (raw.protect === true) options.protect = true;
  if (raw.retainOnDelete === true) options.retainOnDelete = true;
  const setList = (key: string, set: (v: string[]) => void) => {
    const v = strings(key);
    if (v.length) set(v);
  };
  setList("ignoreChanges", (v) => (options.ignoreChanges = v));
  setList("replaceOnChanges", (v) => (options.replaceOnChanges = v));
  setList("additionalSecretOutputs", (v) => (options.additionalSecretOutputs = v));
  setList("hideDiff", (v) => (options.hideDiffs = v));
  setList("aliases", (v) => (options.aliases = v.map((u) => ({ urn: u }))));
  const deletedWith = str("deletedWith");
  if (deletedWith) options.deletedWith = deletedWith;
  const importId = str("importID");
  if (importId) options.importId = importId;
  if (isObject(raw.customTimeouts)) {
    const t = raw.customTimeouts;
    const secs = (k: string) => (typeof t[k] === "number" && t[k] ? `${t[k]}s` : undefined);
    options.customTimeouts = { create: secs("create"), update: secs("update"), delete: secs("delete") };
  }
  const sp = str("sourcePosition");
  return {
    urn,
    type,
    name: urnName(urn),
    custom: raw.custom === true,
    parent: str("parent"),
    id: str("id"),
    provider: str("provider"),
    inputs: props("inputs"),
    outputs: props("outputs"),
    computed: [],
    dependencies: strings("dependencies"),
    propertyDependencies: Object.fromEntries(
      Object.entries((pd ?? {}) as Json).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [],
      ]),
    ),
    options,
    sourcePosition: sp ? parseSourcePosition(sp) : undefined,
  };
}

/** `project:///infra/x.ts#12,5` (the engine's form) to a project-relative position. */
export function parseSourcePosition(s: string): SourcePosition | undefined {
  const m = /^project:\/\/(\/[^#]*)#(\d+)(?:,(\d+))?$/.exec(s);
  if (!m) return undefined;
  return { file: decodeURI(m[1]).slice(1), line: Number(m[2]), column: Number(m[3] ?? 0) };
}

function decodeProps(o: Json, onHidden: (path: string) => void, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decodeValue(v, onHidden, prefix ? `${prefix}.${k}` : k);
  return out;
}

/** A state value (`SerializePropertyValue`'s encoding) to Pulumi's wire format. */
export function decodeValue(v: unknown, onHidden: (path: string) => void, path = ""): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x, i) => decodeValue(x, onHidden, `${path}[${i}]`));
  const o = v as Json;
  switch (o[SIG.key]) {
    case SIG.secret: {
      if (typeof o.plaintext === "string") {
        let inner: unknown;
        try {
          inner = JSON.parse(o.plaintext);
        } catch {
          inner = o.plaintext;
        }
        return { [SIG.key]: SIG.secret, value: decodeValue(inner, onHidden, path) };
      }
      onHidden(path || "(value)");
      return { [SIG.key]: SIG.secret, value: SIG.unknown };
    }
    case BYTE_STRING:
      return typeof o.value === "string" ? Buffer.from(o.value, "base64").toString("latin1") : SIG.unknown;
    case FLOAT:
      return typeof o.value === "string" ? Buffer.from(o.value, "hex").readDoubleBE(0) : SIG.unknown;
    case SIG.resource:
    case SIG.asset:
    case SIG.archive:
      return o;
  }
  return decodeProps(o, onHidden, path);
}
