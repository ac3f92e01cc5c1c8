/**
 * Runs one Pulumi program offline, the way Pulumi's Node.js language host does (load the entry module
 * inside the root stack, call an exported function, await it), against the offline runtime, and returns
 * the captured resource graph and stack outputs.
 *
 * One preview per process: Pulumi's runtime state is process-global.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { ModelNote } from "./model";
import { ConfigOverride, ConfigSource, loadProject, ProjectInfo, resolveConfig } from "./project";
import { CapturedResource, Diagnostic, loadPulumiFrom, startOfflineRuntime } from "./runtime";
import { urnName } from "./urn";
import { idleTimeoutFromEnv, startWatchdog, StuckProgramError } from "./watchdog";

/** The version of the JSON graph format (bump on breaking changes). */
export const GRAPH_FORMAT_VERSION = 1;

export interface PreviewOptions {
  /** Directory of the Pulumi project. */
  cwd: string;
  stack: string;
  overrides?: ConfigOverride[];
  /** Called once the stack's config is resolved, before the program runs. */
  onStart?: (ctx: { stack: string; project: { name: string }; config: PreviewResult["config"] }) => void;
  /** Called after each resource registration. */
  onResource?: (r: CapturedResource, count: number) => void;
  /**
   * Milliseconds without a registration or data-source call after which a program that has not finished
   * fails (default: `MERIDIAN_PREVIEW_IDLE_TIMEOUT` seconds, else 120 s).
   */
  idleTimeoutMs?: number;
  /** What `pulumi.getOrganization()` returns (the CLI's default is `organization`). */
  organization?: string;
}

/** The whole offline preview: what the JSON format writes and the reports render. */
export interface PreviewResult {
  kind: "meridian.offline-preview";
  formatVersion: number;
  /** Always false: nothing was deployed. */
  deployed: false;
  project: { name: string; dir: string; main: string; description?: string };
  stack: string;
  config: Record<string, { value: string; secret: boolean; source: ConfigSource }>;
  resources: CapturedResource[];
  /** Messages the program and the SDK logged (pulumi.log), without debug. */
  diagnostics: Diagnostic[];
  /** Stack outputs in wire format (secrets and unknowns marked). */
  outputs: Record<string, unknown>;
  notes: ModelNote[];
  durationMs: number;
  sdkVersion: string;
}

/** The program failed (an exception or a rejected promise): the preview has no result. */
export class ProgramError extends Error {
  constructor(
    message: string,
    /** `file:line` of the innermost program frame, when known. */
    readonly location: string | undefined,
    /** The original stack, for --verbose. */
    readonly detail: string | undefined,
    /** Cloud (custom) resources registered before the failure. */
    readonly registered: number,
  ) {
    super(message);
    this.name = "ProgramError";
  }
}

/** Runs the preview of one stack of the project in `opts.cwd`. */
export async function runPreview(opts: PreviewOptions): Promise<PreviewResult> {
  const started = Date.now();
  const project = loadProject(opts.cwd);
  const cfg = resolveConfig(project, opts.stack, opts.overrides ?? []);
  const config: PreviewResult["config"] = {};
  for (const key of Object.keys(cfg.values).sort()) {
    const secret = cfg.secretKeys.includes(key);
    config[key] = { value: secret ? "[secret]" : cfg.values[key], secret, source: cfg.sources[key] };
  }
  opts.onStart?.({ stack: opts.stack, project: { name: project.name }, config });
  const pulumi = loadPulumiFrom(project.dir);
  process.chdir(project.dir);

  // Failures inside outputs (an apply callback that throws) surface as unhandled rejections, as they do
  // under the language host, and end the run at once; so does a program that can never finish.
  const seen: { resources: CapturedResource[] } = { resources: [] };
  const watchdog = startWatchdog({
    idleMs: opts.idleTimeoutMs ?? idleTimeoutFromEnv(),
    progress: () => progressOf(seen.resources),
  });
  const session = await startOfflineRuntime({
    pulumi,
    project: project.name,
    stack: opts.stack,
    config: cfg.values,
    secretKeys: cfg.secretKeys,
    preview: true,
    programDir: project.dir,
    organization: opts.organization,
    onResource: (r, count) => {
      watchdog.touch();
      opts.onResource?.(r, count);
    },
    onInvoke: () => watchdog.touch(),
  }).catch((err: unknown) => {
    watchdog.dispose();
    throw err;
  });
  seen.resources = session.resources;
  try {
    await Promise.race([
      (async () => {
        await pulumi.runtime.runInPulumiStack(() => runProgram(project));
        await session.settle();
        // Let rejections raised on the last turn surface.
        await new Promise((r) => setImmediate(r));
      })(),
      watchdog.failed,
    ]);
  } catch (err) {
    throw toProgramError(err, project, customCount(session.resources), lastPosition(session.resources));
  } finally {
    watchdog.dispose();
  }
  const errors = session.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new ProgramError(
      errors.map((d) => (d.urn ? `${urnName(d.urn)}: ${d.message}` : d.message)).join("\n"),
      undefined,
      undefined,
      customCount(session.resources),
    );
  }

  const stackResource = session.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const notes: ModelNote[] = [
    ...cfg.notes.map((message) => ({ level: "warning" as const, message })),
    ...session.notes,
  ];
  return {
    kind: "meridian.offline-preview",
    formatVersion: GRAPH_FORMAT_VERSION,
    deployed: false,
    project: {
      name: project.name,
      dir: project.dir,
      main: path.relative(project.dir, project.main),
      description: project.description,
    },
    stack: opts.stack,
    config,
    resources: session.resources,
    diagnostics: session.diagnostics.filter((d) => d.severity !== "debug"),
    outputs: stackResource?.outputs ?? {},
    notes,
    durationMs: Date.now() - started,
    sdkVersion: (pulumi.runtime as unknown as { version?: string }).version ?? sdkVersionOf(project.dir),
  };
}

function customCount(resources: CapturedResource[]): number {
  return resources.filter((r) => r.custom).length;
}

/** `file:line` of the last resource the program registered, when known. */
function lastPosition(resources: CapturedResource[]): string | undefined {
  const pos = [...resources].reverse().find((r) => r.sourcePosition)?.sourcePosition;
  return pos ? `${pos.file}:${pos.line}` : undefined;
}

function progressOf(resources: CapturedResource[]): string {
  const n = customCount(resources);
  const where = lastPosition(resources);
  const what = n === 1 ? "1 cloud resource registered" : `${n} cloud resources registered`;
  return where ? `${what}, the last at ${where}` : what;
}

/** Loads the entry module and evaluates its export, as the language host's run.ts does. */
async function runProgram(project: ProjectInfo): Promise<unknown> {
  let exported: unknown;
  if (project.moduleType === "module") {
    const mod = (await import(pathToFileURL(project.main).href)) as Record<string, unknown>;
    if (Object.getOwnPropertyDescriptor(mod, "default") !== undefined) {
      if (Object.keys(mod).length !== 1) {
        throw new Error(
          "expected entrypoint module to have either a default export or named exports but not both",
        );
      }
      exported = mod.default;
    } else exported = mod;
  } else {
    exported = require(project.main);
  }
  return exported instanceof Function ? await exported() : exported;
}

function toProgramError(
  err: unknown,
  project: ProjectInfo,
  registered: number,
  stuckAt?: string,
): ProgramError {
  if (err instanceof ProgramError) return err;
  if (err instanceof StuckProgramError) return new ProgramError(err.message, stuckAt, undefined, registered);
  const e = err instanceof Error ? err : new Error(String(err));
  // pulumi.RunError (and Meridian's ConfigError) are meant to be shown without a stack trace.
  const isRunError =
    e.name === "RunError" || e.constructor?.name === "ConfigError" || "__pulumiRunError" in e;
  const location = isRunError ? undefined : programFrame(e.stack, project.dir);
  return new ProgramError(cleanMessage(e.message), location, e.stack, registered);
}

/** The first stack frame inside the program directory but outside node_modules. */
export function programFrame(stack: string | undefined, dir: string): string | undefined {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = m[1].replace(/^file:\/\//, "");
    if (file.includes("/node_modules/") || !file.startsWith(dir)) continue;
    return `${path.relative(dir, file)}:${m[2]}`;
  }
  return undefined;
}

function cleanMessage(message: string): string {
  // The SDK wraps registration failures; keep the cause readable.
  return message.replace(/^Running program '[^']*' failed with an unhandled exception:\s*/, "").trim();
}

function sdkVersionOf(dir: string): string {
  try {
    return (require(require.resolve("@pulumi/pulumi/package.json", { paths: [dir] })) as { version: string })
      .version;
  } catch {
    return "unknown";
  }
}
