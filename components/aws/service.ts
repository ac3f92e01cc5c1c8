/**
 * The Meridian API on AWS: an ECS Fargate service in the private subnets behind an Application Load
 * Balancer in the public subnets, with TLS (ACM, DNS-validated) or CloudFront-only ingress, access logs,
 * chained security groups, least-privilege task and execution roles, secrets injected by reference,
 * an optional OpenTelemetry (ADOT) sidecar, autoscaling on CPU and requests per target, and a one-off
 * `migrate` task definition for deploys.
 *
 * Validation is pure and exported ({@link resolveServiceArgs} and the helpers it uses) so it tests without
 * mocks. See docs/components/aws-service.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { applyTransform, Transform } from "../shared/transform";
import { bool, intIn, resolveArgs, show } from "../shared/validate";
import { FARGATE_SIZES } from "./fargate";
import { checkStatement, createServiceRole, Statement } from "./iam";
import { LOG_RETENTION_DAYS } from "./network";
import { createPrivateBucket, denyInsecureTransport } from "./bucket";
import { awsEnvironment, type AwsEnvironment } from "./environment";
import { childKit, type ChildKit } from "../shared/component";

/** The ALB TLS policy: TLS 1.3 and 1.2 only, forward-secret ciphers. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** The header CloudFront adds to prove a request came through it (`ingress: "cloudfront"`). */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";
/** AWS managed prefix list of CloudFront's origin-facing servers. */
export const CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
/** The ADOT collector image, pinned. */
export const OTEL_COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0";
/** CloudWatch namespace the collector's metrics go to (EMF), and the only one PutMetricData may write. */
export const OTEL_METRICS_NAMESPACE = "Meridian/Otel";
/** The migrate command of the workload contract. */
export const MIGRATE_COMMAND = ["node", "dist/cli.js", "migrate"] as const;
/** Name of the API container in the task definitions. */
export const APP_CONTAINER = "api";
/** Name of the collector container. */
export const OTEL_CONTAINER = "otel-collector";
/** Uid:gid the app runs as (non-root; the image's `node` user). */
export const APP_USER = "1000:1000";

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

/** The validated args with defaults applied. */
export interface ServiceSettings {
  otelCollectorImage: string;
  image: pulumi.Input<string>;
  requireDigest: boolean;
  cpu: number;
  memoryMiB: number;
  containerPort: number;
  minInstances: number;
  maxInstances: number;
  spot: boolean;
  requireOnDemandBase: boolean;
  environment: Record<string, pulumi.Input<string>>;
  secrets: Record<string, pulumi.Input<string>>;
  taskPolicyStatements: Statement[];
  healthCheckPath: string;
  healthCheckGracePeriodSeconds: number;
  logRetentionDays: number;
  otelCollector: boolean;
  domain?: string;
  ingress: IngressMode;
  deletionProtection: boolean;
  idleTimeoutSeconds: number;
  accessLogRetentionDays: number;
  stopTimeoutSeconds: number;
  cpuTargetPercent: number;
  requestsPerTarget: number;
  taskEgress: TaskEgressRule[];
  enableExecuteCommand: boolean;
  privatePaths: string[];
  tags: Tags;
}

const IMAGE_REF =
  /^(?:(?<registry>[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d+)?)\/)?(?<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

/** Validates ALB path patterns (`/...`, at most 128 characters, `*` and `?` wildcards; 1-5 of them). */
export function validatePrivatePaths(paths: unknown): string[] {
  if (!Array.isArray(paths) || paths.length > 5)
    throw new Error(`privatePaths is ${show(paths)}; allowed: a list of at most 5 path patterns`);
  for (const p of paths) {
    if (typeof p !== "string" || !/^\/[A-Za-z0-9_\-.$/~"'@:+*?&]{0,127}$/.test(p))
      throw new Error(
        `privatePaths contains ${show(p)}; allowed: a path pattern starting with "/" (letters, digits, _-.$/~"'@:+&, wildcards * and ?; at most 128 characters)`,
      );
  }
  return paths as string[];
}

/** Validates an image reference; with `requireDigest`, it must be pinned by `@sha256:<64 hex>`. */
export function validateImage(image: unknown, requireDigest: boolean): string {
  if (typeof image !== "string" || image.length > 512 || !IMAGE_REF.test(image)) {
    throw new Error(
      `image is ${show(image)}; allowed: an image reference [registry/]repository[:tag][@sha256:<64 hex>] ` +
        `(lowercase repository), e.g. "123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian-api@sha256:<digest>"`,
    );
  }
  if (requireDigest && !/@sha256:[a-f0-9]{64}$/.test(image)) {
    throw new Error(
      `image is ${show(image)} but requireDigest is true; allowed: an image pinned by digest ` +
        `(<repository>@sha256:<64 hex>); a tag can be moved to other content. Get the digest with ` +
        `\`docker buildx imagetools inspect IMAGE\` or \`crane digest IMAGE\``,
    );
  }
  return image;
}

/** Validates a Fargate CPU/memory pair. */
export function validateSize(cpu: unknown, memoryMiB: unknown): { cpu: number; memoryMiB: number } {
  const sizes = Object.keys(FARGATE_SIZES).map(Number);
  if (typeof cpu !== "number" || !sizes.includes(cpu)) {
    throw new Error(`cpu is ${show(cpu)}; allowed (Fargate CPU units, 1024 = 1 vCPU): ${sizes.join(", ")}`);
  }
  const mems = FARGATE_SIZES[cpu];
  if (typeof memoryMiB !== "number" || !mems.includes(memoryMiB)) {
    throw new Error(
      `memoryMiB is ${show(memoryMiB)}, which Fargate does not offer with cpu ${cpu}; allowed: ` +
        `${mems[0]} to ${mems[mems.length - 1]} in steps of ${mems[1] - mems[0]} (${mems.join(", ")})`,
    );
  }
  return { cpu, memoryMiB };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LIKE = /PASSWORD|PASSWD|SECRET|TOKEN|KEY/i;
/** Names the component sets itself. */
const RESERVED_ENV = ["PORT", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL"];

/** Validates plain environment variables: valid names, string values, nothing that looks secret. */
export function validateEnvironment(env: unknown): Record<string, pulumi.Input<string>> {
  const e = env ?? {};
  if (e === null || typeof e !== "object" || Array.isArray(e)) {
    throw new Error(`environment is ${show(e)}; allowed: a map of variable name to string value`);
  }
  for (const [k, v] of Object.entries(e)) {
    if (!ENV_NAME.test(k)) {
      throw new Error(
        `environment has the name ${show(k)}; allowed: letters, digits and _ (not starting with a digit)`,
      );
    }
    if (SECRET_LIKE.test(k)) {
      throw new Error(
        `environment.${k} looks like a secret (the name contains PASSWORD, PASSWD, SECRET, TOKEN or KEY); plain ` +
          `environment values are visible in the task definition: store it in Secrets Manager and pass its ARN ` +
          `in secrets: { ${k}: <secret ARN> }`,
      );
    }
    if (RESERVED_ENV.includes(k)) {
      throw new Error(
        `environment.${k} is set by the component; allowed: any other name (use containerPort for PORT)`,
      );
    }
    // An Output is allowed for values known only at deployment (e.g. a bucket name created in the same stack).
    if (typeof v !== "string" && !pulumi.Output.isInstance(v))
      throw new Error(`environment.${k} is ${show(v)}; allowed: a string (or a pulumi Output of one)`);
  }
  return { ...(e as Record<string, pulumi.Input<string>>) };
}

const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(?::[^:]*:[^:]*:[^:]*)?$/;

/** The secret's own ARN (IAM resource) from a `valueFrom` that may carry `:jsonKey:stage:version`. */
export function secretResourceArn(valueFrom: string): string {
  return valueFrom.split(":").slice(0, 7).join(":");
}

/** Validates the secret references (known ARNs are checked now; outputs when they resolve). */
export function validateSecrets(
  secrets: unknown,
  environment: Record<string, pulumi.Input<string>>,
): Record<string, pulumi.Input<string>> {
  const s = secrets ?? {};
  if (s === null || typeof s !== "object" || Array.isArray(s)) {
    throw new Error(`secrets is ${show(s)}; allowed: a map of variable name to Secrets Manager secret ARN`);
  }
  for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
    if (!ENV_NAME.test(k)) {
      throw new Error(
        `secrets has the name ${show(k)}; allowed: letters, digits and _ (not starting with a digit)`,
      );
    }
    if (k in environment) {
      throw new Error(
        `${k} is in both environment and secrets; allowed: one of them (a secret belongs in secrets)`,
      );
    }
    if (RESERVED_ENV.includes(k)) throw new Error(`secrets.${k} is set by the component; use another name`);
    if (typeof v === "string" && !SECRET_ARN.test(v)) {
      throw new Error(
        `secrets.${k} is ${show(v)}; allowed: a Secrets Manager secret ARN ` +
          `(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 chars>), optionally with ":<jsonKey>::"`,
      );
    }
    if (v === undefined || v === null) throw new Error(`secrets.${k} is ${show(v)}; allowed: a secret ARN`);
  }
  return { ...(s as Record<string, pulumi.Input<string>>) };
}

/** Validates the task egress rules. */
export function validateTaskEgress(rules: unknown): TaskEgressRule[] {
  if (!Array.isArray(rules)) {
    throw new Error(
      `taskEgress is ${show(rules)}; allowed: a list of { description, port, cidrIpv4 | referencedSecurityGroupId | prefixListId }`,
    );
  }
  rules.forEach((r: TaskEgressRule, i) => {
    const where = `taskEgress[${i}]`;
    intIn(`${where}.port`, r?.port, 1, 65535);
    const targets = [r.cidrIpv4, r.referencedSecurityGroupId, r.prefixListId].filter((t) => t !== undefined);
    if (targets.length !== 1) {
      throw new Error(
        `${where} has ${targets.length} destinations; allowed: exactly one of cidrIpv4, referencedSecurityGroupId, prefixListId`,
      );
    }
    asciiDescription(String(r.description ?? ""), `${where}.description`);
    if (!r.description) throw new Error(`${where}.description is empty; allowed: an ASCII description`);
  });
  return [...(rules as TaskEgressRule[])];
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Validates every arg synchronously and applies defaults. Each error names the arg, the value and what is
 * allowed. Pure: no Pulumi resources.
 */
export function resolveServiceArgs(args: ServiceArgs): ServiceSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = SERVICE_DEFAULTS;
  for (const k of ["vpcId", "publicSubnetIds", "privateSubnetIds"] as const) {
    if (args[k] === undefined || args[k] === null) {
      throw new Error(`${k} is ${show(args[k])}; allowed: the Network's ${k} (required)`);
    }
  }
  const requireDigest = bool("requireDigest", args.requireDigest ?? d.requireDigest);
  const image = pulumi.Output.isInstance(args.image) ? args.image : validateImage(args.image, requireDigest);
  const { cpu, memoryMiB } = validateSize(args.cpu ?? d.cpu, args.memoryMiB ?? d.memoryMiB);
  const containerPort = intIn("containerPort", args.containerPort ?? d.containerPort, 1024, 65535);
  const minInstances = intIn("minInstances", args.minInstances ?? d.minInstances, 0, 1000);
  const maxInstances = intIn("maxInstances", args.maxInstances ?? d.maxInstances, 0, 1000);
  if (minInstances > maxInstances) {
    throw new Error(
      `minInstances (${minInstances}) is greater than maxInstances (${maxInstances}); allowed: minInstances <= maxInstances`,
    );
  }
  const spot = bool("spot", args.spot ?? d.spot);
  const requireOnDemandBase = bool("requireOnDemandBase", args.requireOnDemandBase ?? d.requireOnDemandBase);
  const environment = validateEnvironment(args.environment);
  const secrets = validateSecrets(args.secrets, environment);
  const taskPolicyStatements = args.taskPolicyStatements ?? [];
  if (!Array.isArray(taskPolicyStatements)) {
    throw new Error(
      `taskPolicyStatements is ${show(taskPolicyStatements)}; allowed: a list of IAM statements`,
    );
  }
  taskPolicyStatements.forEach((s, i) => checkStatement(s, `taskPolicyStatements[${i}]`));
  const healthCheckPath = args.healthCheckPath ?? d.healthCheckPath;
  if (
    typeof healthCheckPath !== "string" ||
    !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,1023}$/.test(healthCheckPath)
  ) {
    throw new Error(
      `healthCheckPath is ${show(healthCheckPath)}; allowed: a URL path starting with "/" (e.g. "/health/ready")`,
    );
  }
  const healthCheckGracePeriodSeconds = intIn(
    "healthCheckGracePeriodSeconds",
    args.healthCheckGracePeriodSeconds ?? d.healthCheckGracePeriodSeconds,
    0,
    7200,
  );
  const logRetentionDays = args.logRetentionDays ?? d.logRetentionDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new Error(
      `logRetentionDays is ${show(logRetentionDays)}; allowed (CloudWatch Logs): ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  const otelCollector = bool("otelCollector", args.otelCollector ?? d.otelCollector);
  let otelCollectorImage = OTEL_COLLECTOR_IMAGE;
  if (args.otelCollectorImage !== undefined) {
    try {
      otelCollectorImage = validateImage(args.otelCollectorImage, requireDigest);
    } catch (e) {
      throw new Error((e as Error).message.replace(/^image /, "otelCollectorImage "));
    }
  }
  const domain = args.domain;
  if (domain !== undefined && (typeof domain !== "string" || !DOMAIN.test(domain))) {
    throw new Error(`domain is ${show(domain)}; allowed: a lowercase DNS name such as "api.example.com"`);
  }
  if (args.hostedZoneId !== undefined && domain === undefined) {
    throw new Error(`hostedZoneId is set but domain is not; allowed: hostedZoneId only together with domain`);
  }
  const ingress = args.ingress ?? (domain ? "internet" : "cloudfront");
  if (!(INGRESS_MODES as readonly string[]).includes(ingress)) {
    throw new Error(`ingress is ${show(ingress)}; allowed: "internet", "cloudfront"`);
  }
  if (ingress === "internet" && domain === undefined) {
    throw new Error(
      `ingress is "internet" but domain is not set; without a domain there is no certificate, so the ALB could only ` +
        `serve plain HTTP to the internet. Allowed: set domain (HTTPS with an ACM certificate, HTTP redirects to ` +
        `HTTPS), or ingress: "cloudfront" (CloudFront terminates TLS with its certificate; the ALB accepts only ` +
        `CloudFront's origin-facing servers carrying the secret ${ORIGIN_VERIFY_HEADER} header)`,
    );
  }
  if (args.cloudFrontPrefixListId !== undefined && ingress !== "cloudfront") {
    throw new Error(
      `cloudFrontPrefixListId is set but ingress is ${show(ingress)}; it is only used with ingress "cloudfront"`,
    );
  }
  const tags = args.tags as unknown;
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    throw new Error(`tags is ${show(tags)}; allowed: a map of strings (pass the standard set, awsTags(...))`);
  }
  return {
    otelCollectorImage,
    image,
    requireDigest,
    cpu,
    memoryMiB,
    containerPort,
    minInstances,
    maxInstances,
    spot,
    requireOnDemandBase,
    environment,
    secrets,
    taskPolicyStatements,
    healthCheckPath,
    healthCheckGracePeriodSeconds,
    logRetentionDays,
    otelCollector,
    domain,
    ingress: ingress as IngressMode,
    deletionProtection: bool("deletionProtection", args.deletionProtection ?? d.deletionProtection),
    idleTimeoutSeconds: intIn("idleTimeoutSeconds", args.idleTimeoutSeconds ?? d.idleTimeoutSeconds, 1, 4000),
    accessLogRetentionDays: intIn(
      "accessLogRetentionDays",
      args.accessLogRetentionDays ?? d.accessLogRetentionDays,
      1,
      3650,
    ),
    stopTimeoutSeconds: intIn("stopTimeoutSeconds", args.stopTimeoutSeconds ?? d.stopTimeoutSeconds, 2, 120),
    cpuTargetPercent: intIn("cpuTargetPercent", args.cpuTargetPercent ?? d.cpuTargetPercent, 10, 90),
    requestsPerTarget: intIn(
      "requestsPerTarget",
      args.requestsPerTarget ?? d.requestsPerTarget,
      1,
      1_000_000,
    ),
    taskEgress: validateTaskEgress(args.taskEgress ?? d.taskEgress),
    enableExecuteCommand: bool("enableExecuteCommand", args.enableExecuteCommand ?? d.enableExecuteCommand),
    privatePaths: validatePrivatePaths(args.privatePaths ?? [...d.privatePaths]),
    tags: { ...(tags as Tags) },
  };
}

/** The capacity provider strategy: on-demand Fargate, or Spot with an optional on-demand base of 1. */
export function capacityStrategy(
  spot: boolean,
  requireOnDemandBase: boolean,
): { capacityProvider: string; base: number; weight: number }[] {
  if (!spot) return [{ capacityProvider: "FARGATE", base: requireOnDemandBase ? 1 : 0, weight: 1 }];
  return [
    { capacityProvider: "FARGATE", base: requireOnDemandBase ? 1 : 0, weight: 0 },
    { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
  ];
}

/** The collector configuration (JSON is YAML): OTLP on localhost in, X-Ray and CloudWatch EMF out. */
export function otelCollectorConfig(logGroupName: string): string {
  return JSON.stringify({
    extensions: { health_check: {} },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: "127.0.0.1:4317" }, http: { endpoint: "127.0.0.1:4318" } } },
    },
    processors: {
      resourcedetection: { detectors: ["env", "ecs"] },
      "batch/traces": { timeout: "1s", send_batch_size: 50 },
      "batch/metrics": { timeout: "60s" },
    },
    exporters: {
      awsxray: {},
      awsemf: {
        namespace: OTEL_METRICS_NAMESPACE,
        log_group_name: logGroupName,
        log_stream_name: "otel-metrics/{TaskId}",
      },
    },
    service: {
      extensions: ["health_check"],
      pipelines: {
        traces: {
          receivers: ["otlp"],
          processors: ["resourcedetection", "batch/traces"],
          exporters: ["awsxray"],
        },
        metrics: {
          receivers: ["otlp"],
          processors: ["resourcedetection", "batch/metrics"],
          exporters: ["awsemf"],
        },
      },
    },
  });
}

/** The container health check: Node's fetch against /health/live (no curl/wget needed in the image). */
export function liveHealthCommand(port: number): string[] {
  return [
    "CMD",
    "node",
    "-e",
    `fetch('http://127.0.0.1:${port}/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
  ];
}

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
  private readonly childOpts: ChildKit["childOpts"];
  private readonly tagsFor: ChildKit["tagsFor"];
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
  public readonly certificateValidationRecords?: pulumi.Output<
    { name: string; type: string; value: string }[]
  >;
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

  private readonly baseName: string;
  private readonly s: ServiceSettings;
  private readonly t: ServiceTransforms;

  constructor(name: string, args: ServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Service", name, () => resolveServiceArgs(args));
    super("meridian:aws:Service", name, {}, opts);
    this.baseName = name;
    this.s = settings;
    ({ childOpts: this.childOpts, tagsFor: this.tagsFor } = childKit(this, settings.tags));
    this.t = args.transform ?? {};
    const s = settings;
    this.containerName = APP_CONTAINER;

    const env = awsEnvironment(this);
    const logGroupName = physicalName("aws:logGroup", `/meridian/${name}/service`);
    const logGroup = new aws.cloudwatch.LogGroup(
      ...applyTransform(
        this.t.logGroup,
        `${name}-logs`,
        { name: logGroupName, retentionInDays: s.logRetentionDays, tags: this.tagsFor(`${name}-logs`) },
        this.childOpts(),
      ),
    );

    // Roles: the execution role (ECS agent: pull, secrets, logs) and the task role (the app) are distinct.
    const ecsSourceArn = pulumi.interpolate`arn:${env.partition}:ecs:${env.region}:${env.account}:*`;
    const execution = createServiceRole(
      {
        name: `${name}-execution-role`,
        service: "ecs-tasks.amazonaws.com",
        description: `ECS agent for ${name}: pulls the image, reads the referenced secrets, writes logs`,
        account: env.account,
        sourceArn: ecsSourceArn,
        statements: this.executionStatements(logGroup, args),
        tags: this.tagsFor(`${name}-execution-role`),
        transform: { role: this.t.executionRole, policy: this.t.executionRolePolicy },
      },
      this.childOpts(),
    );
    const task = createServiceRole(
      {
        name: `${name}-task-role`,
        service: "ecs-tasks.amazonaws.com",
        description: `The ${name} application (task role)`,
        account: env.account,
        sourceArn: ecsSourceArn,
        statements: this.taskStatements(logGroup),
        tags: this.tagsFor(`${name}-task-role`),
        transform: { role: this.t.taskRole, policy: this.t.taskRolePolicy },
      },
      this.childOpts(),
    );

    const { albSg, taskSg } = this.createSecurityGroups(args);
    const logsBucket = this.createAccessLogsBucket(env);
    const alb = new aws.lb.LoadBalancer(
      ...applyTransform(
        this.t.loadBalancer,
        `${name}-alb`,
        {
          name: physicalName("aws:lb", name),
          loadBalancerType: "application",
          internal: false,
          ipAddressType: "ipv4",
          subnets: args.publicSubnetIds,
          securityGroups: [albSg.id],
          dropInvalidHeaderFields: true,
          desyncMitigationMode: "defensive",
          idleTimeout: s.idleTimeoutSeconds,
          enableDeletionProtection: s.deletionProtection,
          accessLogs: { bucket: logsBucket.bucket.bucket, prefix: "alb", enabled: true },
          tags: this.tagsFor(`${name}-alb`),
        },
        // ELB checks it can write to the bucket when access logs are enabled.
        this.childOpts({ dependsOn: [logsBucket.policy] }),
      ),
    );
    const targetGroup = new aws.lb.TargetGroup(
      ...applyTransform(
        this.t.targetGroup,
        `${name}-tg`,
        {
          name: physicalName("aws:targetGroup", name, String(s.containerPort)),
          targetType: "ip",
          port: s.containerPort,
          protocol: "HTTP",
          protocolVersion: "HTTP1",
          vpcId: args.vpcId,
          deregistrationDelay: 30,
          healthCheck: {
            enabled: true,
            path: s.healthCheckPath,
            protocol: "HTTP",
            port: "traffic-port",
            matcher: "200",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
          },
          tags: this.tagsFor(`${name}-tg`),
        },
        this.childOpts(),
      ),
    );

    const cert = s.domain ? this.createCertificate(s.domain, args.hostedZoneId) : undefined;
    const origin = s.ingress === "cloudfront" ? this.createOriginSecret() : undefined;
    const routing = this.createListeners(alb, targetGroup, cert?.arn, origin?.value);
    if (cert && args.hostedZoneId !== undefined && s.ingress === "internet") {
      new aws.route53.Record(
        ...applyTransform(
          this.t.dnsRecord,
          `${name}-alias`,
          {
            zoneId: args.hostedZoneId,
            name: s.domain!,
            type: "A",
            aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
          },
          this.childOpts(),
        ),
      );
    }

    const cluster = new aws.ecs.Cluster(
      ...applyTransform(
        this.t.cluster,
        `${name}-cluster`,
        {
          name: physicalName("aws:ecs", name),
          settings: [{ name: "containerInsights", value: "enhanced" }],
          tags: this.tagsFor(`${name}-cluster`),
        },
        this.childOpts(),
      ),
    );
    const strategy = capacityStrategy(s.spot, s.requireOnDemandBase);
    const capacity = new aws.ecs.ClusterCapacityProviders(
      ...applyTransform(
        this.t.clusterCapacityProviders,
        `${name}-capacity`,
        {
          clusterName: cluster.name,
          capacityProviders: ["FARGATE", "FARGATE_SPOT"],
          defaultCapacityProviderStrategies: strategy,
        },
        this.childOpts(),
      ),
    );

    const family = physicalName("aws:ecs", name);
    const taskDefinition = this.createTaskDefinition(
      this.t.taskDefinition,
      `${name}-task`,
      family,
      this.appContainers(logGroupName, env, undefined),
      task.role,
      execution.role,
    );
    const migrate = this.createTaskDefinition(
      this.t.migrateTaskDefinition,
      `${name}-migrate-task`,
      physicalName("aws:ecs", name, "migrate"),
      this.appContainers(logGroupName, env, [...MIGRATE_COMMAND]),
      task.role,
      execution.role,
    );

    const service = new aws.ecs.Service(
      ...applyTransform(
        this.t.service,
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
          tags: this.tagsFor(`${name}-service`),
        },
        this.childOpts({
          // The target group must be attached to a listener, the capacity providers associated and the
          // execution role allowed to pull before the first task starts.
          dependsOn: [...routing, capacity, ...(execution.policy ? [execution.policy] : [])],
          // Autoscaling owns the desired count after creation.
          ignoreChanges: ["desiredCount"],
        }),
      ),
    );
    this.createAutoscaling(cluster, service, alb, targetGroup);

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
    this.posture = {
      publicEndpoints: [
        { name: `${name}-alb`, kind: "alb", tls: cert ? TLS_POLICY : "cloudfront-only", waf: false },
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

  /** Execution role: write its own log group, pull from its repository, read exactly the referenced secrets. */
  private executionStatements(logGroup: aws.cloudwatch.LogGroup, args: ServiceArgs): Statement[] {
    const statements: Statement[] = [
      {
        sid: "WriteOwnLogGroup",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:*`],
      },
    ];
    if (args.repositoryArn !== undefined) {
      statements.push(
        {
          sid: "PullFromRepository",
          actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          resources: [args.repositoryArn],
        },
        // The registry login token is account-wide: AWS does not allow scoping it.
        { sid: "RegistryLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      );
    }
    const secretArns = Object.values(this.s.secrets).map((v) => pulumi.output(v).apply(secretResourceArn));
    if (secretArns.length > 0) {
      statements.push({
        sid: "ReadReferencedSecrets",
        actions: ["secretsmanager:GetSecretValue"],
        resources: secretArns,
      });
    }
    if (args.secretsKmsKeyArns && args.secretsKmsKeyArns.length > 0) {
      statements.push({
        sid: "DecryptReferencedSecrets",
        actions: ["kms:Decrypt"],
        resources: [...args.secretsKmsKeyArns],
      });
    }
    return statements;
  }

  /** Task role: the caller's statements, plus the collector's and ECS Exec's when enabled. */
  private taskStatements(logGroup: aws.cloudwatch.LogGroup): Statement[] {
    const statements: Statement[] = [...this.s.taskPolicyStatements];
    if (this.s.otelCollector) {
      statements.push(
        {
          sid: "XRayIngestAndSampling",
          actions: [
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:GetSamplingStatisticSummaries",
          ],
          resources: ["*"],
        },
        {
          sid: "PutMetricsInOwnNamespace",
          actions: ["cloudwatch:PutMetricData"],
          resources: ["*"],
          condition: { StringEquals: { "cloudwatch:namespace": OTEL_METRICS_NAMESPACE } },
        },
        {
          sid: "EmfMetricsToOwnLogGroup",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:*`],
        },
      );
    }
    if (this.s.enableExecuteCommand) {
      statements.push({
        sid: "EcsExecChannels",
        actions: [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        resources: ["*"],
      });
    }
    return statements;
  }

  private ingressRule(
    name: string,
    args: aws.vpc.SecurityGroupIngressRuleArgs,
  ): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(
      ...applyTransform(this.t.ingressRule, name, { ...args, tags: this.tagsFor(name) }, this.childOpts()),
    );
  }

  private egressRule(
    name: string,
    args: aws.vpc.SecurityGroupEgressRuleArgs,
  ): aws.vpc.SecurityGroupEgressRule {
    return new aws.vpc.SecurityGroupEgressRule(
      ...applyTransform(this.t.egressRule, name, { ...args, tags: this.tagsFor(name) }, this.childOpts()),
    );
  }

  /**
   * The ALB security group (internet 443/80, or the CloudFront prefix list on one port) and the task
   * security group (only from the ALB, on the container port). Rules are separate resources.
   */
  private createSecurityGroups(args: ServiceArgs): {
    albSg: aws.ec2.SecurityGroup;
    taskSg: aws.ec2.SecurityGroup;
  } {
    const n = this.baseName;
    const s = this.s;
    const albSg = new aws.ec2.SecurityGroup(
      ...applyTransform(
        this.t.albSecurityGroup,
        `${n}-alb-sg`,
        {
          vpcId: args.vpcId,
          name: physicalName("aws:securityGroup", n, "alb"),
          description: asciiDescription(
            s.ingress === "internet"
              ? `Load balancer of ${n}: HTTPS and HTTP redirect from the internet`
              : `Load balancer of ${n}: CloudFront origin-facing servers only`,
          ),
          tags: this.tagsFor(`${n}-alb-sg`),
        },
        this.childOpts(),
      ),
    );
    const taskSg = new aws.ec2.SecurityGroup(
      ...applyTransform(
        this.t.taskSecurityGroup,
        `${n}-task-sg`,
        {
          vpcId: args.vpcId,
          name: physicalName("aws:securityGroup", n, "tasks"),
          description: asciiDescription(`Tasks of ${n}: only from the load balancer on the container port`),
          tags: this.tagsFor(`${n}-task-sg`),
        },
        this.childOpts(),
      ),
    );

    const tls = s.domain !== undefined;
    if (s.ingress === "internet") {
      this.ingressRule(`${n}-alb-in-https`, {
        securityGroupId: albSg.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        description: "HTTPS from the internet",
      });
      this.ingressRule(`${n}-alb-in-http`, {
        securityGroupId: albSg.id,
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        cidrIpv4: "0.0.0.0/0",
        description: "HTTP from the internet (redirected to HTTPS)",
      });
    } else {
      // One rule only: the origin-facing prefix list weighs ~55 entries against the 60-rule SG quota.
      const prefixListId =
        args.cloudFrontPrefixListId ??
        aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_PREFIX_LIST }, { parent: this }).id;
      const port = tls ? 443 : 80;
      this.ingressRule(`${n}-alb-in-cloudfront`, {
        securityGroupId: albSg.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        prefixListId,
        description: `${tls ? "HTTPS" : "HTTP"} from CloudFront origin-facing servers only`,
      });
    }
    this.egressRule(`${n}-alb-out-tasks`, {
      securityGroupId: albSg.id,
      ipProtocol: "tcp",
      fromPort: s.containerPort,
      toPort: s.containerPort,
      referencedSecurityGroupId: taskSg.id,
      description: "To the tasks on the container port",
    });
    this.ingressRule(`${n}-task-in-alb`, {
      securityGroupId: taskSg.id,
      ipProtocol: "tcp",
      fromPort: s.containerPort,
      toPort: s.containerPort,
      referencedSecurityGroupId: albSg.id,
      description: "From the load balancer on the container port",
    });
    s.taskEgress.forEach((r, i) => {
      this.egressRule(`${n}-task-out-${i}`, {
        securityGroupId: taskSg.id,
        ipProtocol: "tcp",
        fromPort: r.port,
        toPort: r.port,
        cidrIpv4: r.cidrIpv4,
        referencedSecurityGroupId: r.referencedSecurityGroupId,
        prefixListId: r.prefixListId,
        description: asciiDescription(r.description),
      });
    });
    return { albSg, taskSg };
  }

  /**
   * The access logs bucket: private (public access block, bucket owner enforced), SSE-S3 (the only
   * encryption ALB log delivery supports), versioned, expiring, TLS-only, writable by ELB log delivery.
   */
  private createAccessLogsBucket(env: AwsEnvironment): {
    bucket: aws.s3.Bucket;
    policy: aws.s3.BucketPolicy;
  } {
    const n = `${this.baseName}-alb-logs`;
    const { bucket, publicAccessBlock: pab } = createPrivateBucket(
      { childOpts: this.childOpts, tagsFor: this.tagsFor },
      {
        name: n,
        encryption: "AES256",
        lifecycleRules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: this.s.accessLogRetentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 7 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
        transform: { bucket: this.t.accessLogsBucket, lifecycle: this.t.accessLogsLifecycle },
      },
    );
    const policy = new aws.s3.BucketPolicy(
      ...applyTransform(
        this.t.accessLogsBucketPolicy,
        `${n}-policy`,
        {
          bucket: bucket.id,
          policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "ElbLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${bucket.arn}/alb/AWSLogs/${env.account}/*`,
              },
              denyInsecureTransport(bucket.arn),
            ],
          }),
        },
        // S3 rejects a policy while the public access block is being applied.
        this.childOpts({ dependsOn: [pab] }),
      ),
    );
    return { bucket, policy };
  }

  /** A DNS-validated ACM certificate; validated through Route 53 when the zone is given. */
  private createCertificate(
    domain: string,
    hostedZoneId: pulumi.Input<string> | undefined,
  ): { arn: pulumi.Output<string>; records: pulumi.Output<{ name: string; type: string; value: string }[]> } {
    const n = this.baseName;
    const cert = new aws.acm.Certificate(
      ...applyTransform(
        this.t.certificate,
        `${n}-cert`,
        {
          domainName: domain,
          validationMethod: "DNS",
          keyAlgorithm: "RSA_2048",
          tags: this.tagsFor(`${n}-cert`),
        },
        this.childOpts({ deleteBeforeReplace: false }),
      ),
    );
    const records = cert.domainValidationOptions.apply((opts) =>
      (opts ?? []).map((o) => ({
        name: o.resourceRecordName ?? "",
        type: o.resourceRecordType ?? "CNAME",
        value: o.resourceRecordValue ?? "",
      })),
    );
    let fqdns: pulumi.Input<string>[] | undefined;
    if (hostedZoneId !== undefined) {
      // One domain, no SANs: exactly one validation record.
      const record = new aws.route53.Record(
        ...applyTransform(
          this.t.dnsRecord,
          `${n}-cert-validation`,
          {
            zoneId: hostedZoneId,
            name: records.apply((r) => r[0]?.name ?? ""),
            type: records.apply((r) => r[0]?.type ?? "CNAME"),
            records: [records.apply((r) => r[0]?.value ?? "")],
            ttl: 300,
            allowOverwrite: true,
          },
          this.childOpts(),
        ),
      );
      fqdns = [record.fqdn];
    }
    // Without a zone this waits (up to 75 minutes) for the records to be created at the DNS provider.
    const validation = new aws.acm.CertificateValidation(
      `${n}-cert-validation`,
      { certificateArn: cert.arn, validationRecordFqdns: fqdns },
      this.childOpts(),
    );
    return { arn: validation.certificateArn, records };
  }

  /** The origin-verify secret: a random value in Secrets Manager, which CloudFront sends as a header. */
  private createOriginSecret(): {
    value: pulumi.Output<string>;
    secretArn: pulumi.Output<string>;
    secretName: string;
  } {
    const n = this.baseName;
    const password = new random.RandomPassword(
      `${n}-origin-verify`,
      { length: 48, special: false },
      this.childOpts(),
    );
    const secretName = physicalName("aws:secret", `meridian/${n}/origin-verify`);
    const secret = new aws.secretsmanager.Secret(
      ...applyTransform(
        this.t.originVerifySecret,
        `${n}-origin-verify-secret`,
        {
          name: secretName,
          description: asciiDescription(
            `Value of the ${ORIGIN_VERIFY_HEADER} header CloudFront sends to ${n}`,
          ),
          recoveryWindowInDays: 7,
          tags: this.tagsFor(`${n}-origin-verify-secret`),
        },
        this.childOpts(),
      ),
    );
    new aws.secretsmanager.SecretVersion(
      `${n}-origin-verify-version`,
      { secretId: secret.id, secretString: password.result },
      this.childOpts(),
    );
    return { value: password.result, secretArn: secret.arn, secretName };
  }

  /**
   * Listeners. With a certificate: HTTPS (TLS 1.3/1.2 policy) and, for internet ingress, HTTP that only
   * redirects to HTTPS. Without: HTTP on 80 (reachable from CloudFront only). With CloudFront ingress the
   * default action is 403 and one rule forwards requests carrying the origin-verify header.
   */
  private createListeners(
    alb: aws.lb.LoadBalancer,
    tg: aws.lb.TargetGroup,
    certificateArn: pulumi.Output<string> | undefined,
    originSecret: pulumi.Output<string> | undefined,
  ): pulumi.Resource[] {
    const n = this.baseName;
    const forward = [{ type: "forward", targetGroupArn: tg.arn }];
    const deny = [
      {
        type: "fixed-response",
        fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" },
      },
    ];
    const viaCloudFront = this.s.ingress === "cloudfront";
    const created: pulumi.Resource[] = [];
    let main: aws.lb.Listener;
    if (certificateArn) {
      main = new aws.lb.Listener(
        ...applyTransform(
          this.t.listener,
          `${n}-https`,
          {
            loadBalancerArn: alb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: TLS_POLICY,
            certificateArn,
            defaultActions: viaCloudFront ? deny : forward,
            tags: this.tagsFor(`${n}-https`),
          },
          this.childOpts(),
        ),
      );
      created.push(main);
      if (!viaCloudFront) {
        created.push(
          new aws.lb.Listener(
            ...applyTransform(
              this.t.listener,
              `${n}-http`,
              {
                loadBalancerArn: alb.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [
                  {
                    type: "redirect",
                    redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
                  },
                ],
                tags: this.tagsFor(`${n}-http`),
              },
              this.childOpts(),
            ),
          ),
        );
      }
    } else {
      main = new aws.lb.Listener(
        ...applyTransform(
          this.t.listener,
          `${n}-http`,
          {
            loadBalancerArn: alb.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: deny,
            tags: this.tagsFor(`${n}-http`),
          },
          this.childOpts(),
        ),
      );
      created.push(main);
    }
    if (this.s.privatePaths.length > 0) {
      // Evaluated first, on the listener that forwards: private paths never reach the tasks from outside.
      created.push(
        new aws.lb.ListenerRule(
          ...applyTransform(
            this.t.listenerRule,
            `${n}-private-paths`,
            {
              listenerArn: main.arn,
              priority: 1,
              actions: [
                {
                  type: "fixed-response",
                  fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" },
                },
              ],
              conditions: [{ pathPattern: { values: this.s.privatePaths } }],
              tags: this.tagsFor(`${n}-private-paths`),
            },
            this.childOpts(),
          ),
        ),
      );
    }
    if (viaCloudFront) {
      created.push(
        new aws.lb.ListenerRule(
          ...applyTransform(
            this.t.listenerRule,
            `${n}-origin-verify`,
            {
              listenerArn: main.arn,
              priority: 10,
              actions: forward,
              conditions: [{ httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [originSecret!] } }],
              tags: this.tagsFor(`${n}-origin-verify`),
            },
            this.childOpts(),
          ),
        ),
      );
    }
    return created;
  }

  /** The API container (and the collector sidecar); `command` set for the one-off migrate task. */
  private appContainers(
    logGroupName: string,
    env: AwsEnvironment,
    command: string[] | undefined,
  ): pulumi.Output<string> {
    const s = this.s;
    const oneOff = command !== undefined;
    const log = (prefix: string) => ({
      logDriver: "awslogs",
      options: {
        "awslogs-group": logGroupName,
        "awslogs-region": env.region,
        "awslogs-stream-prefix": prefix,
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    });
    const environment: Record<string, pulumi.Input<string>> = {
      ...s.environment,
      PORT: String(s.containerPort),
    };
    const sidecar = s.otelCollector && !oneOff;
    if (sidecar) {
      environment.OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4318";
      environment.OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf";
    }
    const hardening = {
      user: APP_USER,
      readonlyRootFilesystem: true,
      privileged: false,
      linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
    };
    const app = {
      name: APP_CONTAINER,
      image: pulumi.output(s.image).apply((i) => {
        try {
          return validateImage(i, false);
        } catch (e) {
          throw new Error(`Service "${this.baseName}": ${(e as Error).message}`);
        }
      }),
      essential: true,
      ...(command ? { command } : {}),
      ...hardening,
      portMappings: oneOff ? [] : [{ containerPort: s.containerPort, protocol: "tcp", name: "http" }],
      environment: Object.keys(environment)
        .sort()
        .map((k) => ({ name: k, value: environment[k] })),
      secrets: Object.keys(s.secrets)
        .sort()
        .map((k) => ({ name: k, valueFrom: s.secrets[k] })),
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      ...(oneOff
        ? {}
        : {
            healthCheck: {
              command: liveHealthCommand(s.containerPort),
              interval: 15,
              timeout: 5,
              retries: 3,
              startPeriod: Math.min(Math.max(s.healthCheckGracePeriodSeconds, 10), 300),
            },
          }),
      stopTimeout: s.stopTimeoutSeconds,
      logConfiguration: log(oneOff ? "migrate" : APP_CONTAINER),
      ...(sidecar ? { dependsOn: [{ containerName: OTEL_CONTAINER, condition: "START" }] } : {}),
    };
    const containers: object[] = [app];
    if (sidecar) {
      containers.push({
        name: OTEL_CONTAINER,
        image: s.otelCollectorImage,
        essential: false,
        ...hardening,
        user: "10001:10001",
        environment: [{ name: "AOT_CONFIG_CONTENT", value: otelCollectorConfig(logGroupName) }],
        mountPoints: [],
        portMappings: [],
        stopTimeout: 10,
        logConfiguration: log(OTEL_CONTAINER),
      });
    }
    return pulumi.jsonStringify(containers);
  }

  private createTaskDefinition(
    transform: Transform<aws.ecs.TaskDefinitionArgs> | undefined,
    logicalName: string,
    family: string,
    containerDefinitions: pulumi.Output<string>,
    taskRole: aws.iam.Role,
    executionRole: aws.iam.Role,
  ): aws.ecs.TaskDefinition {
    return new aws.ecs.TaskDefinition(
      ...applyTransform(
        transform,
        logicalName,
        {
          family,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: String(this.s.cpu),
          memory: String(this.s.memoryMiB),
          runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
          taskRoleArn: taskRole.arn,
          executionRoleArn: executionRole.arn,
          // Fargate has no tmpfs: an ephemeral bind-mount volume gives a writable /tmp on a read-only root.
          volumes: [{ name: "tmp" }],
          containerDefinitions,
          tags: this.tagsFor(logicalName),
        },
        this.childOpts(),
      ),
    );
  }

  /** Scale between min and max on average CPU and on ALB requests per target. */
  private createAutoscaling(
    cluster: aws.ecs.Cluster,
    service: aws.ecs.Service,
    alb: aws.lb.LoadBalancer,
    tg: aws.lb.TargetGroup,
  ): void {
    const n = this.baseName;
    const target = new aws.appautoscaling.Target(
      ...applyTransform(
        this.t.scalingTarget,
        `${n}-scaling`,
        {
          minCapacity: this.s.minInstances,
          maxCapacity: this.s.maxInstances,
          resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
          scalableDimension: "ecs:service:DesiredCount",
          serviceNamespace: "ecs",
          tags: this.tagsFor(`${n}-scaling`),
        },
        this.childOpts(),
      ),
    );
    const policy = (
      suffix: string,
      spec: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
      value: number,
    ) =>
      new aws.appautoscaling.Policy(
        ...applyTransform(
          this.t.scalingPolicy,
          `${n}-${suffix}-scaling`,
          {
            name: physicalName("aws:ecs", n, suffix),
            policyType: "TargetTrackingScaling",
            resourceId: target.resourceId,
            scalableDimension: target.scalableDimension,
            serviceNamespace: target.serviceNamespace,
            targetTrackingScalingPolicyConfiguration: {
              targetValue: value,
              predefinedMetricSpecification: spec,
              scaleInCooldown: 300,
              scaleOutCooldown: 60,
            },
          },
          this.childOpts(),
        ),
      );
    policy("cpu", { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, this.s.cpuTargetPercent);
    policy(
      "requests",
      {
        predefinedMetricType: "ALBRequestCountPerTarget",
        resourceLabel: pulumi.interpolate`${alb.arnSuffix}/${tg.arnSuffix}`,
      },
      this.s.requestsPerTarget,
    );
  }
}
