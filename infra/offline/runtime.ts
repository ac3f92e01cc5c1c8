/**
 * The offline runtime: configures a Pulumi SDK instance with mocks backed by the offline resource model,
 * and records every resource registration exactly as the SDK sent it to the (mock) resource monitor:
 * URN, type, name, parent, inputs, dependencies, provider, options and source position.
 *
 * The same runtime serves the offline engine (a whole program) and the component tests (one component),
 * so what the tests assert is what reviewers see in the preview.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type * as pulumiType from "@pulumi/pulumi";
import { modelInvoke, modelResource, ModelEnv, ModelNote } from "./model";
import { installTransforms, TransformableRequest } from "./transforms";
import { engineUrn } from "./urn";
import { deferPromiseStacks } from "./promiseStacks";

type Pulumi = typeof pulumiType;

/** Signature keys of Pulumi's wire format (see @pulumi/pulumi runtime/rpc). */
export const SIG = {
  key: "4dabf18193072939515e22adb298388d",
  secret: "1b47061264138c4ac30d75fd1eb44270",
  resource: "5cf8f73096256a8f31e491e813e4eb8e",
  asset: "c44067f5952c0a294b673a41bacd8c17",
  archive: "0def7320c3a5731c473e5ecbe6d01bc7",
  outputValue: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
  unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
} as const;

/** A value in Pulumi's wire format (protobuf Struct as JavaScript): may carry secret/unknown markers. */
export type WireValue = unknown;

/** Resource options as the SDK sent them. Only options that were set are present. */
export interface CapturedOptions {
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  retainOnDelete?: boolean;
  deletedWith?: string;
  aliases?: unknown[];
  customTimeouts?: { create?: string; update?: string; delete?: string };
  additionalSecretOutputs?: string[];
  hideDiffs?: string[];
  importId?: string;
  version?: string;
  pluginDownloadURL?: string;
}

/** Where in the program a resource was created. */
export interface SourcePosition {
  /** Path relative to the program's directory when inside it, else absolute. */
  file: string;
  line: number;
  column: number;
}

/** One resource as the offline engine captured it. */
export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  id?: string;
  /** Explicit provider reference (`urn::id`) for custom resources; undefined means the default provider. */
  provider?: string;
  /** Providers map handed to a component. */
  providers?: Record<string, string>;
  /** Inputs in wire format (secrets and unknowns marked). */
  inputs: Record<string, WireValue>;
  /** State the (modelled) provider returned, wire format; for components, their registered outputs. */
  outputs: Record<string, WireValue>;
  /** Output names the model computed (not echoed inputs). */
  computed: string[];
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: CapturedOptions;
  sourcePosition?: SourcePosition;
}

export interface OfflineRuntimeOptions {
  /** The @pulumi/pulumi module the program uses (resolve it from the program's directory). */
  pulumi: Pulumi;
  project: string;
  stack: string;
  organization?: string;
  /** Fully qualified config (`aws:region`) as strings, the way the Pulumi CLI hands it to programs. */
  config: Record<string, string>;
  secretKeys?: string[];
  /** Preview (unknown outputs stay unknown) or update semantics (inputs echo back). Default true. */
  preview?: boolean;
  /** Program directory, for relative source positions. */
  programDir?: string;
  /** Called after each resource registration (progress). */
  onResource?: (r: CapturedResource, count: number) => void;
  /** Called on each data-source call (progress). */
  onInvoke?: (token: string) => void;
}

/** A message the program or the SDK logged (pulumi.log.*), as the engine would show it under Diagnostics. */
export interface Diagnostic {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  /** The resource the message is about, when given. */
  urn?: string;
}

/** A running offline session. */
export interface OfflineSession {
  readonly resources: CapturedResource[];
  readonly notes: ModelNote[];
  /** Messages logged through pulumi.log, in order. An `error` fails the preview, as it fails `pulumi up`. */
  readonly diagnostics: Diagnostic[];
  /** Resolves once every pending registration has been answered. */
  settle(): Promise<void>;
  /** Looks a captured resource up by URN. */
  byUrn(urn: string): CapturedResource | undefined;
}

interface ProtoMessage {
  toJavaScript?: () => unknown;
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** The subset of RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
  getType(): string;
  getRemote(): boolean;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getProvider(): string;
  getProvidersMap(): ProtoMap<string>;
  getPropertydependenciesMap(): ProtoMap<{ getUrnsList(): string[] }>;
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getRetainondelete(): boolean;
  getDeletedwith(): string;
  getAliasesList(): { toObject(): unknown }[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getHidediffsList?(): string[];
  getImportid(): string;
  getVersion(): string;
  getPlugindownloadurl(): string;
  getSourceposition(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
}

/** jspb.Map: iterate with forEach (toObject asserts on message values). */
interface ProtoMap<V> {
  forEach(cb: (value: V, key: string) => void): void;
}

interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type Callback = (err: Error | null, resp?: ProtoMessage) => void;

interface Monitor {
  /** The SDK mock monitor's URN builder (replaced with the engine's). */
  newUrn?(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, cb: Callback): void;
  registerResourceOutputs(req: OutputsRequest, cb: (err: Error | null, resp?: unknown) => void): void;
}

/**
 * Starts an offline session: sets config, installs mocks backed by the offline model, and wraps the
 * monitor so every registration is captured.
 */
export async function startOfflineRuntime(opts: OfflineRuntimeOptions): Promise<OfflineSession> {
  const { pulumi } = opts;
  const resources: CapturedResource[] = [];
  const index = new Map<string, CapturedResource>();
  const notes: ModelNote[] = [];
  const seenNotes = new Set<string>();
  const providerInputs = new Map<string, Record<string, unknown>>();

  pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
  const diagnostics = interceptLogs(pulumi);

  const env: ModelEnv = {
    config: opts.config,
    providerInputs: (ref) => (ref ? providerInputs.get(ref) : undefined),
    note: (n) => {
      if (seenNotes.has(n.message)) return;
      seenNotes.add(n.message);
      notes.push(n);
    },
  };
  const computedByKey = new Map<string, string[]>();

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = unwrapForModel(args.inputs);
        const result = modelResource(
          {
            type: args.type,
            name: args.name,
            inputs,
            provider: args.provider,
            custom: args.custom ?? true,
            id: args.id,
          },
          env,
        );
        computedByKey.set(`${args.type}::${args.name}::${args.provider ?? ""}`, result.computed);
        // Keep secret inputs secret in the returned state.
        const state: Record<string, unknown> = { ...result.state };
        for (const [k, v] of Object.entries(args.inputs)) if (isSecretValue(v)) state[k] = v;
        return { id: result.id, state };
      },
      call(args) {
        opts.onInvoke?.(args.token);
        return modelInvoke(args.token, unwrapForModel(args.inputs), env, args.provider);
      },
    },
    opts.project,
    opts.stack,
    opts.preview ?? true,
    opts.organization,
  );

  const settings = require(resolveFrom(pulumi, "runtime/settings")) as {
    getMonitor(): Monitor;
    waitForRPCs(): Promise<void>;
  };
  const propertyNames = recordPropertyNames(pulumi);
  const monitor = settings.getMonitor();
  const struct = require(resolveBesideSdk(pulumi, "google-protobuf/google/protobuf/struct_pb")) as {
    Struct: { fromJavaScript(v: unknown): unknown };
  };
  // The mocks qualify a child's type with its parent's last type only; the engine uses the whole chain.
  monitor.newUrn = (parent, type, name) => engineUrn(opts.stack, opts.project, parent, type, name);
  const transforms = installTransforms(sdkDir(pulumi), monitor as unknown as Record<string, unknown>);
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const treq = req as unknown as TransformableRequest;
    transforms.apply(treq).then(
      () => registerTransformed(req, cb),
      (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
    );
  };
  const registerTransformed = (req: RegisterRequest, cb: Callback) => {
    if (req.getRemote()) env.note(remoteComponentNote(req.getType()));
    register(req, (err, resp) => {
      if (!err && resp && index.has(resp.getUrn())) {
        // The engine's check (step generator): one resource per URN in a deployment.
        cb(new Error(`Duplicate resource URN '${resp.getUrn()}'; try giving it a unique name`), undefined);
        return;
      }
      if (!err && resp) {
        transforms.registered(req as unknown as TransformableRequest, resp.getUrn());
        markAdditionalSecrets(req, resp, struct.Struct);
        const captured = capture(req, resp, opts.programDir);
        if (captured.custom && (opts.preview ?? true)) {
          // Output-only properties the provider has not reported are unknown until deployment.
          for (const k of propertyNames.get(`${captured.type}::${captured.name}`) ?? []) {
            if (!(k in captured.outputs)) captured.outputs[k] = SIG.unknown;
          }
        }
        captured.computed =
          computedByKey.get(`${captured.type}::${captured.name}::${captured.provider ?? ""}`) ?? [];
        if (captured.type.startsWith("pulumi:providers:")) {
          providerInputs.set(`${captured.urn}::${captured.id}`, plainInputs(captured.inputs));
        }
        resources.push(captured);
        index.set(captured.urn, captured);
        opts.onResource?.(captured, resources.length);
      }
      cb(err, resp);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    const r = index.get(req.getUrn());
    if (r) r.outputs = req.getOutputs()?.toJavaScript() ?? {};
    registerOutputs(req, cb);
  };

  return {
    resources,
    notes,
    diagnostics,
    settle: () => settings.waitForRPCs(),
    byUrn: (urn) => index.get(urn),
  };
}

/**
 * A remote (multi-language) component, e.g. @pulumi/awsx `ecr.Image`: its provider plugin constructs it.
 * Under mocks no plugin runs, so the preview has the component and its inputs only.
 */
export function remoteComponentNote(type: string): ModelNote {
  return {
    level: "warning",
    message: `${type} is a remote component (its provider plugin builds it): this preview records its inputs only; the resources the plugin creates are not in the graph and its outputs are unknown here, and so is every value derived from them. A real \`pulumi preview\` runs the plugin and lists its children (values such as a built image's digest are known only at \`pulumi up\`).`,
  };
}

/** Resolves one of the SDK's internal modules (`runtime/settings`) in the SDK instance the program uses. */
function resolveFrom(pulumi: Pulumi, sub: string): string {
  return path.join(sdkDir(pulumi), sub);
}

/** Resolves a package the SDK depends on (google-protobuf) from the SDK instance's own location. */
function resolveBesideSdk(pulumi: Pulumi, spec: string): string {
  return require.resolve(spec, { paths: [sdkDir(pulumi)] });
}

function sdkDir(pulumi: Pulumi): string {
  const entry =
    (pulumi as unknown as { __meridianEntry?: string }).__meridianEntry ?? require.resolve("@pulumi/pulumi");
  return path.dirname(entry);
}

/**
 * The engine marks a resource's `additionalSecretOutputs` as secret in its state (e.g. RandomPassword's
 * `result`); the SDK's mock monitor does not, so the recorder does it here, before the SDK sees the state.
 */
function markAdditionalSecrets(
  req: RegisterRequest,
  resp: ProtoMessage,
  Struct: { fromJavaScript(v: unknown): unknown },
) {
  const keys = req.getAdditionalsecretoutputsList();
  const obj = resp.getObject()?.toJavaScript();
  if (!keys.length || !obj) return;
  let changed = false;
  for (const k of keys) {
    if (k in obj && !isSecretValue(obj[k])) {
      obj[k] = { [SIG.key]: SIG.secret, value: obj[k] };
      changed = true;
    }
  }
  if (changed) (resp as unknown as { setObject(v: unknown): void }).setObject(Struct.fromJavaScript(obj));
}

/**
 * Records, per resource, the output-only properties of its class: the generated provider SDKs write them
 * as `resourceInputs["arn"] = undefined` followed by an `out` marker comment, which the class source
 * (Function#toString) still shows.
 * In a real preview the provider leaves those unknown until the resource exists; unset optional inputs are
 * simply absent. The SDK's resource module is called through its module object, so wrapping the export
 * sees every registration.
 */
function recordPropertyNames(pulumi: Pulumi): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const byClass = new WeakMap<object, string[]>();
  const mod = require(resolveFrom(pulumi, "runtime/resource")) as Record<string, unknown>;
  const original = mod.registerResource as (...args: unknown[]) => unknown;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    // registerResource(res, parent, t, name, custom, ...)
    const [res, , t, name, custom] = args as [object, unknown, string, string, boolean];
    if (custom && res && typeof res.constructor === "function") {
      let outs = byClass.get(res.constructor);
      if (!outs) {
        outs = [
          ...res.constructor.toString().matchAll(/resourceInputs\["(\w+)"\]\s*=\s*undefined\s*\/\*out\*\//g),
        ].map((m) => m[1]);
        byClass.set(res.constructor, outs);
      }
      names.set(`${t}::${name}`, outs);
    }
    return original.apply(this, args);
  };
  Object.defineProperty(mod, "registerResource", {
    value: wrapped,
    writable: true,
    configurable: true,
    enumerable: true,
  });
  return names;
}

/**
 * Routes pulumi.log.* to a list instead of the console (there is no engine to send them to). The SDK and
 * provider packages call these functions through the module object, so replacing them catches every call.
 */
function interceptLogs(pulumi: Pulumi): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const log = pulumi.log as unknown as Record<string, unknown>;
  const make =
    (severity: Diagnostic["severity"]) =>
    (message: string, resource?: { urn?: { promise?: () => Promise<string> } }): Promise<void> => {
      const entry: Diagnostic = { severity, message };
      diagnostics.push(entry);
      const urn = resource?.urn?.promise?.();
      if (urn)
        return urn.then(
          (u) => void (entry.urn = u),
          () => undefined,
        );
      return Promise.resolve();
    };
  for (const sev of ["debug", "info", "warn", "error"] as const) {
    Object.defineProperty(log, sev, {
      value: make(sev === "warn" ? "warning" : sev),
      writable: true,
      configurable: true,
      enumerable: true,
    });
  }
  return diagnostics;
}

/** Loads @pulumi/pulumi as seen from a program directory, so the program and the engine share one runtime. */
export function loadPulumiFrom(dir: string): Pulumi {
  // The SDK's function-serialization dependencies load on first use only (see lazyModules.cjs).
  (require("./lazyModules.cjs") as { install(): void }).install();
  const entry = require.resolve("@pulumi/pulumi", { paths: [dir] });
  const mod = require(entry) as Pulumi;
  deferPromiseStacks(path.dirname(entry));
  Object.defineProperty(mod, "__meridianEntry", { value: entry, enumerable: false, configurable: true });
  return mod;
}

function capture(req: RegisterRequest, resp: ProtoMessage, programDir: string | undefined): CapturedResource {
  const options: CapturedOptions = {};
  if (req.getProtect()) options.protect = true;
  if (req.getDeletebeforereplacedefined() || req.getDeletebeforereplace())
    options.deleteBeforeReplace = req.getDeletebeforereplace();
  if (req.getIgnorechangesList().length) options.ignoreChanges = req.getIgnorechangesList();
  if (req.getReplaceonchangesList().length) options.replaceOnChanges = req.getReplaceonchangesList();
  if (req.getRetainondelete()) options.retainOnDelete = true;
  if (req.getDeletedwith()) options.deletedWith = req.getDeletedwith();
  const aliases = req.getAliasesList().map((a) => a.toObject());
  if (aliases.length) options.aliases = aliases;
  const ct = req.getCustomtimeouts();
  if (ct && (ct.getCreate() || ct.getUpdate() || ct.getDelete())) {
    options.customTimeouts = {};
    if (ct.getCreate()) options.customTimeouts.create = ct.getCreate();
    if (ct.getUpdate()) options.customTimeouts.update = ct.getUpdate();
    if (ct.getDelete()) options.customTimeouts.delete = ct.getDelete();
  }
  if (req.getAdditionalsecretoutputsList().length)
    options.additionalSecretOutputs = req.getAdditionalsecretoutputsList();
  const hide = req.getHidediffsList?.() ?? [];
  if (hide.length) options.hideDiffs = hide;
  if (req.getImportid()) options.importId = req.getImportid();
  if (req.getVersion()) options.version = req.getVersion();
  if (req.getPlugindownloadurl()) options.pluginDownloadURL = req.getPlugindownloadurl();

  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((v, k) => {
    const urns = v.getUrnsList();
    if (urns.length) propertyDependencies[k] = urns;
  });
  const providers: Record<string, string> = {};
  req.getProvidersMap().forEach((v, k) => (providers[k] = v));

  const pos = req.getSourceposition();
  let sourcePosition: SourcePosition | undefined;
  // The root stack's position is inside the SDK; it says nothing about the program.
  if (pos && pos.getUri() && req.getType() !== "pulumi:pulumi:Stack") {
    let file = pos.getUri().startsWith("file:") ? fileURLToPath(pos.getUri()) : pos.getUri();
    if (programDir) {
      const rel = path.relative(programDir, file);
      if (!rel.startsWith("..") && !path.isAbsolute(rel)) file = rel;
    }
    sourcePosition = { file, line: pos.getLine(), column: pos.getColumn() };
  }

  const id = resp.getId();
  return {
    urn: resp.getUrn(),
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent() || undefined,
    id: id || undefined,
    provider: req.getProvider() || undefined,
    providers: Object.keys(providers).length ? providers : undefined,
    inputs: req.getObject()?.toJavaScript() ?? {},
    outputs: resp.getObject()?.toJavaScript() ?? {},
    computed: [],
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    options,
    sourcePosition,
  };
}

/** True when a (deserialized or wire) value is a secret. */
export function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG.key] === SIG.secret;
}

/** True when a wire value is unknown. */
export function isUnknownValue(v: unknown): boolean {
  return v === SIG.unknown;
}

/** The model sees plain values: secrets unwrapped (it needs e.g. a secret-marked name), unknowns undefined. */
function unwrapForModel(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    const u = unwrapDeep(v);
    if (u !== undefined) out[k] = u;
  }
  return out;
}

function unwrapDeep(v: unknown): unknown {
  if (v === SIG.unknown) return undefined;
  if (Array.isArray(v)) return v.map(unwrapDeep);
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (o[SIG.key] === SIG.secret) return unwrapDeep(o.value);
    if (o[SIG.key] === SIG.resource) return o.urn;
    if (o[SIG.key] !== undefined) return v;
    // The SDK's `unknown` sentinel object after deserialization.
    if (o.constructor && o.constructor.name === "Unknown") return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      const u = unwrapDeep(x);
      if (u !== undefined) out[k] = u;
    }
    return out;
  }
  return v;
}

/** Plain inputs of a captured resource (secrets unwrapped, unknowns dropped). */
export function plainInputs(wire: Record<string, WireValue>): Record<string, unknown> {
  return unwrapForModel(wire as Record<string, unknown>);
}

/**
 * Renders a wire value for people and tools: secrets become "[secret]" (or the value, when asked),
 * unknowns "[unknown]", resource references their URN, assets a short description.
 */
export function displayValue(v: WireValue, showSecrets = false): unknown {
  if (v === SIG.unknown) return "[unknown]";
  if (Array.isArray(v)) return v.map((x) => displayValue(x, showSecrets));
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    switch (o[SIG.key]) {
      case SIG.secret:
        return showSecrets ? displayValue(o.value, showSecrets) : "[secret]";
      case SIG.resource:
        return o.id ? `${o.urn}::${o.id}` : o.urn;
      case SIG.asset:
        return {
          asset: o.path ?? o.uri ?? (typeof o.text === "string" ? `${o.text.length} chars of text` : ""),
        };
      case SIG.archive:
        return { archive: o.path ?? o.uri ?? Object.keys((o.assets as object) ?? {}) };
      case SIG.outputValue:
        return "value" in o ? displayValue(o.value, showSecrets) : "[unknown]";
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = displayValue(x, showSecrets);
    return out;
  }
  return v;
}

/** Paths (`a.b[0].c`) of every unknown value inside a wire value. */
export function unknownPaths(v: WireValue, prefix = ""): string[] {
  if (v === SIG.unknown) return [prefix || "(value)"];
  if (Array.isArray(v)) return v.flatMap((x, i) => unknownPaths(x, `${prefix}[${i}]`));
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (o[SIG.key] === SIG.secret) return unknownPaths(o.value, prefix);
    if (o[SIG.key] !== undefined) return [];
    return Object.entries(o).flatMap(([k, x]) => unknownPaths(x, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}
