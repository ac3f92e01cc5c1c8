/**
 * Violating and clean resources of rules/aws/ec2Instances.ts: IMDSv2 and public IPs on EC2 instances
 * (the NAT instance exception in detail: ../../ec2-nat-instance.test.ts).
 */
import type { Case } from "../case";
import { natInstanceStack } from "../../ec2-stack";

export const AWS_EC2_CASES: Case[] = [
  {
    rule: "aws-ec2-imdsv2",
    bad: { type: "aws:ec2/instance:Instance", props: { instanceType: "t4g.nano" } },
    good: {
      type: "aws:ec2/instance:Instance",
      props: { instanceType: "t4g.nano", metadataOptions: { httpTokens: "required" } },
    },
    says: "IMDSv1 allowed",
  },
  {
    rule: "aws-ec2-no-public-ip",
    bad: { stack: natInstanceStack({ tag: false }) },
    good: { stack: natInstanceStack() },
    says: "meridian-role=nat-instance is missing",
  },
];
