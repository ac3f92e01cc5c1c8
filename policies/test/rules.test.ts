/**
 * Every rule, with at least one violating and one clean resource, through @pulumi/policy's analyzer
 * handlers (real deserialization + unknownCheckingProxy). Also: unknown values are "cannot check during
 * preview" (advisory), never a pass; waivers; the metadata every rule must carry.
 */
import { strict as assert } from "node:assert";
import { RULES } from "../pack";
import { analyze, analyzeStack, Diag, secret, StackInput, UNKNOWN } from "./harness";
import { K8S_CASES } from "./k8s-fixtures";

type Input = { type: string; props: Record<string, unknown> } | { stack: StackInput[] };
interface Case {
  rule: string;
  bad: Input;
  good: Input;
  /** Substring the violating message must contain. */
  says?: string;
}

const tags = { app: "a", environment: "test", owner: "o", "cost-center": "c", "managed-by": "pulumi" };
const doc = (...st: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: st });
const td = (c: object, extra: object = {}) => ({
  containerDefinitions: JSON.stringify([
    { name: "api", image: "repo/api@sha256:" + "a".repeat(64), readonlyRootFilesystem: true, ...c },
  ]),
  ...extra,
});
const pod = (c: object, spec: object = {}) => ({
  spec: {
    template: {
      spec: {
        automountServiceAccountToken: false,
        containers: [
          {
            name: "api",
            image: "repo/api@sha256:" + "b".repeat(64),
            securityContext: {
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"] },
            },
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } },
            ...c,
          },
        ],
        ...spec,
      },
    },
  },
});
const dep = "kubernetes:apps/v1:Deployment";
const bucket = (name = "b"): StackInput => ({
  type: "aws:s3/bucketV2:BucketV2",
  name,
  props: { bucket: name },
});
const tlsPolicy = doc({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const sql = (ip: object, extra: object = {}) => ({
  databaseVersion: "POSTGRES_16",
  settings: { ipConfiguration: ip, backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true } },
  ...extra,
});

const CASES: Case[] = [
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
  {
    rule: "aws-ecs-container-hardening",
    bad: {
      type: "aws:ecs/taskDefinition:TaskDefinition",
      props: td({ privileged: true, readonlyRootFilesystem: false }),
    },
    good: { type: "aws:ecs/taskDefinition:TaskDefinition", props: td({ user: "1000" }) },
  },
  {
    rule: "aws-ecs-no-plaintext-secrets",
    bad: {
      type: "aws:ecs/taskDefinition:TaskDefinition",
      props: td({ environment: [{ name: "DB_PASSWORD", value: "hunter2" }] }),
    },
    good: {
      type: "aws:ecs/taskDefinition:TaskDefinition",
      props: td({
        environment: [{ name: "PORT", value: "8080" }],
        secrets: [{ name: "DB_PASSWORD", valueFrom: "arn" }],
      }),
    },
  },
  {
    rule: "aws-ecs-task-role-separate",
    bad: {
      stack: [
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "t",
          props: td({}, { taskRoleArn: "arn:role/x", executionRoleArn: "arn:role/x" }),
        },
      ],
    },
    good: {
      stack: [
        { type: "aws:iam/role:Role", name: "task", props: {} },
        { type: "aws:iam/role:Role", name: "exec", props: {} },
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "t",
          props: td({}, { taskRoleArn: UNKNOWN, executionRoleArn: UNKNOWN }),
          deps: { taskRoleArn: ["task"], executionRoleArn: ["exec"] },
        },
      ],
    },
  },
  {
    rule: "aws-ecs-no-public-ip",
    bad: { type: "aws:ecs/service:Service", props: { networkConfiguration: { assignPublicIp: true } } },
    good: { type: "aws:ecs/service:Service", props: { networkConfiguration: { assignPublicIp: false } } },
  },
  {
    rule: "aws-rds-encrypted",
    bad: { type: "aws:rds/cluster:Cluster", props: { engine: "aurora-postgresql" } },
    good: { type: "aws:rds/cluster:Cluster", props: { engine: "aurora-postgresql", storageEncrypted: true } },
  },
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
  {
    rule: "gcp-sql-ssl-mode",
    bad: { type: "gcp:sql/databaseInstance:DatabaseInstance", props: sql({ ipv4Enabled: false }) },
    good: {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      props: sql({ ipv4Enabled: false, sslMode: "ENCRYPTED_ONLY" }),
    },
  },
  {
    rule: "gcp-sql-private",
    bad: {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      props: sql({ authorizedNetworks: [{ value: "0.0.0.0/0" }] }),
    },
    good: {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      props: sql({ ipv4Enabled: false, privateNetwork: "projects/p/global/networks/n" }),
    },
  },
  {
    rule: "gcp-sql-backups",
    bad: {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      props: { databaseVersion: "POSTGRES_16", settings: {} },
    },
    good: { type: "gcp:sql/databaseInstance:DatabaseInstance", props: sql({}) },
  },
  {
    rule: "gcp-redis-transit-encryption",
    bad: { type: "gcp:redis/instance:Instance", props: { authEnabled: true } },
    good: {
      type: "gcp:redis/instance:Instance",
      props: { authEnabled: true, transitEncryptionMode: "SERVER_AUTHENTICATION" },
    },
  },
  {
    rule: "gcp-https-proxy-ssl-policy",
    bad: {
      stack: [
        {
          type: "gcp:compute/sSLPolicy:SSLPolicy",
          name: "tls",
          props: { minTlsVersion: "TLS_1_0", profile: "COMPATIBLE" },
        },
        {
          type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
          name: "p",
          props: { sslPolicy: UNKNOWN },
          deps: { sslPolicy: ["tls"] },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "gcp:compute/sSLPolicy:SSLPolicy",
          name: "tls",
          props: { minTlsVersion: "TLS_1_2", profile: "MODERN" },
        },
        {
          type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
          name: "p",
          props: { sslPolicy: UNKNOWN },
          deps: { sslPolicy: ["tls"] },
        },
        {
          type: "gcp:compute/uRLMap:URLMap",
          name: "redirect",
          props: { defaultUrlRedirect: { httpsRedirect: true } },
        },
        {
          type: "gcp:compute/targetHttpProxy:TargetHttpProxy",
          name: "h",
          props: { urlMap: UNKNOWN },
          deps: { urlMap: ["redirect"] },
        },
      ],
    },
  },
  {
    rule: "gcp-http-redirect-only",
    bad: {
      stack: [
        {
          type: "gcp:compute/uRLMap:URLMap",
          name: "web",
          props: { name: "web", defaultService: UNKNOWN },
        },
        {
          type: "gcp:compute/targetHttpProxy:TargetHttpProxy",
          name: "h",
          props: { urlMap: UNKNOWN },
          deps: { urlMap: ["web"] },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "gcp:compute/uRLMap:URLMap",
          name: "redirect",
          props: { name: "redirect", defaultUrlRedirect: { httpsRedirect: true, stripQuery: false } },
        },
        {
          type: "gcp:compute/targetHttpProxy:TargetHttpProxy",
          name: "h",
          props: { urlMap: UNKNOWN },
          deps: { urlMap: ["redirect"] },
        },
      ],
    },
    says: "the default route sends traffic to a backend",
  },
  {
    rule: "gcp-no-basic-roles",
    bad: {
      type: "gcp:projects/iAMMember:IAMMember",
      props: { role: "roles/editor", member: "serviceAccount:x@p.iam.gserviceaccount.com" },
    },
    good: {
      type: "gcp:projects/iAMMember:IAMMember",
      props: { role: "roles/cloudsql.client", member: "serviceAccount:x@p.iam.gserviceaccount.com" },
    },
  },
  {
    rule: "gcp-no-public-members",
    bad: {
      type: "gcp:storage/bucketIAMMember:BucketIAMMember",
      props: { role: "roles/storage.objectViewer", member: "allUsers" },
    },
    good: {
      type: "gcp:storage/bucketIAMMember:BucketIAMMember",
      props: { role: "roles/storage.objectViewer", member: "serviceAccount:cdn@p.iam.gserviceaccount.com" },
    },
  },
  {
    rule: "gcp-secret-access-per-secret",
    bad: {
      type: "gcp:projects/iAMMember:IAMMember",
      props: { role: "roles/secretmanager.secretAccessor", member: "serviceAccount:x" },
    },
    good: {
      type: "gcp:projects/iAMMember:IAMMember",
      props: { role: "roles/logging.logWriter", member: "serviceAccount:x" },
    },
  },
  {
    rule: "gcp-dedicated-service-account",
    bad: {
      type: "gcp:cloudrunv2/service:Service",
      props: { template: { serviceAccount: "123-compute@developer.gserviceaccount.com" } },
    },
    good: {
      type: "gcp:cloudrunv2/service:Service",
      props: { template: { serviceAccount: "api@p.iam.gserviceaccount.com" } },
    },
  },
  {
    rule: "gcp-cloud-run-ingress",
    bad: { type: "gcp:cloudrunv2/service:Service", props: { ingress: "INGRESS_TRAFFIC_ALL" } },
    good: {
      type: "gcp:cloudrunv2/service:Service",
      props: { ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" },
    },
  },
  {
    rule: "gcp-bucket-uniform-access",
    bad: { type: "gcp:storage/bucket:Bucket", props: { uniformBucketLevelAccess: false } },
    good: {
      type: "gcp:storage/bucket:Bucket",
      props: { uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" },
    },
  },
  {
    rule: "gcp-firewall-no-public-ingress",
    bad: {
      type: "gcp:compute/firewall:Firewall",
      props: {
        network: "n",
        allows: [{ protocol: "tcp", ports: ["22"] }],
        sourceRanges: ["0.0.0.0/0"],
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      },
    },
    good: {
      type: "gcp:compute/firewall:Firewall",
      props: {
        network: "n",
        direction: "INGRESS",
        allows: [{ protocol: "tcp", ports: ["8080"] }],
        sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"],
        targetTags: ["lb-backend"],
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      },
    },
    says: "allows tcp:22 from 0.0.0.0/0",
  },
  {
    rule: "gcp-required-labels",
    bad: { type: "gcp:storage/bucket:Bucket", props: { labels: {} } },
    good: { type: "gcp:storage/bucket:Bucket", props: { labels: tags } },
  },
  {
    rule: "gcp-log-retention",
    bad: { type: "gcp:logging/projectBucketConfig:ProjectBucketConfig", props: { retentionDays: 7 } },
    good: { type: "gcp:logging/projectBucketConfig:ProjectBucketConfig", props: { retentionDays: 90 } },
  },
  {
    rule: "gcp-firewall-logging",
    bad: {
      type: "gcp:compute/firewall:Firewall",
      props: { network: "n", allows: [{ protocol: "tcp", ports: ["8080"] }], sourceRanges: ["10.0.0.0/8"] },
    },
    good: {
      type: "gcp:compute/firewall:Firewall",
      props: {
        network: "n",
        allows: [{ protocol: "tcp", ports: ["8080"] }],
        sourceRanges: ["10.0.0.0/8"],
        logConfig: { metadata: "EXCLUDE_ALL_METADATA" },
      },
    },
    says: "no logConfig",
  },
  {
    rule: "gcp-cloud-armor",
    bad: {
      stack: [
        {
          type: "gcp:compute/backendService:BackendService",
          name: "api",
          props: { loadBalancingScheme: "EXTERNAL_MANAGED" },
        },
      ],
    },
    good: {
      stack: [
        { type: "gcp:compute/securityPolicy:SecurityPolicy", name: "armor", props: { type: "CLOUD_ARMOR" } },
        {
          type: "gcp:compute/backendService:BackendService",
          name: "api",
          props: { loadBalancingScheme: "EXTERNAL_MANAGED", securityPolicy: UNKNOWN },
          deps: { securityPolicy: ["armor"] },
        },
      ],
    },
    says: "no securityPolicy",
  },
  {
    rule: "gcp-storage-no-public-acl",
    bad: {
      type: "gcp:storage/bucketAccessControl:BucketAccessControl",
      props: { bucket: "b", entity: "allUsers", role: "READER" },
    },
    good: {
      type: "gcp:storage/bucketAccessControl:BucketAccessControl",
      props: { bucket: "b", entity: "group-ops@example.org", role: "READER" },
    },
    says: "entity allUsers gets READER",
  },
  {
    rule: "gcp-redis-auth",
    bad: {
      type: "gcp:redis/instance:Instance",
      props: { transitEncryptionMode: "SERVER_AUTHENTICATION" },
    },
    good: {
      type: "gcp:redis/instance:Instance",
      props: { authEnabled: true, transitEncryptionMode: "SERVER_AUTHENTICATION" },
    },
    says: "authEnabled is unset (false)",
  },
  {
    rule: "gcp-artifact-registry-immutable-tags",
    bad: { type: "gcp:artifactregistry/repository:Repository", props: { format: "DOCKER" } },
    good: {
      type: "gcp:artifactregistry/repository:Repository",
      props: { format: "DOCKER", dockerConfig: { immutableTags: true } },
    },
    says: "dockerConfig.immutableTags is unset (false)",
  },
  {
    rule: "k8s-ingress-tls",
    bad: {
      type: "kubernetes:networking.k8s.io/v1:Ingress",
      props: { spec: { rules: [{ host: "api.example.com" }] } },
    },
    good: {
      type: "kubernetes:networking.k8s.io/v1:Ingress",
      props: {
        spec: {
          rules: [{ host: "api.example.com" }],
          tls: [{ hosts: ["api.example.com"], secretName: "tls" }],
        },
      },
    },
  },
  {
    rule: "k8s-run-as-non-root",
    bad: {
      type: dep,
      props: pod({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }),
    },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-no-privileged",
    bad: {
      type: dep,
      props: pod({
        securityContext: { runAsNonRoot: true, privileged: true, capabilities: { drop: ["ALL"] } },
      }),
    },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-no-privilege-escalation",
    bad: {
      type: dep,
      props: pod({ securityContext: { runAsNonRoot: true, capabilities: { drop: ["ALL"] } } }),
    },
    good: { type: dep, props: pod({}) },
    says: "allowPrivilegeEscalation is not false",
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
  {
    rule: "k8s-drop-capabilities",
    bad: {
      type: dep,
      props: pod({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } }),
    },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-resource-limits",
    bad: { type: dep, props: pod({ resources: {} }) },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-no-sa-token-automount",
    bad: { type: dep, props: pod({}, { automountServiceAccountToken: true }) },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "image-pinned-by-digest",
    bad: {
      type: "gcp:cloudrunv2/service:Service",
      props: { template: { containers: [{ image: "ghcr.io/acme/api:latest" }] } },
    },
    good: {
      type: "gcp:cloudrunv2/service:Service",
      props: { template: { containers: [{ image: "ghcr.io/acme/api@sha256:" + "c".repeat(64) }] } },
    },
  },
  {
    rule: "aws-ecs-execution-role-reads-secrets",
    bad: {
      stack: [
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "t",
          props: td(
            { secrets: [{ name: "DB", valueFrom: "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf" }] },
            { executionRoleArn: "arn:aws:iam::1:role/x" },
          ),
          deps: { executionRoleArn: ["x"] },
        },
        {
          type: "aws:iam/role:Role",
          name: "x",
          props: {
            name: "x",
            managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
          },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "t",
          props: td(
            {
              secrets: [
                { name: "DB", valueFrom: "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf::AWSCURRENT:" },
              ],
            },
            { executionRoleArn: "arn:aws:iam::1:role/x" },
          ),
          deps: { executionRoleArn: ["x"] },
        },
        { type: "aws:iam/role:Role", name: "x", props: { name: "x" } },
        {
          type: "aws:iam/rolePolicy:RolePolicy",
          name: "p",
          props: {
            role: "x",
            policy: doc({
              Effect: "Allow",
              Action: "secretsmanager:GetSecretValue",
              Resource: "arn:aws:secretsmanager:eu-west-1:1:secret:db-*",
            }),
          },
          deps: { role: ["x"] },
        },
      ],
    },
    says: "cannot secretsmanager:GetSecretValue",
  },
  {
    rule: "aws-lambda-no-plaintext-secrets",
    bad: {
      type: "aws:lambda/function:Function",
      props: { environment: { variables: { DB_PASSWORD: "hunter2" } } },
    },
    good: {
      type: "aws:lambda/function:Function",
      props: {
        environment: { variables: { DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf" } },
      },
    },
    says: "DB_PASSWORD",
  },
  {
    rule: "gcp-no-plaintext-env-secrets",
    bad: {
      type: "gcp:cloudrunv2/service:Service",
      props: {
        template: { containers: [{ image: "i", envs: [{ name: "API_TOKEN", value: "abc123def" }] }] },
      },
    },
    good: {
      type: "gcp:cloudrunv2/service:Service",
      props: {
        template: {
          containers: [
            {
              image: "i",
              envs: [{ name: "API_TOKEN", valueSource: { secretKeyRef: { secret: "t", version: "1" } } }],
            },
          ],
        },
      },
    },
    says: "API_TOKEN",
  },
  {
    rule: "k8s-no-plaintext-env-secrets",
    bad: { type: dep, props: pod({ env: [{ name: "DB_PASSWORD", value: "hunter2" }] }) },
    good: {
      type: dep,
      props: pod({ env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "pw" } } }] }),
    },
    says: "DB_PASSWORD",
  },
];
CASES.push(...K8S_CASES);

function run(input: Input): Promise<Diag[]> {
  return "stack" in input ? analyzeStack(input.stack) : analyze(input.type, input.props);
}

describe("meridian-guardrails rules (violating and clean resources)", () => {
  for (const c of CASES) {
    it(`${c.rule}: flags the violating resource, passes the clean one`, async () => {
      const bad = (await run(c.bad)).filter((d) => d.policy === c.rule);
      assert.ok(bad.length > 0, `${c.rule} did not flag ${JSON.stringify(c.bad).slice(0, 300)}`);
      assert.ok(
        bad.every((d) => !d.message.includes("cannot check")),
        JSON.stringify(bad),
      );
      if (c.says)
        assert.ok(
          bad.some((d) => d.message.includes(c.says!)),
          JSON.stringify(bad),
        );
      const good = (await run(c.good)).filter((d) => d.policy === c.rule);
      assert.deepEqual(good, [], `${c.rule} flagged the clean resource`);
    });
  }

  it("every rule has a case", () => {
    const covered = new Set(CASES.map((c) => c.rule));
    assert.deepEqual(
      RULES.map((r) => r.id).filter((id) => !covered.has(id)),
      [],
    );
  });

  it("reports the default enforcement of the rule and the violation detail after the description", async () => {
    const [d] = (await analyze("aws:rds/instance:Instance", { publiclyAccessible: true })).filter(
      (x) => x.policy === "aws-rds-not-public",
    );
    assert.equal(d.enforcement, "mandatory");
    assert.match(d.message, /^RDS instances are not publicly accessible\.\npubliclyAccessible is true/);
    const [a] = (await analyze("aws:rds/instance:Instance", {})).filter(
      (x) => x.policy === "aws-rds-deletion-protection",
    );
    assert.equal(a.enforcement, "advisory");
  });
});

describe("unknown and secret values", () => {
  it("an unknown value is 'cannot check during preview' (advisory), not a pass", async () => {
    const ds = (await analyze("aws:rds/instance:Instance", { publiclyAccessible: UNKNOWN })).filter(
      (d) => d.policy === "aws-rds-not-public",
    );
    assert.equal(ds.length, 1);
    assert.equal(ds[0].enforcement, "advisory");
    assert.match(
      ds[0].message,
      /^cannot check during preview: .*\.publiclyAccessible can't be known during preview/,
    );
  });

  it("an unknown IAM document inside a stack check is reported per resource", async () => {
    const ds = (
      await analyzeStack([
        bucket(),
        {
          type: "aws:s3/bucketPolicy:BucketPolicy",
          name: "p",
          props: { policy: UNKNOWN },
          deps: { bucket: ["b"] },
        },
      ])
    ).filter((d) => d.policy === "aws-s3-tls-only");
    assert.equal(ds.length, 1);
    assert.equal(ds[0].enforcement, "advisory");
    assert.match(ds[0].urn!, /BucketV2::b$/);
    assert.match(ds[0].message, /cannot check during preview/);
  });

  it("secret values are checked like plain ones", async () => {
    const ds = await analyze("aws:lb/listener:Listener", {
      protocol: secret("HTTP"),
      defaultActions: [{ type: "forward" }],
    });
    assert.ok(ds.some((d) => d.policy === "aws-lb-listener-tls" && d.enforcement === "mandatory"));
    const env = [{ name: "DATABASE_URL", value: "postgres://app:pw@db:5432/app" }];
    const ds2 = await analyze("aws:ecs/taskDefinition:TaskDefinition", {
      containerDefinitions: secret(
        JSON.stringify([{ name: "api", environment: env, readonlyRootFilesystem: true }]),
      ),
    });
    assert.ok(
      ds2.some((d) => d.policy === "aws-ecs-no-plaintext-secrets" && /embeds credentials/.test(d.message)),
    );
  });
});

describe("rule metadata", () => {
  for (const r of RULES) {
    it(`${r.id}: has description, severity, remediation and inspected types`, () => {
      assert.match(r.id, /^(aws|gcp|k8s|image)-[a-z0-9-]+$/);
      assert.ok(r.description.length > 20 && /\.$/.test(r.description), r.description);
      assert.ok(["low", "medium", "high", "critical"].includes(r.severity));
      assert.ok(r.remediation.length > 20);
      assert.ok(r.types.length > 0);
      if (r.area === "tls" || r.area === "least-privilege")
        assert.equal(r.enforcement, "mandatory", `${r.id} is core`);
    });
  }
});
