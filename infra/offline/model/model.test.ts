import { strict as assert } from "node:assert";
import { renderPolicyDocument, awsZones } from "./aws";
import { gcpZones } from "./gcp";
import { modelInvoke, modelResource, ModelEnv, ModelNote } from "./index";

function env(config: Record<string, string> = {}): ModelEnv & { notes: ModelNote[] } {
  const notes: ModelNote[] = [];
  return { config, providerInputs: () => undefined, note: (n) => notes.push(n), notes };
}

describe("offline resource model", () => {
  it("gives EC2 resources ids with the right prefix and ARNs in the stack's region", () => {
    const e = env({ "aws:region": "sa-east-1" });
    const vpc = modelResource(
      { type: "aws:ec2/vpc:Vpc", name: "v", inputs: { cidrBlock: "10.0.0.0/16" }, custom: true },
      e,
    );
    assert.match(vpc.id!, /^vpc-0[0-9a-f]{16}$/);
    assert.equal(vpc.state.arn, `arn:aws:ec2:sa-east-1:123456789012:vpc/${vpc.id}`);
    assert.equal(vpc.state.cidrBlock, "10.0.0.0/16", "inputs are echoed");
    assert.ok(vpc.computed.includes("defaultSecurityGroupId"));
    const nat = modelResource(
      { type: "aws:ec2/natGateway:NatGateway", name: "n", inputs: {}, custom: true },
      e,
    );
    assert.match(nat.id!, /^nat-0/);
  });

  it("is deterministic per type and name, and distinct across names", () => {
    const e = env();
    const a = modelResource({ type: "aws:ec2/subnet:Subnet", name: "a", inputs: {}, custom: true }, e);
    const a2 = modelResource({ type: "aws:ec2/subnet:Subnet", name: "a", inputs: {}, custom: true }, e);
    const b = modelResource({ type: "aws:ec2/subnet:Subnet", name: "b", inputs: {}, custom: true }, e);
    assert.equal(a.id, a2.id);
    assert.notEqual(a.id, b.id);
  });

  it("uses an explicit provider's region", () => {
    const e: ModelEnv = {
      config: { "aws:region": "us-east-1" },
      providerInputs: () => ({ region: "eu-central-1" }),
      note: () => {},
    };
    const lg = modelResource(
      {
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: "l",
        inputs: { name: "/x" },
        custom: true,
        provider: "urn::id",
      },
      e,
    );
    assert.equal(lg.state.arn, "arn:aws:logs:eu-central-1:123456789012:log-group:/x");
  });

  it("uses a resource's own region argument over the provider's (AWS provider v7)", () => {
    const e: ModelEnv = {
      config: { "aws:region": "us-east-1" },
      providerInputs: () => ({ region: "eu-central-1" }),
      note: () => {},
    };
    const lg = modelResource(
      {
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: "l",
        inputs: { name: "/x", region: "ap-southeast-2" },
        custom: true,
        provider: "urn::id",
      },
      e,
    );
    assert.equal(lg.state.arn, "arn:aws:logs:ap-southeast-2:123456789012:log-group:/x");
  });

  it("answers data-source calls in the explicit provider's region and project", () => {
    const e: ModelEnv = {
      config: { "aws:region": "eu-west-1", "gcp:project": "p-config", "gcp:region": "us-central1" },
      providerInputs: (ref) =>
        ref === "aws-use1"
          ? { region: "us-east-1" }
          : ref === "gcp-eu"
            ? { project: "p-eu", region: "europe-west1" }
            : undefined,
      note: () => {},
    };
    const azs = (provider?: string) =>
      modelInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", {}, e, provider).names as string[];
    assert.ok(azs().every((z) => z.startsWith("eu-west-1")));
    assert.ok(azs("aws-use1").every((z) => z.startsWith("us-east-1")));
    const zones = modelInvoke("gcp:compute/getZones:getZones", {}, e, "gcp-eu").names as string[];
    assert.ok(
      zones.every((z) => z.startsWith("europe-west1-")),
      zones.join(),
    );
    const project = modelInvoke("gcp:organizations/getProject:getProject", {}, e, "gcp-eu");
    assert.equal(project.projectId, "p-eu");
  });

  it("models the AWS option's resources: no type the stack uses falls back to unknown outputs", () => {
    const e = env();
    const types = [
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "aws:lb/listenerRule:ListenerRule",
      "aws:appautoscaling/target:Target",
      "aws:scheduler/schedule:Schedule",
      "aws:backup/vault:Vault",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:cloudwatch/dashboard:Dashboard",
      "aws:cloudfront/originAccessControl:OriginAccessControl",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ];
    for (const type of types) {
      const r = modelResource({ type, name: "x", inputs: { name: "x", bucket: "b" }, custom: true }, e);
      assert.ok(r.id, type);
    }
    assert.deepEqual(e.notes, []);
    const sched = modelResource(
      { type: "aws:scheduler/schedule:Schedule", name: "job", inputs: { name: "nightly" }, custom: true },
      e,
    );
    assert.equal(sched.state.arn, "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly");
    const sub = modelResource(
      {
        type: "aws:sns/topicSubscription:TopicSubscription",
        name: "s",
        inputs: { protocol: "email" },
        custom: true,
      },
      e,
    );
    assert.equal(sub.state.pendingConfirmation, true);
  });

  it("models IAM roles as global and GCP resources with project/region self links", () => {
    const role = modelResource(
      { type: "aws:iam/role:Role", name: "r", inputs: { name: "flow" }, custom: true },
      env(),
    );
    assert.equal(role.state.arn, "arn:aws:iam::123456789012:role/flow");
    const e = env({ "gcp:project": "p-123456", "gcp:region": "europe-west1" });
    const sub = modelResource(
      {
        type: "gcp:compute/subnetwork:Subnetwork",
        name: "s",
        inputs: { name: "sub", ipCidrRange: "10.60.0.0/20" },
        custom: true,
      },
      e,
    );
    assert.equal(sub.id, "projects/p-123456/regions/europe-west1/subnetworks/sub");
    assert.equal(
      sub.state.selfLink,
      "https://www.googleapis.com/compute/v1/projects/p-123456/regions/europe-west1/subnetworks/sub",
    );
    assert.equal(sub.state.gatewayAddress, "10.60.0.1");
  });

  it("leaves a note for types and data sources it has no model for", () => {
    const e = env();
    const r = modelResource(
      { type: "azure-native:storage:Account", name: "x", inputs: { kind: "v2" }, custom: true },
      e,
    );
    assert.equal(r.state.kind, "v2");
    // An unmodelled data source answers its declared result's shape, args echoed, placeholders listed.
    const vpc = modelInvoke("aws:ec2/getVpc:getVpc", { default: true }, e);
    assert.equal(vpc.default, true);
    assert.equal(vpc.cidrBlock, "10.0.0.0/16");
    assert.match(String(vpc.id), /^offline-placeholder-[0-9a-f]{8}$/);
    assert.deepEqual(Object.keys((vpc.cidrBlockAssociations as object[])[0]).sort(), [
      "associationId",
      "cidrBlock",
      "state",
    ]);
    assert.equal(vpc.filters, undefined, "optional result fields the call did not set stay absent");
    // Without a declaration to follow (no such package), the answer is empty, and says so.
    assert.deepEqual(modelInvoke("nosuchpkg:x/getThing:getThing", {}, e), {});
    assert.ok(
      e.notes.some((n) => /nosuchpkg:x\/getThing:getThing and no declared result type/.test(n.message)),
    );
    assert.ok(e.notes.some((n) => /no offline model for azure-native:storage:Account/.test(n.message)));
    assert.ok(
      e.notes.some((n) => n.level === "warning" && /data source aws:ec2\/getVpc:getVpc/.test(n.message)),
    );
  });

  it("answers availability zones with real AZ names", () => {
    const r = modelInvoke(
      "aws:index/getAvailabilityZones:getAvailabilityZones",
      {},
      env({ "aws:region": "eu-west-1" }),
    );
    assert.deepEqual(r.names, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    assert.deepEqual(r.zoneIds, ["euw1-az1", "euw1-az2", "euw1-az3"]);
    assert.equal(awsZones("us-west-1").length, 2);
    assert.deepEqual(gcpZones("us-central1"), [
      "us-central1-a",
      "us-central1-b",
      "us-central1-c",
      "us-central1-f",
    ]);
  });

  it("renders iam.getPolicyDocument like the provider", () => {
    const json = renderPolicyDocument({
      statements: [
        { actions: ["logs:PutLogEvents"], resources: ["arn:x"] },
        {
          sid: "Trust",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }],
        },
      ],
    });
    assert.deepEqual(JSON.parse(json), {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "logs:PutLogEvents", Resource: "arn:x" },
        {
          Sid: "Trust",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("makes random values deterministic placeholders", () => {
    const pw = modelResource(
      {
        type: "random:index/randomPassword:RandomPassword",
        name: "db",
        inputs: { length: 20 },
        custom: true,
      },
      env(),
    );
    assert.equal((pw.state.result as string).length, 20);
    const id = modelResource(
      { type: "random:index/randomId:RandomId", name: "s", inputs: { byteLength: 4 }, custom: true },
      env(),
    );
    assert.match(id.state.hex as string, /^[0-9a-f]{8}$/);
  });
});
