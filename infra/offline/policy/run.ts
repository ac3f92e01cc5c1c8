/**
 * Runs a policy pack over a captured preview, the way the Pulumi engine does during `pulumi preview
 * --policy-pack DIR --policy-pack-config FILE`:
 *
 *   GetAnalyzerInfo -> Configure (the stack's policy config, reconciled with the pack's defaults)
 *   -> ConfigureStack -> Analyze (every resource, its inputs) -> AnalyzeStack (once, every resource's state).
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
  toAnalyzerProps,
} from "./protocol";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Msg = any;

export { PolicyConfigError } from "./config";

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
  /**
   * A pack already being started (see {@link startPackEarly}), so its start-up overlaps the program's run
   * as it does under the Pulumi engine, which loads analyzers before the program registers resources.
   */
  connection?: Promise<PackConnection>;
}

/** Checks that a directory holds a policy pack (a PulumiPolicy.yaml). */
export function checkPackDir(packDir: string, given = packDir): string {
  const dir = path.resolve(packDir);
  if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml")))
    throw new PolicyConfigError(`--policy-pack ${given}: no PulumiPolicy.yaml in ${dir}`);
  return dir;
}

/**
 * Starts the pack process now and returns its connection promise for {@link runPolicyPack}. The promise
 * never rejects unobserved; `discard` stops the process when the preview fails before the pack is used.
 */
export function startPackEarly(
  packDir: string,
  configFile?: string,
): { connection: Promise<PackConnection>; discard(): void } {
  const dir = checkPackDir(packDir);
  // The CLI loads policy config before the program runs: a bad file fails here, before anything starts.
  if (configFile) loadPolicyPackConfig(configFile);
  const connection = startPack(dir);
  connection.catch(() => undefined);
  return {
    connection,
    discard: () => void connection.then((c) => c.close()).catch(() => undefined),
  };
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

function options(proto: Msg, r: CapturedResource): Msg {
  const o = new proto.pb.AnalyzerResourceOptions();
  o.setProtect(r.options.protect ?? false);
  o.setIgnorechangesList(r.options.ignoreChanges ?? []);
  if (r.options.deleteBeforeReplace !== undefined) {
    o.setDeletebeforereplace(r.options.deleteBeforeReplace);
    o.setDeletebeforereplacedefined(true);
  }
  o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs ?? []);
  o.setAliasesList(
    (r.options.aliases ?? [])
      .map((a) => (a as { urn?: string }).urn)
      .filter((u): u is string => typeof u === "string" && u !== ""),
  );
  const ct = r.options.customTimeouts;
  if (ct) {
    const t = new proto.pb.AnalyzerResourceOptions.CustomTimeouts();
    const secs = (s?: string) => (s ? parseDuration(s) : 0);
    t.setCreate(secs(ct.create));
    t.setUpdate(secs(ct.update));
    t.setDelete(secs(ct.delete));
    o.setCustomtimeouts(t);
  }
  if (r.parent) o.setParent(r.parent);
  return o;
}

/** Go-style durations (`5m`, `1h30m`, `90s`) to seconds. */
function parseDuration(s: string): number {
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms)/g)) {
    const n = Number(m[1]);
    total += m[2] === "h" ? n * 3600 : m[2] === "m" ? n * 60 : m[2] === "s" ? n : n / 1000;
  }
  return total;
}

/** The provider a resource uses: the captured explicit provider, or the engine's default provider. */
function providerOf(
  proto: Msg,
  r: CapturedResource,
  byUrn: Map<string, CapturedResource>,
  result: Pick<PreviewResult, "stack" | "project" | "config">,
): Msg | undefined {
  if (!r.custom || r.type.startsWith("pulumi:")) return undefined;
  const pkg = r.type.split(":")[0];
  const p = new proto.pb.AnalyzerProviderResource();
  const ref = r.provider;
  const urn = ref ? ref.split("::").slice(0, -1).join("::") : undefined;
  const captured = urn ? byUrn.get(urn) : undefined;
  if (captured) {
    p.setType(captured.type);
    p.setName(captured.name);
    p.setUrn(captured.urn);
    p.setProperties(proto.Struct.fromJavaScript(toAnalyzerProps(captured.inputs)));
    return p;
  }
  // The engine's default provider for the package, configured from the stack's `<pkg>:*` config.
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result.config)) {
    if (k.startsWith(`${pkg}:`) && !v.secret) props[k.slice(pkg.length + 1)] = v.value;
  }
  const name = urn?.split("::").pop() ?? `default`;
  p.setType(`pulumi:providers:${pkg}`);
  p.setName(name);
  p.setUrn(urn ?? `urn:pulumi:${result.stack}::${result.project.name}::pulumi:providers:${pkg}::${name}`);
  p.setProperties(proto.Struct.fromJavaScript(props));
  return p;
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

/** Runs the pack over a preview. Always stops the pack process. */
export async function runPolicyPack(result: PreviewResult, opts: PolicyRunOptions): Promise<PolicyRun> {
  const started = Date.now();
  const packDir = checkPackDir(opts.packDir);
  const file: ParsedPolicyConfig | undefined = opts.configFile
    ? loadPolicyPackConfig(opts.configFile)
    : undefined;

  let conn: PackConnection | undefined;
  try {
    conn = await (opts.connection ?? startPack(packDir, { command: opts.command }));
    const { pb, Struct } = conn.proto;
    const info = await conn.call("getAnalyzerInfo", new conn.proto.Empty());
    const metas = (info.getPoliciesList() as Msg[]).map(infoOf);
    const config = reconcilePolicyPackConfig(
      metas,
      file,
      opts.configFile ? `--policy-config ${opts.configFile}` : "policy config",
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
    const stackReq = new pb.AnalyzerStackConfigureRequest();
    stackReq.setStack(result.stack);
    stackReq.setProject(result.project.name);
    stackReq.setOrganization("organization");
    stackReq.setDryRun(true);
    try {
      await conn.call("configureStack", stackReq);
    } catch {
      // Older packs do not implement ConfigureStack; the engine ignores that too.
    }

    const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
    const checked = new Map<string, number>(metas.map((m) => [m.name, 0]));
    const diags: Msg[] = [];
    const analyze = async (r: CapturedResource) => {
      const req = new pb.AnalyzeRequest();
      req.setType(r.type);
      req.setUrn(r.urn);
      req.setName(r.name);
      req.setProperties(Struct.fromJavaScript(toAnalyzerProps(r.inputs)));
      req.setOptions(options(conn!.proto, r));
      const prov = providerOf(conn!.proto, r, byUrn, result);
      if (prov) req.setProvider(prov);
      const resp = await conn!.call("analyze", req);
      const na = new Set((resp.getNotApplicableList() as Msg[]).map((x) => x.getPolicyName()));
      for (const m of metas) {
        if (m.kind === "resource" && !na.has(m.name) && config[m.name].enforcementLevel !== "disabled")
          checked.set(m.name, (checked.get(m.name) ?? 0) + 1);
      }
      for (const d of resp.getDiagnosticsList() as Msg[]) diags.push({ d, urn: r.urn });
    };
    // The engine analyzes resources as their registrations arrive; a small window keeps order stable.
    const queue = [...result.resources];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (queue.length) await analyze(queue.shift()!);
      }),
    );

    const stackReqA = new pb.AnalyzeStackRequest();
    stackReqA.setResourcesList(
      result.resources.map((r) => {
        const ar = new pb.AnalyzerResource();
        ar.setType(r.type);
        ar.setUrn(r.urn);
        ar.setName(r.name);
        // A preview's state: the inputs, overlaid with what the provider reported (unknown where computed).
        ar.setProperties(Struct.fromJavaScript(toAnalyzerProps({ ...r.inputs, ...r.outputs })));
        ar.setOptions(options(conn!.proto, r));
        const prov = providerOf(conn!.proto, r, byUrn, result);
        if (prov) ar.setProvider(prov);
        if (r.parent) ar.setParent(r.parent);
        ar.setDependenciesList(r.dependencies);
        const pd = ar.getPropertydependenciesMap();
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
          const deps = new pb.AnalyzerPropertyDependencies();
          deps.setUrnsList(urns);
          pd.set(k, deps);
        }
        return ar;
      }),
    );
    const stackResp = await conn.call("analyzeStack", stackReqA);
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
    for (const d of stackResp.getDiagnosticsList() as Msg[]) diags.push({ d, urn: undefined });

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
    const order = new Map(result.resources.map((r, i) => [r.urn, i]));
    findings.sort(
      (a, b) =>
        (order.get(a.urn ?? "") ?? -1) - (order.get(b.urn ?? "") ?? -1) || a.policy.localeCompare(b.policy),
    );
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
    if (e instanceof PolicyPackError && conn) e.message += conn.stderr() ? `\n${conn.stderr()}` : "";
    throw e;
  } finally {
    conn?.close();
  }
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
