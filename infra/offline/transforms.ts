/**
 * Resource transforms the way the Pulumi engine applies them (pkg/resource/deploy/source_eval.go,
 * RegisterResource): the SDK registers each transform as a callback (`registerResourceTransform` /
 * `registerStackTransform` for the stack, the `transforms` resource option for one resource and its
 * children); on every registration the engine runs the resource's own transforms, then those of each
 * ancestor (nearest first), then the stack's (in registration order), and registers the result. The old
 * SDK-side `transformations` have already run when the request arrives, so they come first, as in the SDK.
 *
 * Offline there is no gRPC callback server: the SDK's own CallbackServer code is used without its
 * server (its callbacks are called in-process with the same TransformRequest/TransformResponse bytes), so
 * props and options reach the program's transform exactly as the real engine hands them over.
 */
import * as path from "node:path";

/** The proto messages this module reads and writes (the SDK's generated classes). */
interface ProtoMsg {
  serializeBinary(): Uint8Array;
}
interface CallbackMsg {
  getToken(): string;
}
interface StringMap {
  forEach(cb: (value: string, key: string) => void): void;
  set(key: string, value: string): void;
  clear(): void;
}
interface TransformOptions extends ProtoMsg {
  [setter: string]: unknown;
}

/** RegisterResourceRequest: the fields transforms can read and change. */
export interface TransformableRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  setObject(v: unknown): void;
  getTransformsList(): CallbackMsg[];
  [accessor: string]: unknown;
}

type CallbackFn = (bytes: Uint8Array) => Promise<ProtoMsg>;

interface CallbackServerLike {
  _callbacks: Map<string, CallbackFn>;
}

/** Option fields copied between a RegisterResourceRequest and TransformResourceOptions: [request, options]. */
const SCALAR_OPTIONS: [string, string][] = [
  ["Dependencies", "DependsOn"],
  ["Ignorechanges", "IgnoreChanges"],
  ["Replaceonchanges", "ReplaceOnChanges"],
  ["Aliases", "Aliases"],
  ["Additionalsecretoutputs", "AdditionalSecretOutputs"],
  ["Hidediffs", "HideDiff"],
  ["ReplaceWith", "ReplaceWith"],
];
const VALUE_OPTIONS: [string, string][] = [
  ["Protect", "Protect"],
  ["Version", "Version"],
  ["Provider", "Provider"],
  ["Customtimeouts", "CustomTimeouts"],
  ["Plugindownloadurl", "PluginDownloadUrl"],
  ["Retainondelete", "RetainOnDelete"],
  ["Deletedwith", "DeletedWith"],
  ["Deletebeforereplace", "DeleteBeforeReplace"],
  ["Importid", "Import"],
  ["ReplacementTrigger", "ReplacementTrigger"],
  ["Hooks", "Hooks"],
];

/** The engine side of transforms for one offline session. */
export interface TransformEngine {
  /** Runs every transform that applies to this registration and rewrites the request in place. */
  apply(req: TransformableRequest): Promise<void>;
  /** Records a registered resource's URN, parent and own transforms (children inherit them). */
  registered(req: TransformableRequest, urn: string): void;
}

/**
 * Installs the in-process callback server in the SDK's store, turns transforms support on (the SDK's
 * mocks turn it off) and gives the monitor `registerStackTransform`.
 */
export function installTransforms(sdkDir: string, monitor: Record<string, unknown>): TransformEngine {
  const sdk = (sub: string) => require(path.join(sdkDir, sub)) as Record<string, unknown>;
  const { CallbackServer } = sdk("runtime/callbacks") as { CallbackServer: { prototype: object } };
  const state = sdk("runtime/state") as { getStore(): Record<string, unknown> };
  const proto = sdk("proto/resource_pb") as Record<string, new () => Record<string, unknown>> & {
    TransformResponse: { deserializeBinary(b: Uint8Array): Record<string, () => unknown> };
  };

  // The SDK's CallbackServer without its gRPC server: registerTransform only needs these fields.
  const server = Object.assign(Object.create(CallbackServer.prototype) as object, {
    _callbacks: new Map<string, CallbackFn>(),
    _pendingRegistrations: 0,
    _awaitQueue: [],
    _monitor: monitor,
    _target: Promise.resolve("meridian-offline-engine"),
    shutdown: () => undefined,
  }) as CallbackServerLike;
  const store = state.getStore();
  store.callbacks = server;
  store.supportsTransforms = true;

  const stackTransforms: string[] = [];
  const own = new Map<string, string[]>();
  const parents = new Map<string, string>();
  monitor.registerStackTransform = (cb: CallbackMsg, done: (err: Error | null, resp?: unknown) => void) => {
    stackTransforms.push(cb.getToken());
    done(null, {});
  };

  const optionsOf = (req: TransformableRequest): TransformOptions => {
    const opts = new proto.TransformResourceOptions() as unknown as TransformOptions;
    const call = (o: Record<string, unknown>, m: string, ...a: unknown[]) =>
      (o[m] as (...x: unknown[]) => unknown).apply(o, a);
    for (const [r, o] of SCALAR_OPTIONS) call(opts, `set${o}List`, call(req, `get${r}List`));
    for (const [r, o] of VALUE_OPTIONS) {
      const v = call(req, `get${r}`);
      if (v !== undefined && v !== null) call(opts, `set${o}`, v);
    }
    const providers = call(opts, "getProvidersMap") as StringMap;
    (call(req, "getProvidersMap") as StringMap).forEach((v, k) => providers.set(k, v));
    return opts;
  };

  const writeBack = (req: TransformableRequest, opts: Record<string, unknown>) => {
    const call = (o: Record<string, unknown>, m: string, ...a: unknown[]) =>
      (o[m] as (...x: unknown[]) => unknown).apply(o, a);
    for (const [r, o] of SCALAR_OPTIONS) call(req, `set${r}List`, call(opts, `get${o}List`));
    for (const [r, o] of VALUE_OPTIONS) call(req, `set${r}`, call(opts, `get${o}`));
    if (opts.getDeleteBeforeReplace !== undefined && call(opts, "getDeleteBeforeReplace"))
      call(req, "setDeletebeforereplacedefined", true);
    const providers = call(req, "getProvidersMap") as StringMap;
    providers.clear();
    (call(opts, "getProvidersMap") as StringMap).forEach((v, k) => providers.set(k, v));
  };

  return {
    async apply(req) {
      const tokens = req.getTransformsList().map((c) => c.getToken());
      for (let p = req.getParent(); p; p = parents.get(p) ?? "") tokens.push(...(own.get(p) ?? []));
      tokens.push(...stackTransforms);
      if (!tokens.length) return;
      let props = req.getObject();
      let opts: unknown = optionsOf(req);
      for (const token of tokens) {
        const cb = server._callbacks.get(token);
        if (!cb) throw new Error(`transform callback ${token} was never registered with the SDK`);
        const request = new proto.TransformRequest() as Record<string, (v: unknown) => void>;
        request.setType(req.getType());
        request.setName(req.getName());
        request.setCustom(req.getCustom());
        request.setParent(req.getParent());
        request.setProperties(props);
        request.setOptions(opts);
        const bytes = (request as unknown as ProtoMsg).serializeBinary();
        const response = proto.TransformResponse.deserializeBinary((await cb(bytes)).serializeBinary());
        props = response.getProperties() ?? props;
        opts = response.getOptions() ?? new proto.TransformResourceOptions();
      }
      req.setObject(props);
      writeBack(req, opts as Record<string, unknown>);
    },
    registered(req, urn) {
      if (req.getParent()) parents.set(urn, req.getParent());
      const mine = req.getTransformsList().map((c) => c.getToken());
      if (mine.length) own.set(urn, mine);
    },
  };
}
