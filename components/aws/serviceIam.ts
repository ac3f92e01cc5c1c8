/**
 * The two IAM roles of the AWS service, distinct and least-privilege: the execution role (the ECS agent:
 * write the service's log group, pull from its ECR repository, read exactly the referenced secrets) and the
 * task role (the app: the caller's statements, plus X-Ray and namespace-scoped PutMetricData for the
 * collector and the ssmmessages channels for ECS Exec when enabled). Both trust only ECS tasks of this
 * account (`aws:SourceAccount`, `aws:SourceArn`).
 *
 * The statements are pure data ({@link executionStatements}, {@link taskStatements}); the roles are made
 * by `createServiceRole` (iam.ts). Tested in serviceIam.mock.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { createServiceRole, type CreatedRole, Statement } from "./iam";
import type { AwsEnvironment } from "./environment";
import { OTEL_METRICS_NAMESPACE } from "./otelCollector";
import { secretResourceArn } from "./containers";
import type { ServiceArgs } from "./serviceArgs";
import type { ServiceKit, ServiceSettings } from "./serviceSettings";

/** The execution role and the task role of a service. */
export interface ServiceRoles {
  execution: CreatedRole;
  task: CreatedRole;
}

/**
 * Creates the execution role, then the task role (in that order), each with its inline policy, trusted by
 * `ecs-tasks.amazonaws.com` from this account only. `logGroupArn` is the service's log group.
 */
export function createServiceRoles(
  kit: ServiceKit,
  env: AwsEnvironment,
  logGroupArn: pulumi.Output<string>,
  args: Pick<ServiceArgs, "repositoryArn" | "secretsKmsKeyArns">,
): ServiceRoles {
  const name = kit.name;
  const ecsSourceArn = pulumi.interpolate`arn:${env.partition}:ecs:${env.region}:${env.account}:*`;
  const execution = createServiceRole(
    {
      name: `${name}-execution-role`,
      service: "ecs-tasks.amazonaws.com",
      description: `ECS agent for ${name}: pulls the image, reads the referenced secrets, writes logs`,
      account: env.account,
      sourceArn: ecsSourceArn,
      statements: executionStatements(kit.s, logGroupArn, args),
      tags: kit.tagsFor(`${name}-execution-role`),
      transform: { role: kit.t.executionRole, policy: kit.t.executionRolePolicy },
    },
    kit.childOpts(),
  );
  const task = createServiceRole(
    {
      name: `${name}-task-role`,
      service: "ecs-tasks.amazonaws.com",
      description: `The ${name} application (task role)`,
      account: env.account,
      sourceArn: ecsSourceArn,
      statements: taskStatements(kit.s, logGroupArn),
      tags: kit.tagsFor(`${name}-task-role`),
      transform: { role: kit.t.taskRole, policy: kit.t.taskRolePolicy },
    },
    kit.childOpts(),
  );
  return { execution, task };
}

/** Execution role: write its own log group, pull from its repository, read exactly the referenced secrets. */
export function executionStatements(
  s: ServiceSettings,
  logGroupArn: pulumi.Output<string>,
  args: Pick<ServiceArgs, "repositoryArn" | "secretsKmsKeyArns">,
): Statement[] {
  const statements: Statement[] = [
    {
      sid: "WriteOwnLogGroup",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [logGroupArn, pulumi.interpolate`${logGroupArn}:log-stream:*`],
    },
  ];
  if (args.repositoryArn !== undefined) {
    statements.push(
      {
        sid: "PullFromRepository",
        actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        resources: [args.repositoryArn],
      },
      // The registry login token is account-wide: AWS does not allow scoping it.
      { sid: "RegistryLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
    );
  }
  const secretArns = Object.values(s.secrets).map((v) => pulumi.output(v).apply(secretResourceArn));
  if (secretArns.length > 0) {
    statements.push({
      sid: "ReadReferencedSecrets",
      actions: ["secretsmanager:GetSecretValue"],
      resources: secretArns,
    });
  }
  if (args.secretsKmsKeyArns && args.secretsKmsKeyArns.length > 0) {
    statements.push({
      sid: "DecryptReferencedSecrets",
      actions: ["kms:Decrypt"],
      resources: [...args.secretsKmsKeyArns],
    });
  }
  return statements;
}

/** Task role: the caller's statements, plus the collector's and ECS Exec's when enabled. */
export function taskStatements(s: ServiceSettings, logGroupArn: pulumi.Output<string>): Statement[] {
  const statements: Statement[] = [...s.taskPolicyStatements];
  if (s.otelCollector) {
    statements.push(
      {
        sid: "XRayIngestAndSampling",
        actions: [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          "xray:GetSamplingStatisticSummaries",
        ],
        resources: ["*"],
      },
      {
        sid: "PutMetricsInOwnNamespace",
        actions: ["cloudwatch:PutMetricData"],
        resources: ["*"],
        condition: { StringEquals: { "cloudwatch:namespace": OTEL_METRICS_NAMESPACE } },
      },
      {
        sid: "EmfMetricsToOwnLogGroup",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        resources: [logGroupArn, pulumi.interpolate`${logGroupArn}:log-stream:*`],
      },
    );
  }
  if (s.enableExecuteCommand) {
    statements.push({
      sid: "EcsExecChannels",
      actions: [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ],
      resources: ["*"],
    });
  }
  return statements;
}
