/**
 * Violating and clean resources of rules/aws/tls.ts: TLS on listeners, CloudFront, RDS, RDS Proxy,
 * ElastiCache in transit, S3.
 */
import type { Case } from "../case";
import { UNKNOWN } from "../../harness";
import { bucket, doc } from "../builders";

const tlsPolicy = doc({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

export const AWS_TLS_CASES: Case[] = [
  {
    rule: "aws-lb-listener-tls",
    bad: {
      type: "aws:lb/listener:Listener",
      props: { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward" }] },
    },
    good: {
      type: "aws:lb/listener:Listener",
      props: {
        protocol: "HTTP",
        port: 80,
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }],
      },
    },
    says: "clear text",
  },
  {
    rule: "aws-lb-listener-tls",
    bad: {
      type: "aws:alb/listener:Listener",
      props: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" },
    },
    good: {
      type: "aws:lb/listener:Listener",
      props: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
    },
    says: "allow-list",
  },
  {
    rule: "aws-cloudfront-tls",
    bad: {
      type: "aws:cloudfront/distribution:Distribution",
      props: {
        defaultCacheBehavior: { viewerProtocolPolicy: "allow-all" },
        viewerCertificate: { acmCertificateArn: "arn", minimumProtocolVersion: "TLSv1" },
      },
    },
    good: {
      type: "aws:cloudfront/distribution:Distribution",
      props: {
        defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
        viewerCertificate: { acmCertificateArn: "arn", minimumProtocolVersion: "TLSv1.2_2021" },
        origins: [
          {
            originId: "api",
            domainName: "api.example.com",
            customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
          },
        ],
      },
    },
  },
  {
    rule: "aws-cloudfront-custom-certificate",
    bad: {
      type: "aws:cloudfront/distribution:Distribution",
      props: { viewerCertificate: { cloudfrontDefaultCertificate: true } },
    },
    good: {
      type: "aws:cloudfront/distribution:Distribution",
      props: { viewerCertificate: { acmCertificateArn: "arn" } },
    },
  },
  {
    rule: "aws-rds-force-ssl",
    bad: {
      stack: [
        {
          type: "aws:rds/parameterGroup:ParameterGroup",
          name: "pg",
          props: { name: "pg", parameters: [{ name: "rds.force_ssl", value: "0" }] },
        },
        {
          type: "aws:rds/instance:Instance",
          name: "db",
          props: { engine: "postgres", parameterGroupName: "pg" },
          deps: { parameterGroupName: ["pg"] },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "aws:rds/parameterGroup:ParameterGroup",
          name: "pg",
          props: { name: UNKNOWN, parameters: [{ name: "rds.force_ssl", value: "1" }] },
        },
        {
          type: "aws:rds/instance:Instance",
          name: "db",
          props: { engine: "postgres", parameterGroupName: UNKNOWN },
          deps: { parameterGroupName: ["pg"] },
        },
      ],
    },
  },
  {
    rule: "aws-rds-proxy-tls",
    bad: { type: "aws:rds/proxy:Proxy", props: { requireTls: false } },
    good: { type: "aws:rds/proxy:Proxy", props: { requireTls: true } },
  },
  {
    rule: "aws-elasticache-transit-encryption",
    bad: { type: "aws:elasticache/replicationGroup:ReplicationGroup", props: {} },
    good: {
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      props: { transitEncryptionEnabled: true },
    },
  },
  {
    rule: "aws-s3-tls-only",
    bad: { stack: [bucket()] },
    good: {
      stack: [
        bucket(),
        {
          type: "aws:s3/bucketPolicy:BucketPolicy",
          name: "p",
          props: { bucket: UNKNOWN, policy: tlsPolicy },
          deps: { bucket: ["b"] },
        },
      ],
    },
  },
];
