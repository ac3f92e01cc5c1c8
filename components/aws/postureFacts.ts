/**
 * The AWS stack's posture facts beyond what each component reports on its own: encryption at rest per data
 * store with the kind of key, TLS on every hop of the request path as versions and policies, the backups
 * of every data store, and the facts only a real deployment can confirm. Pure: built from the resolved
 * settings stacks/aws.ts passes in, tested without mocks (postureFacts.test.ts).
 *
 * Key kinds (AWS KMS Developer Guide, "AWS KMS keys", read 2026-11-30): `aws-managed` is an `aws/<service>`
 * key in the account (RDS, Secrets Manager, ElastiCache, ECR with KMS); `aws-owned` is a key the service
 * owns and the account cannot see (CloudWatch Logs without `kmsKeyId`, ElastiCache without `kmsKeyId`);
 * `sse-s3` is S3's own keys (AES256); `customer-managed` is a KMS key this stack creates or is given.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BackupFact, EncryptionFact, TlsHopFact } from "../shared/contracts";

type In<T> = pulumi.Input<T>;

export interface AwsPostureInput {
  database: { name: string; kmsKeyArn?: In<string>; backupRetentionDays: number; proxy: boolean };
  /** The cache; absent when the stack builds none (`meridian:cacheEnabled=false`): no cache fact then. */
  cache?: { name: string; kmsKeyArn?: In<string>; snapshotRetentionDays: number };
  assetsBucket: { name: string; kmsKeyArn?: In<string>; noncurrentVersionDays: number };
  albLogsBucket: { name: string; retentionDays: number };
  /** Secrets Manager secrets: all use the default `aws/secretsmanager` key unless given one. */
  secretsKmsKeyArn?: In<string>;
  /** CloudWatch log groups by name, with the key when one is set. */
  logGroups: { name: string; kmsKeyArn?: In<string> }[];
  /** The alarm topic's key: created by the observability component or given; customer managed either way. */
  alarmTopic: { name: string };
  /** ECR repository encryption. */
  registry: { name: string; encryption: "AES256" | "KMS"; kmsKeyArn?: In<string> };
  /** The AWS Backup vault, when there is one. */
  backupVault?: { name: string; keyArn?: In<string>; retentionDays: number };
  /** The viewer-facing TLS: CloudFront's security policy. */
  viewer: { securityPolicy: string };
  /** CloudFront to the API origin. */
  origin: { protocol: "https-only" | "http-only"; sslProtocols: string[]; albPolicy?: string };
  /** The ALB's target group protocol to the tasks. */
  lbToTask: "HTTP" | "HTTPS";
  /** PostgreSQL's `ssl_min_protocol_version` and whether the connection verifies the server. */
  databaseTls: { minVersion: string; clientVerification: string };
}

/** The lowest version of a CloudFront security policy: `TLSv1.2_2021` -> `TLSv1.2`, `TLSv1` -> `TLSv1`. */
export const minOfCloudFrontPolicy = (policy: string): string => /^TLSv1(\.\d)?/.exec(policy)?.[0] ?? policy;

/** Encryption at rest of every data store the AWS stack creates. */
export function encryptionFacts(p: AwsPostureInput): EncryptionFact[] {
  const kms = (
    store: string,
    keyArn: In<string> | undefined,
    otherwise: EncryptionFact["key"],
  ): EncryptionFact =>
    keyArn === undefined
      ? { store, encrypted: true, key: otherwise }
      : { store, encrypted: true, key: "customer-managed", keyArn };
  return [
    kms(`rds:${p.database.name}`, p.database.kmsKeyArn, "aws-managed"),
    ...(p.cache ? [kms(`elasticache:${p.cache.name}`, p.cache.kmsKeyArn, "aws-owned")] : []),
    kms(`s3:${p.assetsBucket.name}`, p.assetsBucket.kmsKeyArn, "sse-s3"),
    { store: `s3:${p.albLogsBucket.name}`, encrypted: true, key: "sse-s3" },
    kms("secretsmanager:*", p.secretsKmsKeyArn, "aws-managed"),
    ...p.logGroups.map((g) => kms(`logs:${g.name}`, g.kmsKeyArn, "aws-owned")),
    { store: `sns:${p.alarmTopic.name}`, encrypted: true, key: "customer-managed" },
    p.registry.encryption === "KMS"
      ? kms(`ecr:${p.registry.name}`, p.registry.kmsKeyArn, "aws-managed")
      : { store: `ecr:${p.registry.name}`, encrypted: true, key: "sse-s3" },
    ...(p.backupVault
      ? [kms(`backup-vault:${p.backupVault.name}`, p.backupVault.keyArn, "aws-managed")]
      : []),
  ];
}

/** TLS on each hop: viewer -> CloudFront -> ALB -> task -> database / cache. */
export function tlsHopFacts(p: AwsPostureInput): TlsHopFact[] {
  const https = p.origin.protocol === "https-only";
  return [
    {
      hop: "viewer",
      protocol: "https",
      minVersion: minOfCloudFrontPolicy(p.viewer.securityPolicy),
      policy: `CloudFront ${p.viewer.securityPolicy}; HTTP redirected to HTTPS`,
    },
    https
      ? {
          hop: "cdn-to-origin",
          protocol: "https",
          minVersion: p.origin.sslProtocols[0] ?? null,
          policy: `CloudFront originSslProtocols ${p.origin.sslProtocols.join(",")}; ALB ${p.origin.albPolicy ?? "?"}`,
        }
      : {
          hop: "cdn-to-origin",
          protocol: "http",
          minVersion: null,
          note: "no domain: CloudFront reaches the ALB over HTTP on the internet, admitted only from CloudFront's prefix list with a secret header (waived in policies/config/dev.json)",
        },
    {
      hop: "lb-to-task",
      protocol: p.lbToTask === "HTTPS" ? "https" : "http",
      minVersion: null,
      note: "inside the VPC: the ALB's security group to the tasks' group on the container port only",
    },
    {
      hop: "app-to-database",
      protocol: "tls",
      minVersion: p.databaseTls.minVersion,
      policy: `rds.force_ssl=1, ssl_min_protocol_version=${p.databaseTls.minVersion}; client sslmode ${p.databaseTls.clientVerification}${p.database.proxy ? "; RDS Proxy requireTls" : ""}`,
    },
    ...(p.cache
      ? [
          {
            hop: "app-to-cache",
            protocol: "tls",
            minVersion: "TLSv1.2",
            policy:
              "ElastiCache transitEncryptionEnabled (required mode); the version floor is set by AWS, not configurable",
          } satisfies TlsHopFact,
        ]
      : []),
  ];
}

/** Backups of every data store. */
export function backupFacts(p: AwsPostureInput): BackupFact[] {
  return [
    {
      store: `rds:${p.database.name}`,
      kind: "automated-snapshots+pitr",
      retentionDays: p.database.backupRetentionDays,
    },
    ...(p.backupVault
      ? [
          {
            store: `rds:${p.database.name}`,
            kind: "backup-vault",
            retentionDays: p.backupVault.retentionDays,
            note: `daily recovery points in ${p.backupVault.name}`,
          },
        ]
      : []),
    ...(p.cache
      ? [
          {
            store: `elasticache:${p.cache.name}`,
            kind: p.cache.snapshotRetentionDays > 0 ? "snapshots" : "none",
            retentionDays: p.cache.snapshotRetentionDays,
            note:
              p.cache.snapshotRetentionDays > 0
                ? "daily automatic snapshots"
                : "cache only: rebuilt from the database",
          },
        ]
      : []),
    {
      store: `s3:${p.assetsBucket.name}`,
      kind: "object-versioning",
      retentionDays: p.assetsBucket.noncurrentVersionDays,
      note: "overwritten or deleted objects kept as noncurrent versions for this many days",
    },
    {
      store: `s3:${p.albLogsBucket.name}`,
      kind: "object-versioning",
      retentionDays: 7,
      note: `logs expire after ${p.albLogsBucket.retentionDays} days; noncurrent versions 7 days later`,
    },
  ];
}

/**
 * What only a deployed stack can confirm: the preview knows what the stack asks for, not what AWS did
 * with it, nor settings outside the stack.
 */
export function confirmOnDeploymentFacts(p: {
  backupVault: boolean;
  accountBaseline: boolean;
  /** The stack has a cache (the ElastiCache TLS line). @default true */
  cache?: boolean;
}): string[] {
  return [
    "Encryption keys in use: `aws rds describe-db-instances` KmsKeyId, `aws s3api get-bucket-encryption`, `aws secretsmanager describe-secret` KmsKeyId (defaults resolve to aws/<service> keys only in the account).",
    "The negotiated TLS versions: CloudFront and ALB security policies are set here, the versions clients actually use are in the CloudFront and ALB access logs (ssl_protocol field).",
    ...(p.cache === false
      ? []
      : [
          "ElastiCache's minimum TLS version is chosen by AWS (not a setting): confirm with `openssl s_client -tls1_1` from a task.",
        ]),
    "Backups exist and restore: `aws backup list-recovery-points-by-backup-vault`, RDS automated backups (`aws rds describe-db-instance-automated-backups`)" +
      (p.backupVault ? ", and the restore test results (docs/runbooks/restore-test.md)." : "."),
    "Resource policies as AWS stores them (`aws s3api get-bucket-policy`, `aws kms get-key-policy`): nothing outside the stack changed them (drift: `pulumi refresh --preview-only`).",
    "Account-wide settings outside this stack: S3 Block Public Access at the account level, EBS default encryption, IAM password policy, root MFA" +
      (p.accountBaseline
        ? "."
        : "; CloudTrail, GuardDuty and AWS Config exist only if created elsewhere (meridian:accountBaseline is off)."),
  ];
}
