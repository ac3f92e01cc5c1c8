/**
 * The args of the AWS `Service` component (components/aws/service.ts): what a caller passes, documented
 * with units, defaults and prices, the per-child `transform` hooks, and the defaults applied by
 * `resolveServiceArgs` (serviceSettings.ts).
 *
 * Types and constants only: no resources. Prices are us-east-1 list prices (AWS Fargate, ALB, CloudWatch,
 * Secrets Manager, X-Ray and S3 pricing pages).
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { Transform } from "../shared/transform";
import type { Statement } from "./iam";

export const INGRESS_MODES = ["internet", "cloudfront"] as const;
/** Who may reach the ALB: anyone (`internet`, needs a domain for TLS) or CloudFront only. */
export type IngressMode = (typeof INGRESS_MODES)[number];

/** An egress rule of the task security group. */
export interface TaskEgressRule {
  /** ASCII description (AWS rejects other characters). */
  description: string;
  /** TCP port. */
  port: number;
  /** Destination CIDR (exactly one of `cidrIpv4`, `referencedSecurityGroupId`, `prefixListId`). */
  cidrIpv4?: pulumi.Input<string>;
  referencedSecurityGroupId?: pulumi.Input<string>;
  prefixListId?: pulumi.Input<string>;
}

/** Per-child `transform` hooks. */
export interface ServiceTransforms {
  cluster?: Transform<aws.ecs.ClusterArgs>;
  clusterCapacityProviders?: Transform<aws.ecs.ClusterCapacityProvidersArgs>;
  logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  taskDefinition?: Transform<aws.ecs.TaskDefinitionArgs>;
  migrateTaskDefinition?: Transform<aws.ecs.TaskDefinitionArgs>;
  service?: Transform<aws.ecs.ServiceArgs>;
  taskRole?: Transform<aws.iam.RoleArgs>;
  taskRolePolicy?: Transform<aws.iam.RolePolicyArgs>;
  executionRole?: Transform<aws.iam.RoleArgs>;
  executionRolePolicy?: Transform<aws.iam.RolePolicyArgs>;
  albSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  taskSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  /** Every ingress rule; the function form receives the logical name. */
  ingressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
  /** Every egress rule; the function form receives the logical name. */
  egressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
  loadBalancer?: Transform<aws.lb.LoadBalancerArgs>;
  targetGroup?: Transform<aws.lb.TargetGroupArgs>;
  /** Every listener (`<name>-https`, `<name>-http`). */
  listener?: Transform<aws.lb.ListenerArgs>;
  /** The origin-verify listener rule (`ingress: "cloudfront"`). */
  listenerRule?: Transform<aws.lb.ListenerRuleArgs>;
  accessLogsBucket?: Transform<aws.s3.BucketArgs>;
  accessLogsBucketPolicy?: Transform<aws.s3.BucketPolicyArgs>;
  accessLogsLifecycle?: Transform<aws.s3.BucketLifecycleConfigurationArgs>;
  certificate?: Transform<aws.acm.CertificateArgs>;
  /** The DNS records (validation and alias) in `hostedZoneId`. */
  dnsRecord?: Transform<aws.route53.RecordArgs>;
  scalingTarget?: Transform<aws.appautoscaling.TargetArgs>;
  /** Both target-tracking policies (`<name>-cpu-scaling`, `<name>-requests-scaling`). */
  scalingPolicy?: Transform<aws.appautoscaling.PolicyArgs>;
  originVerifySecret?: Transform<aws.secretsmanager.SecretArgs>;
}

export interface ServiceArgs {
  /** The VPC (Network `vpcId`). */
  vpcId: pulumi.Input<string>;
  /** Subnets of the ALB (Network `publicSubnetIds`), at least two AZs. */
  publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Subnets of the tasks (Network `privateSubnetIds`); tasks never get a public IP. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The API image, `[registry/]repository[:tag][@sha256:<64 hex>]`, linux/amd64, listening on `PORT`.
   * A plain string is validated now; an Output (e.g. a bootstrap reference built from the registry URL) is
   * checked for format when it resolves (`requireDigest` is enforced on plain strings, as config values are).
   * @example "123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian-api@sha256:9f86d0...0f00a08"
   */
  image: pulumi.Input<string>;
  /**
   * Reject an `image` that is not pinned by digest (`@sha256:`). Prod stacks pass `true`.
   * @default false
   */
  requireDigest?: boolean;
  /**
   * The ECR repository the image comes from (Registry `repositoryArn`). The execution role may then pull
   * from exactly this repository (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) and get a registry token
   * (ecr:GetAuthorizationToken, which AWS cannot scope). Omit for public images.
   * @default none (no ECR permissions)
   */
  repositoryArn?: pulumi.Input<string>;
  /**
   * Task CPU units (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
   * Cost: $0.04048 per vCPU-hour (us-east-1, x86; Spot ≈ 70% less): 0.5 vCPU ≈ $14.78/month per task.
   * @default 512
   */
  cpu?: number;
  /**
   * Task memory in MiB, a value Fargate accepts for `cpu` (256: 512-2048; 512: 1024-4096; 1024: 2048-8192;
   * 2048: 4096-16384; 4096: 8192-30720, by 1024; 8192: 16384-61440 by 4096; 16384: 32768-122880 by 8192).
   * Cost: $0.004445 per GB-hour: 1 GiB ≈ $3.24/month per task.
   * @default 1024
   */
  memoryMiB?: number;
  /**
   * Port the container listens on (passed to the app as `PORT`).
   * @default 8080
   */
  containerPort?: number;
  /**
   * Fewest running tasks (autoscaling floor, and the initial desired count). 0 only before an image exists
   * (the service is created with no tasks); prod: 2 or more.
   * Cost: each task runs 730 h/month (see `cpu`, `memoryMiB`).
   * @default 1
   */
  minInstances?: number;
  /**
   * Most running tasks (autoscaling ceiling), >= `minInstances` (0 only together with `minInstances: 0`).
   * @default 2
   */
  maxInstances?: number;
  /**
   * Run tasks on Fargate Spot (can be interrupted with a 2-minute warning). With `requireOnDemandBase`, the
   * first task always runs on regular Fargate; the rest go to Spot.
   * Cost: Spot ≈ 70% cheaper than on-demand Fargate.
   * @default false
   */
  spot?: boolean;
  /**
   * With `spot`, keep at least one task on on-demand Fargate (capacity provider base 1). Prod passes `true`.
   * @default false
   */
  requireOnDemandBase?: boolean;
  /**
   * Plain environment variables (never secrets: names that look secret, containing PASSWORD, PASSWD,
   * SECRET, TOKEN or KEY, are rejected; use `secrets`). `PORT` is set by the component.
   * @default {}
   * @example { CORS_ORIGINS: "https://app.example.com", RATE_LIMIT_PER_MINUTE: "600" }
   */
  environment?: Record<string, pulumi.Input<string>>;
  /**
   * Secrets injected by reference: env var name -> Secrets Manager secret ARN, optionally with a
   * `:<jsonKey>::` suffix to pick one JSON key. The values never appear in the task definition; the
   * execution role may read exactly these secrets (secretsmanager:GetSecretValue on each ARN).
   * Cost: $0.40/secret-month + $0.05 per 10,000 API calls (secrets are created by their owners).
   * @default {}
   * @example { DATABASE_URL: db.urlSecretArn, REDIS_URL: cache.urlSecretArn }
   */
  secrets?: Record<string, pulumi.Input<string>>;
  /**
   * KMS keys that encrypt the `secrets` (only for customer managed keys); the execution role gets
   * kms:Decrypt on exactly these keys.
   * @default []
   */
  secretsKmsKeyArns?: pulumi.Input<string>[];
  /**
   * Permissions of the app itself (the task role). Explicit actions only; `Resource: "*"` only for actions
   * AWS cannot scope. The task role is always a separate role from the execution role.
   * @default [] (the app can call no AWS API)
   */
  taskPolicyStatements?: Statement[];
  /**
   * Path the ALB health check requests (expects HTTP 200).
   * @default "/health/ready"
   */
  healthCheckPath?: string;
  /**
   * Seconds ECS ignores ALB health checks after a task starts (migrations, warm-up). 0-7200.
   * @default 60
   */
  healthCheckGracePeriodSeconds?: number;
  /**
   * Days the service's log group keeps logs (a CloudWatch Logs value: 1, 3, 5, 7, 14, 30, 60, 90, ...).
   * Cost: ingestion $0.50/GB, storage $0.03/GB-month.
   * @default 30
   */
  logRetentionDays?: number;
  /**
   * Run the AWS Distro for OpenTelemetry collector as a sidecar: the app sends OTLP to
   * `http://localhost:4318` (OTEL_EXPORTER_OTLP_ENDPOINT), traces go to X-Ray, metrics to CloudWatch (EMF,
   * namespace `Meridian/Otel`, through the service's log group). The task role then gets the X-Ray
   * ingestion/sampling actions and cloudwatch:PutMetricData limited to that namespace.
   * Cost: the sidecar shares the task's CPU/memory; X-Ray $5 per million traces recorded (after 100k free);
   * EMF metrics are billed as custom metrics ($0.30/metric-month) plus log ingestion.
   * @default false
   */
  otelCollector?: boolean;
  /**
   * The collector image. The default is pinned by tag; prod should pin it by digest
   * (`public.ecr.aws/aws-observability/aws-otel-collector@sha256:<digest>`), which the policy pack's
   * image-pinned-by-digest rule requires. With `requireDigest`, a tag-only value here is rejected.
   * @default "public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0"
   */
  otelCollectorImage?: string;
  /**
   * The API's domain. An ACM certificate is requested for it (DNS validation); the ALB then serves HTTPS
   * with `ELBSecurityPolicy-TLS13-1-2-2021-06` and HTTP only redirects to HTTPS.
   * Cost: public ACM certificates are free.
   * @default none (requires `ingress: "cloudfront"`)
   * @example "api.example.com"
   */
  domain?: string;
  /**
   * Route 53 hosted zone of `domain`. When given, the validation record, the certificate validation and
   * (with `ingress: "internet"`) an alias record to the ALB are created; otherwise the validation records
   * are an output (`certificateValidationRecords`) to create at your DNS provider while `pulumi up` waits.
   * Cost: $0.50/month per hosted zone (not created here) + $0.40 per million queries (alias queries free).
   * @default none
   */
  hostedZoneId?: pulumi.Input<string>;
  /**
   * Who may reach the ALB. `"internet"`: anyone on 443 (and 80, redirect only); needs `domain`.
   * `"cloudfront"`: only CloudFront's origin-facing servers (AWS managed prefix list), and only requests
   * carrying the secret `X-Origin-Verify` header (others get 403): CloudFront terminates TLS for clients.
   * Without a certificate the ALB listens on HTTP 80 (from CloudFront only).
   * @default "internet" with a domain, "cloudfront" without
   */
  ingress?: IngressMode;
  /**
   * The id of the CloudFront origin-facing prefix list (`pl-...`) to use instead of looking it up.
   * @default looked up by name (`com.amazonaws.global.cloudfront.origin-facing`)
   */
  cloudFrontPrefixListId?: pulumi.Input<string>;
  /**
   * ALB deletion protection. Prod passes `true`.
   * @default false
   */
  deletionProtection?: boolean;
  /**
   * ALB idle timeout in seconds (1-4000).
   * @default 60
   */
  idleTimeoutSeconds?: number;
  /**
   * Days the ALB access logs are kept in their S3 bucket (then expire; old versions 7 days later).
   * Cost: S3 Standard $0.023/GB-month.
   * @default 90
   */
  accessLogRetentionDays?: number;
  /**
   * Seconds ECS waits after SIGTERM before SIGKILL (2-120 on Fargate): the app drains in-flight requests.
   * @default 30
   */
  stopTimeoutSeconds?: number;
  /**
   * Target average CPU (percent) the service scales to.
   * @default 60
   */
  cpuTargetPercent?: number;
  /**
   * Target ALB requests per task (per minute) the service scales to.
   * @default 1000
   */
  requestsPerTarget?: number;
  /**
   * Egress of the task security group. Add database/cache ports here (or create
   * `aws.vpc.SecurityGroupEgressRule`s on `taskSecurityGroupId` outside, to avoid a cycle).
   * @default [{ description: "HTTPS to AWS APIs and the internet", port: 443, cidrIpv4: "0.0.0.0/0" }]
   */
  taskEgress?: TaskEgressRule[];
  /**
   * ECS Exec (shell into running tasks). Grants the task role the four ssmmessages channel actions.
   * @default false
   */
  enableExecuteCommand?: boolean;
  /**
   * Paths the ALB answers with 404 instead of forwarding, because they are for the private network only
   * (the app's `/metrics` is not authenticated). Path patterns as ALB listener rules take them, at most 5.
   * @default ["/metrics", "/metrics/*"]
   */
  privatePaths?: string[];
  /** Tags for every taggable child (each also gets its `Name`). Pass the standard set (`awsTags(...)`). */
  tags: Record<string, string>;
  /** Patches any child's args or options (partial object or function). @default none */
  transform?: ServiceTransforms;
}

export const SERVICE_DEFAULTS = {
  requireDigest: false,
  cpu: 512,
  memoryMiB: 1024,
  containerPort: 8080,
  minInstances: 1,
  maxInstances: 2,
  spot: false,
  requireOnDemandBase: false,
  healthCheckPath: "/health/ready",
  healthCheckGracePeriodSeconds: 60,
  logRetentionDays: 30,
  otelCollector: false,
  deletionProtection: false,
  idleTimeoutSeconds: 60,
  accessLogRetentionDays: 90,
  stopTimeoutSeconds: 30,
  cpuTargetPercent: 60,
  requestsPerTarget: 1000,
  enableExecuteCommand: false,
  privatePaths: ["/metrics", "/metrics/*"],
  taskEgress: [
    { description: "HTTPS to AWS APIs and the internet", port: 443, cidrIpv4: "0.0.0.0/0" },
  ] as TaskEgressRule[],
} as const;

/** The header CloudFront adds to prove a request came through it (`ingress: "cloudfront"`; originSecret.ts). */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";
