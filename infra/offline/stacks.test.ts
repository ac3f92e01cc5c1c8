/**
 * Meridian's own stacks through the offline engine, as a platform team and CI run them:
 * dev and prod on both clouds, the outputs contract, and config errors.
 */
import { strict as assert } from "node:assert";
import { checkOutputsContract } from "../../components/shared/contracts";
import { preview } from "./test/cli";

type Doc = any;
const graphs = new Map<string, Doc>();

function graph(stack: string, cloud: string): Doc {
  const key = `${stack}/${cloud}`;
  if (!graphs.has(key)) {
    const r = preview(["--stack", stack, "--cloud", cloud, "--format", "json", "-q"]);
    assert.equal(r.code, 0, `preview ${key} failed:\n${r.stderr}`);
    graphs.set(key, JSON.parse(r.stdout));
  }
  return graphs.get(key);
}

/** Objects keyed by names that differ per cloud by design (CIDR names, log destinations). */
const MAPS = new Set(["cidrs", "logRetentionDays"]);

/**
 * Compares the shapes (keys and value kinds, not values) of two JSON values. Returns the paths whose kinds
 * differ and the paths only one side has.
 */
function compareShapes(
  a: unknown,
  b: unknown,
  at = "",
): { differ: string[]; onlyA: string[]; onlyB: string[] } {
  const kind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);
  const out = { differ: [] as string[], onlyA: [] as string[], onlyB: [] as string[] };
  if (kind(a) !== kind(b)) {
    out.differ.push(`${at || "(root)"}: ${kind(a)} vs ${kind(b)}`);
    return out;
  }
  if (kind(a) !== "object" || MAPS.has(at.split(".").pop() ?? "")) return out;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    const p = at ? `${at}.${k}` : k;
    if (!(k in y)) out.onlyA.push(p);
    else if (!(k in x)) out.onlyB.push(p);
    else {
      const r = compareShapes(x[k], y[k], p);
      out.differ.push(...r.differ);
      out.onlyA.push(...r.onlyA);
      out.onlyB.push(...r.onlyB);
    }
  }
  return out;
}

/** Contract fields the GCP option does not produce yet (its service, data stores and edge are to come). */
const GCP_PENDING = [
  "apiUrl",
  "cdnUrl",
  "posture.edge",
  "posture.database",
  "posture.cache",
  "posture.backups",
  "posture.alarms",
];

const count = (doc: Doc, type: string) => doc.resources.filter((r: Doc) => r.type === type).length;

describe("Meridian stacks through the offline engine", function () {
  this.timeout(180_000);

  for (const stack of ["dev", "prod"]) {
    for (const cloud of ["aws", "gcp"]) {
      it(`${stack}/${cloud}: previews a full network and satisfies the outputs contract`, () => {
        const doc = graph(stack, cloud);
        assert.equal(doc.stack, stack);
        assert.equal(doc.outputs.cloud, cloud);
        assert.equal(doc.outputs.profile, stack);
        assert.deepEqual(checkOutputsContract(doc.outputs), [], "missing contract paths");
        assert.equal(count(doc, `meridian:${cloud}:Network`), 1);
        assert.ok(doc.summary.custom >= 10, `only ${doc.summary.custom} cloud resources`);
        // Every resource created by our own code carries a source position inside the repository.
        for (const r of doc.resources.filter((x: Doc) => x.custom)) {
          assert.ok(r.sourcePosition, `${r.urn} has no source position`);
          assert.doesNotMatch(
            r.sourcePosition.file,
            /^\//,
            `${r.urn}: ${r.sourcePosition.file} is not in the repo`,
          );
        }
      });
    }
  }

  it("both clouds return the same outputs shape (GCP lacks only what its pending components produce)", () => {
    for (const stack of ["dev", "prod"]) {
      const r = compareShapes(graph(stack, "aws").outputs, graph(stack, "gcp").outputs);
      assert.deepEqual(r.differ, [], `${stack}: fields whose kind differs between clouds`);
      assert.deepEqual(r.onlyB, [], `${stack}: fields only GCP has`);
      assert.deepEqual(r.onlyA.sort(), [...GCP_PENDING].sort(), `${stack}: fields only AWS has`);
    }
  });

  it("dev and prod differ where the profile says: AZs and NAT gateways on AWS", () => {
    const dev = graph("dev", "aws");
    const prod = graph("prod", "aws");
    assert.equal(count(dev, "aws:ec2/natGateway:NatGateway"), 1);
    assert.equal(count(prod, "aws:ec2/natGateway:NatGateway"), 3);
    assert.equal(count(dev, "aws:ec2/subnet:Subnet"), 6);
    assert.equal(count(prod, "aws:ec2/subnet:Subnet"), 9);
    assert.equal(prod.outputs.network.egress.strategy, "perAz");
    assert.equal(prod.outputs.posture.network.flowLogs.retentionDays, 90);
  });

  it("AWS: the whole option is in the graph, and prod differs from dev where it should", () => {
    const has = (doc: Doc, type: string, min = 1) =>
      assert.ok(count(doc, type) >= min, `${doc.stack}: expected ${min}+ ${type}, found ${count(doc, type)}`);
    const one = (doc: Doc, type: string) => doc.resources.find((r: Doc) => r.type === type);
    for (const stack of ["dev", "prod"]) {
      const doc = graph(stack, "aws");
      for (const type of [
        "aws:ecs/service:Service",
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:rds/instance:Instance",
        "aws:rds/parameterGroup:ParameterGroup",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws:cloudfront/distribution:Distribution",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:wafv2/webAcl:WebAcl",
        "aws:cloudwatch/dashboard:Dashboard",
        "aws:scheduler/schedule:Schedule",
        "aws:ecr/repository:Repository",
      ])
        has(doc, type);
      has(doc, "aws:ecs/taskDefinition:TaskDefinition", 2); // the service's and the migrate task
      has(doc, "aws:secretsmanager/secret:Secret", 4);
      has(doc, "aws:cloudwatch/metricAlarm:MetricAlarm", 8);
      const db = one(doc, "aws:rds/instance:Instance").inputs;
      assert.equal(db.engine, "postgres");
      assert.equal(db.storageEncrypted, true);
      assert.equal(db.publiclyAccessible, false);
      const params = one(doc, "aws:rds/parameterGroup:ParameterGroup").inputs.parameters;
      assert.ok(
        params.some((p: Doc) => p.name === "rds.force_ssl" && p.value === "1"),
        "force_ssl",
      );
      const redis = one(doc, "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
      assert.equal(redis.transitEncryptionEnabled, true);
      assert.equal(redis.atRestEncryptionEnabled, true);
    }
    const dev = graph("dev", "aws");
    const prod = graph("prod", "aws");
    const db = (doc: Doc) => one(doc, "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db(dev).multiAz, db(dev).deletionProtection], [false, false]);
    assert.deepEqual([db(prod).multiAz, db(prod).deletionProtection], [true, true]);
    const nodes = (doc: Doc) =>
      one(doc, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.numCacheClusters;
    assert.deepEqual([nodes(dev), nodes(prod)], [1, 2]);
    assert.equal(count(dev, "aws:backup/plan:Plan"), 0);
    assert.equal(count(prod, "aws:backup/plan:Plan"), 1);
    assert.equal(count(dev, "aws:rds/proxy:Proxy"), 0);
    assert.equal(count(prod, "aws:rds/proxy:Proxy"), 1);
    // dev has no domain: one listener on 80 that only CloudFront can use; prod: HTTPS plus an HTTP redirect.
    const listeners = (doc: Doc) => doc.resources.filter((r: Doc) => r.type === "aws:lb/listener:Listener");
    assert.deepEqual(
      listeners(dev).map((l: Doc) => l.inputs.protocol),
      ["HTTP"],
    );
    const prodListeners = listeners(prod).map((l: Doc) => l.inputs);
    const https = prodListeners.find((l: Doc) => l.protocol === "HTTPS");
    const http = prodListeners.find((l: Doc) => l.protocol === "HTTP");
    assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert.deepEqual(
      http.defaultActions.map((a: Doc) => [a.type, a.redirect?.protocol]),
      [["redirect", "HTTPS"]],
    );
    assert.equal(count(prod, "aws:wafv2/webAclAssociation:WebAclAssociation"), 1);
    assert.equal(prod.outputs.apiUrl, "https://api.meridian.example.com");
    assert.equal(prod.outputs.posture.edge.minTlsVersion, "TLSv1.2_2021");
  });

  it("AWS: no IAM statement allows a wildcard action; Resource * only for actions AWS cannot scope", () => {
    const { UNSCOPABLE_ACTIONS } =
      require("../../components/aws/iam") as typeof import("../../components/aws/iam");
    for (const stack of ["dev", "prod"]) {
      const docs = graph(stack, "aws").resources.filter((r: Doc) =>
        ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"].includes(r.type),
      );
      assert.ok(docs.length >= 3, `${stack}: only ${docs.length} IAM policies`);
      for (const r of docs) {
        for (const st of JSON.parse(r.inputs.policy).Statement) {
          const actions: string[] = [st.Action].flat();
          const resources: string[] = [st.Resource].flat();
          for (const a of actions) assert.doesNotMatch(a, /\*/, `${r.urn}: action ${a}`);
          if (resources.includes("*"))
            for (const a of actions) assert.ok(UNSCOPABLE_ACTIONS.includes(a), `${r.urn}: ${a} on *`);
        }
      }
    }
  });

  it("AWS prod with a released image: tasks run, the job is scheduled, nothing is waived", () => {
    const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian-prod-api@sha256:${"ab".repeat(32)}`;
    const r = preview([
      "--stack",
      "prod",
      "--cloud",
      "aws",
      "-c",
      `meridian:image=${image}`,
      "--format",
      "json",
      "-q",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const svc = doc.resources.find((x: Doc) => x.type === "aws:ecs/service:Service").inputs;
    assert.ok(svc.desiredCount >= 2, `desiredCount ${svc.desiredCount}`);
    const task = doc.resources.find((x: Doc) => x.name === "meridian-prod-api-task").inputs;
    assert.equal(JSON.parse(task.containerDefinitions)[0].image, image);
    assert.equal(
      doc.resources.find((x: Doc) => x.type === "aws:scheduler/schedule:Schedule").inputs.state,
      "ENABLED",
    );
    assert.equal(doc.outputs.image, image);
    assert.deepEqual(
      doc.policy.findings.filter((f: Doc) => f.status !== "violation" || f.enforcement === "mandatory"),
      [],
      "prod with a pinned image needs no waiver and has no mandatory violation",
    );
    assert.equal(doc.policy.mandatory, 0);
  });

  it("tags every taggable AWS resource with the standard set", () => {
    const doc = graph("prod", "aws");
    const tagged = doc.resources.filter((r: Doc) => r.custom && r.inputs.tags);
    assert.ok(tagged.length >= 15);
    for (const r of tagged) {
      for (const k of ["app", "environment", "owner", "cost-center", "managed-by"]) {
        assert.ok(k in r.inputs.tags, `${r.urn} lacks tag ${k}`);
      }
    }
  });

  it("loads only the selected cloud's stack", () => {
    const aws = graph("dev", "aws");
    assert.equal(aws.resources.filter((r: Doc) => r.type.startsWith("gcp:")).length, 0);
    const gcp = graph("dev", "gcp");
    assert.equal(gcp.resources.filter((r: Doc) => r.type.startsWith("aws:")).length, 0);
  });

  it("meridian:cloud=azure fails before any resource, naming the allowed clouds", () => {
    const r = preview(["--stack", "dev", "--config", "meridian:cloud=azure"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /meridian:cloud/);
    assert.match(r.stderr, /azure/);
    assert.match(r.stderr, /aws, gcp/);
    assert.match(r.stderr, /before registering any cloud resource/);
    assert.doesNotMatch(r.stderr, /at Object\.|node:internal/);
  });

  it("reports several config problems at once", () => {
    const r = preview([
      "--stack",
      "prod",
      "--cloud",
      "aws",
      "-c",
      "meridian:vpcCidr=10.40.1.0/33",
      "-c",
      "meridian:minInstances=5",
      "-c",
      "meridian:maxInstances=3",
      "-c",
      "meridian:image=ghcr.io/acme/api:latest",
    ]);
    assert.equal(r.code, 1);
    for (const key of ["meridian:vpcCidr", "meridian:minInstances", "meridian:image"])
      assert.match(r.stderr, new RegExp(key));
  });
});
