/** Small builders of rule inputs shared by the case tables (and ../unknown-values.test.ts). */
import type { StackInput } from "../harness";

/** The tags (AWS) / labels (GCP) the tagging rules require. */
export const tags = { app: "a", environment: "test", owner: "o", "cost-center": "c", "managed-by": "pulumi" };

/** An IAM policy document (JSON) with these statements. */
export const doc = (...st: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: st });

/** ECS task definition inputs: one hardened container `api` with `c` merged in, and `extra` task fields. */
export const td = (c: object, extra: object = {}) => ({
  containerDefinitions: JSON.stringify([
    { name: "api", image: "repo/api@sha256:" + "a".repeat(64), readonlyRootFilesystem: true, ...c },
  ]),
  ...extra,
});

/** An S3 bucket resource of a stack input, named `name`. */
export const bucket = (name = "b"): StackInput => ({
  type: "aws:s3/bucketV2:BucketV2",
  name,
  props: { bucket: name },
});

/** Cloud SQL instance inputs: PostgreSQL 16 with backups and PITR, `ip` as the IP configuration. */
export const sql = (ip: object, extra: object = {}) => ({
  databaseVersion: "POSTGRES_16",
  settings: { ipConfiguration: ip, backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true } },
  ...extra,
});
