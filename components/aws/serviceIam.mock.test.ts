// The AWS service's execution and task roles (serviceIam.ts).
import { strict as assert } from "node:assert";
import { inputsOf } from "../../infra/offline/testing";
import {
  ACCOUNT,
  asList,
  assertLeastPrivilege,
  Built,
  bySid,
  DB_SECRET,
  policyOf,
  PROD_LIKE,
  REDIS_SECRET,
  REPO_ARN,
  serviceSuite,
  T,
} from "./service.testkit";

const { build } = serviceSuite();

describe("aws Service: IAM roles (mocks)", () => {
  describe("internet ingress with a domain and a Route 53 zone (prod-like)", () => {
    let b: Built;
    const name = "api-prod";
    before(async () => {
      b = await build(name, PROD_LIKE);
    });

    it("execution role: own log group, exactly its repository, exactly the referenced secret ARNs", () => {
      const doc = b.policy("execution-role-policy");
      const lg = b.byName("logs").outputs.arn as string;
      assert.deepEqual(bySid(doc, "WriteOwnLogGroup").Resource, [lg, `${lg}:log-stream:*`]);
      assert.deepEqual(bySid(doc, "PullFromRepository"), {
        Sid: "PullFromRepository",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: REPO_ARN,
      });
      assert.deepEqual(bySid(doc, "RegistryLogin").Action, "ecr:GetAuthorizationToken");
      assert.equal(bySid(doc, "RegistryLogin").Resource, "*");
      const read = bySid(doc, "ReadReferencedSecrets");
      assert.equal(read.Action, "secretsmanager:GetSecretValue");
      assert.deepEqual(read.Resource, [DB_SECRET, REDIS_SECRET], "the ARNs without the :jsonKey:: suffix");
      assert.equal(doc.Statement.length, 4);
    });

    it("task role: X-Ray and PutMetricData (namespace-scoped) for the collector, nothing else", () => {
      const doc = b.policy("task-role-policy");
      const xray = bySid(doc, "XRayIngestAndSampling");
      assert.deepEqual([...xray.Action].sort(), [
        "xray:GetSamplingRules",
        "xray:GetSamplingStatisticSummaries",
        "xray:GetSamplingTargets",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
      ]);
      const metrics = bySid(doc, "PutMetricsInOwnNamespace");
      assert.equal(metrics.Action, "cloudwatch:PutMetricData");
      assert.deepEqual(metrics.Condition, { StringEquals: { "cloudwatch:namespace": "Meridian/Otel" } });
      const lg = b.byName("logs").outputs.arn as string;
      assert.deepEqual(bySid(doc, "EmfMetricsToOwnLogGroup").Resource, [lg, `${lg}:log-stream:*`]);
      assert.equal(doc.Statement.length, 3);
      assert.ok(!JSON.stringify(doc).includes("secretsmanager"), "the app role cannot read secrets");
    });

    it("both roles trust only ECS tasks of this account", () => {
      for (const r of ["task-role", "execution-role"]) {
        const st = policyOf(inputsOf(b.byName(r)).assumeRolePolicy).Statement[0];
        assert.deepEqual(st.Principal, { Service: "ecs-tasks.amazonaws.com" });
        assert.equal(st.Condition.StringEquals["aws:SourceAccount"], ACCOUNT);
        assert.equal(st.Condition.ArnLike["aws:SourceArn"], `arn:aws:ecs:us-east-1:${ACCOUNT}:*`);
      }
    });

    it("no IAM statement has a wildcard action; Resource * only with unscopable actions", () => {
      assertLeastPrivilege(b.all(T.rolePolicy));
    });
  });

  describe("other options", () => {
    it("task policy statements and ECS Exec go to the task role only", async () => {
      const bucketArn = "arn:aws:s3:::meridian-uploads";
      const b = await build("api-perm", {
        taskPolicyStatements: [{ actions: ["s3:GetObject", "s3:PutObject"], resources: [`${bucketArn}/*`] }],
        enableExecuteCommand: true,
      });
      const task = b.policy("task-role-policy");
      assert.deepEqual(task.Statement[0].Action, ["s3:GetObject", "s3:PutObject"]);
      assert.equal(task.Statement[0].Resource, `${bucketArn}/*`);
      assert.deepEqual(asList(bySid(task, "EcsExecChannels").Action).length, 4);
      assert.ok(!JSON.stringify(b.policy("execution-role-policy")).includes("s3:"));
      assert.equal(inputsOf(b.one(T.service)).enableExecuteCommand, true);
      assertLeastPrivilege(b.all(T.rolePolicy));
    });
  });
});
