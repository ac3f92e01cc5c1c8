/**
 * Drives the pack's policies in-process through @pulumi/policy's own analyzer handlers (the functions its
 * gRPC server calls): requests are real AnalyzeRequest / AnalyzeStackRequest protobufs, properties go
 * through the same deserialization and unknownCheckingProxy, and violations come from the real rule code.
 * (infra/offline/policy/*.test.ts drive the pack as a separate process over gRPC.)
 */
import { PACK_NAME, packArgs } from "../pack";

/* eslint-disable @typescript-eslint/no-explicit-any */
const server = require("@pulumi/policy/server");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

/** The engine's unknown sentinel and secret wrapper, as they appear on the wire. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const secret = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

export interface Diag {
  policy: string;
  message: string;
  enforcement: "advisory" | "mandatory" | "disabled" | "remediate";
  urn?: string;
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
const analyzeFn = server.makeAnalyzeRpcFun(PACK_NAME, "0.0.0-test", "advisory", packArgs.policies);
const analyzeStackFn = server.makeAnalyzeStackRpcFun(PACK_NAME, "0.0.0-test", "advisory", packArgs.policies);

function urnOf(type: string, name: string) {
  return `urn:pulumi:test::proj::${type}::${name}`;
}

function options() {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(false);
  return o;
}

function diags(resp: any): Diag[] {
  return resp.getDiagnosticsList().map((d: any) => ({
    policy: d.getPolicyname(),
    message: d.getMessage(),
    enforcement: LEVELS[d.getEnforcementlevel()],
    urn: d.getUrn() || undefined,
  }));
}

function call(fn: any, req: any): Promise<any> {
  return new Promise((resolve, reject) =>
    fn({ request: req }, (err: any, resp: any) => (err ? reject(err) : resolve(resp))),
  );
}

/** Analyze one resource (its inputs), as the engine does for each registration. */
export async function analyze(type: string, props: Record<string, unknown>, name = "r"): Promise<Diag[]> {
  const req = new pb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(urnOf(type, name));
  req.setProperties(Struct.fromJavaScript(props));
  req.setOptions(options());
  return diags(await call(analyzeFn, req));
}

export interface StackInput {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** property -> names of resources (in this list) it depends on */
  deps?: Record<string, string[]>;
}

/** AnalyzeStack over a small graph, as the engine does once at the end. */
export async function analyzeStack(resources: StackInput[]): Promise<Diag[]> {
  const urns = new Map(resources.map((r) => [r.name, urnOf(r.type, r.name)]));
  const req = new pb.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const ar = new pb.AnalyzerResource();
      ar.setType(r.type);
      ar.setName(r.name);
      ar.setUrn(urns.get(r.name));
      ar.setProperties(Struct.fromJavaScript(r.props));
      ar.setOptions(options());
      const all = new Set<string>();
      for (const [k, names] of Object.entries(r.deps ?? {})) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(names.map((n) => urns.get(n)!));
        names.forEach((n) => all.add(urns.get(n)!));
        ar.getPropertydependenciesMap().set(k, d);
      }
      ar.setDependenciesList([...all]);
      return ar;
    }),
  );
  return diags(await call(analyzeStackFn, req));
}
