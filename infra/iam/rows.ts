/**
 * The table of the IAM proof: one row per kind of role Meridian's AWS stacks create. A row finds its
 * roles through the resources that use them (a task definition's `executionRoleArn`, a proxy's `roleArn`,
 * ...) and lists, from those users' own settings (facts.ts), the requests the role MUST be allowed
 * (`allow`), the neighbouring requests it MUST NOT be allowed (`deny`), and what an AWS managed policy
 * grants beyond the role's own resources that Meridian accepts knowingly (`broad`, see
 * docs/iam-proof.md). The generic neighbours every role is checked against are in proof.ts.
 */
import type { PreviewGraph } from "../cost/graph";
import * as f from "./facts";
import { known, ofType } from "./roles";
import type { Request } from "./simulate";

/** A request with the reason it is in the table. */
export interface Check extends Request {
  why: string;
  /** For a `deny` check: the denial must come from an explicit Deny statement, not only from no Allow. */
  explicit?: boolean;
}

/** What one role must and must not do. */
export interface RoleChecks {
  allow: Check[];
  deny: Check[];
  broad?: Check[];
  /** A request's SourceArn the trusted service sends when it assumes the role, when the trust asks one. */
  sourceArn?: string;
}

export interface Row {
  id: string;
  /** The service principal that must be able to assume the role (and the only one). */
  service: string;
  /**
   * Why the trust has no `aws:SourceAccount` condition, when it has none on purpose (the service does not
   * send it): the proof then expects the service to be allowed for another account too, and says so.
   */
  trustAnyAccount?: string;
  /** The ARNs of the graph's roles of this kind, found through the resources that use them. */
  roles(g: PreviewGraph): string[];
  checks(g: PreviewGraph, role: string, account: string): RoleChecks;
}

const c = (action: string, resource: string, why: string, extra: Partial<Check> = {}): Check => ({
  action,
  resource,
  why,
  ...extra,
});
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
const defsOf = (g: PreviewGraph, key: "executionRoleArn" | "taskRoleArn", role: string) =>
  f.taskDefs(g).filter((t) => t[key] === role);
const secretArns = (g: PreviewGraph) => f.arnsOf(g, "aws:secretsmanager/secret:Secret");

const execution: Row = {
  id: "ECS execution role",
  service: "ecs-tasks.amazonaws.com",
  roles: (g) => uniq(f.taskDefs(g).flatMap((t) => (t.executionRoleArn ? [t.executionRoleArn] : []))),
  checks(g, role, account) {
    const cs = defsOf(g, "executionRoleArn", role).flatMap((t) => t.containers);
    const secrets = uniq(cs.flatMap((x) => (x.secrets ?? []).map((s) => f.secretArnOf(s.valueFrom))));
    const groups = uniq(cs.flatMap((x) => x.logConfiguration?.options?.["awslogs-group"] ?? []));
    const repos = uniq(cs.flatMap((x) => f.repositoryArnOf(g, x.image) ?? []));
    const allow = [
      ...secrets.map((s) => c("secretsmanager:GetSecretValue", s, "a secret its task definitions reference")),
      ...groups.flatMap((n) => [
        c("logs:CreateLogStream", `${f.logGroupArn(g, n)}:log-stream:api/x`, `awslogs stream in ${n}`),
        c("logs:PutLogEvents", `${f.logGroupArn(g, n)}:log-stream:api/x`, `awslogs events to ${n}`),
      ]),
      ...repos.flatMap((r) => [
        c("ecr:BatchGetImage", r, "pull the image"),
        c("ecr:GetDownloadUrlForLayer", r, "pull the image layers"),
      ]),
      ...(repos.length > 0 ? [c("ecr:GetAuthorizationToken", "*", "registry login (unscopable)")] : []),
      ...f.secretKeyDecrypts(g, secrets).map((x) => ({ ...x, why: "decrypt a referenced secret's key" })),
    ];
    const others = secretArns(g).filter((s) => !secrets.includes(s));
    const deny = [
      ...others.map((s) =>
        c("secretsmanager:GetSecretValue", s, "a secret no task definition of it references"),
      ),
      c(
        "secretsmanager:GetSecretValue",
        `arn:aws:secretsmanager:${f.region(g)}:${account}:secret:other-Ab12Cd`,
        "any other secret",
      ),
      ...secrets.map((s) => c("secretsmanager:PutSecretValue", s, "write a referenced secret")),
      ...repos.flatMap((r) => [
        c("ecr:PutImage", r, "push to its repository"),
        c("ecr:BatchGetImage", r.replace(/repository\/.*$/, "repository/other"), "pull another repository"),
      ]),
      ...groups.map((n) => c("logs:DeleteLogGroup", f.logGroupArn(g, n), "delete its log group")),
      ...f
        .arnsOf(g, "aws:cloudwatch/logGroup:LogGroup")
        .filter((a) => !groups.some((n) => f.logGroupArn(g, n) === a))
        .map((a) => c("logs:PutLogEvents", `${a}:log-stream:x`, "write another log group")),
    ];
    return { allow, deny, sourceArn: `arn:aws:ecs:${f.region(g)}:${account}:task/cluster/0123456789abcdef` };
  },
};

const task: Row = {
  id: "ECS task role (the app)",
  service: "ecs-tasks.amazonaws.com",
  roles: (g) => uniq(f.taskDefs(g).flatMap((t) => (t.taskRoleArn ? [t.taskRoleArn] : []))),
  checks(g, role, account) {
    const cs = defsOf(g, "taskRoleArn", role).flatMap((t) => t.containers);
    const allow: Check[] = [];
    const deny: Check[] = [];
    for (const x of cs.filter((x) => f.envOf(x, "STORAGE_BACKEND") === "s3")) {
      const bucket = f.envOf(x, "STORAGE_BUCKET")!;
      const prefix = f.envOf(x, "STORAGE_PREFIX") ?? "";
      const resourcePolicy = f.bucketPolicy(g, bucket);
      const obj = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
      const rp = resourcePolicy ? { resourcePolicy } : {};
      allow.push(
        c("s3:PutObject", obj(`${prefix}/a.webp`), "upload an image under STORAGE_PREFIX", rp),
        c("s3:DeleteObject", obj(`${prefix}/a.webp`), "roll back a failed upload", rp),
      );
      deny.push(
        c("s3:PutObject", obj("index.html"), "overwrite the static site outside the prefix", rp),
        c("s3:PutObject", obj(`${prefix}-other/a.webp`), "a sibling prefix", rp),
        c("s3:GetObject", obj("index.html"), "read outside the prefix", rp),
        c("s3:ListBucket", `arn:aws:s3:::${bucket}`, "list the bucket", rp),
        c("s3:PutBucketPolicy", `arn:aws:s3:::${bucket}`, "change the bucket policy", rp),
        c("s3:DeleteObjectVersion", obj(`${prefix}/a.webp`), "erase object history", rp),
        c("s3:PutObject", obj(`${prefix}/a.webp`), "upload over plain HTTP", {
          ...rp,
          context: { "aws:SecureTransport": "false" },
        }),
        c("s3:PutObject", `arn:aws:s3:::another-bucket/${prefix}/a.webp`, "another bucket's prefix"),
      );
    }
    const otel = cs.find((x) => /aws-otel-collector/.test(x.image));
    if (otel) {
      const cfg = JSON.parse(f.envOf(otel, "AOT_CONFIG_CONTENT") ?? "{}") as {
        exporters?: { awsemf?: { namespace?: string; log_group_name?: string } };
      };
      const ns = cfg.exporters?.awsemf?.namespace ?? "";
      const lg = f.logGroupArn(g, cfg.exporters?.awsemf?.log_group_name ?? "");
      allow.push(
        c("xray:PutTraceSegments", "*", "the collector's traces (unscopable)"),
        c("xray:GetSamplingRules", "*", "the collector's sampling (unscopable)"),
        c("cloudwatch:PutMetricData", "*", `EMF metrics in ${ns}`, {
          context: { "cloudwatch:namespace": ns },
        }),
        c("logs:PutLogEvents", `${lg}:log-stream:otel-metrics/1`, "EMF log events"),
      );
      deny.push(
        c("cloudwatch:PutMetricData", "*", "another namespace", {
          context: { "cloudwatch:namespace": "AWS/EC2" },
        }),
        c("logs:DeleteLogGroup", lg, "delete the log group"),
      );
    }
    deny.push(
      ...secretArns(g).map((s) =>
        c("secretsmanager:GetSecretValue", s, "secrets reach the app only by injection"),
      ),
      c("ecs:RunTask", `arn:aws:ecs:${f.region(g)}:${account}:task-definition/x:1`, "start tasks"),
      c("ssmmessages:CreateControlChannel", "*", "ECS Exec is off"),
    );
    return { allow, deny, sourceArn: `arn:aws:ecs:${f.region(g)}:${account}:task/cluster/0123456789abcdef` };
  },
};

const scheduler: Row = {
  id: "EventBridge Scheduler role (scheduled job)",
  service: "scheduler.amazonaws.com",
  roles: (g) =>
    uniq(
      ofType(g, "aws:scheduler/schedule:Schedule").map(
        (s) => (s.inputs.target as { roleArn: string }).roleArn,
      ),
    ),
  checks(g, role) {
    const s = ofType(g, "aws:scheduler/schedule:Schedule").find(
      (x) => (x.inputs.target as { roleArn: string }).roleArn === role,
    )!;
    const t = s.inputs.target as {
      arn: string;
      ecsParameters: { taskDefinitionArn: string };
      deadLetterConfig?: { arn?: string };
    };
    const def = f.taskDefs(g).find((d) => d.arn === t.ecsParameters.taskDefinitionArn);
    if (!def) throw new Error(`${s.name}: its task definition is not in the graph`);
    const cluster = { "ecs:cluster": t.arn };
    const passed = { "iam:PassedToService": "ecs-tasks.amazonaws.com" };
    const taskArn = t.arn.replace(":cluster/", ":task/") + "/0123456789abcdef";
    const roles = [def.taskRoleArn, def.executionRoleArn].filter((x): x is string => !!x);
    const others = f
      .taskDefs(g)
      .filter((d) => d.arn.split(":").slice(0, -1).join(":") !== def.arn.split(":").slice(0, -1).join(":"));
    return {
      allow: [
        c("ecs:RunTask", def.arn, "run the job's task definition on its cluster", { context: cluster }),
        c("ecs:TagResource", taskArn, "tag the task it starts", {
          context: { "ecs:CreateAction": "RunTask" },
        }),
        ...roles.map((r) => c("iam:PassRole", r, "hand the task its roles", { context: passed })),
        ...(t.deadLetterConfig?.arn ? [c("sqs:SendMessage", t.deadLetterConfig.arn, "dead letters")] : []),
      ],
      deny: [
        c("ecs:RunTask", def.arn, "on another cluster", {
          context: { "ecs:cluster": t.arn.replace(/cluster\/.*/, "cluster/other") },
        }),
        ...others.map((d) =>
          c("ecs:RunTask", d.arn, `another task definition (${d.name})`, { context: cluster }),
        ),
        ...roles.map((r) =>
          c("iam:PassRole", r, "pass the task roles to another service", {
            context: { "iam:PassedToService": "lambda.amazonaws.com" },
          }),
        ),
        c("ecs:TagResource", taskArn, "re-tag tasks it did not start", {
          context: { "ecs:CreateAction": "UpdateService" },
        }),
        c("ecs:StopTask", taskArn, "stop tasks", { context: cluster }),
        c("ecs:RegisterTaskDefinition", "*", "register a task definition (another image or role)"),
      ],
      sourceArn: known(s, "arn"),
    };
  },
};

const flowLogs: Row = {
  id: "VPC flow logs delivery role",
  service: "vpc-flow-logs.amazonaws.com",
  roles: (g) => uniq(ofType(g, "aws:ec2/flowLog:FlowLog").map((x) => known(x, "iamRoleArn"))),
  checks(g, role) {
    const fl = ofType(g, "aws:ec2/flowLog:FlowLog").find((x) => known(x, "iamRoleArn") === role)!;
    const dest = known(fl, "logDestination");
    const others = f.arnsOf(g, "aws:cloudwatch/logGroup:LogGroup").filter((a) => a !== dest);
    return {
      allow: [
        c("logs:CreateLogStream", `${dest}:log-stream:eni-1`, "one stream per interface"),
        c("logs:PutLogEvents", `${dest}:log-stream:eni-1`, "deliver records"),
        c("logs:DescribeLogStreams", dest, "find its streams"),
      ],
      deny: [
        ...others.map((a) => c("logs:PutLogEvents", `${a}:log-stream:x`, "write another log group")),
        c("logs:DeleteLogGroup", dest, "delete the flow log group"),
        c("logs:PutRetentionPolicy", dest, "shorten the retention"),
        c("logs:GetLogEvents", `${dest}:log-stream:eni-1`, "read the records back"),
      ],
      sourceArn: known(fl, "arn"),
    };
  },
};

const proxy: Row = {
  id: "RDS Proxy role",
  service: "rds.amazonaws.com",
  roles: (g) => uniq(ofType(g, "aws:rds/proxy:Proxy").map((x) => known(x, "roleArn"))),
  checks(g, role) {
    const p = ofType(g, "aws:rds/proxy:Proxy").find((x) => known(x, "roleArn") === role)!;
    const mine = (p.inputs.auths as { secretArn: string }[]).map((a) => a.secretArn);
    return {
      allow: [
        ...mine.map((s) => c("secretsmanager:GetSecretValue", s, "the credentials it authenticates with")),
        ...f.secretKeyDecrypts(g, mine).map((x) => ({ ...x, why: "decrypt its secret's key" })),
      ],
      deny: [
        ...secretArns(g)
          .filter((s) => !mine.includes(s))
          .map((s) => c("secretsmanager:GetSecretValue", s, "another secret")),
        ...mine.map((s) => c("secretsmanager:PutSecretValue", s, "rewrite the credentials")),
        ...mine.map((s) => c("secretsmanager:DeleteSecret", s, "delete the credentials")),
      ],
      sourceArn: known(p, "arn"),
    };
  },
};

export const ROWS: Row[] = [execution, task, scheduler, flowLogs, proxy];
