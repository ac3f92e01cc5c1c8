/**
 * The production start path with production dependencies only, as the image builds it (app/Dockerfile, stage
 * `deps`): a temp dir gets the workspace manifests and the root lockfile, `npm ci --omit=dev --workspace app`
 * installs the app's production dependencies (from the npm cache: CI ran `npm ci` first, so no network is
 * needed), the files are arranged as the runtime stage copies them (/srv/node_modules, /srv/app with dist,
 * migrations and the app's nested node_modules), and `node dist/server.js` must start, pass the schema check,
 * answer `/health/ready` and a real query, and exit 0 on SIGTERM. A dependency used at runtime but declared only in the
 * root or as a dev dependency fails here instead of in a container.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import postgres from "postgres";
import { migrate } from "../src/migrate";
import { createDatabase, freePort, testEnv } from "./harness";

const APP = path.resolve(__dirname, "..");
const ROOT = path.resolve(APP, "..");

/** dist/ is missing or older than a source file (this suite may run before server.test.ts builds). */
function stale(): boolean {
  const built = path.join(APP, "dist", "server.js");
  if (!fs.existsSync(built)) return true;
  const mtime = fs.statSync(built).mtimeMs;
  const src = path.join(APP, "src");
  return fs
    .readdirSync(src, { recursive: true, encoding: "utf8" })
    .some((f) => fs.statSync(path.join(src, f)).mtimeMs > mtime);
}

/** The Dockerfile's install command (stage `deps`), plus --prefer-offline: resolve from the npm cache. */
const PROD_INSTALL = ["ci", "--omit=dev", "--workspace", "app", "--no-audit", "--no-fund"];

describe("production dependencies only (npm ci --omit=dev, node dist/server.js)", function () {
  this.timeout(90_000);
  let dir: string;
  let srv: string;
  let db: { url: string; drop: () => Promise<void> };

  before(async () => {
    if (stale()) {
      const build = spawnSync("npm", ["run", "build"], { cwd: APP, encoding: "utf8" });
      assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}${build.stderr}`);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-prod-"));
    // Only the manifests npm needs to resolve the workspace from the lockfile (as the Dockerfile copies them).
    for (const f of ["package.json", "package-lock.json", "app/package.json", "policies/package.json"]) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    const install = spawnSync("npm", [...PROD_INSTALL, "--prefer-offline"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NODE_ENV: "production" },
    });
    assert.equal(install.status, 0, `npm ci --omit=dev failed:\n${install.stdout}${install.stderr}`);
    // The image's runtime layout (Dockerfile stage `runtime`): /srv/node_modules from the root of the install,
    // /srv/app with dist/, migrations/, package.json and the app's own nested node_modules.
    srv = path.join(dir, "srv");
    fs.mkdirSync(path.join(srv, "app"), { recursive: true });
    fs.renameSync(path.join(dir, "node_modules"), path.join(srv, "node_modules"));
    if (fs.existsSync(path.join(dir, "app", "node_modules")))
      fs.renameSync(path.join(dir, "app", "node_modules"), path.join(srv, "app", "node_modules"));
    for (const f of ["dist", "migrations", "package.json"])
      fs.cpSync(path.join(APP, f), path.join(srv, "app", f), { recursive: true });
    db = await createDatabase("proddeps");
    const sql = postgres(db.url, { max: 1, onnotice: () => undefined });
    try {
      await migrate(sql);
    } finally {
      await sql.end();
    }
  });
  after(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it("has no dev tools or root-only packages, and the server starts and becomes ready", async () => {
    const modules = path.join(srv, "node_modules");
    for (const dev of ["typescript", "mocha", "tsx", "autocannon", "eslint", "@pulumi/pulumi"])
      assert.ok(!fs.existsSync(path.join(modules, dev)), `${dev} must not be installed`);
    assert.ok(fs.existsSync(path.join(modules, "hono")), "production dependencies are installed");

    const port = await freePort();
    const child = spawn(process.execPath, ["dist/server.js"], {
      cwd: path.join(srv, "app"),
      // No NODE_PATH and a cwd outside the repository: only the temp dir's node_modules can resolve.
      env: {
        PATH: process.env.PATH ?? "",
        ...testEnv(db.url),
        NODE_ENV: "production",
        CORS_ALLOWED_ORIGINS: "",
        OTEL_SDK_DISABLED: "false",
        PORT: String(port),
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      let ready = 0;
      for (let i = 0; i < 150 && ready !== 200 && child.exitCode === null; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (r) => r.status,
          () => 0,
        );
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(ready, 200, `not ready (exit ${child.exitCode}):\n${stderr}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/search/businesses?q=cafe`);
      assert.equal(res.status, 200, stderr);
      assert.deepEqual(await res.json(), { items: [] });
      child.kill("SIGTERM");
      assert.equal(await exited, 0, stderr);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
