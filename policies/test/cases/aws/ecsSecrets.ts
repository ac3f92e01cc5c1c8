/**
 * Violating and clean resources of rules/aws/ecsSecrets.ts: the execution role can read the secrets a task
 * definition references.
 */
import type { Case } from "../case";
import { doc, td } from "../builders";

export const AWS_ECS_SECRETS_CASES: Case[] = [
  {
    rule: "aws-ecs-execution-role-reads-secrets",
    bad: {
      stack: [
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "t",
          props: td(
            { secrets: [{ name: "DB", valueFrom: "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf" }] },
            { executionRoleArn: "arn:aws:iam::1:role/x" },
          ),
          deps: { executionRoleArn: ["x"] },
        },
        {
          type: "aws:iam/role:Role",
          name: "x",
          props: {
            name: "x",
            managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
          },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "t",
          props: td(
            {
              secrets: [
                { name: "DB", valueFrom: "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf::AWSCURRENT:" },
              ],
            },
            { executionRoleArn: "arn:aws:iam::1:role/x" },
          ),
          deps: { executionRoleArn: ["x"] },
        },
        { type: "aws:iam/role:Role", name: "x", props: { name: "x" } },
        {
          type: "aws:iam/rolePolicy:RolePolicy",
          name: "p",
          props: {
            role: "x",
            policy: doc({
              Effect: "Allow",
              Action: "secretsmanager:GetSecretValue",
              Resource: "arn:aws:secretsmanager:eu-west-1:1:secret:db-*",
            }),
          },
          deps: { role: ["x"] },
        },
      ],
    },
    says: "cannot secretsmanager:GetSecretValue",
  },
];
