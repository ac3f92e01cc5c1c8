/**
 * The Meridian API on AWS: an ECS Fargate service in the private subnets behind an Application Load
 * Balancer in the public subnets, with TLS (ACM, DNS-validated) or CloudFront-only ingress, access logs,
 * chained security groups, least-privilege task and execution roles, secrets injected by reference,
 * an optional OpenTelemetry (ADOT) sidecar, autoscaling on CPU and requests per target, and a one-off
 * `migrate` task definition for deploys.
 *
 * This file is the component and its table of contents; each part is a module beside it:
 * serviceArgs.ts (args, transforms, defaults), serviceSettings.ts (validation), serviceIam.ts (roles),
 * serviceSecurityGroups.ts, accessLogs.ts, loadBalancer.ts (ALB, target group), certificate.ts (ACM,
 * Route 53), originSecret.ts, listeners.ts, ecsCluster.ts, containers.ts and otelCollector.ts (container
 * definitions), taskDefinition.ts, autoscaling.ts. The names they export that callers use are re-exported
 * here. See docs/components/aws-service.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture, ResourcePolicyFact } from "../shared/contracts";
import { childKit } from "../shared/component";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { createAccessLogsBucket } from "./accessLogs";
import { createAutoscaling } from "./autoscaling";
import { createAliasRecord, createCertificate, type ValidationRecord } from "./certificate";
import { APP_CONTAINER } from "./containers";
import { createCluster } from "./ecsCluster";
import { awsEnvironment } from "./environment";
import { createListeners, TLS_POLICY } from "./listeners";
import { createLoadBalancer } from "./loadBalancer";
import { createOriginSecret, ORIGIN_VERIFY_HEADER } from "./originSecret";
import { resourcePolicyFact } from "./policyWords";
import type { ServiceArgs } from "./serviceArgs";
import { createServiceRoles } from "./serviceIam";
import { createSecurityGroups } from "./serviceSecurityGroups";
import { resolveServiceArgs, type ServiceKit } from "./serviceSettings";
import { createTaskDefinitions } from "./taskDefinition";

export { INGRESS_MODES, SERVICE_DEFAULTS } from "./serviceArgs";
export type { IngressMode, ServiceArgs, ServiceTransforms, TaskEgressRule } from "./serviceArgs";
export {
  resolveServiceArgs,
  validatePrivatePaths,
  validateSize,
  validateTaskEgress,
} from "./serviceSettings";
export type { ServiceSettings } from "./serviceSettings";
export {
  APP_CONTAINER,
  APP_USER,
  liveHealthCommand,
  MIGRATE_COMMAND,
  secretResourceArn,
  validateEnvironment,
  validateImage,
  validateSecrets,
} from "./containers";
export {
  OTEL_COLLECTOR_IMAGE,
  OTEL_CONTAINER,
  OTEL_METRICS_NAMESPACE,
  otelCollectorConfig,
} from "./otelCollector";
export { CLOUDFRONT_PREFIX_LIST } from "./serviceSecurityGroups";
export { ORIGIN_VERIFY_HEADER } from "./originSecret";
export { TLS_POLICY } from "./listeners";
export { capacityStrategy } from "./ecsCluster";

/**
 * An ECS Fargate service behind an Application Load Balancer.
 *
 * Children: an ECS cluster (Container Insights enhanced) with the FARGATE and FARGATE_SPOT capacity
 * providers; a log group; a task role and an execution role (distinct, least-privilege); the API task
 * definition (linux/amd64, non-root, read-only root filesystem with a writable ephemeral /tmp, no
 * privileges, all capabilities dropped, health check on /health/live) and a `migrate` task definition; the
 * service in the private subnets without public IPs, with a circuit breaker that rolls back; an ALB with
 * access logs to its own S3 bucket, dropping invalid headers; security groups ALB -> tasks on the container
 * port only; HTTPS with a DNS-validated ACM certificate (or CloudFront-only ingress with a secret header);
 * autoscaling on CPU and ALB requests per target.
 *
 * @example
 * const api = new Service("meridian-prod-api", {
 *   vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds, privateSubnetIds: network.privateSubnetIds,
 *   image: cfg.image, requireDigest: true, repositoryArn: registry.repositoryArn,
 *   cpu: 1024, memoryMiB: 2048, minInstances: 2, maxInstances: 10,
 *   domain: "api.example.com", hostedZoneId: zone.zoneId,
 *   secrets: { DATABASE_URL: db.urlSecretArn, REDIS_URL: cache.urlSecretArn },
 *   otelCollector: true, deletionProtection: true, tags,
 * });
 *
 * ## Cost (us-east-1 list prices, 730 h/month)
 * - Fargate: $0.04048/vCPU-h + $0.004445/GB-h: 0.5 vCPU/1 GiB ≈ $18/month per task; 1 vCPU/2 GiB ≈ $36.
 *   Spot ≈ 70% less.
 * - ALB: $0.0225/h ≈ $16.43/month + $0.008 per LCU-hour (≈ $5.84/month per LCU), plus public IPv4
 *   addresses ($3.65/month each, one per AZ).
 * - Logs: $0.50/GB ingested, $0.03/GB-month; access logs in S3 $0.023/GB-month.
 * - Container Insights (enhanced): billed as custom metrics/logs, roughly $1-10/month for a small service.
 */
export class Service extends pulumi.ComponentResource {
  /** Public URL (`https://<domain>` with `ingress: "internet"`), else the ALB origin URL the CDN uses. */
  public readonly url: pulumi.Output<string>;
  public readonly albDnsName: pulumi.Output<string>;
  public readonly albArn: pulumi.Output<string>;
  /** `app/<name>/<id>`: the CloudWatch dimension of the ALB. */
  public readonly albArnSuffix: pulumi.Output<string>;
  /** The ALB's Route 53 zone (for alias records). */
  public readonly albZoneId: pulumi.Output<string>;
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  public readonly albSecurityGroupId: pulumi.Output<string>;
  /** The tasks' security group: admit it in the database and cache security groups. */
  public readonly taskSecurityGroupId: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  public readonly clusterName: pulumi.Output<string>;
  public readonly serviceName: pulumi.Output<string>;
  public readonly taskDefinitionArn: pulumi.Output<string>;
  public readonly taskDefinitionFamily: pulumi.Output<string>;
  /** The one-off `node dist/cli.js migrate` task definition (run it before a rollout). */
  public readonly migrateTaskDefinitionArn: pulumi.Output<string>;
  public readonly taskRoleArn: pulumi.Output<string>;
  public readonly executionRoleArn: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  /** The private subnets the tasks run in (for one-off and scheduled tasks). */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** The name of the API container in the task definitions. */
  public readonly containerName: string;
  /** The ACM certificate (validated) when `domain` is set. */
  public readonly certificateArn?: pulumi.Output<string>;
  /** DNS records to create when `domain` is set without `hostedZoneId`. */
  public readonly certificateValidationRecords?: pulumi.Output<ValidationRecord[]>;
  /** With `ingress: "cloudfront"`: the header CloudFront must add (value is secret). */
  public readonly originVerifyHeader?: {
    name: string;
    value: pulumi.Output<string>;
    secretArn: pulumi.Output<string>;
  };
  /** How the CDN must reach the origin: `"https-only"` with a certificate, else `"http-only"`. */
  public readonly originProtocolPolicy: "https-only" | "http-only";
  /** The identities this component creates, with their exact permissions (for the posture document). */
  public readonly identities: Posture["identities"];
  /** This component's part of the posture document. */
  public readonly posture: Pick<Posture, "publicEndpoints" | "logRetentionDays" | "secrets">;
  /** The access-log bucket's policy in words, for the posture document. */
  public readonly resourcePolicies: ResourcePolicyFact[];

  constructor(name: string, args: ServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("Service", name, () => resolveServiceArgs(args));
    super("meridian:aws:Service", name, {}, opts);
    const kit: ServiceKit = { ...childKit(this, s.tags), parent: this, name, s, t: args.transform ?? {} };
    this.containerName = APP_CONTAINER;

    const env = awsEnvironment(this);
    const logGroupName = physicalName("aws:logGroup", `/meridian/${name}/service`);
    const logGroup = new aws.cloudwatch.LogGroup(
      ...applyTransform(
        kit.t.logGroup,
        `${name}-logs`,
        { name: logGroupName, retentionInDays: s.logRetentionDays, tags: kit.tagsFor(`${name}-logs`) },
        kit.childOpts(),
      ),
    );
    // The execution role (ECS agent: pull, secrets, logs) and the task role (the app) are distinct.
    const roles = createServiceRoles(kit, env, logGroup.arn, args);
    const { execution, task } = roles;
    const { albSg, taskSg } = createSecurityGroups(kit, args);
    const logsBucket = createAccessLogsBucket(kit, env);
    const { alb, targetGroup } = createLoadBalancer(kit, args, albSg, logsBucket);
    const cert = s.domain ? createCertificate(kit, s.domain, args.hostedZoneId) : undefined;
    const origin = s.ingress === "cloudfront" ? createOriginSecret(kit) : undefined;
    const routing = createListeners(kit, alb, targetGroup, cert?.arn, origin?.value);
    if (cert && args.hostedZoneId !== undefined && s.ingress === "internet") {
      createAliasRecord(kit, args.hostedZoneId, s.domain!, alb);
    }
    const { cluster, capacity, strategy } = createCluster(kit);
    const { taskDefinition, migrate } = createTaskDefinitions(kit, roles, logGroupName, env.region);

    const service = new aws.ecs.Service(
      ...applyTransform(
        kit.t.service,
        `${name}-service`,
        {
          name: physicalName("aws:ecs", name),
          cluster: cluster.arn,
          taskDefinition: taskDefinition.arn,
          desiredCount: s.minInstances,
          capacityProviderStrategies: strategy,
          platformVersion: "LATEST",
          networkConfiguration: {
            subnets: args.privateSubnetIds,
            securityGroups: [taskSg.id],
            assignPublicIp: false,
          },
          loadBalancers: [
            { targetGroupArn: targetGroup.arn, containerName: APP_CONTAINER, containerPort: s.containerPort },
          ],
          deploymentCircuitBreaker: { enable: true, rollback: true },
          deploymentMinimumHealthyPercent: 100,
          deploymentMaximumPercent: 200,
          healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
          waitForSteadyState: true,
          propagateTags: "SERVICE",
          enableEcsManagedTags: true,
          enableExecuteCommand: s.enableExecuteCommand,
          tags: kit.tagsFor(`${name}-service`),
        },
        kit.childOpts({
          // The target group must be attached to a listener, the capacity providers associated and the
          // execution role allowed to pull before the first task starts.
          dependsOn: [...routing, capacity, ...(execution.policy ? [execution.policy] : [])],
          // Autoscaling owns the desired count after creation.
          ignoreChanges: ["desiredCount"],
        }),
      ),
    );
    createAutoscaling(kit, cluster, service, alb, targetGroup);

    const originUrl = pulumi.interpolate`${cert ? "https" : "http"}://${alb.dnsName}`;
    this.url = s.ingress === "internet" ? pulumi.output(`https://${s.domain}`) : originUrl;
    this.albDnsName = alb.dnsName;
    this.albArn = alb.arn;
    this.albArnSuffix = alb.arnSuffix;
    this.albZoneId = alb.zoneId;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.albSecurityGroupId = albSg.id;
    this.taskSecurityGroupId = taskSg.id;
    this.clusterArn = cluster.arn;
    this.clusterName = cluster.name;
    this.serviceName = service.name;
    this.taskDefinitionArn = taskDefinition.arn;
    this.taskDefinitionFamily = taskDefinition.family;
    this.migrateTaskDefinitionArn = migrate.arn;
    this.taskRoleArn = task.role.arn;
    this.executionRoleArn = execution.role.arn;
    this.logGroupName = logGroup.name;
    this.privateSubnetIds = pulumi.output(args.privateSubnetIds);
    this.certificateArn = cert?.arn;
    this.certificateValidationRecords = cert?.records;
    this.originVerifyHeader = origin
      ? { name: ORIGIN_VERIFY_HEADER, value: pulumi.secret(origin.value), secretArn: origin.secretArn }
      : undefined;
    this.originProtocolPolicy = cert ? "https-only" : "http-only";
    this.identities = [execution.identity, task.identity];
    this.resourcePolicies = [
      resourcePolicyFact(`s3:${name}-alb-logs`, "bucket-policy", logsBucket.policy.policy),
    ];
    this.posture = {
      publicEndpoints: [
        // Without a domain the ALB listens on plain HTTP (admitted only from CloudFront): say so.
        { name: `${name}-alb`, kind: "alb", tls: cert ? TLS_POLICY : "http", waf: false },
      ],
      logRetentionDays: {
        [logGroupName]: s.logRetentionDays,
        [`s3:${name}-alb-logs`]: s.accessLogRetentionDays,
      },
      secrets: origin ? [origin.secretName] : [],
    };

    this.registerOutputs({
      url: this.url,
      albDnsName: this.albDnsName,
      albArn: this.albArn,
      albArnSuffix: this.albArnSuffix,
      albZoneId: this.albZoneId,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      albSecurityGroupId: this.albSecurityGroupId,
      taskSecurityGroupId: this.taskSecurityGroupId,
      clusterArn: this.clusterArn,
      clusterName: this.clusterName,
      serviceName: this.serviceName,
      taskDefinitionArn: this.taskDefinitionArn,
      taskDefinitionFamily: this.taskDefinitionFamily,
      migrateTaskDefinitionArn: this.migrateTaskDefinitionArn,
      taskRoleArn: this.taskRoleArn,
      executionRoleArn: this.executionRoleArn,
      logGroupName: this.logGroupName,
      certificateArn: this.certificateArn,
      certificateValidationRecords: this.certificateValidationRecords,
      originVerifyHeader: this.originVerifyHeader,
      identities: this.identities,
      posture: this.posture,
    });
  }
}
