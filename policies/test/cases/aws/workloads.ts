/**
 * Violating and clean resources of rules/aws/workloads.ts: ECS container hardening and roles, plaintext
 * secrets in ECS and Lambda, public IPs.
 */
import type { Case } from "../case";
import { UNKNOWN } from "../../harness";
import { td } from "../builders";

export const AWS_WORKLOAD_CASES: Case[] = [
  {
    rule: "aws-ecs-container-hardening",
    bad: {
      type: "aws:ecs/taskDefinition:TaskDefinition",
      props: td({ privileged: true, readonlyRootFilesystem: false }),
    },
    good: { type: "aws:ecs/taskDefinition:TaskDefinition", props: td({ user: "1000" }) },
  },
  {
    rule: "aws-ecs-no-plaintext-secrets",
    bad: {
      type: "aws:ecs/taskDefinition:TaskDefinition",
      props: td({ environment: [{ name: "DB_PASSWORD", value: "hunter2" }] }),
    },
    good: {
      type: "aws:ecs/taskDefinition:TaskDefinition",
      props: td({
        environment: [{ name: "PORT", value: "8080" }],
        secrets: [{ name: "DB_PASSWORD", valueFrom: "arn" }],
      }),
    },
  },
  {
    rule: "aws-ecs-task-role-separate",
    bad: {
      stack: [
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "t",
          props: td({}, { taskRoleArn: "arn:role/x", executionRoleArn: "arn:role/x" }),
        },
      ],
    },
    good: {
      stack: [
        { type: "aws:iam/role:Role", name: "task", props: {} },
        { type: "aws:iam/role:Role", name: "exec", props: {} },
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "t",
          props: td({}, { taskRoleArn: UNKNOWN, executionRoleArn: UNKNOWN }),
          deps: { taskRoleArn: ["task"], executionRoleArn: ["exec"] },
        },
      ],
    },
  },
  {
    rule: "aws-ecs-no-public-ip",
    bad: { type: "aws:ecs/service:Service", props: { networkConfiguration: { assignPublicIp: true } } },
    good: { type: "aws:ecs/service:Service", props: { networkConfiguration: { assignPublicIp: false } } },
  },
  {
    rule: "aws-lambda-no-plaintext-secrets",
    bad: {
      type: "aws:lambda/function:Function",
      props: { environment: { variables: { DB_PASSWORD: "hunter2" } } },
    },
    good: {
      type: "aws:lambda/function:Function",
      props: {
        environment: { variables: { DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf" } },
      },
    },
    says: "DB_PASSWORD",
  },
];
