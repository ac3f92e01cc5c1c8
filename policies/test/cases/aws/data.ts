/**
 * Violating and clean resources of rules/aws/elasticache.ts, rdsEngine.ts and s3Versioning.ts: ElastiCache
 * at rest and AUTH, RDS engine versions, S3 versioning.
 */
import type { Case } from "../case";
import { secret } from "../../harness";
import { bucket } from "../builders";

export const AWS_DATA_CASES: Case[] = [
  {
    rule: "aws-elasticache-encrypted-at-rest",
    bad: {
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      props: { atRestEncryptionEnabled: false },
    },
    good: {
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      props: { atRestEncryptionEnabled: true },
    },
  },
  {
    rule: "aws-rds-engine-version",
    bad: {
      stack: [
        {
          type: "aws:rds/instance:Instance",
          name: "db",
          props: { engine: "postgres", engineVersion: "16.5" },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "aws:rds/instance:Instance",
          name: "db",
          props: { engine: "postgres", engineVersion: "16.11" },
        },
      ],
    },
    says: "16.5 accepts no new instances",
  },
  {
    rule: "aws-elasticache-auth",
    bad: {
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      props: { engine: "redis", transitEncryptionEnabled: true },
    },
    good: {
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      props: { engine: "redis", transitEncryptionEnabled: true, authToken: secret("x".repeat(32)) },
    },
  },
  {
    rule: "aws-s3-versioning",
    bad: { stack: [bucket()] },
    good: {
      stack: [
        bucket(),
        {
          type: "aws:s3/bucketVersioningV2:BucketVersioningV2",
          name: "v",
          props: { bucket: "b", versioningConfiguration: { status: "Enabled" } },
          deps: { bucket: ["b"] },
        },
      ],
    },
  },
];
