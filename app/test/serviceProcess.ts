/**
 * A throwaway test service in its own Node process on 127.0.0.1 (s3.ts: s3rver; gcs.ts: the GCS emulator):
 * a private temp directory, start-up awaited until the process prints the port it listens on (its output is
 * in the error when it does not), and one way to stop it — SIGTERM, SIGKILL after 5 s, directory removed.
 * If this process exits first (mocha's early exit included), the service is killed and its directory removed.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface ServiceProcessOptions {
  /** For messages: "s3rver", "the GCS emulator". */
  name: string;
  /** Temp directory prefix under os.tmpdir(), e.g. `meridian-s3-`. */
  dirPrefix: string;
  /** Node arguments (script and flags), given the service's directory. */
  args: (dir: string) => string[];
  /** Environment of the child, given the service's directory (default: this process's). */
  env?: (dir: string) => NodeJS.ProcessEnv;
  cwd?: string;
  /** `pipe` keeps the child's stdin open: a child that exits when its stdin closes then dies with us. */
  stdin?: "ignore" | "pipe";
  /** Matches the child's output once it listens; group 1 is the port. */
  listening: RegExp;
  startTimeoutMs: number;
}

export interface ServiceProcess {
  port: number;
  dir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export async function startServiceProcess(o: ServiceProcessOptions): Promise<ServiceProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), o.dirPrefix));
  const child: ChildProcess = spawn(process.execPath, o.args(dir), {
    cwd: o.cwd,
    env: o.env ? o.env(dir) : process.env,
    stdio: [o.stdin ?? "ignore", "pipe", "pipe"],
  });
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const onExit = () => {
    child.kill("SIGKILL");
    remove();
  };
  process.once("exit", onExit);
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(
        () => reject(new Error(`${o.name} did not start within ${o.startTimeoutMs / 1000} s: ${out}`)),
        o.startTimeoutMs,
      );
      child.stdout!.on("data", (d) => {
        out += d;
        const m = o.listening.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.stderr!.on("data", (d) => (out += d));
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${o.name} exited (${code}): ${out}`));
      });
    });
  } catch (err) {
    onExit();
    process.removeListener("exit", onExit);
    throw err;
  }
  return {
    port,
    dir,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      remove();
      process.removeListener("exit", onExit);
    },
  };
}
