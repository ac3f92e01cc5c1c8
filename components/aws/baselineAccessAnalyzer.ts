/**
 * An IAM Access Analyzer of type ACCOUNT: reports resources in this account (S3 buckets, KMS keys, IAM
 * roles, Secrets Manager secrets, SQS queues, Lambda functions, ...) that a principal outside the account
 * can reach through a resource or trust policy.
 *
 * Cost (aws.amazon.com/iam/access-analyzer/pricing, read 2026-11-30): external access analysis is free;
 * only unused-access analyzers ($0.20 per IAM role or user per month) are charged, and none is created.
 */
import * as aws from "@pulumi/aws";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { BaselineKit } from "./baselineKit";

export function createAccessAnalyzer(kit: BaselineKit): aws.accessanalyzer.Analyzer {
  return new aws.accessanalyzer.Analyzer(
    ...applyTransform(
      kit.t.analyzer,
      `${kit.name}-access-analyzer`,
      {
        analyzerName: physicalName("aws:ecs", kit.name, "access-analyzer"),
        type: "ACCOUNT",
        tags: kit.tagsFor(`${kit.name}-access-analyzer`),
      },
      kit.childOpts(),
    ),
  );
}
