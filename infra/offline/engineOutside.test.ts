/**
 * The offline engine, tested the way people use it: `npm run preview` as a separate process, on small
 * Pulumi programs written like outside users write them (test/fixtures/aws-site, gcp-uploads): the report,
 * URNs, outputs, config, options, dependencies, source positions, data sources, secrets, unknowns, formats.
 * Meridian's own stacks: stacks*.test.ts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preview, fixture } from "./test/cli";
import { lineOf } from "./test/lineOf";

describe("offline engine on an outside program (aws-site: plain new aws.s3... style)", () => {
  let doc: any;

  const dir = fixture("aws-site");

  before(() => {
    const r = preview(["--cwd", dir, "--stack", "dev", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout);
  });

  const res = (type: string) => doc.resources.find((x: any) => x.type === type);

  it("says it is an offline preview, not a deployment", () => {
    assert.equal(doc.kind, "meridian.offline-preview");
    assert.equal(doc.deployed, false);
    assert.match(doc.notice, /nothing was deployed/);
  });

  it("captures every resource with URN, type, name and parent", () => {
    assert.equal(doc.summary.resources, 6);
    const stack = res("pulumi:pulumi:Stack");
    assert.equal(stack.urn, "urn:pulumi:dev::static-site::pulumi:pulumi:Stack::static-site-dev");
    const bucket = res("aws:s3/bucketV2:BucketV2");
    assert.equal(
      bucket.urn,
      // The engine's URN: a top-level resource carries its bare type (no `pulumi:pulumi:Stack$`).
      "urn:pulumi:dev::static-site::aws:s3/bucketV2:BucketV2::site",
    );
    assert.equal(bucket.parent, stack.urn);
    assert.equal(bucket.custom, true);
  });

  it("computes realistic outputs per type with the stack's region", () => {
    const bucket = res("aws:s3/bucketV2:BucketV2");
    assert.match(bucket.outputs.arn, /^arn:aws:s3:::site-[0-9a-f]{7}$/);
    assert.match(bucket.outputs.bucketRegionalDomainName, /\.s3\.eu-west-1\.amazonaws\.com$/);
    assert.match(
      res("aws:cloudwatch/logGroup:LogGroup").outputs.arn,
      /^arn:aws:logs:eu-west-1:123456789012:log-group:access-/,
    );
    assert.deepEqual(doc.outputs.bucketArn, bucket.outputs.arn);
  });

  it("applies project defaults, then stack values (stack wins)", () => {
    assert.equal(doc.config["static-site:indexDocument"].value, "index.html");
    assert.equal(doc.config["static-site:indexDocument"].source, "project");
    assert.equal(doc.config["static-site:retentionDays"].value, "14");
    assert.equal(res("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 14);
  });

  it("records options: protect and ignoreChanges", () => {
    const lg = res("aws:cloudwatch/logGroup:LogGroup");
    assert.equal(lg.options.protect, true);
    assert.deepEqual(lg.options.ignoreChanges, ["tags"]);
    assert.equal(lg.options.version, require("@pulumi/aws/package.json").version);
  });

  it("records dependencies and property dependencies", () => {
    const bucket = res("aws:s3/bucketV2:BucketV2");
    const policy = res("aws:s3/bucketPolicy:BucketPolicy");
    assert.ok(policy.dependencies.includes(bucket.urn));
    assert.deepEqual(policy.propertyDependencies.bucket, [bucket.urn]);
  });

  it("records the source position that created each resource", () => {
    const lg = res("aws:cloudwatch/logGroup:LogGroup");
    assert.equal(lg.sourcePosition.file, "index.ts");
    assert.equal(lg.sourcePosition.line, lineOf(path.join(dir, "index.ts"), "new aws.cloudwatch.LogGroup"));
  });

  it("answers data sources: getPolicyDocument renders real policy JSON", () => {
    const policy = JSON.parse(res("aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
    assert.equal(policy.Statement[0].Sid, "DenyInsecureTransport");
    assert.equal(policy.Statement[0].Effect, "Deny");
    assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.equal(policy.Statement[0].Principal, "*");
  });

  it("keeps encrypted config secret and says it used a placeholder", () => {
    const param = res("aws:ssm/parameter:Parameter");
    assert.equal(param.inputs.value, "[secret]");
    assert.equal(doc.config["static-site:apiToken"].value, "[secret]");
    assert.ok(doc.notes.some((n: any) => /apiToken is encrypted.*placeholder/.test(n.message)));
  });

  it("marks values only the cloud knows as unknown, and says which types it has no model for", () => {
    const param = res("aws:ssm/parameter:Parameter");
    assert.ok(param.unknownOutputs.includes("version"), JSON.stringify(param.unknownOutputs));
    assert.ok(!param.unknownOutputs.includes("description"), "unset optional inputs are absent, not unknown");
    assert.equal(doc.outputs.tokenParameter, "[unknown]");
    assert.ok(
      doc.notes.some((n: any) => /no offline model for aws:ssm\/parameter:Parameter/.test(n.message)),
    );
  });

  it("reports what the SDK logged (deprecations) as diagnostics", () => {
    assert.ok(
      doc.diagnostics.some((d: any) => d.severity === "warning" && /BucketV2 is deprecated/.test(d.message)),
    );
  });

  it("shows secrets only when asked", () => {
    const r = preview(["--cwd", dir, "--stack", "dev", "--format", "json", "--show-secrets", "-q"]);
    const param = JSON.parse(r.stdout).resources.find((x: any) => x.type === "aws:ssm/parameter:Parameter");
    assert.match(param.inputs.value, /^offline-placeholder-/);
    const given = preview([
      "--cwd",
      dir,
      "-s",
      "dev",
      "-f",
      "json",
      "--show-secrets",
      "--secret",
      "apiToken=s3cr3t",
    ]);
    const p2 = JSON.parse(given.stdout).resources.find((x: any) => x.type === "aws:ssm/parameter:Parameter");
    assert.equal(p2.inputs.value, "s3cr3t");
  });

  it("prints a terminal report: banner, tree, counts by type, outputs", () => {
    const r = preview(["--cwd", dir, "--stack", "dev"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^=+\nOFFLINE PREVIEW of static-site\/dev: nothing was deployed\./);
    assert.match(
      r.stdout,
      /├─ aws:cloudwatch\/logGroup:LogGroup {2}access {2}\[protected; ignoreChanges: tags; \d+ unknown\]/,
    );
    assert.match(r.stdout, /Resources by type\n(.*\n)*\s+aws:s3\/bucketV2:BucketV2\s+1/);
    assert.match(r.stdout, /Outputs\n(.*\n)*\s+tokenParameter: \[unknown\]/);
    assert.match(r.stdout, /Offline preview: 6 resources \(5 cloud resources, 1 component\)/);
    assert.ok(!r.stdout.includes("\u001b["), "no colour when not a terminal");
  });

  it("writes the report to --out and keeps stdout empty", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-"));
    try {
      const out = path.join(tmp, "graph.json");
      const r = preview(["--cwd", dir, "--stack", "dev", "--format", "json", "--out", out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /json report written to/);
      assert.equal(JSON.parse(fs.readFileSync(out, "utf8")).summary.resources, 6);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("offline engine on an outside program (gcp-uploads: main: src/, async export, random)", () => {
  let doc: any;

  before(() => {
    const r = preview(["--cwd", fixture("gcp-uploads"), "--stack", "prod", "-f", "json"]);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout);
  });

  it("runs an `export = async () => {...}` program and takes its return value as outputs", () => {
    assert.equal(doc.project.main, path.join("src", "index.ts"));
    assert.equal(doc.outputs.replicas, 3);
    assert.equal(
      doc.outputs.bucketUrl,
      `gs://${doc.resources.find((r: any) => r.name === "uploads").outputs.name}`,
    );
  });

  it("answers GCP data sources and uses the stack's project", () => {
    assert.equal(doc.outputs.projectNumber, "100000000001");
    assert.match(
      doc.outputs.serviceAccount,
      /^uploader-[0-9a-f]{8}@uploads-prod-1234\.iam\.gserviceaccount\.com$/,
    );
  });

  it("keeps additionalSecretOutputs secret (RandomPassword.result)", () => {
    assert.equal(doc.outputs.dbPassword, "[secret]");
    const pw = doc.resources.find((r: any) => r.type === "random:index/randomPassword:RandomPassword");
    assert.equal(pw.outputs.result, "[secret]");
    assert.deepEqual(pw.options.additionalSecretOutputs?.sort(), ["bcryptHash", "result"]);
  });

  it("wires outputs into inputs across resources", () => {
    const member = doc.resources.find((r: any) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember");
    assert.equal(member.inputs.member, `serviceAccount:${doc.outputs.serviceAccount}`);
  });
});
