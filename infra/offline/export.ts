/**
 * `--format export`: the previewed stack as a deployment in the published schema of `pulumi stack export`
 * (apitype.UntypedDeployment, version 3: `{ version, deployment: { manifest, secrets_providers?, resources,
 * pending_operations? } }`), so that `npm run audit -- --from FILE` and any tool that reads real exports can
 * read a preview.
 *
 * Source of the shape: pulumi/pulumi `sdk/go/common/apitype/core.go` (DeploymentV3, ResourceV3, ManifestV1,
 * SecretV1) and `pkg/resource/stack/deployment.go` (`SerializeResource`, `SerializePropertyValue`), read
 * at commit 1b59498 (2026-08-21); the JSON schemas `apitype/{deployments,resources,property-values}.json`.
 *
 * What is marked, not invented:
 * - values only a deployment knows (unknown in the preview) are the engine's computed placeholder
 *   `04da6b54-80e4-46f7-96ec-b56ff0331ba9`, exactly as `SerializePropertyValue` writes a computed value;
 * - the default providers the engine would create (`pulumi:providers:<pkg>::default_<version>`) are written
 *   as a preview writes them: inputs from the stack's `<pkg>:*` config, id unknown (references
 *   `<urn>::04da6b54-...`);
 * - secrets: with `--show-secrets`, `{ "4dabf...": "1b47...", "plaintext": "<JSON of the value>" }` as
 *   `pulumi stack export --show-secrets` writes them; without it, the value is withheld (the preview has no
 *   secrets provider to encrypt with): `"ciphertext": "withheld:offline-preview"`, which an audit treats
 *   like any ciphertext it cannot decrypt;
 * - `manifest.version` is `meridian-offline-preview (@pulumi/pulumi <sdk>)` and `magic` its SHA-256, so a
 *   reader can tell a preview's export from a deployment's. Ids, ARNs and endpoints are the offline
 *   model's placeholders (see the preview's banner).
 */
import { createHash } from "node:crypto";
import { PreviewResult } from "./run";
import { parseDuration } from "./policy/requests";
import { CapturedResource, SIG } from "./runtime";

/** The engine's placeholder for a computed (unknown) value (pkg/resource/stack/deployment.go). */
export const COMPUTED = SIG.unknown;
/** `manifest.version` prefix of exports written by the offline engine. */
export const PREVIEW_MANIFEST = "meridian-offline-preview";
/** What a withheld secret's `ciphertext` says (no secrets provider offline). */
export const WITHHELD_CIPHERTEXT = "withheld:offline-preview";

/** One resource of a deployment (apitype.ResourceV3; only the fields a preview can know). */
export interface ResourceV3 {
  urn: string;
  custom: boolean;
  delete?: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  external?: boolean;
  dependencies?: string[];
  initErrors?: string[];
  provider?: string;
  propertyDependencies?: Record<string, string[]>;
  pendingReplacement?: boolean;
  additionalSecretOutputs?: string[];
  aliases?: string[];
  customTimeouts?: { create?: number; update?: number; delete?: number; read?: number };
  importID?: string;
  retainOnDelete?: boolean;
  deletedWith?: string;
  sourcePosition?: string;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  hideDiff?: string[];
}

/** apitype.OperationV2. */
export interface OperationV2 {
  resource: ResourceV3;
  type: "creating" | "updating" | "deleting" | "reading";
}

/** apitype.DeploymentV3. */
export interface DeploymentV3 {
  manifest: {
    time: string;
    magic: string;
    version: string;
    plugins?: { name: string; path: string; type: "analyzer" | "language" | "resource"; version: string }[];
  };
  secrets_providers?: { type: string; state?: unknown };
  resources?: ResourceV3[];
  pending_operations?: OperationV2[];
}

/** apitype.UntypedDeployment as `pulumi stack export` writes it. */
export interface UntypedDeployment {
  version: number;
  features?: string[];
  deployment: DeploymentV3;
}

export interface ExportOptions {
  /** Write secrets as plaintext (`pulumi stack export --show-secrets`). Default false: withheld. */
  showSecrets: boolean;
  /** `manifest.time` (default: now). */
  time?: Date;
}

/** The preview as a deployment export (version 3). */
export function toDeployment(result: PreviewResult, opts: ExportOptions): UntypedDeployment {
  const defaults = defaultProviders(result);
  const resources: ResourceV3[] = [];
  const stack = result.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  // The engine writes the root stack first, then its default providers, then resources in order.
  if (stack) resources.push(resourceOf(stack, defaults, opts));
  resources.push(...[...defaults.values()].map((d) => d.resource));
  for (const r of result.resources) if (r !== stack) resources.push(resourceOf(r, defaults, opts));
  const version = `${PREVIEW_MANIFEST} (@pulumi/pulumi ${result.sdkVersion})`;
  const plugins = [...defaults.values()].map((d) => ({
    name: d.pkg,
    path: "",
    type: "resource" as const,
    version: d.version,
  }));
  return {
    version: 3,
    deployment: {
      manifest: {
        time: (opts.time ?? new Date()).toISOString(),
        magic: createHash("sha256").update(version).digest("hex"),
        version,
        ...(plugins.length ? { plugins } : {}),
      },
      resources,
    },
  };
}

/** `--format export`: the deployment as JSON, indented like `pulumi stack export`. */
export function renderExport(result: PreviewResult, opts: ExportOptions): string {
  return JSON.stringify(toDeployment(result, opts), null, 4) + "\n";
}

interface DefaultProvider {
  pkg: string;
  version: string;
  ref: string;
  resource: ResourceV3;
}

/**
 * The default provider per package of the custom resources registered without an explicit provider, named as
 * the engine names it (`default_<version, with . + - as _>`: pkg/resource/deploy/providers `DefaultName`).
 */
function defaultProviders(result: PreviewResult): Map<string, DefaultProvider> {
  const out = new Map<string, DefaultProvider>();
  for (const r of result.resources) {
    if (!r.custom || r.provider || r.type.startsWith("pulumi:")) continue;
    const pkg = r.type.split(":")[0];
    if (out.has(pkg)) continue;
    const version = r.options.version ?? "";
    const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
    const urn = `urn:pulumi:${result.stack}::${result.project.name}::pulumi:providers:${pkg}::${name}`;
    const inputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(result.config)) {
      if (!k.startsWith(`${pkg}:`)) continue;
      // A secret config value is written as a secret whose value the preview does not hold.
      inputs[k.slice(pkg.length + 1)] = v.secret ? { [SIG.key]: SIG.secret, value: COMPUTED } : v.value;
    }
    if (version) inputs.version = version;
    out.set(pkg, {
      pkg,
      version,
      ref: `${urn}::${COMPUTED}`,
      resource: { urn, custom: true, id: COMPUTED, type: `pulumi:providers:${pkg}`, inputs, outputs: inputs },
    });
  }
  for (const d of out.values()) {
    d.resource.inputs = serializeProps(d.resource.inputs ?? {}, false);
    d.resource.outputs = d.resource.inputs;
  }
  return out;
}

function resourceOf(
  r: CapturedResource,
  defaults: ReadonlyMap<string, DefaultProvider>,
  opts: ExportOptions,
): ResourceV3 {
  const o = r.options;
  const provider =
    r.provider ??
    (r.custom && !r.type.startsWith("pulumi:") ? defaults.get(r.type.split(":")[0])?.ref : undefined);
  const aliases = (o.aliases ?? [])
    .map((a) => (typeof a === "string" ? a : (a as { urn?: string }).urn))
    .filter((u): u is string => typeof u === "string" && u !== "");
  const deps = Object.fromEntries(Object.entries(r.propertyDependencies).filter(([, v]) => v.length));
  const out: ResourceV3 = {
    urn: r.urn,
    custom: r.custom,
    ...(r.custom ? { id: r.id ?? COMPUTED } : {}),
    type: r.type,
    inputs: serializeProps(r.inputs, opts.showSecrets),
    outputs: serializeProps(r.outputs, opts.showSecrets),
    ...(r.parent ? { parent: r.parent } : {}),
    ...(o.protect ? { protect: true } : {}),
    ...(r.dependencies.length ? { dependencies: r.dependencies } : {}),
    ...(provider ? { provider } : {}),
    ...(Object.keys(deps).length ? { propertyDependencies: deps } : {}),
    ...(o.additionalSecretOutputs?.length ? { additionalSecretOutputs: o.additionalSecretOutputs } : {}),
    ...(aliases.length ? { aliases } : {}),
    ...(o.customTimeouts ? { customTimeouts: timeouts(o.customTimeouts) } : {}),
    ...(o.importId ? { importID: o.importId } : {}),
    ...(o.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(o.deletedWith ? { deletedWith: o.deletedWith } : {}),
    ...(r.sourcePosition ? { sourcePosition: sourcePosition(r.sourcePosition) } : {}),
    ...(o.ignoreChanges?.length ? { ignoreChanges: o.ignoreChanges } : {}),
    ...(o.replaceOnChanges?.length ? { replaceOnChanges: o.replaceOnChanges } : {}),
    ...(o.hideDiffs?.length ? { hideDiff: o.hideDiffs } : {}),
  };
  return out;
}

/** resource.CustomTimeouts: seconds as numbers (Go durations in the SDK's request). */
function timeouts(t: { create?: string; update?: string; delete?: string }): ResourceV3["customTimeouts"] {
  const secs = (s?: string) => (s ? parseDuration(s) : 0);
  const out: NonNullable<ResourceV3["customTimeouts"]> = {};
  if (secs(t.create)) out.create = secs(t.create);
  if (secs(t.update)) out.update = secs(t.update);
  if (secs(t.delete)) out.delete = secs(t.delete);
  return out;
}

/** The engine's source position: `project:///<path relative to the project>#line[,column]`. */
function sourcePosition(p: { file: string; line: number; column: number }): string {
  const file = p.file.startsWith("/") ? p.file : `/${p.file}`;
  return `project://${encodeURI(file)}#${p.line}${p.column ? `,${p.column}` : ""}`;
}

function serializeProps(props: Record<string, unknown>, showSecrets: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(props).sort()) {
    const v = serializeValue(props[k], showSecrets);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * A wire value (Pulumi's Struct encoding, as the SDK registered it) as `SerializePropertyValue` writes it
 * to state: secrets as SecretV1, output values flattened to their (secret) element, resource references
 * with `urn`, `packageVersion` and `id` when known, assets and archives unchanged, computed values as the
 * placeholder.
 */
export function serializeValue(v: unknown, showSecrets: boolean): unknown {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : serializeValue(x, showSecrets)));
  const o = v as Record<string, unknown>;
  switch (o[SIG.key]) {
    case SIG.secret: {
      if (!showSecrets) return { [SIG.key]: SIG.secret, ciphertext: WITHHELD_CIPHERTEXT };
      const inner = serializeValue(o.value, showSecrets);
      return { [SIG.key]: SIG.secret, plaintext: JSON.stringify(inner ?? null) };
    }
    case SIG.outputValue: {
      const inner = "value" in o ? o.value : COMPUTED;
      return serializeValue(o.secret ? { [SIG.key]: SIG.secret, value: inner } : inner, showSecrets);
    }
    case SIG.resource: {
      const id = typeof o.id === "string" && o.id !== "" ? { id: o.id } : {};
      return { [SIG.key]: SIG.resource, urn: o.urn, packageVersion: o.packageVersion ?? "", ...id };
    }
    case SIG.asset:
    case SIG.archive:
      return o;
  }
  return serializeProps(o, showSecrets);
}
