/**
 * A scheduled job of the Meridian API on AWS: EventBridge Scheduler runs the service's task definition on
 * its cluster with the container command `node dist/cli.js job <name>`, on a cron or rate expression, in
 * the private subnets with the task security group, through a least-privilege scheduler role. Failed
 * invocations can go to an encrypted SQS dead-letter queue. See docs/components/aws-scheduled-job.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { childKit } from "../shared/component";
import { applyTransform, Transform } from "../shared/transform";
import { bool, intIn, resolveArgs, show } from "../shared/validate";
import { createServiceRole, Statement } from "./iam";
import { awsEnvironment } from "./environment";

export interface ScheduledJobTransforms {
  schedule?: Transform<aws.scheduler.ScheduleArgs>;
  role?: Transform<aws.iam.RoleArgs>;
  rolePolicy?: Transform<aws.iam.RolePolicyArgs>;
  deadLetterQueue?: Transform<aws.sqs.QueueArgs>;
}

export interface ScheduledJobArgs {
  /** The cluster to run on (Service `clusterArn`). */
  clusterArn: pulumi.Input<string>;
  /**
   * The task definition revision to run (Service `taskDefinitionArn`): the job runs the same image, roles,
   * secrets and logs as the service. The scheduler role may run any revision of this family.
   */
  taskDefinitionArn: pulumi.Input<string>;
  /** The task role of that task definition (Service `taskRoleArn`): the scheduler may pass exactly it. */
  taskRoleArn: pulumi.Input<string>;
  /** The execution role of that task definition (Service `executionRoleArn`). */
  executionRoleArn: pulumi.Input<string>;
  /** Subnets of the task (Network `privateSubnetIds`); the task gets no public IP. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Security groups of the task (Service `taskSecurityGroupId`). */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The container whose command is overridden (Service `containerName`).
   * @default "api"
   */
  containerName?: string;
  /**
   * The job name passed to `node dist/cli.js job <jobName>` (lowercase letters, digits, hyphens).
   * @default the component name
   * @example "purge-expired-sessions"
   */
  jobName?: string;
  /**
   * When to run: `cron(minutes hours day-of-month month day-of-week year)` or `rate(<n> <unit>)`.
   * @example "cron(0 3 * * ? *)"
   */
  scheduleExpression: string;
  /**
   * IANA time zone the cron expression is evaluated in (daylight saving time is honoured).
   * @default "UTC"
   * @example "America/Santo_Domingo"
   */
  timezone?: string;
  /**
   * How often Scheduler retries a failed RunTask call (0-185).
   * @default 2
   */
  maximumRetryAttempts?: number;
  /**
   * Seconds an invocation may keep retrying (60-86400).
   * @default 3600
   */
  maximumEventAgeSeconds?: number;
  /**
   * Send invocations that still fail to an SQS dead-letter queue (SSE-SQS encrypted, 14 days retention).
   * Cost: SQS $0.40 per million requests (first million free each month).
   * @default false
   */
  deadLetterQueue?: boolean;
  /**
   * Enabled or paused.
   * @default true
   */
  enabled?: boolean;
  /**
   * Tags for every taggable child (each also gets its `Name`). Schedules themselves take no tags.
   */
  tags: Record<string, string>;
  /** Patches any child's args or options (partial object or function). @default none */
  transform?: ScheduledJobTransforms;
}

export const SCHEDULED_JOB_DEFAULTS = {
  timezone: "UTC",
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 3600,
  deadLetterQueue: false,
  enabled: true,
} as const;

export interface ScheduledJobSettings {
  jobName: string;
  containerName: string;
  scheduleExpression: string;
  timezone: string;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  deadLetterQueue: boolean;
  enabled: boolean;
  tags: Tags;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(([^()]+)\)$/;

/** Validates a Scheduler expression: `cron(6 fields)` or `rate(n unit)` (singular unit for 1). */
export function validateScheduleExpression(expr: unknown): string {
  const allowed =
    'allowed: "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)" (e.g. "cron(0 3 * * ? *)") ' +
    'or "rate(<n> minute(s)|hour(s)|day(s))" (e.g. "rate(15 minutes)")';
  if (typeof expr !== "string") throw new Error(`scheduleExpression is ${show(expr)}; ${allowed}`);
  const rate = RATE.exec(expr);
  if (rate) {
    const n = Number(rate[1]);
    const singular = !rate[2].endsWith("s");
    if (n < 1)
      throw new Error(`scheduleExpression is ${show(expr)}: the rate must be at least 1; ${allowed}`);
    if ((n === 1) !== singular) {
      throw new Error(
        `scheduleExpression is ${show(expr)}: use the ${n === 1 ? "singular" : "plural"} unit with ${n} ` +
          `(e.g. "rate(1 hour)", "rate(2 hours)")`,
      );
    }
    return expr;
  }
  const cron = CRON.exec(expr);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
      throw new Error(
        `scheduleExpression is ${show(expr)}: a cron expression has 6 fields, this one has ${fields.length}; ${allowed}`,
      );
    }
    const [, , dom, , dow] = fields;
    if ((dom === "?") === (dow === "?")) {
      throw new Error(
        `scheduleExpression is ${show(expr)}: exactly one of day-of-month and day-of-week must be "?" ` +
          `(e.g. "cron(0 3 * * ? *)" or "cron(0 3 ? * MON *)")`,
      );
    }
    if (!fields.every((f) => /^[0-9A-Za-z*?,\-/#L]+$/.test(f))) {
      throw new Error(
        `scheduleExpression is ${show(expr)}: a field has characters cron does not accept; ${allowed}`,
      );
    }
    return expr;
  }
  throw new Error(`scheduleExpression is ${show(expr)}; ${allowed}`);
}

/** Validates an IANA time zone name. */
export function validateTimezone(tz: unknown): string {
  let ok = typeof tz === "string" && tz.length > 0;
  if (ok) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz as string });
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new Error(`timezone is ${show(tz)}; allowed: an IANA time zone such as "UTC", "America/New_York"`);
  }
  return tz as string;
}

/** Validates every arg and applies defaults. Each error names the arg, the value and what is allowed. */
export function resolveScheduledJobArgs(name: string, args: ScheduledJobArgs): ScheduledJobSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = SCHEDULED_JOB_DEFAULTS;
  for (const k of [
    "clusterArn",
    "taskDefinitionArn",
    "taskRoleArn",
    "executionRoleArn",
    "subnetIds",
    "securityGroupIds",
  ] as const) {
    if (args[k] === undefined || args[k] === null) {
      throw new Error(`${k} is ${show(args[k])}; allowed: the Service's value (required)`);
    }
  }
  const containerName = args.containerName ?? "api";
  if (typeof containerName !== "string" || !/^[A-Za-z0-9_-]{1,255}$/.test(containerName)) {
    throw new Error(
      `containerName is ${show(containerName)}; allowed: the container name in the task definition`,
    );
  }
  const jobName = args.jobName ?? name;
  if (typeof jobName !== "string" || !/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(jobName)) {
    throw new Error(
      `jobName is ${show(jobName)}; allowed: 1-64 lowercase letters, digits and hyphens (the argument of "job <name>")`,
    );
  }
  const tags = args.tags as unknown;
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    throw new Error(`tags is ${show(tags)}; allowed: a map of strings (pass the standard set, awsTags(...))`);
  }
  return {
    jobName,
    containerName,
    scheduleExpression: validateScheduleExpression(args.scheduleExpression),
    timezone: validateTimezone(args.timezone ?? d.timezone),
    maximumRetryAttempts: intIn(
      "maximumRetryAttempts",
      args.maximumRetryAttempts ?? d.maximumRetryAttempts,
      0,
      185,
    ),
    maximumEventAgeSeconds: intIn(
      "maximumEventAgeSeconds",
      args.maximumEventAgeSeconds ?? d.maximumEventAgeSeconds,
      60,
      86400,
    ),
    deadLetterQueue: bool("deadLetterQueue", args.deadLetterQueue ?? d.deadLetterQueue),
    enabled: bool("enabled", args.enabled ?? d.enabled),
    tags: { ...(tags as Tags) },
  };
}

/** The job command of the workload contract. */
export function jobCommand(jobName: string): string[] {
  return ["node", "dist/cli.js", "job", jobName];
}

/** `...:task-definition/<family>:<rev>` -> `...:task-definition/<family>:*` (any revision of the family). */
export function taskDefinitionFamilyArn(taskDefinitionArn: string): string {
  return taskDefinitionArn.replace(/:\d+$/, "").replace(/(task-definition\/[^:]+)$/, "$1:*");
}

/** `...:cluster/<name>` -> `...:task/<name>/*` (the tasks the cluster runs). */
export function clusterTasksArn(clusterArn: string): string {
  return `${clusterArn.replace(":cluster/", ":task/")}/*`;
}

/**
 * An EventBridge Scheduler schedule that runs `node dist/cli.js job <jobName>` as a Fargate task.
 *
 * The scheduler role may only: run task definitions of the service's family on the service's cluster
 * (ecs:RunTask with an `ecs:cluster` condition), tag the tasks it starts there (ecs:TagResource only as part
 * of RunTask), pass exactly the task and execution roles to ECS tasks (iam:PassRole with
 * `iam:PassedToService`), and send to its dead-letter queue when there is one.
 *
 * @example
 * new ScheduledJob("meridian-prod-cleanup", {
 *   clusterArn: api.clusterArn, taskDefinitionArn: api.taskDefinitionArn, taskRoleArn: api.taskRoleArn,
 *   executionRoleArn: api.executionRoleArn, subnetIds: network.privateSubnetIds,
 *   securityGroupIds: [api.taskSecurityGroupId], containerName: api.containerName,
 *   jobName: "cleanup", scheduleExpression: "cron(0 3 * * ? *)", timezone: "UTC", tags,
 * });
 *
 * ## Cost
 * Scheduler: 14 million invocations/month free, then $1 per million. The task: Fargate per second of run
 * time (1 minute minimum), at the service's size.
 */
export class ScheduledJob extends pulumi.ComponentResource {
  public readonly scheduleArn: pulumi.Output<string>;
  public readonly scheduleName: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  /** The dead-letter queue, when enabled. */
  public readonly deadLetterQueueArn?: pulumi.Output<string>;
  /** The command the job runs. */
  public readonly command: string[];
  public readonly identities: Posture["identities"];

  constructor(name: string, args: ScheduledJobArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("ScheduledJob", name, () => resolveScheduledJobArgs(name, args));
    super("meridian:aws:ScheduledJob", name, {}, opts);
    const t = args.transform ?? {};
    const svc = args;
    const { childOpts, tagsFor } = childKit(this, s.tags);
    const env = awsEnvironment(this);
    // Schedule names: 1-64 of [0-9A-Za-z-_.].
    const scheduleName = physicalName("aws:iam", name).replace(/[^0-9A-Za-z_.-]/g, "-");
    this.command = jobCommand(s.jobName);

    let queue: aws.sqs.Queue | undefined;
    if (s.deadLetterQueue) {
      queue = new aws.sqs.Queue(
        ...applyTransform(
          t.deadLetterQueue,
          `${name}-dlq`,
          {
            sqsManagedSseEnabled: true,
            messageRetentionSeconds: 1_209_600,
            tags: tagsFor(`${name}-dlq`),
          },
          childOpts(),
        ),
      );
    }

    const clusterArn = pulumi.output(svc.clusterArn);
    const statements: Statement[] = [
      {
        sid: "RunJobTaskOnServiceCluster",
        actions: ["ecs:RunTask"],
        resources: [pulumi.output(svc.taskDefinitionArn).apply(taskDefinitionFamilyArn)],
        condition: { ArnEquals: { "ecs:cluster": clusterArn } },
      },
      {
        sid: "TagTasksItStarts",
        actions: ["ecs:TagResource"],
        resources: [clusterArn.apply(clusterTasksArn)],
        condition: { StringEquals: { "ecs:CreateAction": "RunTask" } },
      },
      {
        sid: "PassTaskRolesToEcs",
        actions: ["iam:PassRole"],
        resources: [svc.taskRoleArn, svc.executionRoleArn],
        condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    ];
    if (queue) {
      statements.push({ sid: "DeadLetter", actions: ["sqs:SendMessage"], resources: [queue.arn] });
    }
    const role = createServiceRole(
      {
        name: `${name}-scheduler-role`,
        service: "scheduler.amazonaws.com",
        description: `EventBridge Scheduler: runs the ${s.jobName} job of ${name} on ECS`,
        account: env.account,
        sourceArn: pulumi.interpolate`arn:${env.partition}:scheduler:${env.region}:${env.account}:schedule/default/${scheduleName}`,
        statements,
        tags: tagsFor(`${name}-scheduler-role`),
        transform: { role: t.role, policy: t.rolePolicy },
      },
      childOpts(),
    );

    const schedule = new aws.scheduler.Schedule(
      ...applyTransform(
        t.schedule,
        `${name}-schedule`,
        {
          name: scheduleName,
          groupName: "default",
          description: asciiDescription(`Runs "job ${s.jobName}" of ${name}`),
          scheduleExpression: s.scheduleExpression,
          scheduleExpressionTimezone: s.timezone,
          state: s.enabled ? "ENABLED" : "DISABLED",
          flexibleTimeWindow: { mode: "OFF" },
          target: {
            arn: svc.clusterArn,
            roleArn: role.role.arn,
            ecsParameters: {
              taskDefinitionArn: svc.taskDefinitionArn,
              taskCount: 1,
              capacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 0, weight: 1 }],
              platformVersion: "LATEST",
              networkConfiguration: {
                subnets: svc.subnetIds,
                securityGroups: svc.securityGroupIds,
                assignPublicIp: false,
              },
              enableEcsManagedTags: true,
              propagateTags: "TASK_DEFINITION",
              enableExecuteCommand: false,
            },
            input: JSON.stringify({
              containerOverrides: [{ name: s.containerName, command: this.command }],
            }),
            retryPolicy: {
              maximumRetryAttempts: s.maximumRetryAttempts,
              maximumEventAgeInSeconds: s.maximumEventAgeSeconds,
            },
            ...(queue ? { deadLetterConfig: { arn: queue.arn } } : {}),
          },
        },
        // The role must be allowed before the first invocation.
        childOpts({ dependsOn: role.policy ? [role.policy] : [] }),
      ),
    );

    this.scheduleArn = schedule.arn;
    this.scheduleName = schedule.name;
    this.roleArn = role.role.arn;
    this.deadLetterQueueArn = queue?.arn;
    this.identities = [role.identity];
    this.registerOutputs({
      scheduleArn: this.scheduleArn,
      scheduleName: this.scheduleName,
      roleArn: this.roleArn,
      deadLetterQueueArn: this.deadLetterQueueArn,
      identities: this.identities,
    });
  }
}
