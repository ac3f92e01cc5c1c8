/**
 * How the offline engine fails, as a separate process: a program that throws, duplicate URNs, missing
 * config, usage errors, and programs that cannot finish (a throw in an apply, a promise that never
 * settles, a timer that keeps it busy).
 */
import { strict as assert } from "node:assert";
import * as os from "node:os";
import * as path from "node:path";
import { preview, fixture } from "./test/cli";
import { lineOf } from "./test/lineOf";

describe("offline engine failures", () => {
  it("a program that throws exits 1 with the message and where, not a stack dump", () => {
    const r = preview(["--cwd", fixture("throws"), "--stack", "dev"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Offline preview failed \(nothing was deployed\)/);
    assert.match(r.stderr, /no subnets tagged tier=private in this VPC/);
    assert.match(r.stderr, /at index\.ts:7/);
    assert.doesNotMatch(r.stderr, /Module\._compile|node:internal|triggerUncaughtException/);
    assert.equal(r.stdout, "");
  });

  it("two resources with one URN fail as the engine fails them, at the second registration", () => {
    const dir = fixture("duplicate-urn");
    const r = preview(["--cwd", dir, "--stack", "dev"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /Duplicate resource URN 'urn:pulumi:dev::dupes::aws:sqs\/queue:Queue::jobs'; try giving it a unique name/,
    );
    assert.match(
      r.stderr,
      new RegExp(`at index\\.ts:${lineOf(path.join(dir, "index.ts"), "new aws.sqs.Queue")}`),
    );
  });

  it("--verbose adds the stack trace", () => {
    const r = preview(["--cwd", fixture("throws"), "--stack", "dev", "--verbose"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /at pickSubnet/);
  });

  it("missing and mistyped stack config fail like the Pulumi CLI, all at once", () => {
    const r = preview(["--cwd", fixture("esm-default"), "--stack", "dev"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Stack 'dev' is missing configuration value 'name'/);
    assert.match(r.stderr, /configuration key 'size' must be of type 'integer' \(got "large"\)/);
  });

  it("--config overrides fix them; ES-module default exports run", () => {
    const r = preview([
      "--cwd",
      fixture("esm-default"),
      "-s",
      "dev",
      "-c",
      "name=alerts",
      "-c",
      "esm-app:size=3",
      "-f",
      "json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.outputs.size, 3);
    assert.match(doc.outputs.topicArn, /^arn:aws:sns:us-west-2:123456789012:alerts-/);
    assert.equal(doc.config["esm-app:name"].source, "override");
  });

  it("usage and project errors exit 2 with a clear message", () => {
    const noProject = preview(["--cwd", os.tmpdir(), "--stack", "dev"]);
    assert.equal(noProject.code, 2);
    assert.match(noProject.stderr, /no Pulumi\.yaml in/);

    // Like the CLI, a stack without a stack file runs with empty stack config (here: a required key is missing).
    const noStack = preview(["--cwd", fixture("aws-site"), "--stack", "qa", "--no-policy"]);
    assert.equal(noStack.code, 1, noStack.stderr);
    assert.match(noStack.stderr, /Missing required configuration variable 'static-site:apiToken'/);

    const badFormat = preview(["--cwd", fixture("aws-site"), "--stack", "dev", "--format", "xml"]);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format "xml" is not supported; allowed: text, json/);

    const badConfig = preview(["--cwd", fixture("aws-site"), "--stack", "dev", "--config", "region"]);
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /--config expects key=value/);

    const unknownFlag = preview(["--stak", "dev"]);
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /Unknown option '--stak'/);
  });

  it("--help prints usage and exits 0", () => {
    const r = preview(["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: npm run preview/);
  });
});

describe("offline engine: a program that cannot finish ends the run, with where", () => {
  it("a throw inside an apply fails at once with the message and file:line, even while a timer runs", () => {
    const r = preview(["--cwd", fixture("apply-throws"), "--stack", "dev", "--no-policy"], {
      MERIDIAN_PREVIEW_IDLE_TIMEOUT: "60",
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /refusing bucket assets-/);
    assert.match(r.stderr, /at index\.ts:7/);
  });

  it("an awaited promise that never settles fails instead of exiting 0 without a report", () => {
    const r = preview(["--cwd", fixture("never-settles"), "--stack", "dev", "--no-policy"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /the program did not finish: it is waiting on a promise that can never settle/);
    assert.match(r.stderr, /1 cloud resource registered, the last at index\.ts:3/);
  });

  it("the policy pack running beside it does not keep a never-settling program alive", () => {
    const pack = path.resolve(__dirname, "..", "..", "policies");
    const r = preview(
      ["--cwd", fixture("never-settles"), "--stack", "dev", "--policy-pack", pack, "--format", "md"],
      { MERIDIAN_PREVIEW_IDLE_TIMEOUT: "90" },
    );
    assert.equal(r.code, 1, r.stderr);
    // Detected because nothing is left to run, not by the 90 s idle limit.
    assert.match(r.stderr, /waiting on a promise that can never settle \(nothing is left to run/);
  });

  it("a program kept busy by a timer fails after the idle limit (MERIDIAN_PREVIEW_IDLE_TIMEOUT)", () => {
    const started = Date.now();
    const r = preview(["--cwd", fixture("busy-program"), "--stack", "dev", "--no-policy"], {
      MERIDIAN_PREVIEW_IDLE_TIMEOUT: "2",
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /the program did not finish: for 2 s it registered no resource/);
    assert.match(r.stderr, /at index\.ts:3/);
    assert.ok(Date.now() - started < 60_000, "bounded");
  });
});
