/**
 * Audits a stack from its `pulumi stack export`: loads it (load.ts), runs the policy pack over the analyzer
 * protocol the way `pulumi policy analyze --file` does (pulumi/pulumi `pkg/resource/deploy/
 * analyze_snapshot.go`, `AnalyzeSnapshot`), and evaluates the go-live checklist (checklist.ts).
 *
 * What the pack receives, as in `AnalyzeSnapshot`:
 * - `Analyze` for each live resource with its **stored inputs**, its options (protect, ignoreChanges,
 *   additionalSecretOutputs, aliases, customTimeouts, parent) and its provider (the provider resource of
 *   the state with that provider's inputs);
 * - `AnalyzeStack` once with every live resource's **stored outputs**, parent, dependencies and property
 *   dependencies.
 * Resources marked `delete` or `pendingReplacement`, and pending operations, are not analyzed (the CLI skips
 * `delete` ones; a pending replacement no longer exists in the cloud either). `ConfigureStack` says
 * `dryRun: true` (the session is the preview's); Meridian's pack does not read it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ModelNote } from "../offline/model";
import { loadProject } from "../offline/project";
import { GRAPH_FORMAT_VERSION, PreviewResult } from "../offline/run";
import { CapturedResource, displayValue, isSecretValue } from "../offline/runtime";
import { PolicyRun, startPolicySession } from "../offline/policy/run";
import { goLiveChecklist, CheckResult } from "./checklist";
import { ExportError, LoadedExport, loadExport } from "./load";

const repoRoot = path.resolve(__dirname, "..", "..");

export interface AuditOptions {
  /** The export file. */
  file: string;
  /** The policy pack directory; undefined: no pack. */
  packDir?: string;
  /** The pack's config file; undefined: Meridian's `<pack>/config/<stack>.json` for a Meridian stack. */
  policyConfig?: string;
  showSecrets?: boolean;
}

export interface Audit {
  loaded: LoadedExport;
  /** The export as the report writers read a preview (live resources only). */
  result: PreviewResult;
  policy?: PolicyRun;
  checklist: CheckResult[];
  /** The `posture` stack output (display values), when the stack has one. */
  posture?: unknown;
}

/** Reads the export (errors: `ExportError`), runs the pack and the checklist. */
export async function runAudit(opts: AuditOptions): Promise<Audit> {
  const started = Date.now();
  let text: string;
  try {
    text = fs.readFileSync(opts.file, "utf8");
  } catch (e) {
    throw new ExportError(
      `--from ${opts.file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`,
    );
  }
  const loaded = loadExport(text, opts.file);
  const notes = notesOf(loaded);
  const result: PreviewResult = {
    kind: "meridian.offline-preview",
    formatVersion: GRAPH_FORMAT_VERSION,
    deployed: false,
    project: {
      name: loaded.project,
      dir: path.dirname(path.resolve(opts.file)),
      main: path.basename(opts.file),
    },
    stack: loaded.stack,
    config: {},
    resources: loaded.resources,
    diagnostics: [],
    outputs: loaded.outputs,
    notes,
    durationMs: 0,
    sdkVersion: loaded.manifest.version ?? "unknown",
  };

  let policy: PolicyRun | undefined;
  if (opts.packDir) {
    const configFile = opts.policyConfig ?? defaultConfig(opts.packDir, loaded);
    if (!configFile)
      notes.push({
        level: "info",
        message: `the policy pack ran with its defaults (no --policy-config for ${loaded.project}/${loaded.stack})`,
      });
    const session = startPolicySession({ packDir: opts.packDir, configFile });
    session.begin(result);
    for (const r of loaded.resources) session.analyze(r);
    // The session sends AnalyzeStack the inputs overlaid with the outputs (a preview's state); a deployment's
    // state is its outputs alone. Provider resources keep their inputs: Analyze requests still in flight read
    // a provider's inputs from this list, as AnalyzeSnapshot sends provider inputs.
    const stackView = loaded.resources.map((r): CapturedResource =>
      isProvider(r) ? r : { ...r, inputs: {} },
    );
    policy = await session.finish({ ...result, resources: stackView });
  }
  result.durationMs = Date.now() - started;

  const postureWire = loaded.outputs.posture;
  const posture =
    postureWire === undefined ? undefined : displayValue(postureWire, opts.showSecrets ?? false);
  if (postureWire !== undefined && isSecretValue(postureWire) && !opts.showSecrets)
    notes.push({
      level: "warning",
      message: "the posture output is a secret: rerun with --show-secrets to show it",
    });
  return { loaded, result, policy, checklist: goLiveChecklist(loaded.resources), posture };
}

function isProvider(r: CapturedResource): boolean {
  return r.type.startsWith("pulumi:providers:");
}

/** Meridian's own stack audited with Meridian's pack: the stack's policy config, as the preview uses. */
function defaultConfig(packDir: string, loaded: LoadedExport): string | undefined {
  if (path.resolve(packDir) !== path.join(repoRoot, "policies")) return undefined;
  if (loaded.project !== loadProject(repoRoot).name) return undefined;
  const f = path.join(packDir, "config", `${loaded.stack}.json`);
  return fs.existsSync(f) ? f : undefined;
}

/** What the reports must say about the export: where it came from, what was not seen, what is not live. */
function notesOf(loaded: LoadedExport): ModelNote[] {
  const notes: ModelNote[] = [];
  if (loaded.fromPreview)
    notes.push({
      level: "warning",
      message: `this export was written by the offline preview (${loaded.manifest.version}), not by a deployment: ids, ARNs and endpoints are the offline model's placeholders and values shown as [unknown] are known only after \`pulumi up\``,
    });
  if (loaded.hidden.length) {
    const shown = loaded.hidden.slice(0, 20).map((h) => `${h.urn.split("::").pop()}: ${h.path}`);
    const more =
      loaded.hidden.length > shown.length ? `, and ${loaded.hidden.length - shown.length} more` : "";
    notes.push({
      level: "warning",
      message: `${loaded.hidden.length} encrypted secret value(s) could not be read and were analyzed as unknown (export with \`pulumi stack export --show-secrets\` to let the pack see them): ${shown.join("; ")}${more}`,
    });
  }
  for (const n of loaded.notLive)
    notes.push({ level: "warning", message: `not live, not analyzed (${n.reason}): ${n.type} ${n.urn}` });
  if (loaded.resources.length === 0)
    notes.push({ level: "warning", message: "the export has no live resources: nothing to analyze" });
  return notes;
}
