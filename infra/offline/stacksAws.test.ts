/**
 * The AWS option of Meridian's stacks through the offline engine: every part in the graph, dev vs prod,
 * IAM scoping, tags, a released image, and meridian:buildImage.
 */
import { strict as assert } from "node:assert";
import { count, Doc, graph, stackDoc } from "./test/stackGraphs";

describe("Meridian stacks through the offline engine", function () {
  this.timeout(180_000);

  it("meridian:buildImage: the stack builds app/ with awsx ecr.Image and deploys that digest (unknown in a preview)", () => {
    const doc = stackDoc("dev", "aws", ["meridian:buildImage=true"]);
    const image = doc.resources.find((x: Doc) => x.type === "awsx:ecr:Image");
    const repo = doc.resources.find((x: Doc) => x.type === "aws:ecr/repository:Repository");
    assert.deepEqual(image.inputs, {
      context: ".",
      dockerfile: "app/Dockerfile",
      platform: "linux/amd64",
      repositoryUrl: repo.outputs.repositoryUrl,
    });
    // What a real preview shows too: the digest exists only after the build at `pulumi up`.
    assert.equal(doc.outputs.image, "[unknown]");
    const svc = doc.resources.find((x: Doc) => x.type === "aws:ecs/service:Service");
    assert.ok(svc.inputs.desiredCount > 0, "tasks run: an image is coming");
    assert.match(
      doc.notes.map((n: Doc) => n.message).join("\n"),
      /awsx:ecr:Image is a remote component .* not in the graph .* known only at `pulumi up`/s,
    );
    assert.equal(doc.policy.mandatory, 0);
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
    const doc = stackDoc("prod", "aws", [`meridian:image=${image}`]);
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
});
