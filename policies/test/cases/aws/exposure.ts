/**
 * Violating and clean resources of rules/aws/exposure.ts: public ingress, public RDS, S3 public access
 * block.
 */
import type { Case } from "../case";
import { UNKNOWN } from "../../harness";
import { bucket } from "../builders";

export const AWS_EXPOSURE_CASES: Case[] = [
  {
    rule: "aws-sg-no-public-ingress",
    bad: {
      stack: [
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "web", props: {} },
        {
          type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
          name: "r",
          props: { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443, ipProtocol: "tcp" },
          deps: { securityGroupId: ["web"] },
        },
      ],
    },
    good: {
      stack: [
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "web", props: {} },
        {
          type: "aws:lb/loadBalancer:LoadBalancer",
          name: "lb",
          props: { securityGroups: [UNKNOWN] },
          deps: { securityGroups: ["web"] },
        },
        {
          type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
          name: "r",
          props: { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443, ipProtocol: "tcp" },
          deps: { securityGroupId: ["web"] },
        },
      ],
    },
    says: "load balancer",
  },
  {
    rule: "aws-sg-no-public-ingress",
    bad: {
      stack: [
        {
          type: "aws:ec2/securityGroup:SecurityGroup",
          name: "db",
          props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "aws:ec2/securityGroup:SecurityGroup",
          name: "db",
          props: {
            ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] }],
          },
        },
      ],
    },
    says: "all ports",
  },
  {
    rule: "aws-rds-not-public",
    bad: { type: "aws:rds/instance:Instance", props: { publiclyAccessible: true } },
    good: { type: "aws:rds/instance:Instance", props: { publiclyAccessible: false } },
  },
  {
    rule: "aws-s3-public-access-block",
    bad: { stack: [bucket()] },
    good: {
      stack: [
        bucket(),
        {
          type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
          name: "pab",
          props: {
            bucket: UNKNOWN,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          },
          deps: { bucket: ["b"] },
        },
      ],
    },
  },
];
