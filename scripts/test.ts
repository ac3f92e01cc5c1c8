/**
 * The repository's test command (`npm test`).
 *
 * Pulumi's runtime state (mocks, config, the root stack) is process-global, so every suite that calls
 * `pulumi.runtime.setMocks` runs in a mocha process of its own. Those files are named `*.mock.test.ts`.
 * All other `*.test.ts` files (pure functions, and the offline-engine tests, which start the engine as a
 * child process) share one mocha process. Tests run transpile-only through tsx; type-checking is
 * `npm run typecheck`, once for the whole repository.
 *
 * After the root suites, each npm workspace's own `test` script runs (`app`, `policies`), if it has one.
 *
 * Usage: npm test [-- <path filter> ...]   e.g. `npm test -- network` runs only files whose path matches.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const testRoots = ["infra", "components", "stacks", "scripts"];
const skipDirs = new Set(["node_modules", "fixtures", "dist", ".offline"]);
const mochaBin = require.resolve("mocha/bin/mocha.js", { paths: [root] });

interface Result {
  label: string;
  passed: number;
  failed: number;
  pending: number;
  code: number;
  output: string;
  ms: number;
}

function findTests(dir: string, out: string[]): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skipDirs.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(full, out);
    else if (entry.name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

function runMocha(label: string, files: string[]): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", mochaBin, "--reporter", "spec", "--timeout", "120000", "--color", ...files],
      { cwd: root, env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => {
      // eslint-disable-next-line no-control-regex
      const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
      const count = (word: string) => countOf(plain, word);
      resolve({
        label,
        passed: count("passing"),
        failed: count("failing"),
        pending: count("pending"),
        code: code ?? 1,
        output,
        ms: Date.now() - started,
      });
    });
  });
}

function countOf(text: string, word: string): number {
  const m = new RegExp(`^\\s*(\\d+) ${word}`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

async function pool<T>(jobs: (() => Promise<T>)[], size: number, onDone: (r: T) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      onDone(await job());
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, worker));
}

function runWorkspaceTests(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["test", "--workspaces", "--if-present"], { cwd: root, stdio: "inherit" });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const all = testRoots
    .flatMap((r) => findTests(path.join(root, r), []))
    .map((f) => path.relative(root, f))
    .sort()
    .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)));
  const isolated = all.filter((f) => f.endsWith(".mock.test.ts"));
  const shared = all.filter((f) => !f.endsWith(".mock.test.ts"));

  const jobs: (() => Promise<Result>)[] = [];
  if (shared.length > 0) jobs.push(() => runMocha(`unit + engine (${shared.length} files)`, shared));
  for (const f of isolated) jobs.push(() => runMocha(f, [f]));

  const results: Result[] = [];
  const concurrency = Math.max(1, Math.min(os.availableParallelism?.() ?? 2, 4));
  await pool(jobs, concurrency, (r) => {
    results.push(r);
    process.stdout.write(`\n=== ${r.label} (${(r.ms / 1000).toFixed(1)}s)\n${r.output}`);
  });

  let workspaceCode = 0;
  if (filters.length === 0) workspaceCode = await runWorkspaceTests();

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const pending = results.reduce((n, r) => n + r.pending, 0);
  const crashed = results.filter((r) => r.code !== 0 && r.failed === 0);
  console.log("");
  for (const r of crashed) console.log(`suite ${r.label} exited ${r.code} without reporting a failing test`);
  if (workspaceCode !== 0) console.log(`workspace tests exited ${workspaceCode}`);
  console.log(`${results.length} mocha processes, ${all.length} test files`);
  console.log(`${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ""}`);
  const ok = failed === 0 && crashed.length === 0 && workspaceCode === 0 && all.length > 0;
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
