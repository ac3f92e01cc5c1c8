/**
 * No policy pack process outlives the preview that started it: a failing program, a bad policy config,
 * a successful run and SIGTERM/SIGINT of the engine all leave no `run-policy-pack` child behind. Each run
 * carries a unique environment marker that its children inherit; afterwards no process on the machine may
 * still carry it (found by pid through /proc).
 */
import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..", "..");
const packDir = path.join(root, "policies");
const MARK = "MERIDIAN_PACK_PROBE";

/** Pids of live processes whose environment carries `MARK=<id>`. */
function pidsWithMarker(id: string, cmd?: string): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const env = fs.readFileSync(`/proc/${e}/environ`, "latin1");
      const stat = fs.readFileSync(`/proc/${e}/stat`, "latin1");
      if (/\) Z /.test(stat)) continue; // a zombie has exited
      if (!env.split("\0").includes(`${MARK}=${id}`)) continue;
      if (cmd && !fs.readFileSync(`/proc/${e}/cmdline`, "latin1").includes(cmd)) continue;
      out.push(Number(e));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) if (cond()) return true;
  return cond();
}

describe("policy pack lifecycle: no pack process survives a preview", function () {
  this.timeout(180_000);
  let dir: string;
  const started: ChildProcess[] = [];

  before(function () {
    if (!fs.existsSync("/proc/self/environ")) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-lifecycle-"));
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: lifecycle\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
  });
  after(() => {
    for (const c of started) if (c.exitCode === null) c.kill("SIGKILL");
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function preview(program: string, extra: string[] = []) {
    fs.writeFileSync(path.join(dir, "index.ts"), program);
    const id = randomUUID();
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(root, "infra/offline/cli.ts"),
        "--cwd",
        dir,
        "--stack",
        "dev",
        "--policy-pack",
        packDir,
        ...extra,
      ],
      { cwd: root, env: { ...process.env, [MARK]: id }, stdio: ["ignore", "pipe", "pipe"] },
    );
    started.push(child);
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    child.stdout!.resume();
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    return { id, child, exited, stderr: () => stderr };
  }

  /** After the engine exits, every process that inherited its marker is gone (allowing the kill to land). */
  async function assertNoneSurvive(id: string, enginePid: number) {
    const gone = await waitFor(() => pidsWithMarker(id).length === 0, 5_000);
    const left = pidsWithMarker(id);
    for (const p of left) process.kill(p, "SIGKILL");
    assert.ok(gone, `engine ${enginePid} left pack process(es) ${left.join(", ")} running`);
  }

  it("program failure: exit 1 and no pack process left", async () => {
    const run = preview(`throw new Error("boom");\n`);
    const code = await run.exited;
    assert.equal(code, 1, run.stderr());
    assert.match(run.stderr(), /boom/);
    await assertNoneSurvive(run.id, run.child.pid!);
  });

  it("policy config error: exit 2 and no pack process left", async () => {
    const cfg = path.join(dir, "bad.json");
    fs.writeFileSync(cfg, JSON.stringify({ "aws-rds-backups": "sometimes" }));
    const run = preview(`export const x = 1;\n`, ["--policy-config", cfg]);
    assert.equal(await run.exited, 2, run.stderr());
    await assertNoneSurvive(run.id, run.child.pid!);
  });

  it("success: exit 0 and no pack process left", async () => {
    const run = preview(`export const x = 1;\n`, ["--format", "json"]);
    assert.equal(await run.exited, 0, run.stderr());
    await assertNoneSurvive(run.id, run.child.pid!);
  });

  for (const sig of ["SIGTERM", "SIGINT"] as const)
    it(`${sig} of the engine while the pack runs: no pack process left`, async () => {
      // The program waits, so the engine is mid-preview with its pack started when the signal arrives.
      const run = preview(`export const x = new Promise((r) => setTimeout(() => r(1), 60_000));\n`);
      const packUp = await waitFor(() => pidsWithMarker(run.id, "run-policy-pack").length > 0, 60_000);
      assert.ok(packUp, `the pack never started: ${run.stderr()}`);
      run.child.kill(sig);
      const code = await run.exited;
      assert.notEqual(code, 0);
      await assertNoneSurvive(run.id, run.child.pid!);
    });
});
