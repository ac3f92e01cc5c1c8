/**
 * Violating and clean resources of rules/aws/operations.ts: encryption at rest, backups, deletion
 * protection, tags, log retention, descriptions, ECR, dashboards, WAF.
 */
import type { Case } from "../case";
import { UNKNOWN } from "../../harness";
import { tags } from "../builders";

export const AWS_OPERATIONS_CASES: Case[] = [
  {
    rule: "aws-rds-encrypted",
    bad: { type: "aws:rds/cluster:Cluster", props: { engine: "aurora-postgresql" } },
    good: { type: "aws:rds/cluster:Cluster", props: { engine: "aurora-postgresql", storageEncrypted: true } },
  },
  {
    rule: "aws-ebs-encrypted",
    bad: { type: "aws:ebs/volume:Volume", props: { size: 10 } },
    good: { type: "aws:ebs/volume:Volume", props: { size: 10, encrypted: true } },
  },
  {
    rule: "aws-rds-backups",
    bad: { type: "aws:rds/instance:Instance", props: { backupRetentionPeriod: 1 } },
    good: { type: "aws:rds/instance:Instance", props: { backupRetentionPeriod: 14 } },
  },
  {
    rule: "aws-rds-deletion-protection",
    bad: { type: "aws:rds/instance:Instance", props: {} },
    good: { type: "aws:rds/instance:Instance", props: { deletionProtection: true } },
  },
  {
    rule: "aws-required-tags",
    bad: { type: "aws:ec2/vpc:Vpc", props: { tags: { app: "a" } } },
    good: { type: "aws:ec2/vpc:Vpc", props: { tags } },
    says: "owner",
  },
  {
    rule: "aws-log-retention",
    bad: { type: "aws:cloudwatch/logGroup:LogGroup", props: { retentionInDays: 7 } },
    good: { type: "aws:cloudwatch/logGroup:LogGroup", props: { retentionInDays: 30 } },
  },
  {
    rule: "aws-ascii-descriptions",
    bad: { type: "aws:ec2/securityGroup:SecurityGroup", props: { description: "Base de données – accès" } },
    good: {
      type: "aws:ec2/securityGroup:SecurityGroup",
      props: { description: "Database access (PostgreSQL)" },
    },
  },
  {
    rule: "aws-ecr-scan-immutable",
    bad: { type: "aws:ecr/repository:Repository", props: { imageTagMutability: "MUTABLE" } },
    good: {
      type: "aws:ecr/repository:Repository",
      props: { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } },
    },
  },
  {
    rule: "aws-dashboard-widgets",
    bad: {
      type: "aws:cloudwatch/dashboard:Dashboard",
      props: {
        dashboardBody: JSON.stringify({ widgets: [{ type: "metric", properties: { metrics: [] } }] }),
      },
    },
    good: {
      type: "aws:cloudwatch/dashboard:Dashboard",
      props: {
        dashboardBody: JSON.stringify({
          widgets: [
            {
              type: "metric",
              properties: {
                metrics: [["AWS/ECS", "CPUUtilization"]],
                region: "us-east-1",
                view: "timeSeries",
                period: 60,
              },
            },
          ],
        }),
      },
    },
  },
  {
    rule: "aws-waf-public-entry",
    bad: { stack: [{ type: "aws:lb/loadBalancer:LoadBalancer", name: "lb", props: { internal: false } }] },
    good: {
      stack: [
        { type: "aws:lb/loadBalancer:LoadBalancer", name: "lb", props: { internal: false } },
        {
          type: "aws:wafv2/webAclAssociation:WebAclAssociation",
          name: "a",
          props: { resourceArn: UNKNOWN },
          deps: { resourceArn: ["lb"] },
        },
      ],
    },
  },
];
