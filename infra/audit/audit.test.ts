/**
 * `npm run audit` end to end, as users run it: exports written by `npm run preview -- --format export`
 * audited back (the pack's findings equal the preview's), an outside program's hand-made export with
 * encrypted secrets, a deleted resource, a pending replacement and a pending operation, and bad input.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preview } from "../offline/test/cli";
import { deploymentSchemaErrors } from "./test/schema";

const repo = path.resolve(__dirname, "..", "..");
const outside = path.join(__dirname, "fixtures", "outside-shop.export.json");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-audit-"));
const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
after(removeTmp);
// Created when the file loads: also removed when mocha stops before the root hooks run (a load error elsewhere).
process.once("exit", removeTmp);

function audit(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "cli.ts"), ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const json = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const key = (f: any) => `${f.policy}|${f.status}|${f.enforcement}|${f.urn}|${f.message}`;

for (const stack of ["dev", "prod"]) {
  describe(`audit of the ${stack} AWS preview's export`, () => {
    const graph = path.join(tmp, `${stack}.json`);
    const exported = path.join(tmp, `${stack}.export.json`);
    const withheld = path.join(tmp, `${stack}-withheld.export.json`);
    before(() => {
      const r = preview([
        "--stack",
        stack,
        "--cloud",
        "aws",
        "-f",
        "json,export",
        "-o",
        graph,
        "-o",
        exported,
        "--show-secrets",
        "-q",
      ]);
      assert.ok([0, 1].includes(r.code), r.stderr);
      const w = preview(["--stack", stack, "--cloud", "aws", "--no-policy", "-o", withheld, "-q"]);
      assert.equal(w.code, 0, w.stderr);
    });

    it("is a deployment in the published schema: engine placeholders for unknowns, default providers, positions", () => {
      const doc = json(exported);
      assert.deepEqual(deploymentSchemaErrors(doc), []);
      assert.equal(doc.version, 3);
      assert.match(doc.deployment.manifest.version, /^meridian-offline-preview/);
      const resources: any[] = doc.deployment.resources;
      assert.equal(resources[0].type, "pulumi:pulumi:Stack");
      const aws = resources.find((r) => r.urn.endsWith("::pulumi:providers:aws::default_7_48_0"));
      assert.ok(aws, "the engine's default aws provider");
      assert.equal(
        aws.id,
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "a provider created by a preview has no id yet",
      );
      const bucket = resources.find((r) => r.type === "aws:s3/bucket:Bucket");
      assert.equal(bucket.provider, `${aws.urn}::${aws.id}`);
      assert.equal(
        bucket.outputs.websiteEndpoint,
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "unknown, not invented",
      );
      assert.match(bucket.sourcePosition, /^project:\/\/\/components\/aws\/\w+\.ts#\d+,\d+$/);
      const db = resources.find((r) => r.type === "aws:rds/instance:Instance");
      const password = JSON.parse(db.inputs.password.plaintext);
      assert.equal(
        db.inputs.password["4dabf18193072939515e22adb298388d"],
        "1b47061264138c4ac30d75fd1eb44270",
      );
      assert.equal(typeof password, "string");
      const hidden = json(withheld).deployment.resources.find(
        (r: any) => r.type === "aws:rds/instance:Instance",
      );
      assert.deepEqual(Object.keys(hidden.inputs.password).sort(), [
        "4dabf18193072939515e22adb298388d",
        "ciphertext",
      ]);
      assert.equal(
        JSON.stringify(json(withheld)).includes(password),
        false,
        "no plaintext without --show-secrets",
      );
    });

    it("audited back, the pack finds exactly what it found in the preview", () => {
      const out = path.join(tmp, `${stack}-audit.json`);
      const r = audit(["--from", exported, "-f", "json", "-o", out, "-q"]);
      const before = json(graph).policy;
      assert.equal(r.code, before.mandatory > 0 ? 1 : 0, r.stderr);
      const doc = json(out);
      assert.equal(doc.kind, "meridian.stack-audit");
      assert.equal(doc.deployed, false, "an offline preview's export says so");
      assert.deepEqual(doc.policy.findings.map(key).sort(), before.findings.map(key).sort());
      assert.ok(doc.policy.findings.length > 0);
      const found = doc.policy.findings.find((f: any) => f.sourcePosition);
      assert.ok(found, "findings keep their source line through the export");
      assert.deepEqual(doc.audit.unreadableSecrets, []);
      assert.equal(doc.audit.checklist.length, 9);
      assert.equal(typeof doc.audit.posture, "object", "Meridian's posture output is shown");
      if (stack === "prod")
        assert.equal(doc.audit.checklist.find((c: any) => c.id === "deletion-protection").status, "pass");
      else assert.equal(doc.audit.checklist.find((c: any) => c.id === "deletion-protection").status, "fail");
    });

    it("without --show-secrets the export's secrets are unknown to the pack and the report names them", () => {
      const r = audit(["--from", withheld, "--no-policy", "-f", "json", "-q"]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      const paths = doc.audit.unreadableSecrets.map((h: any) => `${h.urn.split("::").pop()}: ${h.path}`);
      assert.ok(
        paths.some((p: string) => /db: inputs\.password$/.test(p)),
        paths.join("\n"),
      );
      assert.match(
        doc.notes.map((n: any) => n.message).join("\n"),
        /encrypted secret value\(s\) could not be read/,
      );
    });
  });
}

describe("audit of an outside program's export", () => {
  let doc: any;
  let r: ReturnType<typeof audit>;
  const dir = path.join(tmp, "outside");
  before(() => {
    r = audit(["--from", outside, "-f", "json,md,sarif,text", "--out-dir", dir, "-q"]);
    doc = json(path.join(dir, "production-audit.json"));
  });

  it("the fixture is in the published schema", () => {
    assert.deepEqual(deploymentSchemaErrors(json(outside)), []);
  });

  it("judges live resources only: inputs per resource, outputs for the stack rules; exit 1 on mandatory", () => {
    assert.equal(r.code, 1, r.stderr);
    const findings: string[] = doc.policy.findings.map((f: any) => `${f.policy} ${f.resourceName}`);
    assert.ok(findings.includes("aws-rds-encrypted orders-db"), "Analyze on stored inputs");
    assert.ok(findings.includes("aws-sg-no-public-ingress web-sg"), "AnalyzeStack on stored outputs");
    assert.equal(
      findings.filter((f) => /legacy-db|reports-db|analytics-db/.test(f)).length,
      0,
      "deleted, pending-replacement and pending resources are not judged",
    );
    assert.deepEqual(
      doc.audit.notLive.map((n: any) => `${n.urn.split("::").pop()} ${n.reason}`),
      ["legacy-db deleted", "reports-db pending replacement", "analytics-db pending operation: creating"],
    );
    assert.equal(doc.deployed, true);
    assert.equal(doc.project.name, "shop");
    assert.equal(doc.stack, "production");
  });

  it("says which values it could not see (encrypted secrets)", () => {
    assert.deepEqual(
      doc.audit.unreadableSecrets.map((h: any) => `${h.urn.split("::").pop()} ${h.path}`),
      ["shop-production outputs.adminToken", "orders-db inputs.password", "orders-db outputs.password"],
    );
    assert.equal(doc.outputs.adminToken, "[secret]");
  });

  it("evaluates the go-live checklist and shows it in every format", () => {
    const status = Object.fromEntries(doc.audit.checklist.map((c: any) => [c.id, c.status]));
    assert.deepEqual(status, {
      "cors-origins": "fail",
      hsts: "human",
      "secrets-by-reference": "fail",
      "tls-forced": "human",
      "dashboards-alarms": "fail",
      "backups-pitr": "fail",
      "deletion-protection": "fail",
      "image-pinned": "fail",
      waf: "human",
    });
    const md = fs.readFileSync(path.join(dir, "production-audit.md"), "utf8");
    assert.match(md, /### :x: Stack audit: shop\/production/);
    assert.match(md, /The deployed state in `outside-shop\.export\.json` checked with/);
    assert.doesNotMatch(md, /nothing was deployed/);
    assert.match(
      md,
      /\| :x: FAIL \| Container images pinned by digest \| images referenced by tag, not digest: web-task: nginx:1\.27 \|/,
    );
    assert.match(md, /not live, not analyzed \(deleted\)/);
    const text = fs.readFileSync(path.join(dir, "production-audit.txt"), "utf8");
    assert.match(
      text,
      /^=+\nSTACK AUDIT of shop\/production from outside-shop\.export\.json: a deployment \(v3\.130\.0/,
    );
    assert.match(text, /Go-live checklist\n {2}FAIL {10}CORS restricted to real origins: an origin is "\*"/);
    assert.doesNotMatch(text, /Offline preview:/);
    const sarif = json(path.join(dir, "production-audit.sarif"));
    assert.deepEqual(
      sarif.runs.map((run: any) => run.tool.driver.name),
      ["meridian-guardrails", "meridian-go-live-checklist"],
    );
    const kinds = sarif.runs[1].results.map((x: any) => `${x.ruleId}:${x.kind}`);
    assert.ok(kinds.includes("cors-origins:fail") && kinds.includes("hsts:review"), kinds.join(" "));
    const rds = sarif.runs[0].results.find((x: any) => x.ruleId === "aws-rds-encrypted");
    assert.equal(rds.locations[0].physicalLocation.artifactLocation.uri, "index.ts");
    assert.equal(rds.locations[0].physicalLocation.region.startLine, 14);
  });
});

describe("audit: bad input exits 2 with the field named", () => {
  const write = (name: string, text: string) => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const cases: [string, string, RegExp][] = [
    [
      "not-json.json",
      "{ version: 3",
      /not-json\.json is not JSON .*expected the output of `pulumi stack export`/,
    ],
    ["v2.json", JSON.stringify({ version: 2, deployment: {} }), /version 2 is not supported; allowed: 3, 4/],
    ["no-deployment.json", JSON.stringify({ version: 3 }), /deployment is missing/],
  ];
  for (const [name, text, message] of cases)
    it(name, () => {
      const r = audit(["--from", write(name, text), "--no-policy", "-q"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });

  it("a missing file, a missing --from and --format export", () => {
    assert.match(audit(["--from", path.join(tmp, "nope.json"), "-q"]).stderr, /nope\.json: no such file/);
    const none = audit([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--from FILE is required/);
    assert.match(audit(["--from", outside, "-f", "export"]).stderr, /--format export is the preview's/);
  });
});
