/**
 * Child process entry of test/gcs.ts: the Cloud Storage emulator of firebase-tools (npm `firebase-tools`,
 * pinned exactly in app's devDependencies) serving its Google Cloud Storage JSON API on 127.0.0.1, a free port.
 *
 * Why not `firebase emulators:start --only storage`: the CLI starts the emulator's Firebase Security Rules
 * runtime first, a JAR it downloads from storage.googleapis.com (unreachable here) and runs on Java >= 21
 * (Debian bookworm has 17); with either missing the CLI refuses to start. The JSON API that
 * `@google-cloud/storage` speaks never consults those rules: its routes (lib/emulator/storage/apis/gcloud.js)
 * go through the emulator's admin storage layer, whose validator allows everything. So this entry builds the
 * same emulator object and Express app the CLI builds (`StorageEmulator`, `createApp`), without the rules
 * runtime, and registers it where the emulator looks up its own address (object self links).
 * These are firebase-tools internals (no public API): a firebase-tools upgrade must re-run test/storage-gcs.test.ts.
 *
 * Protocol with the parent: prints `gcs emulator listening on 127.0.0.1:<port>` once ready; blobs live under
 * `os.tmpdir()` (the parent sets TMPDIR to a throwaway directory, given again as MERIDIAN_GCS_DIR); it removes
 * that directory and exits on SIGTERM, SIGINT or when its stdin closes (the parent died, however it died).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** The parts of firebase-tools' StorageEmulator used here (lib/emulator/storage/index.js). */
interface StorageEmulator {
  args: { port: number };
}
const { StorageEmulator } = require("firebase-tools/lib/emulator/storage") as {
  StorageEmulator: new (args: {
    projectId: string;
    host: string;
    port: number;
    rules: unknown[];
    auto_download: boolean;
  }) => StorageEmulator;
};
const { createApp } = require("firebase-tools/lib/emulator/storage/server") as {
  createApp(projectId: string, emulator: StorageEmulator): Promise<http.RequestListener>;
};
const { EmulatorRegistry } = require("firebase-tools/lib/emulator/registry") as {
  EmulatorRegistry: { set(name: "storage", emulator: StorageEmulator): void };
};

const projectId = process.env.MERIDIAN_GCS_PROJECT ?? "demo-meridian";
const dir = process.env.MERIDIAN_GCS_DIR;

function shutdown(code: number): never {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

async function main(): Promise<void> {
  // `rules: []`: no Firebase rules at all (the Firebase SDK endpoints under /v0 then deny everything).
  const emulator = new StorageEmulator({
    projectId,
    host: "127.0.0.1",
    port: 0,
    rules: [],
    auto_download: false,
  });
  const server = http.createServer(await createApp(projectId, emulator));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  emulator.args.port = port;
  EmulatorRegistry.set("storage", emulator);
  process.stdout.write(`gcs emulator listening on 127.0.0.1:${port}\n`);
}

process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));
process.stdin.on("close", () => shutdown(0));
process.stdin.resume();
main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  shutdown(1);
});
