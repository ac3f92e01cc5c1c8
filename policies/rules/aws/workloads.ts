/** Least privilege on AWS, ECS and Lambda: container hardening, no plaintext secrets, a separate task role, no public IP. */
import { resourceRule, stackRule } from "../../lib/rule";
import { judgeEnv, secretReason } from "../../lib/secrets";
import { asArray, parseJson } from "../../lib/util";

const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";

function containers(r: { props: Record<string, unknown> }): Record<string, unknown>[] {
  return asArray(parseJson(r.props.containerDefinitions) as Record<string, unknown>[]);
}

export const ecsContainerHardening = resourceRule({
  id: "aws-ecs-container-hardening",
  description: "ECS containers are not privileged, run with a read-only root filesystem and not as root.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    'Meridian: the service component (components/aws/service.ts) sets `readonlyRootFilesystem: true`, `privileged: false` and the image\'s non-root user. Raw: in `containerDefinitions`, `privileged: false`, `readonlyRootFilesystem: true` (mount a volume for scratch space), `user` not "root"/"0".',
  references: ["CKV_AWS_336", "AWS FSBP ECS.4", "AWS FSBP ECS.5"],
  types: [TASK_DEF],
  check(r, report) {
    for (const c of containers(r)) {
      if (c.privileged === true) report(`container ${c.name} is privileged.`);
      if (c.readonlyRootFilesystem !== true) report(`container ${c.name} has a writable root filesystem.`);
      if (c.user === "root" || c.user === "0" || String(c.user ?? "").startsWith("0:"))
        report(`container ${c.name} runs as root (user ${c.user}).`);
    }
  },
});

export const ecsNoPlaintextSecrets = resourceRule({
  id: "aws-ecs-no-plaintext-secrets",
  description:
    "ECS container environment holds no secret-looking plain values; secrets are injected by reference.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the service component (components/aws/service.ts) passes DATABASE_URL/REDIS_URL and tokens through `secrets` (valueFrom Secrets Manager). Raw: move the variable from `environment` to `secrets: [{ name, valueFrom: secretArn }]`.",
  references: ["AWS FSBP ECS.8"],
  types: [TASK_DEF],
  check(r, report) {
    for (const c of containers(r)) {
      for (const e of asArray(c.environment as Record<string, unknown>[])) {
        const name = String(e.name ?? "");
        const why = secretReason(name, String(e.value ?? ""));
        if (why) report(`container ${c.name}: environment variable ${name} ${why}; use \`secrets\`.`);
      }
    }
  },
});

export const lambdaNoPlaintextSecrets = resourceRule({
  id: "aws-lambda-no-plaintext-secrets",
  description:
    "Lambda function environment variables hold no secret-looking plain values; secrets are read at run time by reference.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian deploys no Lambda functions; raw: store the value in Secrets Manager (or an SSM SecureString), put its ARN or name in `environment.variables` (e.g. `DB_SECRET_ARN`) and read it at run time (the AWS Parameters and Secrets Lambda Extension caches it), granting the function's role `secretsmanager:GetSecretValue` on that ARN.",
  references: ["CKV_AWS_45"],
  types: ["aws:lambda/function:Function"],
  check(r, report, ctx) {
    const env = (r.props.environment ?? {}) as Record<string, unknown>;
    const vars = (env.variables ?? {}) as Record<string, unknown>;
    judgeEnv(
      Object.keys(vars).map((name) => ({ where: "environment.variables", name, holder: vars, key: name })),
      report,
      ctx.cannotCheck,
      "pass a Secrets Manager ARN and read it at run time",
    );
  },
});

export const ecsTaskRoleSeparate = stackRule({
  id: "aws-ecs-task-role-separate",
  description: "ECS task definitions use a task role distinct from the execution role.",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the service component (components/aws/service.ts) creates two roles (execution: pull image, read secrets; task: what the app calls). Raw: set `taskRoleArn` and `executionRoleArn` to different roles.",
  references: [],
  types: [TASK_DEF],
  check(r, report) {
    if (!("taskRoleArn" in r.props)) return; // no AWS API access for the app: nothing to separate
    const dep = (k: string) =>
      (r.propertyDependencies[k] ?? []).filter((d) => d.type === "aws:iam/role:Role");
    const t = dep("taskRoleArn");
    const e = dep("executionRoleArn");
    const same =
      t.length && e.length
        ? t.some((x) => e.some((y) => y.urn === x.urn))
        : r.props.taskRoleArn === r.props.executionRoleArn;
    if (same) report("taskRoleArn and executionRoleArn are the same role.");
  },
});

export const ecsNoPublicIp = resourceRule({
  id: "aws-ecs-no-public-ip",
  description: "ECS services do not assign public IPs to tasks.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the service component (components/aws/service.ts) runs tasks in private subnets behind the load balancer. Raw: `networkConfiguration.assignPublicIp: false` with private subnets.",
  references: ["CKV_AWS_333", "AWS FSBP ECS.2"],
  types: ["aws:ecs/service:Service"],
  check(r, report) {
    if ((r.props.networkConfiguration as Record<string, unknown> | undefined)?.assignPublicIp === true)
      report("networkConfiguration.assignPublicIp is true.");
  },
});
