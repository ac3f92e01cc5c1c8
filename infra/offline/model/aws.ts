/**
 * Offline model of AWS resources and data sources: the outputs the AWS provider would compute (ids,
 * ARNs, endpoints, DNS names), shaped like the real ones but derived deterministically and tied to the
 * placeholder account {@link OFFLINE_AWS_ACCOUNT}. Anything not modelled stays unknown in the preview.
 */
import {
  noModel,
  alnumUpper,
  autoName,
  hex,
  ModelEnv,
  ModelResult,
  OFFLINE_AWS_ACCOUNT,
  ResourceCall,
  seedOf,
  splitToken,
  str,
  uuid,
} from "./context";

/** Real AZ names of common regions (the first few); other regions get a, b, c. */
const REGION_AZS: Record<string, string[]> = {
  "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
  "us-east-2": ["us-east-2a", "us-east-2b", "us-east-2c"],
  "us-west-1": ["us-west-1a", "us-west-1c"],
  "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"],
  "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  "eu-central-1": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
  "sa-east-1": ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
  "ap-southeast-1": ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"],
};

/** Availability zones of a region (as the offline model knows them). */
export function awsZones(region: string): string[] {
  return REGION_AZS[region] ?? ["a", "b", "c"].map((s) => `${region}${s}`);
}

/** The AZ id (use1-az1 style) of an AZ name. */
function zoneId(az: string): string {
  const m = /^([a-z]{2})-([a-z]+)-(\d)([a-z])$/.exec(az);
  if (!m) return `${az}-id`;
  return `${m[1]}${m[2][0]}${m[3]}-az${m[4].charCodeAt(0) - 96}`;
}

/** EC2 id prefixes by resource member. */
const EC2_PREFIX: Record<string, string> = {
  Vpc: "vpc",
  Subnet: "subnet",
  InternetGateway: "igw",
  EgressOnlyInternetGateway: "eigw",
  NatGateway: "nat",
  Eip: "eipalloc",
  RouteTable: "rtb",
  RouteTableAssociation: "rtbassoc",
  VpcEndpoint: "vpce",
  FlowLog: "fl",
  SecurityGroup: "sg",
  DefaultSecurityGroup: "sg",
  DefaultNetworkAcl: "acl",
  NetworkAcl: "acl",
  DefaultRouteTable: "rtb",
  SecurityGroupRule: "sgrule",
  Instance: "i",
  LaunchTemplate: "lt",
  VpcDhcpOptions: "dopt",
};

/**
 * Region of a resource or call: its own `region` argument (AWS provider v7 takes one per resource), else
 * the explicit provider's region, else `aws:region` config, else us-east-1.
 */
function regionFrom(
  args: Record<string, unknown>,
  provider: Record<string, unknown> | undefined,
  env: ModelEnv,
): string {
  return (
    str(args, "region") ??
    (provider && typeof provider.region === "string" ? provider.region : undefined) ??
    env.config["aws:region"] ??
    "us-east-1"
  );
}

function regionOf(call: ResourceCall, env: ModelEnv): string {
  return regionFrom(call.inputs, env.providerInputs(call.provider), env);
}

type Computed = Record<string, unknown>;
type Model = (call: ResourceCall, ctx: Ctx) => { id: string; out: Computed };

interface Ctx {
  region: string;
  account: string;
  seed: string;
  arn(service: string, resource: string, opts?: { global?: boolean; noAccount?: boolean }): string;
}

const ec2: Model = (call, ctx) => {
  const { member } = splitToken(call.type);
  const prefix = EC2_PREFIX[member] ?? member.toLowerCase();
  const id = `${prefix}-0${hex(ctx.seed, 16)}`;
  const out: Computed = { arn: ctx.arn("ec2", `${arnKind(member)}/${id}`), ownerId: ctx.account };
  switch (member) {
    case "Vpc":
      Object.assign(out, {
        defaultSecurityGroupId: `sg-0${hex(`${ctx.seed}/sg`, 16)}`,
        defaultNetworkAclId: `acl-0${hex(`${ctx.seed}/acl`, 16)}`,
        defaultRouteTableId: `rtb-0${hex(`${ctx.seed}/rtb`, 16)}`,
        mainRouteTableId: `rtb-0${hex(`${ctx.seed}/rtb`, 16)}`,
        dhcpOptionsId: `dopt-0${hex(`${ctx.seed}/dopt`, 16)}`,
        instanceTenancy: call.inputs.instanceTenancy ?? "default",
      });
      break;
    case "Subnet": {
      const az = str(call.inputs, "availabilityZone");
      if (az) out.availabilityZoneId = zoneId(az);
      break;
    }
    case "Eip": {
      const ip = `203.0.113.${1 + (parseInt(hex(ctx.seed, 2), 16) % 250)}`;
      Object.assign(out, {
        allocationId: id,
        publicIp: ip,
        publicDns: `ec2-${ip.replace(/\./g, "-")}.compute-1.amazonaws.com`,
        domain: "vpc",
      });
      break;
    }
    case "NatGateway":
      Object.assign(out, {
        networkInterfaceId: `eni-0${hex(`${ctx.seed}/eni`, 16)}`,
        publicIp: `203.0.113.${1 + (parseInt(hex(`${ctx.seed}/ip`, 2), 16) % 250)}`,
        connectivityType: call.inputs.connectivityType ?? "public",
      });
      break;
    case "VpcEndpoint":
      Object.assign(out, {
        prefixListId: `pl-${hex(`${ctx.seed}/pl`, 8)}`,
        state: "available",
        vpcEndpointType: call.inputs.vpcEndpointType ?? "Gateway",
      });
      break;
    case "DefaultSecurityGroup":
    case "SecurityGroup":
      out.name = str(call.inputs, "name") ?? (member === "DefaultSecurityGroup" ? "default" : autoName(call));
      break;
  }
  return { id, out };
};

function arnKind(member: string): string {
  const special: Record<string, string> = {
    Eip: "elastic-ip",
    DefaultSecurityGroup: "security-group",
    SecurityGroup: "security-group",
    InternetGateway: "internet-gateway",
    NatGateway: "natgateway",
    RouteTable: "route-table",
    VpcEndpoint: "vpc-endpoint",
    FlowLog: "vpc-flow-log",
    DefaultNetworkAcl: "network-acl",
    NetworkAcl: "network-acl",
  };
  return special[member] ?? member.toLowerCase();
}

/** Per-type models beyond the EC2 family. Keyed by full type token. */
const MODELS: Record<string, Model> = {
  "aws:cloudwatch/logGroup:LogGroup": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return { id: name, out: { name, arn: ctx.arn("logs", `log-group:${name}`) } };
  },
  "aws:iam/role:Role": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 64 });
    const path = str(call.inputs, "path") ?? "/";
    return {
      id: name,
      out: {
        name,
        arn: ctx.arn("iam", `role${path}${name}`, { global: true }),
        uniqueId: `AROA${alnumUpper(ctx.seed, 17)}`,
        createDate: "2026-01-01T00:00:00Z",
      },
    };
  },
  "aws:iam/policy:Policy": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 128 });
    const path = str(call.inputs, "path") ?? "/";
    return {
      id: ctx.arn("iam", `policy${path}${name}`, { global: true }),
      out: {
        name,
        arn: ctx.arn("iam", `policy${path}${name}`, { global: true }),
        policyId: `ANPA${alnumUpper(ctx.seed, 17)}`,
      },
    };
  },
  "aws:iam/rolePolicy:RolePolicy": (call) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 128 });
    return { id: `${str(call.inputs, "role") ?? "role"}:${name}`, out: { name } };
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (call, ctx) => ({
    id: `${str(call.inputs, "role") ?? "role"}-${hex(ctx.seed, 20)}`,
    out: {},
  }),
  "aws:kms/key:Key": (_call, ctx) => {
    const keyId = uuid(ctx.seed);
    return { id: keyId, out: { keyId, arn: ctx.arn("kms", `key/${keyId}`) } };
  },
  "aws:kms/alias:Alias": (call, ctx) => {
    const name = str(call.inputs, "name") ?? `alias/${autoName(call)}`;
    return {
      id: name,
      out: { arn: ctx.arn("kms", name), targetKeyArn: ctx.arn("kms", `key/${uuid(ctx.seed)}`) },
    };
  },
  "aws:s3/bucket:Bucket": s3Bucket,
  "aws:s3/bucketV2:BucketV2": s3Bucket,
  "aws:s3/bucketPolicy:BucketPolicy": (call) => ({ id: str(call.inputs, "bucket") ?? call.name, out: {} }),
  "aws:sns/topic:Topic": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    const arn = ctx.arn("sns", name);
    return { id: arn, out: { name, arn, owner: ctx.account } };
  },
  "aws:secretsmanager/secret:Secret": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    const arn = ctx.arn("secretsmanager", `secret:${name}-${alnumUpper(ctx.seed, 6)}`);
    return { id: arn, out: { name, arn } };
  },
  "aws:secretsmanager/secretVersion:SecretVersion": (call, ctx) => ({
    id: `${str(call.inputs, "secretId") ?? "secret"}|${uuid(ctx.seed)}`,
    out: { versionId: uuid(ctx.seed), arn: str(call.inputs, "secretId") },
  }),
  "aws:lb/loadBalancer:LoadBalancer": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 32 });
    const kind = call.inputs.loadBalancerType === "network" ? "net" : "app";
    const arn = ctx.arn("elasticloadbalancing", `loadbalancer/${kind}/${name}/${hex(ctx.seed, 16)}`);
    const internal = call.inputs.internal === true ? "internal-" : "";
    return {
      id: arn,
      out: {
        name,
        arn,
        arnSuffix: arn.split(":loadbalancer/")[1],
        dnsName: `${internal}${name}-${parseInt(hex(ctx.seed, 8), 16) % 2000000000}.${ctx.region}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
      },
    };
  },
  "aws:lb/targetGroup:TargetGroup": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 32 });
    const arn = ctx.arn("elasticloadbalancing", `targetgroup/${name}/${hex(ctx.seed, 16)}`);
    return { id: arn, out: { name, arn, arnSuffix: arn.split(":")[5] } };
  },
  "aws:lb/listener:Listener": (_call, ctx) => {
    const arn = ctx.arn(
      "elasticloadbalancing",
      `listener/app/lb/${hex(ctx.seed, 16)}/${hex(`${ctx.seed}/l`, 16)}`,
    );
    return { id: arn, out: { arn } };
  },
  "aws:ecs/cluster:Cluster": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    const arn = ctx.arn("ecs", `cluster/${name}`);
    return { id: arn, out: { name, arn } };
  },
  "aws:ecs/taskDefinition:TaskDefinition": (call, ctx) => {
    const family = str(call.inputs, "family") ?? call.name;
    const arn = ctx.arn("ecs", `task-definition/${family}:1`);
    return {
      id: family,
      out: { arn, arnWithoutRevision: ctx.arn("ecs", `task-definition/${family}`), revision: 1 },
    };
  },
  "aws:ecs/service:Service": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return { id: ctx.arn("ecs", `service/${name}`), out: { name } };
  },
  "aws:ecr/repository:Repository": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true });
    return {
      id: name,
      out: {
        name,
        arn: ctx.arn("ecr", `repository/${name}`),
        registryId: ctx.account,
        repositoryUrl: `${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`,
      },
    };
  },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": (call, ctx) => ({
    id: str(call.inputs, "repository") ?? call.name,
    out: { registryId: ctx.account },
  }),
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
  "aws:acm/certificate:Certificate": (call, ctx) => {
    const arn = ctx.arn("acm", `certificate/${uuid(ctx.seed)}`);
    const domain = str(call.inputs, "domainName") ?? "example.com";
    const sans = Array.isArray(call.inputs.subjectAlternativeNames)
      ? call.inputs.subjectAlternativeNames
      : [];
    const names = [domain, ...sans.filter((s): s is string => typeof s === "string" && s !== domain)];
    return {
      id: arn,
      out: {
        arn,
        status: "PENDING_VALIDATION",
        domainValidationOptions: names.map((n) => ({
          domainName: n,
          resourceRecordName: `_${hex(`${ctx.seed}/${n}`, 32)}.${n.replace(/^\*\./, "")}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${hex(`${ctx.seed}/${n}/v`, 32)}.acm-validations.aws.`,
        })),
      },
    };
  },
  "aws:cloudfront/distribution:Distribution": (_call, ctx) => {
    const id = `E${alnumUpper(ctx.seed, 13)}`;
    return {
      id,
      out: {
        arn: ctx.arn("cloudfront", `distribution/${id}`, { global: true }),
        domainName: `d${hex(ctx.seed, 13)}.cloudfront.net`,
        hostedZoneId: "Z2FDTNDATAQYW2",
        status: "Deployed",
        etag: `E${alnumUpper(`${ctx.seed}/etag`, 13)}`,
      },
    };
  },
  "aws:wafv2/webAcl:WebAcl": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    const scope = call.inputs.scope === "CLOUDFRONT" ? "global" : "regional";
    const id = uuid(ctx.seed);
    const region = scope === "global" ? "us-east-1" : ctx.region;
    return {
      id,
      out: { name, arn: `arn:aws:wafv2:${region}:${ctx.account}:${scope}/webacl/${name}/${id}`, capacity: 0 },
    };
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": sgRule,
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": sgRule,
  "aws:lb/listenerRule:ListenerRule": (_call, ctx) => {
    const arn = ctx.arn(
      "elasticloadbalancing",
      `listener-rule/app/lb/${hex(ctx.seed, 16)}/${hex(`${ctx.seed}/l`, 16)}/${hex(`${ctx.seed}/r`, 16)}`,
    );
    return { id: arn, out: { arn } };
  },
  "aws:acm/certificateValidation:CertificateValidation": (call) => ({
    id: str(call.inputs, "certificateArn") ?? call.name,
    out: {},
  }),
  "aws:route53/record:Record": (call) => {
    const name = str(call.inputs, "name") ?? call.name;
    return {
      id: `${str(call.inputs, "zoneId") ?? "Z"}_${name}_${str(call.inputs, "type") ?? "A"}`,
      out: { fqdn: name },
    };
  },
  "aws:appautoscaling/target:Target": (call, ctx) => {
    const resourceId = str(call.inputs, "resourceId") ?? call.name;
    return {
      id: resourceId,
      out: { arn: ctx.arn("application-autoscaling", `scalable-target/${hex(ctx.seed, 20)}`) },
    };
  },
  "aws:appautoscaling/policy:Policy": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return {
      id: name,
      out: {
        name,
        arn: ctx.arn("autoscaling", `scalingPolicy:${uuid(ctx.seed)}:resource/ecs/${name}`),
        alarmArns: [],
      },
    };
  },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": (call) => ({
    id: str(call.inputs, "clusterName") ?? call.name,
    out: {},
  }),
  "aws:scheduler/schedule:Schedule": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 64 });
    const group = str(call.inputs, "groupName") ?? "default";
    return {
      id: `${group}/${name}`,
      out: { name, groupName: group, arn: ctx.arn("scheduler", `schedule/${group}/${name}`) },
    };
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
  "aws:cloudwatch/metricAlarm:MetricAlarm": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return { id: name, out: { name, arn: ctx.arn("cloudwatch", `alarm:${name}`) } };
  },
  "aws:cloudwatch/dashboard:Dashboard": (call, ctx) => {
    const name = str(call.inputs, "dashboardName") ?? call.name;
    return { id: name, out: { dashboardArn: ctx.arn("cloudwatch", `dashboard/${name}`, { global: true }) } };
  },
  "aws:sns/topicSubscription:TopicSubscription": (call, ctx) => {
    const topic = str(call.inputs, "topic") ?? ctx.arn("sns", "topic");
    const arn = `${topic}:${uuid(ctx.seed)}`;
    // Email subscriptions stay pending until the recipient confirms: only a real deployment can tell.
    return {
      id: arn,
      out: { arn, pendingConfirmation: call.inputs.protocol === "email", ownerId: ctx.account },
    };
  },
  "aws:wafv2/webAclAssociation:WebAclAssociation": (call) => ({
    id: `${str(call.inputs, "webAclArn") ?? "acl"},${str(call.inputs, "resourceArn") ?? call.name}`,
    out: {},
  }),
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (call) => ({
    id: str(call.inputs, "resourceArn") ?? call.name,
    out: {},
  }),
  "aws:cloudfront/originAccessControl:OriginAccessControl": (_call, ctx) => ({
    id: `E${alnumUpper(ctx.seed, 13)}`,
    out: { etag: `E${alnumUpper(`${ctx.seed}/etag`, 13)}` },
  }),
  "aws:cloudfront/function:Function": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 64 });
    return {
      id: name,
      out: {
        arn: ctx.arn("cloudfront", `function/${name}`, { global: true }),
        etag: `E${alnumUpper(`${ctx.seed}/etag`, 13)}`,
        liveStageEtag: `E${alnumUpper(`${ctx.seed}/live`, 13)}`,
        status: "UNASSOCIATED",
      },
    };
  },
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (_call, ctx) => ({
    id: uuid(ctx.seed),
    out: { etag: `E${alnumUpper(`${ctx.seed}/etag`, 13)}` },
  }),
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
  "aws:route53/zone:Zone": (call) => {
    const id = `Z${alnumUpper(call.name, 20)}`;
    return {
      id,
      out: { zoneId: id, nameServers: [1, 2, 3, 4].map((i) => `ns-${i * 311}.awsdns-${i}.example.`) },
    };
  },
};

/** A security group rule resource (aws.vpc.SecurityGroupIngressRule / EgressRule). */
function sgRule(_call: ResourceCall, ctx: Ctx): { id: string; out: Computed } {
  const id = `sgr-0${hex(ctx.seed, 16)}`;
  return { id, out: { securityGroupRuleId: id, arn: ctx.arn("ec2", `security-group-rule/${id}`) } };
}

/** S3 bucket configuration resources: identified by their bucket. */
function bucketSub(call: ResourceCall): { id: string; out: Computed } {
  return { id: str(call.inputs, "bucket") ?? call.name, out: {} };
}

function s3Bucket(call: ResourceCall, ctx: Ctx): { id: string; out: Computed } {
  const bucket = str(call.inputs, "bucket") ?? autoName(call, { lowercase: true, maxLength: 63 });
  return {
    id: bucket,
    out: {
      bucket,
      arn: `arn:aws:s3:::${bucket}`,
      bucketDomainName: `${bucket}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
      hostedZoneId: "Z3AQBSTGFYJSTF",
      region: ctx.region,
    },
  };
}

/** Computes the state of an AWS resource. */
export function awsResource(call: ResourceCall, env: ModelEnv): ModelResult {
  const region = regionOf(call, env);
  const seed = seedOf(call);
  const ctx: Ctx = {
    region,
    account: OFFLINE_AWS_ACCOUNT,
    seed,
    arn: (service, resource, opts = {}) =>
      `arn:aws:${service}:${opts.global ? "" : region}:${opts.noAccount ? "" : OFFLINE_AWS_ACCOUNT}:${resource}`,
  };
  const { module } = splitToken(call.type);
  const model = MODELS[call.type] ?? (module === "ec2" ? ec2 : undefined);
  if (!model) env.note(noModel(call.type));
  const { id, out } = model
    ? model(call, ctx)
    : { id: str(call.inputs, "name") ?? autoName(call), out: {} as Computed };
  const computed = Object.keys(out).filter((k) => !(k in call.inputs));
  // Tags: the provider reports the merged tag set as tagsAll.
  if (call.inputs.tags && typeof call.inputs.tags === "object" && !("tagsAll" in out)) {
    out.tagsAll = call.inputs.tags;
    computed.push("tagsAll");
  }
  return { id, state: { ...call.inputs, ...out }, computed };
}

/** Data-source calls (invokes) the AWS model answers. Returns undefined when it has no model. */
export function awsInvoke(
  token: string,
  args: Record<string, unknown>,
  env: ModelEnv,
  provider: Record<string, unknown> = {},
): Record<string, unknown> | undefined {
  const region = regionFrom(args, provider, env);
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const names = awsZones(region);
      return {
        id: region,
        names,
        zoneIds: names.map(zoneId),
        groupNames: names.map(() => region),
        state: "available",
      };
    }
    case "aws:index/getCallerIdentity:getCallerIdentity":
      env.note({
        level: "info",
        message: `aws account id is the offline placeholder ${OFFLINE_AWS_ACCOUNT}`,
      });
      return {
        id: OFFLINE_AWS_ACCOUNT,
        accountId: OFFLINE_AWS_ACCOUNT,
        arn: `arn:aws:sts::${OFFLINE_AWS_ACCOUNT}:assumed-role/offline-preview/meridian`,
        userId: `AROA${alnumUpper("caller", 17)}:meridian`,
      };
    case "aws:index/getRegion:getRegion":
      return {
        id: region,
        name: region,
        region,
        description: region,
        endpoint: `ec2.${region}.amazonaws.com`,
      };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:ec2/getAmi:getAmi":
      return {
        id: `ami-0${hex(JSON.stringify(args), 16)}`,
        architecture: "x86_64",
        name: "offline-placeholder-ami",
        imageId: `ami-0${hex(JSON.stringify(args), 16)}`,
      };
    case "aws:iam/getPolicyDocument:getPolicyDocument": {
      const json = renderPolicyDocument(args);
      return { id: hex(json, 10), json, minifiedJson: JSON.stringify(JSON.parse(json)) };
    }
    case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
      const name = str(args, "name") ?? "prefix-list";
      // The real id differs per region and is looked up at deploy time.
      const id = `pl-${hex(`${region}/${name}`, 8)}`;
      return {
        id,
        name,
        arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`,
        addressFamily: "IPv4",
        maxEntries: 55,
        ownerId: "AWS",
        entries: [],
      };
    }
    case "aws:elb/getServiceAccount:getServiceAccount":
      return { id: "127311923021", arn: "arn:aws:iam::127311923021:root" };
  }
  return undefined;
}

interface PolicyStatementArgs {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  notPrincipals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** Renders `aws.iam.getPolicyDocument` args to the JSON the provider would produce. */
export function renderPolicyDocument(args: Record<string, unknown>): string {
  const statements = (args.statements as PolicyStatementArgs[] | undefined) ?? [];
  const one = (v: string[]) => (v.length === 1 ? v[0] : v);
  const principals = (ps: { type: string; identifiers: string[] }[]) => {
    const out: Record<string, string | string[]> = {};
    for (const p of ps) {
      if (p.type === "*") return "*";
      out[p.type] = one(p.identifiers);
    }
    return out;
  };
  const doc = {
    Version: (args.version as string | undefined) ?? "2012-10-17",
    Statement: statements.map((s) => {
      const st: Record<string, unknown> = {};
      if (s.sid) st.Sid = s.sid;
      st.Effect = s.effect ?? "Allow";
      if (s.actions?.length) st.Action = one(s.actions);
      if (s.notActions?.length) st.NotAction = one(s.notActions);
      if (s.resources?.length) st.Resource = one(s.resources);
      if (s.notResources?.length) st.NotResource = one(s.notResources);
      if (s.principals?.length) st.Principal = principals(s.principals);
      if (s.notPrincipals?.length) st.NotPrincipal = principals(s.notPrincipals);
      if (s.conditions?.length) {
        const cond: Record<string, Record<string, string | string[]>> = {};
        for (const c of s.conditions) (cond[c.test] ??= {})[c.variable] = one(c.values);
        st.Condition = cond;
      }
      return st;
    }),
  };
  return JSON.stringify(doc, null, 2);
}
