/**
 * Validates a Kubernetes manifest against the Kubernetes OpenAPI schemas, fully offline: no cluster, no
 * network. The schemas come pre-compiled (ajv) in pinned npm packages:
 *
 * - `kubernetes-models` 5.1.0: the built-in API groups of **Kubernetes v1.36.0** (the package's 5.0.0
 *   changelog: "Update to Kubernetes v1.36.0"; 5.1.0 only exports the schema files), merged with older
 *   releases' definitions of since-removed versions, so a removed apiVersion still validates here (the
 *   API server of a current cluster would refuse it; the policy pack and TypeScript types keep Meridian on
 *   current versions);
 * - `@kubernetes-models/gateway-api` 2.0.0: Gateway API **v1.5.1** CRDs (Gateway, HTTPRoute, ...);
 * - `@kubernetes-models/gke` 4.6.2: GKE's networking CRDs from gke-networking-recipes (GCPBackendPolicy,
 *   GCPGatewayPolicy, HealthCheckPolicy, ManagedCertificate, BackendConfig, ...).
 *
 * No npm package ships the Secrets Store CSI driver's `SecretProviderClass` (secrets-store.csi.x-k8s.io)
 * schema: such objects get a "no schema" problem, and a test must name them to skip them.
 *
 * Why 1.36 fits GKE: a new GKE cluster joins the Regular channel by default, which gets a Kubernetes
 * minor 2-3 months after the Rapid channel, and Rapid gets it weeks after upstream GA (GKE "About release
 * channels", read 2026-11-30). So a cluster's minor is at most the newest upstream one, 1.36 or older, and
 * the groups and versions Meridian uses (apps/v1, batch/v1, core/v1, networking.k8s.io/v1, policy/v1,
 * autoscaling/v2) have been GA since 1.25 at the latest. The remaining gap: a field newer than the
 * cluster passes here (an older API server drops it with a warning).
 * What this does NOT catch: unknown (misspelt) fields — the Kubernetes schemas allow additional
 * properties, as the API server's non-strict decoding does; the @pulumi/kubernetes input types catch those
 * at compile time — and rules the API server checks in code (e.g. a request above its limit).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/** The Kubernetes version of the schemas (kubernetes-models 5.1.0). */
export const SCHEMA_KUBERNETES_VERSION = "1.36.0";
/** The Gateway API version of the Gateway CRD schemas (@kubernetes-models/gateway-api 2.0.0). */
export const SCHEMA_GATEWAY_API_VERSION = "1.5.1";

/** Packages that hold schemas, searched in this order for `<group>/<version>/index.js`. */
const PACKAGES = ["kubernetes-models", "@kubernetes-models/gateway-api", "@kubernetes-models/gke"];

interface ModelClass {
  new (data: object): { validate(): void };
  apiVersion?: string;
  kind?: string;
}

/** The directory of an installed package (Node's lookup: node_modules of each ancestor directory). */
function packageDir(name: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`package ${name} is not installed`);
  }
}

/** The API versions Meridian's Kubernetes objects use: what {@link loadSchemas} loads by default. */
export const MERIDIAN_API_VERSIONS = [
  "v1",
  "apps/v1",
  "batch/v1",
  "autoscaling/v2",
  "policy/v1",
  "networking.k8s.io/v1",
  "rbac.authorization.k8s.io/v1",
  "gateway.networking.k8s.io/v1",
  "networking.gke.io/v1",
  "cloud.google.com/v1",
];

/** Loaded group modules by apiVersion (`undefined`: no pinned package has that apiVersion). */
const modules = new Map<string, Record<string, unknown> | undefined>();

/** The file of an apiVersion's module in the first package that has it. */
function groupFile(apiVersion: string): string | undefined {
  for (const pkg of PACKAGES) {
    const file = path.join(packageDir(pkg), ...apiVersion.split("/"), "index.js");
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Loads the schemas of these API versions (once each). The packages are ES modules with an import-only
 * exports map, which `require` cannot load under tsx, so they are imported (asynchronously) by file URL.
 * Loading takes a few seconds (Meridian's ten API versions: about 3 s on this machine).
 */
export async function loadSchemas(apiVersions: readonly string[] = MERIDIAN_API_VERSIONS): Promise<void> {
  for (const v of apiVersions) {
    if (modules.has(v)) continue;
    const file = groupFile(v);
    const mod = file ? ((await import(pathToFileURL(file).href)) as Record<string, unknown>) : undefined;
    // A CommonJS package (@kubernetes-models/gke) arrives as `default` plus detected named exports.
    const d = mod?.default;
    modules.set(v, mod && d && typeof d === "object" ? { ...(d as object), ...mod } : mod);
  }
}

/** The model class of `apiVersion`/`kind`, or undefined when no pinned package has its schema. */
export function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  if (!modules.has(apiVersion) && groupFile(apiVersion))
    throw new Error(`schemas for ${apiVersion} are not loaded: await loadSchemas(["${apiVersion}"]) first`);
  const mod = modules.get(apiVersion);
  if (!mod) return undefined;
  return Object.values(mod).find(
    (v): v is ModelClass =>
      typeof v === "function" &&
      (v as ModelClass).apiVersion === apiVersion &&
      (v as ModelClass).kind === kind,
  );
}

interface AjvError {
  instancePath?: string;
  message?: string;
  keyword?: string;
}

/**
 * Validates one manifest (a Kubernetes object as the API takes it: `apiVersion`, `kind`, `metadata`,
 * `spec`, ...; Pulumi resource inputs have exactly this shape). Returns one line per problem, each
 * `<JSON pointer> <what is wrong>` (e.g. `/spec/template/spec/containers/0/ports/0/containerPort must be
 * integer`), or `[]` when the object is valid. An object whose kind no pinned package knows returns a
 * single "no schema" problem. Call {@link loadSchemas} (or use {@link validateManifests}) first.
 */
export function validateManifest(manifest: object): string[] {
  const m = manifest as { apiVersion?: unknown; kind?: unknown };
  if (typeof m.apiVersion !== "string" || typeof m.kind !== "string")
    return ["(root) must have apiVersion and kind strings"];
  const Model = modelFor(m.apiVersion, m.kind);
  if (!Model)
    return [
      `(root) no schema for ${m.apiVersion} ${m.kind} in kubernetes-models, @kubernetes-models/gateway-api or @kubernetes-models/gke`,
    ];
  try {
    new Model(manifest).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw e;
    const lines = errors.map(
      (x) => `${x.instancePath || "(root)"} ${x.message ?? x.keyword ?? "is invalid"}`,
    );
    return [...new Set(lines)];
  }
}

/** Loads the schemas the manifests need, then validates each: one problem list per manifest, in order. */
export async function validateManifests(manifests: readonly object[]): Promise<string[][]> {
  const versions = manifests
    .map((m) => (m as { apiVersion?: unknown }).apiVersion)
    .filter((v): v is string => typeof v === "string");
  await loadSchemas([...new Set(versions)]);
  return manifests.map(validateManifest);
}
