/**
 * Violating and clean resources of rules/aws/iam.ts: wildcard actions and resources, admin policies, trust
 * policy principals.
 */
import type { Case } from "../case";
import { doc } from "../builders";

export const AWS_IAM_CASES: Case[] = [
  {
    rule: "aws-iam-no-wildcard-actions",
    bad: {
      type: "aws:iam/rolePolicy:RolePolicy",
      props: { policy: doc({ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::b/*" }) },
    },
    good: {
      type: "aws:iam/rolePolicy:RolePolicy",
      props: { policy: doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }) },
    },
  },
  {
    rule: "aws-iam-no-wildcard-resources",
    bad: {
      type: "aws:iam/policy:Policy",
      props: { policy: doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }) },
    },
    good: {
      type: "aws:iam/policy:Policy",
      props: {
        policy: doc({
          Effect: "Allow",
          Action: ["ecr:GetAuthorizationToken", "ec2:DescribeSubnets"],
          Resource: "*",
        }),
      },
    },
  },
  {
    rule: "aws-iam-no-admin-policies",
    bad: {
      type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      props: { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    },
    good: {
      type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      props: { policyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" },
    },
  },
  {
    rule: "aws-iam-trust-policy-principal",
    bad: {
      type: "aws:iam/role:Role",
      props: {
        assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }),
      },
    },
    good: {
      type: "aws:iam/role:Role",
      props: {
        assumeRolePolicy: doc({
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
        }),
      },
    },
  },
];
