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
import * as path from "node:path";
import { Storage } from "@google-cloud/storage";
import { GcsStorage, type GcsStorageOptions } from "../src/storage/gcs";
import { startServiceProcess } from "./serviceProcess";

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
  const proc = await startServiceProcess({
    name: "the GCS emulator",
    dirPrefix: "meridian-gcs-",
    args: () => ["--import", "tsx", entry],
    cwd: path.resolve(__dirname, ".."),
    env: (dir) => ({
      ...process.env,
      TMPDIR: dir,
      MERIDIAN_GCS_DIR: dir,
      MERIDIAN_GCS_PROJECT: GCS_TEST_PROJECT,
    }),
    stdin: "pipe",
    listening: /gcs emulator listening on [\d.]+:(\d+)/,
    startTimeoutMs: START_TIMEOUT_MS,
  });
  const port = proc.port;
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
      await proc.stop();
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
