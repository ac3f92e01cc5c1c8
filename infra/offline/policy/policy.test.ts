/**
 * The policy pack through the offline engine, end to end: `npm run preview` runs a program, starts the
 * pack as its own process and speaks the analyzer protocol to it.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fixture, preview } from "../test/cli";
import { livePackPids } from "./protocol";
import { runPolicyPack } from "./run";

const dir = fixture("policy-violations");
const pack = path.resolve(__dirname, "..", "..", "..", "policies");
const base = ["--cwd", dir, "--stack", "test", "--policy-pack", pack, "-q"];

const tmpDirs: string[] = [];
after(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpConfig(doc: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-policy-"));
  tmpDirs.push(dir);
  const f = path.join(dir, "config.json");
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}

describe("policy pack on the policy-violations fixture (offline engine + analyzer protocol)", () => {
  let doc: any;
  let code: number;
  before(() => {
    const r = preview([...base, "--format", "json"]);
    code = r.code;
    doc = JSON.parse(r.stdout);
  });

  it("gets exactly the five expected violations, all mandatory, and exits 1", () => {
    assert.equal(code, 1);
    const got = doc.policy.findings
      .map((f: any) => `${f.policy} ${f.resourceType} ${f.resourceName} ${f.enforcement} ${f.status}`)
      .sort();
    assert.deepEqual(got, [
      "aws-iam-no-wildcard-actions aws:iam/policy:Policy ops mandatory violation",
      "aws-lb-listener-tls aws:lb/listener:Listener http mandatory violation",
      "aws-rds-not-public aws:rds/instance:Instance db mandatory violation",
      "aws-s3-tls-only aws:s3/bucketV2:BucketV2 uploads mandatory violation",
      "aws-sg-no-public-ingress aws:ec2/securityGroup:SecurityGroup db mandatory violation",
    ]);
    assert.equal(doc.policy.mandatory, 5);
  });

  it("each violation carries remediation text, severity and the source line", () => {
    const src = fs.readFileSync(path.join(dir, "index.ts"), "utf8").split("\n");
    for (const f of doc.policy.findings) {
      const p = doc.policy.policies.find((x: any) => x.name === f.policy);
      assert.match(p.remediation, /Meridian: .*Raw: /, f.policy);
      assert.ok(p.severity, f.policy);
      assert.equal(f.sourcePosition.file, "index.ts");
      assert.match(
        src[f.sourcePosition.line - 1],
        /new aws\./,
        `${f.policy} -> line ${f.sourcePosition.line}`,
      );
    }
    const sg = doc.policy.findings.find((f: any) => f.policy === "aws-sg-no-public-ingress");
    assert.match(sg.message, /0\.0\.0\.0\/0 on port 5432/);
  });

  it("says how many resources each rule checked (the ALB's open 443 is accepted on its group)", () => {
    const checked = Object.fromEntries(doc.policy.policies.map((p: any) => [p.name, p.checked]));
    assert.equal(checked["aws-sg-no-public-ingress"], 2);
    assert.equal(checked["aws-rds-force-ssl"], 1);
    assert.equal(checked["aws-lb-listener-tls"], 1);
    assert.equal(checked["gcp-no-basic-roles"], 0);
  });

  it("terminal report: grouped by severity with remediation and per-rule counts", () => {
    const r = preview(base);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Mandatory violations \(5\)\n {4}CRITICAL\n/);
    assert.match(
      r.stdout,
      /aws-s3-tls-only {2}aws:s3\/bucketV2:BucketV2 uploads {2}\(index\.ts:\d+\)\n.*no bucket policy.*\n\s+fix: /,
    );
    assert.match(r.stdout, /Resources checked per policy/);
    assert.match(r.stdout, /5 mandatory, 0 advisory, 0 waived/);
  });

  it("Markdown: a sticky-comment marker, a summary table, then details with resource and file:line", () => {
    const r = preview([...base, "--format", "md"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^<!-- meridian-policy-report -->\n### :x: Policy report: legacy-web\/test/);
    assert.match(r.stdout, /\| mandatory violations \(block merge\) \| 5 \|/);
    assert.match(
      r.stdout,
      /\| mandatory \| critical \| `aws-rds-not-public` \| `aws:rds\/instance:Instance db` \| `index\.ts:\d+` \|/,
    );
    assert.match(r.stdout, /<details open><summary><b>mandatory<\/b> · <code>aws-lb-listener-tls<\/code>/);
    assert.match(r.stdout, /- \*\*Fix:\*\* Meridian: /);
  });

  it("SARIF 2.1.0: one rule per policy, results with locations", () => {
    const r = preview([...base, "--format", "sarif"]);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, "2.1.0");
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, "meridian-guardrails");
    assert.equal(run.tool.driver.rules.length, doc.policy.policies.length);
    assert.equal(run.results.length, 5);
    for (const res of run.results) {
      assert.equal(res.level, "error");
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uri, "infra/offline/test/fixtures/policy-violations/index.ts");
      assert.ok(loc.region.startLine > 1);
    }
  });

  it("waivers: a valid one turns the finding advisory and lists it separately; expired or reason-less ones are violations", () => {
    const cfg = tmpConfig({
      "meridian-waivers": {
        today: "2025-01-01",
        waivers: [
          {
            rule: "aws-s3-tls-only",
            resource: "uploads",
            reason: "migrating clients to HTTPS",
            expires: "2025-03-31",
          },
          { rule: "aws-rds-not-public", resource: "*::db", reason: "vendor access", expires: "2024-12-31" },
          { rule: "aws-iam-no-wildcard-actions", resource: "ops", expires: "2026-01-01" },
        ],
      },
    });
    const r = preview([...base, "--format", "json", "--policy-config", cfg]);
    assert.equal(r.code, 1);
    const p = JSON.parse(r.stdout).policy;
    const waived = p.findings.filter((f: any) => f.status === "waived");
    assert.deepEqual(
      waived.map((f: any) => `${f.policy} ${f.enforcement}`),
      ["aws-s3-tls-only advisory"],
    );
    assert.match(waived[0].message, /^\[waived\] .*migrating clients to HTTPS.*expires 2025-03-31/);
    const invalid = p.findings
      .filter((f: any) => f.policy === "meridian-waiver-valid")
      .map((f: any) => f.message);
    assert.equal(invalid.length, 2);
    assert.ok(invalid.some((m: string) => /aws-rds-not-public.*expired on 2024-12-31/.test(m)));
    assert.ok(invalid.some((m: string) => /aws-iam-no-wildcard-actions.*has no reason/.test(m)));
    // The expired and reason-less waivers waive nothing.
    assert.equal(
      p.findings.filter((f: any) => f.status === "violation" && f.policy.startsWith("aws-")).length,
      4,
    );
    const text = preview([...base, "--policy-config", cfg]).stdout;
    assert.match(text, /Waived \(1\)/);
  });

  it("stack config may downgrade a rule to advisory; unknown policy names are a config error (exit 2)", () => {
    const r = preview([
      ...base,
      "--format",
      "json",
      "--policy-config",
      tmpConfig({ "aws-rds-not-public": "advisory" }),
    ]);
    const p = JSON.parse(r.stdout).policy;
    assert.equal(p.mandatory, 4);
    assert.equal(p.findings.find((f: any) => f.policy === "aws-rds-not-public").enforcement, "advisory");
    // The CLI parses the file first (levels), then reconciles it with the pack (names, schemas).
    const bad = preview([
      ...base,
      "--policy-config",
      tmpConfig({ "no-such-rule": "mandatory", all: "loud" }),
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /parsing enforcement level for "all": "loud" is not a valid enforcement level/);
    const unknown = preview([...base, "--policy-config", tmpConfig({ "no-such-rule": "mandatory" })]);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /"no-such-rule": policy pack meridian-guardrails has no policy with this name/,
    );
  });

  it("analysis as resources register (the CLI) gives what a run over the finished graph gives", async () => {
    // The CLI sends each registration to the pack as it arrives; runPolicyPack analyzes a finished graph.
    const after = await runPolicyPack(doc, { packDir: pack });
    const view = (p: any) => ({
      findings: p.findings.map((f: any) => [f.urn, f.policy, f.status, f.enforcement, f.message]),
      checked: p.policies.map((x: any) => [x.name, x.enforcement, x.checked]),
      analyzed: p.resourcesAnalyzed,
    });
    assert.deepEqual(view(after), view(doc.policy));
    // close() sends SIGTERM; the process is gone once its exit is seen.
    for (let i = 0; i < 200 && livePackPids().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(livePackPids(), [], "runPolicyPack stopped its pack");
  });

  it("--no-policy previews without the pack; other projects run no pack unless asked", () => {
    assert.equal(preview(["--cwd", dir, "--stack", "test", "--no-policy", "-q"]).code, 0);
    const r = preview(["--cwd", dir, "--stack", "test", "-q", "-f", "json"]);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).policy, undefined);
  });
});

describe("policy pack on Meridian's own stacks", function () {
  this.timeout(120_000);
  for (const stack of ["dev", "prod"]) {
    for (const cloud of ["aws", "gcp"]) {
      it(`${stack}/${cloud}: zero mandatory violations with policies/config/${stack}.json`, () => {
        const r = preview(["--stack", stack, "--cloud", cloud, "-f", "json", "-q"]);
        assert.equal(r.code, 0, r.stderr);
        const p = JSON.parse(r.stdout).policy;
        assert.equal(p.pack.name, "meridian-guardrails");
        assert.match(p.configFile, new RegExp(`policies/config/${stack}\\.json$`));
        const mandatory = p.findings.filter(
          (f: any) => f.enforcement === "mandatory" && f.status === "violation",
        );
        assert.deepEqual(mandatory, []);
        assert.ok(p.policies.some((x: any) => x.checked > 0));
      });
    }
  }

  it("prod keeps every TLS and least-privilege rule mandatory", () => {
    const r = preview(["--stack", "prod", "--cloud", "aws", "-f", "json", "-q"]);
    const p = JSON.parse(r.stdout).policy;
    const core = p.policies.filter((x: any) => x.area === "tls" || x.area === "least-privilege");
    assert.ok(core.length >= 20);
    for (const x of core) assert.equal(x.enforcement, "mandatory", x.name);
  });
});
