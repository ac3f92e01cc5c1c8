/**
 * Runs a policy pack over a captured preview, the way the Pulumi engine does during `pulumi preview
 * --policy-pack DIR --policy-pack-config FILE`:
 *
 *   GetAnalyzerInfo -> Configure (the stack's policy config, reconciled with the pack's defaults)
 *   -> ConfigureStack -> Analyze (each resource as it registers, its inputs) -> AnalyzeStack (once, after
 *   the program, every resource's state).
 *
 * and collects the diagnostics with their enforcement levels, plus how many resources each policy checked
 * (resources analyzed minus those the pack answered "not applicable" for).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PreviewResult } from "../run";
import { CapturedResource, SourcePosition } from "../runtime";
import {
  loadPolicyPackConfig,
  ParsedPolicyConfig,
  PolicyConfigError,
  reconcilePolicyPackConfig,
} from "./config";
import {
  ENFORCEMENT_NAMES,
  EnforcementName,
  PackConnection,
  PolicyPackError,
  SEVERITY_NAMES,
  startPack,
} from "./protocol";
import { analyzeRequest, PreviewContext, stackResource } from "./requests";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Msg = any;

export { PolicyConfigError } from "./config";
export type { PreviewContext } from "./requests";

export interface PolicyInfo {
  name: string;
  displayName?: string;
  description: string;
  /** Effective enforcement for this run (after the stack's config). */
  enforcement: EnforcementName;
  /** The pack's default enforcement. */
  defaultEnforcement: EnforcementName;
  severity?: string;
  remediation?: string;
  kind: "resource" | "stack";
  tags: string[];
  /** From tags `ref:...`. */
  references: string[];
  /** From tags `type:...`. */
  types: string[];
  cloud?: string;
  area?: string;
  configSchema?: { properties: Record<string, unknown>; required?: string[] };
  /** Resources the policy checked (not "not applicable"). */
  checked: number;
}

export type FindingStatus = "violation" | "waived" | "unknown";

export interface Finding {
  policy: string;
  status: FindingStatus;
  enforcement: EnforcementName;
  severity?: string;
  /** The message without the policy description prefix. */
  message: string;
  description: string;
  urn?: string;
  resourceType?: string;
  resourceName?: string;
  sourcePosition?: SourcePosition;
}

export interface PolicyRun {
  pack: { name: string; version: string; displayName?: string; description?: string; dir: string };
  configFile?: string;
  /** The reconciled config sent with Configure (enforcement and properties per policy). */
  config: Record<string, { enforcementLevel: EnforcementName; properties: Record<string, unknown> }>;
  policies: PolicyInfo[];
  findings: Finding[];
  resourcesAnalyzed: number;
  /** Findings that block: mandatory violations (waived and cannot-check findings are advisory). */
  mandatory: number;
  durationMs: number;
}

export interface PolicyRunOptions {
  packDir: string;
  configFile?: string;
  /** Launch command override (tests). */
  command?: string[];
}

/** Checks that a directory holds a policy pack (a PulumiPolicy.yaml). */
export function checkPackDir(packDir: string, given = packDir): string {
  const dir = path.resolve(packDir);
  if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml")))
    throw new PolicyConfigError(`--policy-pack ${given}: no PulumiPolicy.yaml in ${dir}`);
  return dir;
}

function infoOf(p: Msg): Omit<PolicyInfo, "enforcement" | "checked"> {
  const tags: string[] = p.getTagsList();
  const pick = (prefix: string) =>
    tags.filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
  const schema = p.getConfigschema();
  return {
    name: p.getName(),
    displayName: p.getDisplayname() || undefined,
    description: p.getDescription(),
    defaultEnforcement: ENFORCEMENT_NAMES[p.getEnforcementlevel()] ?? "advisory",
    severity: SEVERITY_NAMES[p.getSeverity()] || undefined,
    remediation: p.getRemediationSteps() || undefined,
    kind: p.getPolicyType() === 2 ? "stack" : "resource",
    tags,
    references: pick("ref:"),
    types: pick("type:"),
    cloud: pick("cloud:")[0],
    area: pick("area:")[0],
    configSchema: schema
      ? {
          properties: schema.getProperties()?.toJavaScript() ?? {},
          required: schema.getRequiredList(),
        }
      : undefined,
  };
}

/** The message of a diagnostic without the description @pulumi/policy prefixes to string reports. */
function detail(message: string, description: string): string {
  if (message.startsWith(`${description}\n`)) return message.slice(description.length + 1);
  return message;
}

function statusOf(message: string): FindingStatus {
  if (message.startsWith("[waived]")) return "waived";
  if (message.startsWith("cannot check during preview") || / during preview: /.test(message))
    return "unknown";
  return "violation";
}

/**
 * A policy pack run that follows the preview as the Pulumi engine's does: the pack starts (and the policy
 * config is checked) before the program runs, each resource is analyzed as its registration arrives
 * (`Analyze`), and once the program has finished the whole stack is (`AnalyzeStack`).
 */
export interface PolicySession {
  /** The stack, project and config the program runs with (known before its first registration). */
  begin(ctx: PreviewContext): void;
  /** Queues a registered resource for `Analyze`. */
  analyze(r: CapturedResource): void;
  /** After the program: waits for the queued analyses, runs `AnalyzeStack`, stops the pack. */
  finish(result: PreviewResult): Promise<PolicyRun>;
  /** Stops the pack (the preview failed; nothing is reported). */
  discard(): void;
}

/** Requests in flight at once: the pack answers one at a time, a small window keeps it busy. */
const WINDOW = 64;

interface Configured {
  conn: PackConnection;
  info: Msg;
  metas: Omit<PolicyInfo, "enforcement" | "checked">[];
  config: PolicyRun["config"];
  ctx: PreviewContext;
}

/**
 * Starts the pack process now and returns the session. A bad policy config file fails here, before
 * anything starts (the CLI loads policy config before the program runs). The session never leaves a
 * rejection unobserved, and `finish` or `discard` stops the pack.
 */
export function startPolicySession(opts: PolicyRunOptions): PolicySession {
  const started = Date.now();
  const packDir = checkPackDir(opts.packDir);
  const file: ParsedPolicyConfig | undefined = opts.configFile
    ? loadPolicyPackConfig(opts.configFile)
    : undefined;
  const connection = startPack(packDir, { command: opts.command });
  connection.catch(() => undefined);
  let begin: (ctx: PreviewContext) => void = () => undefined;
  const contextKnown = new Promise<PreviewContext>((resolve) => (begin = resolve));
  const configured = configure(connection, file, opts.configFile, contextKnown);
  configured.catch(() => undefined);

  const byUrn = new Map<string, CapturedResource>();
  const checked = new Map<string, number>();
  const diags: Diagnostic[] = [];
  const queue: CapturedResource[] = [];
  let inflight = 0;
  let failure: unknown;
  let drained: () => void = () => undefined;

  const analyzeOne = async (r: CapturedResource) => {
    const { conn, metas, config, ctx } = await configured;
    const resp = await conn.call("analyze", analyzeRequest(conn.proto, r, byUrn, ctx));
    const na = new Set((resp.getNotApplicableList() as Msg[]).map((x) => x.getPolicyName()));
    for (const m of metas) {
      if (m.kind === "resource" && !na.has(m.name) && config[m.name].enforcementLevel !== "disabled")
        checked.set(m.name, (checked.get(m.name) ?? 0) + 1);
    }
    for (const d of resp.getDiagnosticsList() as Msg[]) diags.push({ d, urn: r.urn });
  };
  const pump = () => {
    while (inflight < WINDOW && queue.length && failure === undefined) {
      const r = queue.shift()!;
      inflight++;
      analyzeOne(r)
        .catch((e: unknown) => (failure ??= e))
        .finally(() => {
          inflight--;
          pump();
        });
    }
    if (inflight === 0 && (queue.length === 0 || failure !== undefined)) drained();
  };
  const stop = () => void connection.then((c) => c.close()).catch(() => undefined);

  return {
    begin: (ctx) => begin(ctx),
    analyze(r) {
      byUrn.set(r.urn, r);
      queue.push(r);
      pump();
    },
    discard: stop,
    async finish(result) {
      begin(result);
      try {
        for (const r of result.resources) byUrn.set(r.urn, r);
        await new Promise<void>((resolve) => {
          drained = resolve;
          pump();
        });
        const { conn, info, metas, config, ctx } = await configured;
        if (failure !== undefined) throw failure;
        const stackReq = new conn.proto.pb.AnalyzeStackRequest();
        stackReq.setResourcesList(result.resources.map((r) => stackResource(conn.proto, r, byUrn, ctx)));
        const stackResp = await conn.call("analyzeStack", stackReq);
        for (const d of stackResp.getDiagnosticsList() as Msg[]) diags.push({ d });
        const naStack = new Set((stackResp.getNotApplicableList() as Msg[]).map((x) => x.getPolicyName()));
        for (const m of metas) {
          if (m.kind !== "stack" || naStack.has(m.name) || config[m.name].enforcementLevel === "disabled")
            continue;
          const matches = typeGlobs(m.types);
          checked.set(
            m.name,
            m.types.length ? result.resources.filter((r) => matches(r.type)).length : result.resources.length,
          );
        }
        const findings = toFindings(diags, byUrn, result.resources);
        return {
          pack: {
            name: info.getName(),
            version: info.getVersion(),
            displayName: info.getDisplayname() || undefined,
            description: info.getDescription() || undefined,
            dir: packDir,
          },
          configFile: opts.configFile,
          config,
          policies: metas.map((m) => ({
            ...m,
            enforcement: config[m.name].enforcementLevel,
            checked: checked.get(m.name) ?? 0,
          })),
          findings,
          resourcesAnalyzed: result.resources.length,
          mandatory: findings.filter((f) => f.enforcement === "mandatory" && f.status === "violation").length,
          durationMs: Date.now() - started,
        };
      } catch (e) {
        const conn = await connection.catch(() => undefined);
        if (e instanceof PolicyPackError && conn?.stderr()) e.message += `\n${conn.stderr()}`;
        throw e;
      } finally {
        stop();
      }
    },
  };
}

/** Runs the pack over a finished preview (every resource analyzed, then the stack). Always stops the pack. */
export async function runPolicyPack(result: PreviewResult, opts: PolicyRunOptions): Promise<PolicyRun> {
  const session = startPolicySession(opts);
  session.begin(result);
  for (const r of result.resources) session.analyze(r);
  return session.finish(result);
}

/** GetAnalyzerInfo -> Configure (the policy config reconciled with the pack) -> ConfigureStack. */
async function configure(
  connection: Promise<PackConnection>,
  file: ParsedPolicyConfig | undefined,
  configFile: string | undefined,
  contextKnown: Promise<PreviewContext>,
): Promise<Configured> {
  const conn = await connection;
  const { pb, Struct } = conn.proto;
  const info = await conn.call("getAnalyzerInfo", new conn.proto.Empty());
  const metas = (info.getPoliciesList() as Msg[]).map(infoOf);
  const config = reconcilePolicyPackConfig(
    metas,
    file,
    configFile ? `--policy-config ${configFile}` : "policy config",
    `policy pack ${info.getName()}`,
  );
  const cfgReq = new pb.ConfigureAnalyzerRequest();
  const map = cfgReq.getPolicyconfigMap();
  for (const [name, c] of Object.entries(config)) {
    const pc = new pb.PolicyConfig();
    pc.setEnforcementlevel(ENFORCEMENT_NAMES.indexOf(c.enforcementLevel));
    pc.setProperties(Struct.fromJavaScript(c.properties));
    map.set(name, pc);
  }
  await conn.call("configure", cfgReq);
  const ctx = await contextKnown;
  const stackReq = new pb.AnalyzerStackConfigureRequest();
  stackReq.setStack(ctx.stack);
  stackReq.setProject(ctx.project.name);
  stackReq.setOrganization("organization");
  stackReq.setDryRun(true);
  try {
    await conn.call("configureStack", stackReq);
  } catch {
    // Older packs do not implement ConfigureStack; the engine ignores that too.
  }
  return { conn, info, metas, config, ctx };
}

interface Diagnostic {
  d: Msg;
  /** The resource whose `Analyze` returned it (stack diagnostics carry their own URN, if any). */
  urn?: string;
}

function toFindings(
  diags: Diagnostic[],
  byUrn: ReadonlyMap<string, CapturedResource>,
  resources: CapturedResource[],
): Finding[] {
  const findings: Finding[] = diags.map(({ d, urn }) => {
    const description = d.getDescription();
    const message = detail(d.getMessage(), description);
    const u = d.getUrn() || urn;
    const res = u ? byUrn.get(u) : undefined;
    return {
      policy: d.getPolicyname(),
      status: statusOf(message),
      enforcement: ENFORCEMENT_NAMES[d.getEnforcementlevel()] ?? "advisory",
      severity: SEVERITY_NAMES[d.getSeverity()] || undefined,
      message,
      description,
      urn: u || undefined,
      resourceType: res?.type,
      resourceName: res?.name,
      sourcePosition: res?.sourcePosition,
    };
  });
  // Registration order, then policy: the same report whatever order the answers came in. (One resource's
  // findings come in one answer; the sort is stable, so a policy's findings keep the order it reported.)
  const order = new Map(resources.map((r, i) => [r.urn, i]));
  return findings.sort(
    (a, b) =>
      (order.get(a.urn ?? "") ?? -1) - (order.get(b.urn ?? "") ?? -1) || a.policy.localeCompare(b.policy),
  );
}

/** The policy config file for a stack: `<pack>/config/<stack>.json` when it exists. */
export function defaultPolicyConfig(packDir: string, stack: string): string | undefined {
  const f = path.join(packDir, "config", `${stack}.json`);
  return fs.existsSync(f) ? f : undefined;
}

/**
 * A matcher for a policy's resource types as its metadata lists them: exact tokens, or patterns where `*`
 * stands for any run of characters (`gcp:*:*IamMember`).
 */
export function typeGlobs(types: readonly string[]): (type: string) => boolean {
  const exact = new Set(types.filter((t) => !t.includes("*")));
  const globs = types
    .filter((t) => t.includes("*"))
    .map(
      (t) =>
        new RegExp(
          `^${t
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
        ),
    );
  return (type) => exact.has(type) || globs.some((g) => g.test(type));
}
