/**
 * Drives the policy pack process over gRPC exactly as the engine does (no rule function is called
 * directly): launch through run-policy-pack, read the port, GetAnalyzerInfo, Configure, ConfigureStack,
 * Analyze per resource with properties in the engine's wire encoding (secrets and unknowns as the special
 * signature values, output values and resource references flattened), AnalyzeStack once.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { SIG } from "../runtime";
import { PackConnection, startPack, toAnalyzerValue } from "./protocol";

const packDir = path.resolve(__dirname, "..", "..", "..", "policies");
const secret = (value: unknown) => ({ [SIG.key]: SIG.secret, value });

describe("analyzer protocol against the meridian-guardrails process", function () {
  this.timeout(60_000);
  let conn: PackConnection;
  let pb: any;
  let Struct: any;

  before(async () => {
    conn = await startPack(packDir);
    ({ pb, Struct } = conn.proto);
  });
  after(() => conn?.close());

  function request(type: string, name: string, props: Record<string, unknown>) {
    const req = new pb.AnalyzeRequest();
    req.setType(type);
    req.setName(name);
    req.setUrn(`urn:pulumi:test::proj::${type}::${name}`);
    req.setProperties(Struct.fromJavaScript(toAnalyzerValue(props)));
    const o = new pb.AnalyzerResourceOptions();
    o.setProtect(false);
    req.setOptions(o);
    return req;
  }
  const diags = (resp: any) =>
    resp.getDiagnosticsList().map((d: any) => ({
      policy: d.getPolicyname(),
      message: d.getMessage(),
      level: ["advisory", "mandatory", "disabled", "remediate"][d.getEnforcementlevel()],
      urn: d.getUrn(),
    }));

  it("runs as its own process and prints its port", () => {
    assert.ok(conn.port > 0);
    assert.ok(conn.child.pid && conn.child.pid !== process.pid);
  });

  it("GetAnalyzerInfo: pack name, version and per-policy metadata", async () => {
    const info = await conn.call("getAnalyzerInfo", new conn.proto.Empty());
    assert.equal(info.getName(), "meridian-guardrails");
    assert.equal(info.getVersion(), require(path.join(packDir, "package.json")).version);
    const policies = info.getPoliciesList();
    assert.equal(policies[0].getName(), "meridian-waivers");
    const rds = policies.find((p: any) => p.getName() === "aws-rds-not-public");
    assert.equal(rds.getEnforcementlevel(), pb.EnforcementLevel.MANDATORY);
    assert.equal(rds.getSeverity(), pb.PolicySeverity.POLICY_SEVERITY_CRITICAL);
    assert.match(rds.getRemediationSteps(), /publiclyAccessible: false/);
    assert.ok(rds.getTagsList().includes("ref:CKV_AWS_17"));
    assert.ok(rds.getTagsList().includes("type:aws:rds/instance:Instance"));
  });

  it("Configure: the stack's enforcement levels apply to Analyze", async () => {
    const req = new pb.ConfigureAnalyzerRequest();
    const cfg = new pb.PolicyConfig();
    cfg.setEnforcementlevel(pb.EnforcementLevel.ADVISORY);
    cfg.setProperties(Struct.fromJavaScript({}));
    req.getPolicyconfigMap().set("aws-rds-deletion-protection", cfg);
    const off = new pb.PolicyConfig();
    off.setEnforcementlevel(pb.EnforcementLevel.DISABLED);
    off.setProperties(Struct.fromJavaScript({}));
    req.getPolicyconfigMap().set("aws-rds-backups", off);
    await conn.call("configure", req);
    const stack = new pb.AnalyzerStackConfigureRequest();
    stack.setStack("test");
    stack.setProject("proj");
    stack.setDryRun(true);
    await conn.call("configureStack", stack);
    const ds = diags(
      await conn.call("analyze", request("aws:rds/instance:Instance", "db", { publiclyAccessible: true })),
    );
    assert.ok(ds.some((d: any) => d.policy === "aws-rds-not-public" && d.level === "mandatory"));
    assert.ok(ds.some((d: any) => d.policy === "aws-rds-deletion-protection" && d.level === "advisory"));
    assert.ok(!ds.some((d: any) => d.policy === "aws-rds-backups"), "disabled policy ran");
  });

  it("Analyze: secrets are checked like plain values; unknowns are advisory 'cannot check during preview'", async () => {
    const props = {
      engine: "postgres",
      password: secret("hunter2"),
      publiclyAccessible: SIG.unknown,
      storageEncrypted: { [SIG.key]: SIG.outputValue, value: false, secret: true },
      dbSubnetGroupName: {
        [SIG.key]: SIG.resource,
        urn: "urn:pulumi:test::proj::aws:rds/subnetGroup:SubnetGroup::db",
        id: "",
      },
      __defaults: ["engine"],
    };
    const encoded = toAnalyzerValue(props) as Record<string, unknown>;
    assert.deepEqual(encoded.storageEncrypted, secret(false));
    assert.equal(encoded.dbSubnetGroupName, "urn:pulumi:test::proj::aws:rds/subnetGroup:SubnetGroup::db");
    assert.equal(encoded.publiclyAccessible, SIG.unknown);
    assert.ok(!("__defaults" in encoded));
    const resp = await conn.call("analyze", request("aws:rds/instance:Instance", "db", props));
    const ds = diags(resp);
    const pub = ds.filter((d: any) => d.policy === "aws-rds-not-public");
    assert.equal(pub.length, 1);
    assert.equal(pub[0].level, "advisory");
    assert.match(pub[0].message, /^cannot check during preview: .*publiclyAccessible/);
    const enc = ds.find((d: any) => d.policy === "aws-rds-encrypted");
    assert.equal(enc.level, "mandatory", "a secret false is still false");
    const na = resp.getNotApplicableList().map((x: any) => x.getPolicyName());
    assert.ok(na.includes("gcp-no-basic-roles"));
    assert.ok(!na.includes("aws-rds-encrypted"));
  });

  it("AnalyzeStack: cross-resource rules use property dependencies and report the resource's URN", async () => {
    const mk = (type: string, name: string, props: object, deps: Record<string, string[]> = {}) => {
      const r = new pb.AnalyzerResource();
      r.setType(type);
      r.setName(name);
      r.setUrn(`urn:pulumi:test::proj::${type}::${name}`);
      r.setProperties(Struct.fromJavaScript(toAnalyzerValue(props)));
      const o = new pb.AnalyzerResourceOptions();
      r.setOptions(o);
      for (const [k, urns] of Object.entries(deps)) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        r.getPropertydependenciesMap().set(k, d);
      }
      r.setDependenciesList(Object.values(deps).flat());
      return r;
    };
    const bucketUrn = "urn:pulumi:test::proj::aws:s3/bucketV2:BucketV2::site";
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList([
      mk("aws:s3/bucketV2:BucketV2", "site", { bucket: SIG.unknown, arn: SIG.unknown }),
      mk("aws:s3/bucketV2:BucketV2", "logs", { bucket: "logs" }),
      mk(
        "aws:s3/bucketPolicy:BucketPolicy",
        "site",
        { bucket: SIG.unknown, policy: SIG.unknown },
        { bucket: [bucketUrn] },
      ),
    ]);
    const ds = diags(await conn.call("analyzeStack", req)).filter((d: any) => d.policy === "aws-s3-tls-only");
    assert.deepEqual(
      ds.map((d: any) => [d.urn.split("::").pop(), d.level, /cannot check/.test(d.message)]),
      [
        ["site", "advisory", true],
        ["logs", "mandatory", false],
      ],
    );
  });
});
