/**
 * The CLI as users run it: what the Pulumi CLI accepts (no stack file, an organization), programs outside
 * this repository (`--cwd`), failure reports, declared config types and several formats from one run.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { selectPolicyConfig } from "./outside";
import { fixture, preview } from "./test/cli";

const repo = path.resolve(__dirname, "..", "..");
const temp: string[] = [];
after(() => temp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of a fixture in a temp dir: no node_modules above it, as a project outside Meridian. */
function outside(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-cli-"));
  temp.push(dir);
  fs.cpSync(fixture(name), path.join(dir, name), { recursive: true });
  return path.join(dir, name);
}

const json = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const notes = (doc: { notes: { message: string }[] }) => doc.notes.map((n) => n.message).join("\n");

describe("offline CLI: projects outside this repository", () => {
  it("runs a stack with no Pulumi.<stack>.yaml on empty config and borrows Meridian's SDKs, saying so", () => {
    const dir = outside("outside-bare");
    const out = path.join(dir, "graph.json");
    const r = preview(["--cwd", dir, "--stack", "staging", "--format", "json", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    const doc = json(out);
    assert.equal(doc.outputs.greeting, "hello", "the declared default applies without a stack file");
    assert.match(notes(doc), /stack "staging" has no Pulumi\.staging\.yaml.*empty stack config/);
    assert.match(
      notes(doc),
      /@pulumi\/aws, @pulumi\/pulumi came from Meridian's install.*run `npm install` in/,
    );
    assert.match(notes(doc), /not type-checked/);
    assert.match(r.stderr, /Offline preview of outside-bare\/staging: 2 resources; json report written/);
    assert.equal(doc.policy, undefined, "no pack by default for json on an outside program");
  });

  it("an ES module program without node_modules is told what to run", () => {
    const dir = outside("esm-default");
    const r = preview(["--cwd", dir, "--stack", "dev", "-c", "name=a", "-c", "size=3", "-q"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /cannot load @pulumi\/aws, @pulumi\/pulumi \(no node_modules\).*run `npm install` in/,
    );
  });

  it("--typecheck fails on a type error as `pulumi preview` does; without it the report says it did not check", () => {
    const dir = outside("outside-typeerror");
    const out = path.join(dir, "graph.json");
    const plain = preview(["--cwd", dir, "--stack", "dev", "--out", out, "-q"]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(notes(json(out)), /not type-checked.*--typecheck/);
    assert.match(plain.stderr, /outside-typeerror\/dev: 1 resource; json report written/, "singular");
    const checked = preview(["--cwd", dir, "--stack", "dev", "--typecheck", "-q"]);
    assert.equal(checked.code, 1);
    assert.match(checked.stderr, /TypeScript type errors/);
    assert.match(checked.stderr, /index\.ts\(2,7\): error TS2322/);
    assert.doesNotMatch(checked.stderr, /came from Meridian's install[\s\S]*Offline preview of/);
  });

  it("--typecheck on a project without node_modules sees the SDKs the preview borrowed", () => {
    const dir = outside("outside-bare");
    const r = preview([
      "--cwd",
      dir,
      "--stack",
      "dev",
      "--typecheck",
      "--no-policy",
      "-c",
      "greeting=hi",
      "-q",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /TS2307|Cannot find module/);
  });

  it("a pack's own stack config never applies to another project unless passed", () => {
    const pack = path.join(repo, "policies");
    const own = path.join(pack, "config", "dev.json");
    assert.ok(fs.existsSync(own));
    assert.deepEqual(selectPolicyConfig(pack, repo, "dev"), { file: own }, "Meridian previewing itself");
    // A project directory that cannot contain the repository (the repository itself may live under /tmp).
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-outside-"));
    try {
      const other = selectPolicyConfig(pack, elsewhere, "dev");
      assert.equal(other.file, undefined);
      assert.match(other.note ?? "", /was not applied: it belongs to the pack's project.*--policy-config/);
      assert.deepEqual(selectPolicyConfig(pack, elsewhere, "dev", own), { file: own }, "explicit wins");
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
    assert.deepEqual(selectPolicyConfig(pack, repo, "nosuchstack"), {}, "no file, no note");
  });
});

describe("offline CLI: what the Pulumi CLI provides", () => {
  it("pulumi.getOrganization() is the CLI's default 'organization', or --organization", () => {
    const dflt = preview(["--cwd", fixture("organization"), "--stack", "dev", "-f", "json", "-q"]);
    assert.equal(dflt.code, 0, dflt.stderr);
    assert.equal(JSON.parse(dflt.stdout).outputs.organization, "organization");
    const set = preview([
      "--cwd",
      fixture("organization"),
      "-s",
      "dev",
      "-f",
      "json",
      "-q",
      "--organization",
      "acme",
    ]);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(JSON.parse(set.stdout).outputs.stack, "acme/organization/dev");
  });
});

describe("offline CLI: failures", () => {
  it("a failed program still writes its md and sarif reports, with the error, and no progress after it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-cli-"));
    temp.push(dir);
    const r = preview([
      "--cwd",
      fixture("throws"),
      "--stack",
      "dev",
      "--format",
      "md,sarif,json",
      "--out-dir",
      dir,
    ]);
    assert.equal(r.code, 1);
    // SARIF records an unsuccessful run with the error, so code scanning does not show a clean upload.
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "dev.sarif"), "utf8"));
    assert.equal(sarif.version, "2.1.0");
    assert.deepEqual(sarif.runs[0].results, []);
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
    assert.match(
      sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text,
      /no subnets tagged/,
    );
    const md = fs.readFileSync(path.join(dir, "dev.md"), "utf8");
    assert.match(
      md,
      /^<!-- meridian-policy-report -->\n### :x: Policy report: broken\/dev: the preview failed/,
    );
    assert.match(md, /no subnets tagged tier=private[\s\S]*at index\.ts:7/);
    assert.ok(!fs.existsSync(path.join(dir, "dev.json")), "the json graph is not written for a failed run");
    const after = r.stderr.slice(r.stderr.indexOf("Offline preview failed"));
    assert.doesNotMatch(after, /registered|registering resources/);
  });

  it("one mistyped declared key keeps the program's own all-problems report, in the md report too", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-cli-"));
    temp.push(dir);
    const md = path.join(dir, "r.md");
    const r = preview([
      ...["--stack", "dev", "--cloud", "aws", "-q", "--format", "md", "--out", md],
      ...["-c", "meridian:spot=yes", "-c", "meridian:postgresVersion=12", "-c", "meridian:concurrency=5000"],
    ]);
    assert.equal(r.code, 1, r.stderr);
    for (const text of [r.stderr, fs.readFileSync(md, "utf8")]) {
      assert.match(text, /configuration key 'spot' must be of type 'boolean' \(got "yes"\)/);
      assert.match(text, /meridian:postgresVersion = "12": not an allowed value/);
      assert.match(text, /meridian:concurrency = "5000": must be between 1 and 1000/);
    }
    assert.doesNotMatch(r.stderr, /not a valid boolean|Internal error/);
  });
});

describe("offline CLI: several formats, one preview, one pack", () => {
  it("md,sarif,json into --out-dir for an outside program: Meridian's pack by default, --secret values kept", () => {
    const dir = outside(path.join("field-cases", "f20-secret-inputs"));
    const out = path.join(dir, "reports");
    const secret = "Zq9-cli-secret-7731";
    const r = preview([
      ...["--cwd", dir, "--stack", "dev", "--format", "md,sarif,json", "--out-dir", out],
      ...["--secret", `f20-secret-inputs:dbPassword=${secret}`],
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /2 mandatory policy violations: failing/);
    assert.equal(r.stderr.match(/running policy pack/g)?.length, 1, "the pack ran once for three formats");
    const doc = json(path.join(out, "dev.json"));
    const md = fs.readFileSync(path.join(out, "dev.md"), "utf8");
    const sarif = json(path.join(out, "dev.sarif"));
    assert.equal(sarif.version, "2.1.0");
    // Locations are relative to the outside project (its repository), not to Meridian's checkout.
    const uris = sarif.runs[0].results.flatMap((x: any) =>
      x.locations.map((l: any) => l.physicalLocation.artifactLocation.uri),
    );
    assert.ok(uris.length > 0);
    for (const uri of uris) assert.doesNotMatch(uri, /^\.\.|^\//, uri);
    assert.match(md, /aws-ecs-no-plaintext-secrets/);
    const finding = doc.policy.findings.find(
      (f: { policy: string }) => f.policy === "aws-ecs-no-plaintext-secrets",
    );
    assert.match(finding.message, /DB_PASSWORD/);
    assert.doesNotMatch(
      notes(doc),
      /cannot be decrypted/,
      "a value given with --secret is not a placeholder",
    );
    assert.match(notes(doc), /policies\/config\/dev\.json was not applied/);
    assert.equal(doc.policy.configFile, undefined);
    for (const f of ["dev.json", "dev.md", "dev.sarif"])
      assert.ok(!fs.readFileSync(path.join(out, f), "utf8").includes(secret), `${f} prints no secret`);
  });
});
