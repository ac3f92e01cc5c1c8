/**
 * Test service: a Google Cloud Storage JSON API emulator, the Cloud Storage emulator of firebase-tools (npm
 * `firebase-tools`, an exact devDependency of app), in its own process on 127.0.0.1 with a throwaway blob
 * directory (test/gcs-emulator.ts says how it is started and why not through the firebase CLI). The GCS adapter
 * runs unchanged against it through `apiEndpoint`. `startGcs()` starts one; `stopGcsServers()` (root `afterAll`
 * hook) and process exit stop every emulator this harness started and remove its directory; the emulator also
 * exits by itself when this process dies (its stdin closes).
 *
 * What the emulator does not check (docs/app.md, "Images"): see test/storage-gcs.test.ts's header.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Storage } from "@google-cloud/storage";
import { GcsStorage, type GcsStorageOptions } from "../src/storage/gcs";

/** The project id of the emulator and its clients: `demo-*` ids are Firebase's offline-only ids. */
export const GCS_TEST_PROJECT = "demo-meridian";

export interface GcsServer {
  /** `http://127.0.0.1:<port>`: the adapter's `apiEndpoint`. */
  endpoint: string;
  bucket: string;
  /** A client for assertions (read back what is really stored). */
  client: Storage;
  /** Every object name in the bucket (all prefixes), sorted. */
  objects(): Promise<string[]>;
  stop(): Promise<void>;
}

const servers = new Set<GcsServer>();

/** Startup allowance: firebase-tools loads in about 1 s here; a loaded CI machine may be far slower. */
const START_TIMEOUT_MS = 30_000;

/**
 * Starts the emulator on a free loopback port. The emulator creates a bucket on its first write (it has no
 * bucket-creation call: the JSON API's `buckets.insert` answers 501), so `bucket` starts empty by construction.
 */
export async function startGcs(bucket = "meridian-test-assets"): Promise<GcsServer> {
  const entry = path.join(__dirname, "gcs-emulator.ts");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-gcs-"));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, TMPDIR: dir, MERIDIAN_GCS_DIR: dir, MERIDIAN_GCS_PROJECT: GCS_TEST_PROJECT },
    stdio: ["pipe", "pipe", "pipe"],
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
        () => reject(new Error(`the GCS emulator did not start within ${START_TIMEOUT_MS / 1000} s: ${out}`)),
        START_TIMEOUT_MS,
      );
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /gcs emulator listening on [\d.]+:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.stderr!.on("data", (d) => (out += d));
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the GCS emulator exited (${code}): ${out}`));
      });
    });
  } catch (err) {
    onExit();
    process.removeListener("exit", onExit);
    throw err;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new Storage({ apiEndpoint: endpoint, projectId: GCS_TEST_PROJECT });
  const server: GcsServer = {
    endpoint,
    bucket,
    client,
    objects: async () => {
      const [files] = await client.bucket(bucket).getFiles();
      return files.map((f) => f.name).sort();
    },
    stop: async () => {
      servers.delete(server);
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
  servers.add(server);
  return server;
}

/** Stops every emulator this harness started (root `afterAll` hook). */
export async function stopGcsServers(): Promise<void> {
  await Promise.all([...servers].map((s) => s.stop()));
}

/**
 * The app's GCS adapter pointed at `server` the way the suites use it: prefix `uploads`, the emulator's
 * project id; `overrides` on top.
 */
export function gcsStorage(
  server: Pick<GcsServer, "bucket" | "endpoint">,
  overrides: Partial<GcsStorageOptions> = {},
): GcsStorage {
  return new GcsStorage({
    bucket: server.bucket,
    prefix: "uploads",
    apiEndpoint: server.endpoint,
    projectId: GCS_TEST_PROJECT,
    ...overrides,
  });
}
