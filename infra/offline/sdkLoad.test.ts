/**
 * How the offline engine loads the Pulumi SDK faster without changing what it does (lazyModules.cjs,
 * promiseStacks.ts, the policy pack's transpileOnly.cjs). Each case runs in a child process: the changes
 * patch process-wide module loading.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const lazy = path.join(__dirname, "lazyModules.cjs");

/** Runs `script` in a fresh Node process in the repository; returns its stdout (fails with its stderr). */
function node(script: string, args: string[] = [], cwd = root): string {
  const r = spawnSync(process.execPath, [...args, "-e", script], { cwd, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `node exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

const loaded = `(re) => Object.keys(require.cache).some((k) => re.test(k))`;

describe("offline engine: SDK modules deferred until used (lazyModules.cjs)", () => {
  it("@pulumi/pulumi loads without the TypeScript compiler and @npmcli/arborist", () => {
    const out = node(`
      require(${JSON.stringify(lazy)}).install();
      require("@pulumi/pulumi");
      const loaded = ${loaded};
      console.log(JSON.stringify({ ts: loaded(/[\\\\/]typescript[\\\\/]lib[\\\\/]/), arborist: loaded(/arborist/) }));`);
    assert.deepEqual(JSON.parse(out), { ts: false, arborist: false });
  });

  it("without the hook the SDK loads both (the test above measures something)", () => {
    const out = node(`
      require("@pulumi/pulumi");
      const loaded = ${loaded};
      console.log(JSON.stringify({ ts: loaded(/[\\\\/]typescript[\\\\/]lib[\\\\/]/), arborist: loaded(/arborist/) }));`);
    assert.deepEqual(JSON.parse(out), { ts: true, arborist: true });
  });

  it("function serialization gives the same text with and without deferral", () => {
    const program = `
      const pulumi = require("@pulumi/pulumi");
      const limit = 42;
      class Greeter { constructor(n) { this.n = n; } greet() { return "hi " + this.n; } }
      const g = new Greeter("x");
      pulumi.runtime
        .serializeFunction(async function handler(ev) { return [limit + ev.n, g.greet()]; })
        .then((r) => console.log(r.text));`;
    const plain = node(program);
    const deferred = node(`require(${JSON.stringify(lazy)}).install();\n${program}`);
    assert.match(plain, /exports\.handler = __handler/);
    assert.equal(deferred, plain);
  });

  it("code-path computation (arborist) works through the stand-in", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-codepaths-"));
    try {
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "x", version: "1.0.0" }));
      const out = node(
        `require(${JSON.stringify(lazy)}).install();
         const pulumi = require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});
         pulumi.runtime.computeCodePaths().then((m) => console.log("paths " + m.size + " " + (${loaded})(/arborist/)));`,
        [],
        dir,
      );
      assert.equal(out.trim(), "paths 0 true");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("offline engine: promise stacks formatted when read (promiseStacks.ts)", () => {
  /** A program that leaks one SDK-tracked promise, run with the SDK's leak report in debug mode. */
  const leak = (patched: boolean) => {
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `const path = require("node:path");
         const entry = require.resolve("@pulumi/pulumi");
         require(entry);
         ${patched ? `require("./infra/offline/promiseStacks.ts").deferPromiseStacks(path.dirname(entry));` : ""}
         const d = require(path.join(path.dirname(entry), "runtime", "debuggable"));
         function registerSomething() { return d.debuggablePromise(new Promise(() => {}), "ctx-1"); }
         registerSomething();`,
      ],
      {
        cwd: root,
        encoding: "utf8",
        timeout: 120_000,
        env: { ...process.env, PULUMI_DEBUG_PROMISE_LEAKS: "1" },
      },
    );
    assert.equal(r.status, 1, `the leak report should fail the run:\n${r.stderr}`);
    return r.stdout + r.stderr;
  };

  it("the SDK's leak report still names the context and the frames where the promise was made", () => {
    const plain = leak(false);
    const deferred = leak(true);
    for (const out of [plain, deferred]) {
      assert.match(out, /CONTEXT\(\d+\): ctx-1/);
      assert.match(out, /STACK_TRACE:\nError\n/);
      assert.match(out, /at registerSomething \(/);
    }
    // The same frames from the caller on (the SDK's own debuggablePromise frame aside).
    const from = (s: string) => s.slice(s.indexOf("at registerSomething"));
    assert.equal(from(deferred), from(plain));
  });
});

describe("policy pack process: the compiler run-policy-pack loads for ts-node is deferred (transpileOnly.cjs)", () => {
  it("the pack serves without loading TypeScript, and still starts with MERIDIAN_PACK_TS_NODE=1", async () => {
    const packDir = path.join(root, "policies");
    const entry = path.join(
      path.dirname(require.resolve("@pulumi/pulumi", { paths: [packDir] })),
      "cmd",
      "run-policy-pack",
    );
    const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "meridian-probe-")), "probe.cjs");
    // Reports, when the pack prints its port, whether the compiler was loaded.
    fs.writeFileSync(
      probe,
      `const w = process.stdout.write.bind(process.stdout);
       process.stdout.write = (d, ...r) => {
         process.stderr.write("TS_LOADED=" + Object.keys(require.cache).some((k) => /[\\\\/]typescript[\\\\/]lib[\\\\/]/.test(k)) + "\\n");
         return w(d, ...r);
       };`,
    );
    const start = (env: NodeJS.ProcessEnv) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            "-r",
            path.join(__dirname, "policy", "transpileOnly.cjs"),
            "-r",
            probe,
            entry,
            "127.0.0.1:0",
            packDir,
          ],
          { cwd: packDir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
        );
        let err = "";
        const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
        child.stderr.on("data", (d) => {
          err += d;
          const m = /TS_LOADED=(true|false)/.exec(err);
          if (m) child.kill("SIGKILL");
        });
        child.on("exit", () => {
          clearTimeout(timer);
          const m = /TS_LOADED=(true|false)/.exec(err);
          if (m) resolve(m[1]);
          else reject(new Error(`the pack did not print its port:\n${err}`));
        });
      });
    try {
      assert.equal(await start({ MERIDIAN_PACK_TS_NODE: "" }), "false");
      assert.equal(await start({ MERIDIAN_PACK_TS_NODE: "1" }), "true");
    } finally {
      fs.rmSync(path.dirname(probe), { recursive: true, force: true });
    }
  });
});
