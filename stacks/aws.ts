/**
 * The AWS environment: composes Meridian's AWS components from the validated config and returns the
 * cloud-neutral outputs contract (docs/aws.md has the diagram, the dev/prod differences and the costs).
 *
 * Traffic: clients -> CloudFront (global WAF, TLS) -> `/api/*`, `/health/*` -> ALB -> ECS Fargate tasks in
 * private subnets -> RDS PostgreSQL and ElastiCache in isolated subnets. Static assets come from a private
 * S3 bucket through Origin Access Control. With `meridian:cacheEnabled=false` (dev only) there is no
 * ElastiCache, no REDIS_URL, no rule to 6379 and no cache alarm: the API runs without Redis.
 * - Without `meridian:domain` (dev): CloudFront's own certificate serves clients; the ALB listens on
 *   HTTP 80 but admits only CloudFront's origin-facing addresses carrying a secret header.
 * - With a domain (prod): the ALB serves `https://<domain>` itself (ACM certificate, TLS 1.3 policy,
 *   regional WAF) and CloudFront serves `cdn.<domain>` with its own us-east-1 certificate, reaching the
 *   ALB over HTTPS.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Backup } from "../components/aws/backup";
import { AccountBaseline } from "../components/aws/baseline";
import { Cache } from "../components/aws/cache";
import { Cdn } from "../components/aws/cdn";
import { Database, rdsMaxConnections } from "../components/aws/database";
import { buildApiImage } from "../components/aws/imageBuild";
import { Network } from "../components/aws/network";
import { Observability } from "../components/aws/observability";
import { Registry } from "../components/aws/registry";
import { ScheduledJob } from "../components/aws/scheduledJob";
import { ORIGIN_VERIFY_HEADER, Service } from "../components/aws/service";
import { UPLOADS_PREFIX, uploadsEnvironment, uploadsWriteStatements } from "../components/aws/uploads";
import { WebAcl } from "../components/aws/waf";
import { Posture, StackOutputs } from "../components/shared/contracts";
import { physicalName } from "../components/shared/naming";
import { toEventBridgeCron } from "../components/shared/schedule";
import { awsTags, withName } from "../components/shared/tags";
import type { MeridianConfig } from "./config";
import { cdnCertificate } from "./cdnCertificate";
import { POLICY_PACK } from "./policy";
import { awsExtendedPosture } from "./awsPosture";
import { privateEndpointsFor } from "./awsPrivateEndpoints";
import { cachePosture } from "./noCache";
import { awsRelease } from "./release";
import { webhookSecrets } from "./webhooks";

/** The API's container port (the workload contract's PORT). */
const PORT = 8080;

export function createAwsStack(config: MeridianConfig): StackOutputs {
  const tags = awsTags(config.tags);
  const base = config.baseName;
  const prod = config.profile === "prod";

  // CloudFront certificates and the CLOUDFRONT-scope WAF must live in us-east-1, whatever the stack's region.
  const usEast1 = new aws.Provider(`${base}-us-east-1`, { region: "us-east-1" });

  const network = new Network(`${base}-network`, {
    cidr: config.aws.vpcCidr,
    azCount: config.aws.azCount,
    natStrategy: config.aws.natStrategy,
    ...(config.aws.natStrategy === "instance" ? { natInstance: { ami: config.aws.natInstanceAmi } } : {}),
    // natStrategy none: the endpoints a Fargate task needs to start (image, logs, secrets); none otherwise.
    interfaceEndpoints: privateEndpointsFor(config.aws.natStrategy, config.service.otelCollector),
    flowLogs: {
      retentionDays: config.logRetentionDays,
      maxAggregationInterval: prod ? 60 : 600,
    },
    tags,
  });

  const registry = new Registry(`${base}-api`, { tags });

  const database = new Database(`${base}-db`, {
    vpcId: network.vpcId,
    subnetIds: network.isolatedSubnetIds,
    engineVersion: config.database.postgresVersion,
    instanceClass: config.database.instanceClass,
    allocatedStorageGb: config.database.storageGb,
    maxAllocatedStorageGb: config.database.maxStorageGb,
    multiAz: config.database.highAvailability,
    deletionProtection: config.database.deletionProtection,
    backupRetentionDays: config.database.backupRetentionDays,
    proxy: config.database.proxy,
    secretRecoveryWindowDays: prod ? 30 : 7,
    tags,
  });

  const cache = config.cache.enabled
    ? new Cache(`${base}-cache`, {
        vpcId: network.vpcId,
        subnetIds: network.isolatedSubnetIds,
        nodeType: config.cache.nodeType,
        replicas: config.cache.replicas,
        snapshotRetentionDays: prod ? 7 : 0,
        slowLogRetentionDays: config.logRetentionDays,
        secretRecoveryWindowDays: prod ? 30 : 7,
        tags,
      })
    : undefined;

  // The admin API key: generated, kept in Secrets Manager, injected by reference (never in config).
  const adminKey = new random.RandomPassword(`${base}-admin-api-key`, { length: 48, special: false });
  const adminKeySecret = new aws.secretsmanager.Secret(`${base}-admin-api-key`, {
    name: physicalName("aws:secret", base, "admin-api-key"),
    description: `Admin API key of ${base} (ADMIN_API_KEY)`,
    recoveryWindowInDays: prod ? 30 : 7,
    tags: withName(tags, `${base}-admin-api-key`),
  });
  new aws.secretsmanager.SecretVersion(`${base}-admin-api-key`, {
    secretId: adminKeySecret.id,
    secretString: adminKey.result,
  });
  // Inbound webhooks' secrets (meridian:webhooks), injected by reference like the admin key.
  const webhooks = webhookSecrets(config, base).map((w) => {
    const secret = new aws.secretsmanager.Secret(`${base}-${w.name}`, {
      name: physicalName("aws:secret", base, w.name),
      description: `${w.description} of ${base}`,
      recoveryWindowInDays: prod ? 30 : 7,
      tags: withName(tags, `${base}-${w.name}`),
    });
    new aws.secretsmanager.SecretVersion(`${base}-${w.name}`, { secretId: secret.id, secretString: w.value });
    return { env: w.env, secret };
  });

  const serviceDomain = config.domain;
  // The CDN's name sits next to the API's: api.example.com -> cdn.example.com (else cdn.<domain>).
  const cdnDomain = config.domain ? `cdn.${config.domain.replace(/^api\./, "")}` : undefined;
  // The image: set by the app developer (meridian:image), built here (meridian:buildImage), or none yet.
  const built = config.awsExtras.buildImage
    ? buildApiImage(`${base}-api`, registry.repositoryUrl)
    : undefined;
  const image: pulumi.Input<string> | undefined = config.image ?? built?.imageUri;
  if (image === undefined) {
    pulumi.log.warn(
      `meridian:image is not set: the ECS service is created with 0 tasks (nothing to run yet). Push the API image to the ` +
        `ECR repository (output release.imageRepository), then \`pulumi config set meridian:image <repository>@sha256:<digest>\` ` +
        `and \`pulumi up\` again (docs/runbooks/README.md, "First deployment").`,
    );
  }
  const appInstances = Math.max(config.service.maxInstances, 1);
  // Image uploads: the assets bucket and its CDN are created after the service (CloudFront needs the ALB),
  // but the service needs the bucket (env, task role policy): deferred outputs, resolved once the CDN
  // exists. The resources form no cycle: the bucket does not depend on the service.
  const [assetsBucketName, resolveAssetsBucketName] = pulumi.deferredOutput<string>();
  const [assetsBucketArn, resolveAssetsBucketArn] = pulumi.deferredOutput<string>();
  const [assetsBaseUrl, resolveAssetsBaseUrl] = pulumi.deferredOutput<string>();
  const service = new Service(`${base}-api`, {
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    image: image ?? pulumi.interpolate`${registry.repositoryUrl}:bootstrap`,
    requireDigest: prod,
    repositoryArn: registry.repositoryArn,
    cpu: Math.round(config.service.cpu * 1024),
    memoryMiB: config.service.memoryMiB,
    containerPort: PORT,
    minInstances: image === undefined ? 0 : config.service.minInstances,
    maxInstances: image === undefined ? 0 : config.service.maxInstances,
    spot: config.service.spot,
    requireOnDemandBase: prod,
    environment: {
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      OTEL_SERVICE_NAME: `${config.appName}-api`,
      // The pool formula's inputs (docs/app.md): each task takes (max - reserved) / instances connections.
      DB_MAX_CONNECTIONS: String(rdsMaxConnections(config.database.instanceClass)),
      DB_RESERVED_CONNECTIONS: "10",
      APP_INSTANCES: String(appInstances),
      // DATABASE_URL says sslmode=verify-full: trust the RDS (and RDS Proxy) roots bundled with the app.
      DATABASE_SSL_CA_BUNDLE: "aws-rds",
      // Uploaded images: S3 adapter on the assets bucket, URLs under the CDN (docs/app.md "Images").
      ...uploadsEnvironment({
        bucketName: assetsBucketName,
        region: config.aws.region,
        publicBaseUrl: assetsBaseUrl,
      }),
      ...(cdnDomain ? { CORS_ALLOWED_ORIGINS: `https://${cdnDomain}` } : {}),
      // The client IP for rate limits (docs/app-redis.md): the X-Forwarded-For entry our proxies appended —
      // the ALB's (1 hop) when it faces the internet, else CloudFront's then the ALB's (2 hops).
      SECURITY_TRUST_PROXY: serviceDomain ? "1" : "2",
    },
    secrets: {
      DATABASE_URL: database.connectionUrlSecretArn,
      ...(cache ? { REDIS_URL: cache.urlSecretArn } : {}),
      ADMIN_API_KEY: adminKeySecret.arn,
      ...Object.fromEntries(webhooks.map((w) => [w.env, w.secret.arn])),
    },
    // The task role may write exactly <assets bucket>/uploads/* (components/aws/uploads.ts).
    taskPolicyStatements: uploadsWriteStatements(assetsBucketArn, UPLOADS_PREFIX),
    healthCheckPath: "/health/ready",
    logRetentionDays: config.logRetentionDays,
    otelCollector: config.service.otelCollector,
    ...(config.service.otelCollectorImage ? { otelCollectorImage: config.service.otelCollectorImage } : {}),
    domain: serviceDomain,
    hostedZoneId: serviceDomain ? config.awsExtras.hostedZoneId : undefined,
    ingress: serviceDomain ? "internet" : "cloudfront",
    deletionProtection: prod,
    tags,
  });
  // The tasks reach the database (and its proxy) and the cache; nothing else reaches them.
  database.allowFrom("service", service.taskSecurityGroupId);
  cache?.allowFrom("service", service.taskSecurityGroupId);

  // Regional WAF on the ALB when the ALB faces the internet; CloudFront always gets the global one.
  const regionalWaf = serviceDomain
    ? new WebAcl(`${base}-alb-waf`, {
        scope: "REGIONAL",
        rateLimit: config.wafRateLimit,
        logging: prod,
        logRetentionDays: config.logRetentionDays,
        associateWith: [service.albArn],
        tags,
      })
    : undefined;
  const edgeWaf = new WebAcl(
    `${base}-edge-waf`,
    {
      scope: "CLOUDFRONT",
      rateLimit: config.wafRateLimit,
      logging: prod,
      logRetentionDays: config.logRetentionDays,
      tags,
    },
    { provider: usEast1 },
  );

  const cdnCertificateArn = cdnDomain
    ? cdnCertificate({ base, domain: cdnDomain, hostedZoneId: config.awsExtras.hostedZoneId, tags, usEast1 })
    : undefined;

  const cdn = new Cdn(`${base}-cdn`, {
    apiOrigin: serviceDomain
      ? { domainName: serviceDomain, protocol: "https-only" }
      : {
          domainName: service.albDnsName,
          protocol: "http-only",
          originVerifyHeader: {
            name: ORIGIN_VERIFY_HEADER,
            value: service.originVerifyHeader!.value,
          },
        },
    domain:
      cdnDomain && cdnCertificateArn
        ? { aliases: [cdnDomain], acmCertificateArn: cdnCertificateArn }
        : undefined,
    webAclArn: edgeWaf.webAclArn,
    uploadsPrefix: UPLOADS_PREFIX,
    tags,
  });
  resolveAssetsBucketName(cdn.bucketName);
  resolveAssetsBucketArn(cdn.bucketArn);
  resolveAssetsBaseUrl(cdn.url);
  if (cdnDomain && config.awsExtras.hostedZoneId) {
    new aws.route53.Record(`${base}-cdn-alias`, {
      zoneId: config.awsExtras.hostedZoneId,
      name: cdnDomain,
      type: "A",
      aliases: [{ name: cdn.domainName, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
    });
  }

  const job = new ScheduledJob(`${base}-job`, {
    jobName: config.job.name,
    scheduleExpression: toEventBridgeCron(config.job.schedule),
    clusterArn: service.clusterArn,
    taskDefinitionArn: service.taskDefinitionArn,
    taskRoleArn: service.taskRoleArn,
    executionRoleArn: service.executionRoleArn,
    subnetIds: network.privateSubnetIds,
    securityGroupIds: [service.taskSecurityGroupId],
    containerName: service.containerName,
    // Nothing to run before the first image is released.
    enabled: image !== undefined,
    tags,
  });

  if (prod && config.alertEmail === undefined) {
    pulumi.log.warn(
      "meridian:alertEmail is not set: prod alarms notify nobody. Set it: `pulumi config set meridian:alertEmail <on-call address>`.",
    );
  }
  const observability = new Observability(`${base}-obs`, {
    alertEmail: config.alertEmail,
    alb: { albArnSuffix: service.albArnSuffix, targetGroupArnSuffix: service.targetGroupArnSuffix },
    ecs: { clusterName: service.clusterName, serviceName: service.serviceName },
    database: { dbInstanceIdentifier: database.instanceIdentifier },
    ...(cache ? { cache: { cacheClusterIds: cache.memberClusters } } : {}),
    tags,
  });

  const backup =
    config.awsExtras.backupRetentionDays > 0
      ? new Backup(`${base}-backup`, {
          resourceArns: [database.instanceArn],
          retentionDays: config.awsExtras.backupRetentionDays,
          // Weekly restore of the latest recovery point, deleted after the validation window
          // (docs/runbooks/restore-test.md).
          restoreTesting: {
            dbSubnetGroupName: database.subnetGroupName,
            securityGroupIds: [database.securityGroupId],
          },
          tags,
        })
      : undefined;

  // The opt-in account baseline (meridian:accountBaseline): CloudTrail, GuardDuty, AWS Config, Access Analyzer.
  const baseline = config.accountBaseline ? new AccountBaseline(`${base}-baseline`, { tags }) : undefined;

  const apiUrl = serviceDomain ? pulumi.output(`https://${serviceDomain}`) : cdn.url;
  const publicEndpoints: Posture["publicEndpoints"] = [
    { ...cdn.publicEndpoint, waf: true },
    ...service.posture.publicEndpoints.map((e) => ({ ...e, waf: regionalWaf !== undefined })),
  ];
  const logRetentionDays: Record<string, number> = {
    "network-flow-logs": config.logRetentionDays,
    ...service.posture.logRetentionDays,
    ...cache?.logRetention,
    ...edgeWaf.logRetention,
    ...(regionalWaf ? regionalWaf.logRetention : {}),
    ...(baseline ? { [`s3:${base}-baseline-audit-logs`]: baseline.settings.retentionDays } : {}),
  };

  return {
    cloud: "aws",
    profile: config.profile,
    region: config.aws.region,
    apiUrl,
    cdnUrl: cdn.url,
    image: image ?? null,
    network: network.outputs,
    release: awsRelease({
      region: config.aws.region,
      repositoryUrl: registry.repositoryUrl,
      clusterName: service.clusterName,
      serviceName: service.serviceName,
      migrateTaskDefinitionArn: service.migrateTaskDefinitionArn,
      subnetIds: service.privateSubnetIds,
      securityGroupId: service.taskSecurityGroupId,
      containerName: service.containerName,
    }),
    posture: {
      network: network.posture,
      publicEndpoints,
      identities: [
        ...network.identities,
        ...service.identities,
        ...database.identities,
        ...job.identities,
        ...(backup ? backup.identities : []),
        ...(baseline ? baseline.identities : []),
      ],
      logRetentionDays,
      secrets: [
        ...database.secretNames,
        ...(cache?.secretNames ?? []),
        ...service.posture.secrets,
        adminKeySecret.name,
        ...webhooks.map((w) => w.secret.name),
      ],
      edge: { ...cdn.posture, waf: true },
      database: database.posture,
      ...cachePosture(cache),
      backups: {
        database: {
          automatedDays: config.database.backupRetentionDays,
          pointInTimeRecovery: true,
          pointInTimeRecoveryDays: config.database.backupRetentionDays,
          independentVaultDays: config.awsExtras.backupRetentionDays,
        },
      },
      alarms: { destination: observability.topicArn, names: observability.alarmNames },
      policyPack: POLICY_PACK,
      ...awsExtendedPosture({
        base,
        database,
        cache,
        cdn,
        service,
        observability,
        backup,
        baseline,
        logRetentionDays,
        flowLogGroup: network.posture.flowLogs.destination.replace(/^cloudwatch-logs:/, ""),
      }),
    },
  };
}
