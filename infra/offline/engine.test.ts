/**
 * The offline engine, tested the way people use it: `npm run preview` as a separate process, on small
 * Pulumi programs written like outside users write them (test/fixtures), and on Meridian's own stacks
 * (stacks.test.ts).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preview, fixture } from "./test/cli";

/** 1-based line of the first occurrence of `needle` in a fixture file. */
function lineOf(file: string, needle: string): number {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${file}`);
  return i + 1;
}

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

describe("offline engine semantics: URNs and transforms as the Pulumi engine applies them", () => {
  let doc: any;
  before(() => {
    const r = preview(["--cwd", fixture("engine-semantics"), "--stack", "dev", "-f", "json", "--no-policy"]);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout);
  });
  const byName = (name: string) => doc.resources.find((x: any) => x.name === name);

  it("builds URNs like the engine: bare type at the top, the whole parent type chain when nested", () => {
    const p = "urn:pulumi:dev::engine-semantics::";
    assert.equal(byName("reports-db").urn, `${p}aws:rds/instance:Instance::reports-db`);
    assert.equal(
      doc.resources.find((x: any) => x.type === "acme:app:Platform").urn,
      `${p}acme:app:Platform::edge`,
    );
    assert.equal(
      doc.resources.find((x: any) => x.type === "acme:app:Tier").urn,
      `${p}acme:app:Platform$acme:app:Tier::edge`,
    );
    assert.equal(
      byName("edge-logs").urn,
      `${p}acme:app:Platform$acme:app:Tier$aws:s3/bucketV2:BucketV2::edge-logs`,
    );
    assert.equal(byName("edge-logs").parent, `${p}acme:app:Platform$acme:app:Tier::edge`);
  });

  it("registerResourceTransform and registerStackTransform run, and the recorded inputs are the transformed ones", () => {
    const db = byName("reports-db");
    assert.equal(db.inputs.storageEncrypted, true);
    assert.equal(db.inputs.publiclyAccessible, false);
    assert.equal(db.options.protect, true, "options a transform returns are applied");
    assert.equal(doc.outputs.dbEncrypted, true, "the program sees the transformed state");
  });

  it("applies SDK transformations first, then the resource's own transforms, its parents', the stack's in order", () => {
    assert.equal(byName("edge-logs").inputs.tags.order, "transformation>own>parent>stack1>stack2");
  });
});

describe("offline engine: data sources without a model answer shaped placeholders", () => {
  let doc: any;
  before(() => {
    const r = preview(["--cwd", fixture("unmodelled-data"), "--stack", "dev", "-f", "json", "--no-policy"]);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout);
  });
  const byName = (name: string) => doc.resources.find((x: any) => x.name === name);
  const note = (token: string) => doc.notes.find((n: any) => n.message.includes(`data source ${token}:`));

  it("a program reading getVpc, getSubnets, ssm.getParameter and getOrganization runs to the end", () => {
    assert.deepEqual(byName("internal").inputs.ingress[0].cidrBlocks, ["10.0.0.0/16"]);
    assert.match(byName("web").inputs.subnetId, /^offline-placeholder-/);
    assert.match(byName("web").inputs.tags.image, /^OFFLINE-PLACEHOLDER-/);
    assert.equal(doc.outputs.accounts, 1);
    assert.match(doc.outputs.vpcArn, /^arn:aws:ec2:eu-central-1:123456789012:offline-placeholder\//);
  });

  it("lists every invented value per data source in the notes", () => {
    for (const token of [
      "aws:ec2/getVpc:getVpc",
      "aws:ec2/getSubnets:getSubnets",
      "aws:ssm/getParameter:getParameter",
      "aws:organizations/getOrganization:getOrganization",
    ]) {
      assert.equal(note(token)?.level, "warning", token);
      assert.match(note(token).message, /invented placeholders for/, token);
    }
    assert.match(note("aws:ec2/getVpc:getVpc").message, /\bcidrBlock\b/);
    assert.match(note("aws:organizations/getOrganization:getOrganization").message, /roots\[0\]\.id/);
    assert.doesNotMatch(
      note("aws:ec2/getVpc:getVpc").message,
      /invented[^;]*\bdefault\b/,
      "echoed args are not invented",
    );
  });

  it("a policy document it cannot know is unknown, never an invented document", () => {
    assert.equal(byName("copied").inputs.policy, "[unknown]");
    assert.match(
      note("aws:iam/getPolicy:getPolicy").message,
      /unknown \(cannot check during preview\): policy/,
    );
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
