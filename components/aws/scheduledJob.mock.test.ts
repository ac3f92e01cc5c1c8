import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import { UNSCOPABLE_ACTIONS } from "./iam";
import type * as JobModule from "./scheduledJob";

const TAGS = TEST_TAGS;
const ACCOUNT = "123456789012";
const T = {
  schedule: "aws:scheduler/schedule:Schedule",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  queue: "aws:sqs/queue:Queue",
} as const;
const CLUSTER = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/meridian-prod-api`;
const TASK_DEF = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/meridian-prod-api:7`;
const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/meridian-prod-api-task-role-abc1234`;
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/meridian-prod-api-execution-role-def5678`;
const SUBNETS = ["subnet-0prv0000000000a", "subnet-0prv0000000000b"];
const TASK_SG = "sg-0123456789abcdef0";

const BASE: JobModule.ScheduledJobArgs = {
  clusterArn: CLUSTER,
  taskDefinitionArn: TASK_DEF,
  taskRoleArn: TASK_ROLE,
  executionRoleArn: EXEC_ROLE,
  subnetIds: SUBNETS,
  securityGroupIds: [TASK_SG],
  scheduleExpression: "cron(0 3 * * ? *)",
  tags: TAGS,
};

const suite = componentSuite({ load: () => import("./scheduledJob") });

async function build(name: string, args: Partial<JobModule.ScheduledJobArgs> = {}) {
  const c = await suite.capture(new suite.mod.ScheduledJob(name, { ...BASE, ...args }));
  return { ...c, job: c.component };
}

type Doc = { Statement: Record<string, any>[] };
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const bySid = (doc: Doc, sid: string) => {
  const st = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(st, `no statement ${sid}`);
  return st;
};

describe("aws ScheduledJob (mocks)", () => {
  describe("defaults", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
      b = await build("meridian-prod-cleanup", { jobName: "cleanup" });
    });

    it("runs the service's task definition on its cluster with the job command override", () => {
      const s = inputsOf(b.one(T.schedule));
      assert.equal(s.scheduleExpression, "cron(0 3 * * ? *)");
      assert.equal(s.scheduleExpressionTimezone, "UTC");
      assert.deepEqual(s.flexibleTimeWindow, { mode: "OFF" });
      assert.equal(s.state, "ENABLED");
      assert.equal(s.target.arn, CLUSTER);
      assert.equal(s.target.roleArn, b.one(T.role).outputs.arn);
      assert.equal(s.target.ecsParameters.taskDefinitionArn, TASK_DEF);
      assert.equal(s.target.ecsParameters.launchType, undefined);
      assert.deepEqual(s.target.ecsParameters.capacityProviderStrategies, [
        { capacityProvider: "FARGATE", base: 0, weight: 1 },
      ]);
      assert.deepEqual(JSON.parse(s.target.input), {
        containerOverrides: [{ name: "api", command: ["node", "dist/cli.js", "job", "cleanup"] }],
      });
      assert.deepEqual(s.target.retryPolicy, { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 });
      assert.equal(s.target.deadLetterConfig, undefined);
      assert.deepEqual(b.job.command, ["node", "dist/cli.js", "job", "cleanup"]);
    });

    it("runs in the private subnets with the task security group and no public IP", () => {
      assert.deepEqual(inputsOf(b.one(T.schedule)).target.ecsParameters.networkConfiguration, {
        subnets: SUBNETS,
        securityGroups: [TASK_SG],
        assignPublicIp: false,
      });
    });

    it("scheduler role: trusted by Scheduler for this schedule only", () => {
      const st = JSON.parse(inputsOf(b.one(T.role)).assumeRolePolicy).Statement[0];
      assert.deepEqual(st.Principal, { Service: "scheduler.amazonaws.com" });
      assert.deepEqual(st.Condition, {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: {
          "aws:SourceArn": `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/${inputsOf(b.one(T.schedule)).name}`,
        },
      });
    });

    it("scheduler role: RunTask on the family in the cluster, PassRole on exactly the two roles", () => {
      const doc = JSON.parse(inputsOf(b.one(T.rolePolicy)).policy) as Doc;
      assert.deepEqual(bySid(doc, "RunJobTaskOnServiceCluster"), {
        Sid: "RunJobTaskOnServiceCluster",
        Effect: "Allow",
        Action: "ecs:RunTask",
        Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/meridian-prod-api:*`,
        Condition: { ArnEquals: { "ecs:cluster": CLUSTER } },
      });
      assert.deepEqual(bySid(doc, "PassTaskRolesToEcs"), {
        Sid: "PassTaskRolesToEcs",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [TASK_ROLE, EXEC_ROLE],
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      });
      assert.deepEqual(bySid(doc, "TagTasksItStarts"), {
        Sid: "TagTasksItStarts",
        Effect: "Allow",
        Action: "ecs:TagResource",
        Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/meridian-prod-api/*`,
        Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } },
      });
      assert.equal(doc.Statement.length, 3);
      for (const st of doc.Statement) {
        for (const a of asList(st.Action) as string[]) assert.match(a, /^[a-z0-9-]+:[A-Za-z0-9]+$/);
        if (asList(st.Resource).includes("*")) {
          for (const a of asList(st.Action) as string[]) assert.ok(UNSCOPABLE_ACTIONS.includes(a));
        }
      }
      assert.ok(
        b.one(T.schedule).dependencies.includes(b.one(T.rolePolicy).urn),
        "the schedule waits for the permissions",
      );
    });

    it("exposes outputs and identities; tags the role", async () => {
      assert.equal(await promiseOf(b.job.roleArn), b.one(T.role).outputs.arn);
      assert.equal(await promiseOf(b.job.scheduleName), inputsOf(b.one(T.schedule)).name);
      assert.ok((await promiseOf(b.job.scheduleArn)).length > 0);
      const ids = await promiseOf(pulumi.output(b.job.identities));
      assert.deepEqual(ids[0].trust, ["scheduler.amazonaws.com"]);
      assert.ok(ids[0].permissions.some((p) => p.startsWith("iam:PassRole on " + TASK_ROLE)));
      assert.equal(inputsOf(b.one(T.role)).tags.app, "meridian");
      for (const r of b.children) assert.equal(r.parent, b.urn);
    });
  });

  it("with a dead-letter queue: encrypted, and the role may send only to it", async () => {
    const b = await build("job-dlq", {
      deadLetterQueue: true,
      scheduleExpression: "rate(15 minutes)",
      timezone: "America/Santo_Domingo",
      maximumRetryAttempts: 0,
      enabled: false,
    });
    const q = b.one(T.queue);
    assert.equal(inputsOf(q).sqsManagedSseEnabled, true);
    assert.equal(inputsOf(q).tags.Name, "job-dlq-dlq");
    const s = inputsOf(b.one(T.schedule));
    assert.deepEqual(s.target.deadLetterConfig, { arn: q.outputs.arn });
    assert.equal(s.scheduleExpressionTimezone, "America/Santo_Domingo");
    assert.equal(s.state, "DISABLED");
    assert.equal(s.target.retryPolicy.maximumRetryAttempts, 0);
    assert.deepEqual(JSON.parse(s.target.input).containerOverrides[0].command, [
      "node",
      "dist/cli.js",
      "job",
      "job-dlq",
    ]);
    const doc = JSON.parse(inputsOf(b.one(T.rolePolicy)).policy) as Doc;
    const dl = bySid(doc, "DeadLetter");
    assert.equal(dl.Action, "sqs:SendMessage");
    assert.equal(dl.Resource, q.outputs.arn);
  });

  describe("validation (synchronous, before any resource)", () => {
    const throwsSync = (args: Partial<JobModule.ScheduledJobArgs>, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.ScheduledJob("job-invalid", { ...BASE, ...args }), pattern);
      assert.equal(suite.session.resources.length, before);
    };
    it("schedule expressions", () => {
      throwsSync(
        { scheduleExpression: "0 3 * * *" },
        /ScheduledJob "job-invalid": scheduleExpression is "0 3 \* \* \*"; allowed: "cron\(/,
      );
      throwsSync({ scheduleExpression: "cron(0 3 * * *)" }, /a cron expression has 6 fields, this one has 5/);
      throwsSync(
        { scheduleExpression: "cron(0 3 * * * *)" },
        /exactly one of day-of-month and day-of-week must be "\?"/,
      );
      throwsSync({ scheduleExpression: "rate(1 hours)" }, /use the singular unit with 1/);
      throwsSync({ scheduleExpression: "rate(5 minute)" }, /use the plural unit with 5/);
    });
    it("other args", () => {
      throwsSync({ timezone: "Mars/Olympus" }, /timezone is "Mars\/Olympus"; allowed: an IANA time zone/);
      throwsSync({ jobName: "Clean Up" }, /jobName is "Clean Up"; allowed: 1-64 lowercase letters/);
      throwsSync(
        { maximumRetryAttempts: 200 },
        /maximumRetryAttempts is 200; allowed: an integer from 0 to 185/,
      );
      throwsSync({ clusterArn: undefined as never }, /clusterArn is undefined; allowed: the Service's value/);
    });
  });

  describe("pure helpers", () => {
    it("taskDefinitionFamilyArn and clusterTasksArn", () => {
      assert.equal(
        suite.mod.taskDefinitionFamilyArn(TASK_DEF),
        `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/meridian-prod-api:*`,
      );
      assert.equal(
        suite.mod.taskDefinitionFamilyArn(`arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/fam`),
        `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/fam:*`,
      );
      assert.equal(
        suite.mod.clusterTasksArn(CLUSTER),
        `arn:aws:ecs:us-east-1:${ACCOUNT}:task/meridian-prod-api/*`,
      );
    });
  });
});
