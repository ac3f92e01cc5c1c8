/**
 * The offline runtime: configures a Pulumi SDK instance with mocks backed by the offline resource model,
 * and records every resource registration exactly as the SDK sent it to the (mock) resource monitor:
 * URN, type, name, parent, inputs, dependencies, provider, options and source position.
 *
 * The same runtime serves the offline engine (a whole program) and the component tests (one component),
 * so what the tests assert is what reviewers see in the preview.
 *
 * Beside it: capture.ts (what one registration records), sdkHooks.ts (loading and hooking the program's SDK
 * instance), wire.ts (Pulumi's wire format: secrets, unknowns, display values).
 */
import type * as pulumiType from "@pulumi/pulumi";
import { capture, type CapturedResource, type ProtoMessage, type RegisterRequest } from "./capture";
import { modelInvoke, modelResource, ModelEnv, ModelNote } from "./model";
import { installTransforms, TransformableRequest } from "./transforms";
import { engineUrn } from "./urn";
import {
  type Diagnostic,
  interceptLogs,
  markAdditionalSecrets,
  recordPropertyNames,
  resolveBesideSdk,
  resolveFrom,
  sdkDir,
} from "./sdkHooks";
import { isSecretValue, plainInputs, SIG, unwrapForModel } from "./wire";

// What moved out of this module stays importable from it.
export type { CapturedOptions, CapturedResource, SourcePosition } from "./capture";
export { type Diagnostic, loadPulumiFrom } from "./sdkHooks";
export {
  displayValue,
  isSecretValue,
  isUnknownValue,
  plainInputs,
  SIG,
  unknownPaths,
  type WireValue,
} from "./wire";

type Pulumi = typeof pulumiType;

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
