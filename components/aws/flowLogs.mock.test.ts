import { strict as assert } from "node:assert";
import { inputsOf } from "../../infra/offline/testing";
import { ACCOUNT, type Built, networkSuite, T } from "./network.testkit";

const { build } = networkSuite();

const policyOf = (json: string) => JSON.parse(json) as { Statement: Record<string, any>[] };
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

describe("aws Network flow logs (mocks)", () => {
  describe("defaults: 2 AZs, single NAT", () => {
    let b: Built;
    before(async () => {
      b = await build("net-default");
    });

    it("sends flow logs to a log group with the default retention", () => {
      const lg = b.one(T.logGroup);
      assert.equal(inputsOf(lg).name, "/meridian/net-default/vpc-flow-logs");
      assert.equal(inputsOf(lg).retentionInDays, 30);
      assert.equal(inputsOf(lg).kmsKeyId, undefined);
      const fl = inputsOf(b.one(T.flowLog));
      assert.equal(fl.vpcId, b.one(T.vpc).id);
      assert.equal(fl.logDestinationType, "cloud-watch-logs");
      assert.equal(fl.logDestination, lg.outputs.arn);
      assert.equal(fl.iamRoleArn, b.one(T.role).outputs.arn);
      assert.equal(fl.trafficType, "ALL");
      assert.equal(fl.maxAggregationInterval, 600);
      assert.ok(
        b.one(T.flowLog).dependencies.includes(b.one(T.rolePolicy).urn),
        "flow log before its permissions",
      );
    });

    it("lets only the flow logs service of this account assume the role", () => {
      const doc = policyOf(inputsOf(b.one(T.role)).assumeRolePolicy);
      assert.equal(doc.Statement.length, 1);
      const st = doc.Statement[0];
      assert.equal(st.Effect, "Allow");
      assert.deepEqual(asList(st.Action), ["sts:AssumeRole"]);
      assert.deepEqual(st.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
      assert.deepEqual(st.Condition, {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/*` },
      });
    });

    it("allows the role exactly the three log actions, on the log group only", () => {
      const policy = inputsOf(b.one(T.rolePolicy));
      assert.equal(policy.role, b.one(T.role).id);
      const doc = policyOf(policy.policy);
      const arn = b.one(T.logGroup).outputs.arn as string;
      assert.equal(doc.Statement.length, 1);
      const st = doc.Statement[0];
      assert.equal(st.Effect, "Allow");
      assert.deepEqual([...asList(st.Action)].sort(), [
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
      ]);
      assert.deepEqual(asList(st.Resource), [arn, `${arn}:*`]);
      assert.match(arn, /^arn:aws:logs:us-east-1:\d{12}:log-group:\/meridian\/net-default\/vpc-flow-logs$/);
      assert.equal(st.Principal, undefined);
    });
  });

  describe("options", () => {
    it("flow log options reach the log group and the flow log", async () => {
      const kmsKeyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const b = await build("net-fl", {
        flowLogs: { retentionDays: 90, trafficType: "REJECT", maxAggregationInterval: 60, kmsKeyArn },
      });
      assert.equal(inputsOf(b.one(T.logGroup)).retentionInDays, 90);
      assert.equal(inputsOf(b.one(T.logGroup)).kmsKeyId, kmsKeyArn);
      assert.equal(inputsOf(b.one(T.flowLog)).trafficType, "REJECT");
      assert.equal(inputsOf(b.one(T.flowLog)).maxAggregationInterval, 60);
      assert.equal(b.net.posture.flowLogs.retentionDays, 90);
    });
  });
});
