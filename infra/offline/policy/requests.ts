/**
 * The analyzer requests the engine builds for one resource: `AnalyzeRequest` (per resource, its inputs, as
 * the engine sends each registration) and `AnalyzerResource` (one entry of `AnalyzeStackRequest`, its
 * state), with the resource options and the provider the resource uses (explicit, or the engine's
 * default provider configured from the stack's `<package>:*` config).
 */
import type { PreviewResult } from "../run";
import { CapturedResource } from "../runtime";
import { ProtoModules, toAnalyzerProps } from "./protocol";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Msg = any;

/** What the requests need to know of the preview besides the resource: stack, project and config. */
export interface PreviewContext {
  stack: string;
  project: { name: string };
  config: PreviewResult["config"];
}

/** Every resource registered so far, by URN (explicit providers are looked up here). */
export type ResourceIndex = ReadonlyMap<string, CapturedResource>;

/** `AnalyzeRequest` for one registration: type, URN, name, inputs, options and provider. */
export function analyzeRequest(
  proto: ProtoModules,
  r: CapturedResource,
  byUrn: ResourceIndex,
  ctx: PreviewContext,
): Msg {
  return describe(proto, new proto.pb.AnalyzeRequest(), r, r.inputs, byUrn, ctx);
}

/** One `AnalyzerResource` of `AnalyzeStackRequest`: the resource's state, parent and dependencies. */
export function stackResource(
  proto: ProtoModules,
  r: CapturedResource,
  byUrn: ResourceIndex,
  ctx: PreviewContext,
): Msg {
  // A preview's state: the inputs, overlaid with what the provider reported (unknown where computed).
  const ar = describe(proto, new proto.pb.AnalyzerResource(), r, { ...r.inputs, ...r.outputs }, byUrn, ctx);
  if (r.parent) ar.setParent(r.parent);
  ar.setDependenciesList(r.dependencies);
  const pd = ar.getPropertydependenciesMap();
  for (const [k, urns] of Object.entries(r.propertyDependencies)) {
    const deps = new proto.pb.AnalyzerPropertyDependencies();
    deps.setUrnsList(urns);
    pd.set(k, deps);
  }
  return ar;
}

/** The fields both messages share: type, URN, name, properties, options and provider. */
function describe(
  proto: ProtoModules,
  msg: Msg,
  r: CapturedResource,
  props: Record<string, unknown>,
  byUrn: ResourceIndex,
  ctx: PreviewContext,
): Msg {
  msg.setType(r.type);
  msg.setUrn(r.urn);
  msg.setName(r.name);
  msg.setProperties(proto.Struct.fromJavaScript(toAnalyzerProps(props)));
  msg.setOptions(options(proto, r));
  const prov = providerOf(proto, r, byUrn, ctx);
  if (prov) msg.setProvider(prov);
  return msg;
}

function options(proto: ProtoModules, r: CapturedResource): Msg {
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
export function parseDuration(s: string): number {
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms)/g)) {
    const n = Number(m[1]);
    total += m[2] === "h" ? n * 3600 : m[2] === "m" ? n * 60 : m[2] === "s" ? n : n / 1000;
  }
  return total;
}

/** The provider a resource uses: the captured explicit provider, or the engine's default provider. */
function providerOf(
  proto: ProtoModules,
  r: CapturedResource,
  byUrn: ResourceIndex,
  ctx: PreviewContext,
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
  for (const [k, v] of Object.entries(ctx.config)) {
    if (k.startsWith(`${pkg}:`) && !v.secret) props[k.slice(pkg.length + 1)] = v.value;
  }
  const name = urn?.split("::").pop() ?? `default`;
  p.setType(`pulumi:providers:${pkg}`);
  p.setName(name);
  p.setUrn(urn ?? `urn:pulumi:${ctx.stack}::${ctx.project.name}::pulumi:providers:${pkg}::${name}`);
  p.setProperties(proto.Struct.fromJavaScript(props));
  return p;
}
