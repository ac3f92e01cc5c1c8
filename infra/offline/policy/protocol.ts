/**
 * The analyzer protocol, client side, as the Pulumi engine speaks it to a policy pack.
 *
 * Launch: the engine asks the language host to run the pack as a plugin; for Node.js that is
 * `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>` in the pack's directory. The pack
 * (`new PolicyPack(...)` -> @pulumi/policy's `serve`) binds a gRPC server on 127.0.0.1:0 and prints the
 * port as the first line of stdout; the engine reads it and connects. We do the same, with the
 * `@pulumi/pulumi` the pack itself resolves, so the pack's own SDK and ts-node setup are used.
 *
 * Encoding: properties are sent as a protobuf Struct in Pulumi's wire format, marshalled as the engine's
 * `MarshalProperties(..., { KeepUnknowns, KeepSecrets, SkipInternalKeys })` does for analyzers: secrets as
 * `{ "4dabf...": "1b47...", value }`, unknowns (of any type) as the unknown-string sentinel, resource
 * references as their id (or URN when the id is unknown), output values flattened to their (secret)
 * value or the unknown sentinel, and `__`-prefixed internal keys dropped.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { SIG } from "../runtime";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Msg = any;

export interface ProtoModules {
  pb: Msg;
  grpcPb: Msg;
  grpc: Msg;
  Struct: { fromJavaScript(v: unknown): Msg };
  Empty: new () => Msg;
}

/** Loads the generated analyzer stubs and grpc-js from the SDK the pack uses (one protobuf instance). */
export function loadProto(packDir: string): ProtoModules {
  const sdkEntry = require.resolve("@pulumi/pulumi", { paths: [packDir] });
  const sdkDir = path.dirname(sdkEntry);
  const pb = require(path.join(sdkDir, "proto", "analyzer_pb"));
  const grpcPb = require(path.join(sdkDir, "proto", "analyzer_grpc_pb"));
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.join(sdkDir, "proto")] }));
  const { Struct } = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }),
  );
  const { Empty } = require(
    require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [path.join(sdkDir, "proto")] }),
  );
  return { pb, grpcPb, grpc, Struct, Empty };
}

/** `run-policy-pack` of the @pulumi/pulumi the pack resolves. */
export function runPolicyPackEntry(packDir: string): string {
  return path.join(
    path.dirname(require.resolve("@pulumi/pulumi", { paths: [packDir] })),
    "cmd",
    "run-policy-pack",
  );
}

/** Converts a captured wire value into what the engine sends an analyzer. */
export function toAnalyzerValue(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toAnalyzerValue(x)));
  const o = v as Record<string, unknown>;
  switch (o[SIG.key]) {
    case SIG.secret:
      return { [SIG.key]: SIG.secret, value: toAnalyzerValue(o.value) };
    case SIG.resource: {
      const id = o.id;
      return typeof id === "string" && id !== "" && id !== SIG.unknown ? id : (o.urn ?? SIG.unknown);
    }
    case SIG.outputValue: {
      const inner = "value" in o ? toAnalyzerValue(o.value) : SIG.unknown;
      return o.secret ? { [SIG.key]: SIG.secret, value: inner } : inner;
    }
    case SIG.asset:
    case SIG.archive:
      return o;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    if (k.startsWith("__") || x === undefined) continue;
    out[k] = toAnalyzerValue(x);
  }
  return out;
}

export function toAnalyzerProps(props: Record<string, unknown>): Record<string, unknown> {
  return toAnalyzerValue(props) as Record<string, unknown>;
}

/** A started policy pack process with a connected client. */
export interface PackConnection {
  proto: ProtoModules;
  child: ChildProcess;
  port: number;
  call<T = Msg>(method: string, req: Msg): Promise<T>;
  /** What the pack wrote to stderr (for errors). */
  stderr(): string;
  close(): void;
}

export class PolicyPackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyPackError";
  }
}

/**
 * Every pack process this engine started and that has not exited. The engine kills them on every way out:
 * `close()`, process exit (also `process.exit` after a failed preview, when a pack still starting was
 * never connected), and SIGINT/SIGTERM/SIGHUP (then the signal is re-raised, so the engine still ends
 * with it). A pack never outlives the preview that started it (~120 MB each).
 */
const live = new Set<ChildProcess>();
let hooked = false;

/** Pids of the pack processes still running. */
export function livePackPids(): number[] {
  return [...live].map((c) => c.pid!).filter((p) => p !== undefined);
}

/** Kills every pack process still running (synchronous: safe in an `exit` handler). */
export function stopAllPacks(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  live.clear();
}

function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (hooked) return;
  hooked = true;
  process.on("exit", stopAllPacks);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      stopAllPacks();
      // Ours was the only handler: end as the signal would have.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
}

/**
 * Starts a policy pack as the engine does and connects to the port it prints.
 * `command` overrides how it is launched (default: node + run-policy-pack); `typeCheck` starts it exactly
 * as the CLI does (ts-node type-checking) instead of transpile-only.
 */
export async function startPack(
  packDir: string,
  opts: { timeoutMs?: number; command?: string[]; typeCheck?: boolean } = {},
): Promise<PackConnection> {
  const proto = loadProto(packDir);
  // Transpile-only unless asked to type-check as the CLI does (see transpileOnly.cjs).
  const preload = opts.typeCheck ? [] : ["-r", path.join(__dirname, "transpileOnly.cjs")];
  const argv = opts.command ?? [
    process.execPath,
    ...preload,
    runPolicyPackEntry(packDir),
    "127.0.0.1:0",
    packDir,
  ];
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // the engine's own loader flags are not the pack's
  const child = spawn(argv[0], argv.slice(1), { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  // The pack must not keep the engine alive by itself: a program that can never finish is detected when
  // nothing else is left to run (watchdog.ts), pack or no pack. Pending gRPC calls and timers still do.
  child.unref();
  for (const stream of [child.stdout, child.stderr])
    (stream as unknown as { unref?(): void } | null)?.unref?.();
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  let onExit: (code: number | null) => void = () => undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new PolicyPackError(
          `policy pack ${packDir} did not print its port within ${opts.timeoutMs ?? 60000} ms\n${err}`,
        ),
      );
    }, opts.timeoutMs ?? 60_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /^\s*(\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    onExit = (code) => {
      clearTimeout(timer);
      reject(
        new PolicyPackError(
          `policy pack ${packDir} exited with code ${code} before serving:\n${err.trim() || out.trim()}`,
        ),
      );
    };
    child.on("exit", onExit);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new PolicyPackError(`cannot start policy pack ${packDir}: ${e.message}`));
    });
  });
  child.removeListener("exit", onExit);
  const client = new proto.grpcPb.AnalyzerClient(
    `127.0.0.1:${port}`,
    proto.grpc.credentials.createInsecure(),
    {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    },
  );
  return {
    proto,
    child,
    port,
    call: (method, req) =>
      new Promise((resolve, reject) =>
        client[method](req, (e: Error | null, resp: Msg) =>
          e ? reject(new PolicyPackError(`${method}: ${e.message}`)) : resolve(resp),
        ),
      ),
    stderr: () => err,
    close() {
      client.close();
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

export const SEVERITY_NAMES = ["", "low", "medium", "high", "critical"] as const;
export const ENFORCEMENT_NAMES = ["advisory", "mandatory", "disabled", "remediate"] as const;
export type EnforcementName = (typeof ENFORCEMENT_NAMES)[number];
