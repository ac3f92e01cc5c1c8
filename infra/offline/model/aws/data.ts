/** Offline AWS models: RDS (instances, proxies, groups), ElastiCache, S3 buckets and their configuration resources, AWS Backup, SQS. */
import { alnumUpper, autoName, hex, str, uuid } from "../context";
import { bucketSub, type Computed, type Model, s3Bucket, zoneId } from "./shared";

export const DATA_MODELS: Record<string, Model> = {
  "aws:s3/bucket:Bucket": s3Bucket,
  "aws:s3/bucketV2:BucketV2": s3Bucket,
  "aws:s3/bucketPolicy:BucketPolicy": (call) => ({ id: str(call.inputs, "bucket") ?? call.name, out: {} }),
  "aws:rds/instance:Instance": (call, ctx) => {
    const identifier = str(call.inputs, "identifier") ?? autoName(call, { lowercase: true, maxLength: 63 });
    const address = `${identifier}.c${hex(ctx.seed, 11)}.${ctx.region}.rds.amazonaws.com`;
    const port = typeof call.inputs.port === "number" ? call.inputs.port : 5432;
    const out: Computed = {
      identifier,
      arn: ctx.arn("rds", `db:${identifier}`),
      address,
      endpoint: `${address}:${port}`,
      port,
      resourceId: `db-${alnumUpper(ctx.seed, 26)}`,
      hostedZoneId: "Z2R2ITUGPM61AM",
    };
    if (call.inputs.manageMasterUserPassword === true) {
      out.masterUserSecrets = [
        {
          secretArn: ctx.arn("secretsmanager", `secret:rds!db-${uuid(ctx.seed)}-${alnumUpper(ctx.seed, 6)}`),
          secretStatus: "active",
          kmsKeyId: ctx.arn("kms", `key/${uuid(`${ctx.seed}/kms`)}`),
        },
      ];
    }
    return { id: identifier, out };
  },
  "aws:rds/parameterGroup:ParameterGroup": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true });
    return { id: name, out: { name, arn: ctx.arn("rds", `pg:${name}`) } };
  },
  "aws:rds/subnetGroup:SubnetGroup": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true });
    return { id: name, out: { name, arn: ctx.arn("rds", `subgrp:${name}`) } };
  },
  "aws:rds/proxy:Proxy": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true, maxLength: 60 });
    return {
      id: name,
      out: {
        name,
        arn: ctx.arn("rds", `db-proxy:prx-${hex(ctx.seed, 17)}`),
        endpoint: `${name}.proxy-c${hex(ctx.seed, 11)}.${ctx.region}.rds.amazonaws.com`,
      },
    };
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": (call, ctx) => {
    const id = str(call.inputs, "replicationGroupId") ?? autoName(call, { lowercase: true, maxLength: 40 });
    const host = `${id}.${hex(ctx.seed, 6)}.ng.0001.${zoneId(`${ctx.region}a`).split("-")[0]}.cache.amazonaws.com`;
    return {
      id,
      out: {
        arn: ctx.arn("elasticache", `replicationgroup:${id}`),
        primaryEndpointAddress: `master.${host}`,
        readerEndpointAddress: `replica.${host}`,
        port: typeof call.inputs.port === "number" ? call.inputs.port : 6379,
      },
    };
  },
  "aws:elasticache/subnetGroup:SubnetGroup": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true });
    return { id: name, out: { name, arn: ctx.arn("elasticache", `subnetgroup:${name}`) } };
  },
  "aws:sqs/queue:Queue": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 80 });
    const url = `https://sqs.${ctx.region}.amazonaws.com/${ctx.account}/${name}`;
    return { id: url, out: { name, url, arn: ctx.arn("sqs", name) } };
  },
  "aws:backup/vault:Vault": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return { id: name, out: { name, arn: ctx.arn("backup", `backup-vault:${name}`), recoveryPoints: 0 } };
  },
  "aws:backup/plan:Plan": (_call, ctx) => {
    const id = uuid(ctx.seed);
    return { id, out: { arn: ctx.arn("backup", `backup-plan:${id}`), version: hex(`${ctx.seed}/v`, 32) } };
  },
  "aws:backup/selection:Selection": (_call, ctx) => ({ id: uuid(ctx.seed), out: {} }),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketSub,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketSub,
  "aws:s3/bucketVersioning:BucketVersioning": bucketSub,
  "aws:s3/bucketVersioningV2:BucketVersioningV2": bucketSub,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketSub,
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": bucketSub,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketSub,
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": bucketSub,
  "aws:s3/bucketLogging:BucketLogging": bucketSub,
  "aws:s3/bucketLoggingV2:BucketLoggingV2": bucketSub,
  "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": (call, ctx) => ({
    id: str(call.inputs, "dbProxyName") ?? call.name,
    out: { name: "default", arn: ctx.arn("rds", `target-group:prx-tg-${hex(ctx.seed, 17)}`) },
  }),
  "aws:rds/proxyTarget:ProxyTarget": (call) => ({
    id: `${str(call.inputs, "dbProxyName") ?? "proxy"},default,RDS_INSTANCE,${str(call.inputs, "dbInstanceIdentifier") ?? call.name}`,
    out: { type: "RDS_INSTANCE" },
  }),
};
