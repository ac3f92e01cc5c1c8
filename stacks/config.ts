/**
 * The stacks' input: the validated configuration of one stack, as stacks/aws.ts, stacks/gcp.ts and
 * stacks/gke.ts consume it. infra/config/ reads and validates `meridian:*` keys into this shape (the program
 * depends on the stacks, never the other way round).
 */

/** The cloud a stack deploys to. */
export type Cloud = "aws" | "gcp";
/** Sizing and safety profile: picks the defaults and turns on the prod rules. */
export type Profile = "dev" | "prod";
/** NAT of the AWS VPC: none, one shared gateway, one gateway per availability zone, or one NAT instance (dev). */
export type NatStrategy = "none" | "single" | "perAz" | "instance";
/** How Cloud Run reaches private IPs: Direct VPC egress or a Serverless VPC Access connector. */
export type ServerlessEgress = "direct" | "connector";
/** How the GCP option runs the API: Cloud Run, or GKE Autopilot with the Kubernetes workload. */
export type GcpRuntime = "cloudrun" | "gke";
/** Supported PostgreSQL major versions. */
export type PostgresVersion = "16" | "17";

/** The validated configuration of one stack. */
export interface MeridianConfig {
  project: string;
  stack: string;
  cloud: Cloud;
  profile: Profile;
  appName: string;
  /** Base for physical names: `${appName}-${stack}`. */
  baseName: string;
  /** Standard tag/label inputs; `environment` is the stack name. */
  tags: { app: string; environment: string; owner: string; costCenter: string };
  image?: string;
  domain?: string;
  alertEmail?: string;
  logRetentionDays: number;
  /** `region` is "" when the stack deploys to GCP and `aws:region` is not set. */
  aws: {
    region: string;
    vpcCidr: string;
    azCount: number;
    natStrategy: NatStrategy;
    /** The NAT instance's AMI pin (natStrategy instance); unset: the newest Amazon Linux 2023 arm64. */
    natInstanceAmi?: string;
  };
  /** `project` and `region` are "" when the stack deploys to AWS and they are not set. */
  gcp: {
    project: string;
    region: string;
    subnetCidr: string;
    privateServicesCidr: string;
    serverlessEgress: ServerlessEgress;
    connectorCidr: string;
    /** How the API runs: Cloud Run (default) or GKE Autopilot. */
    runtime: GcpRuntime;
  };
  service: {
    cpu: number;
    memoryMiB: number;
    minInstances: number;
    maxInstances: number;
    spot: boolean;
    /** Requests one Cloud Run instance serves at once (GCP). */
    concurrency: number;
    /** Run the OpenTelemetry collector as a sidecar (ADOT on AWS, Google's collector on GCP). */
    otelCollector: boolean;
    otelCollectorImage?: string;
  };
  database: {
    postgresVersion: PostgresVersion;
    instanceClass: string;
    tier: string;
    storageGb: number;
    maxStorageGb: number;
    highAvailability: boolean;
    proxy: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
  };
  /**
   * The cache. `enabled` false (`meridian:cacheEnabled`, dev only) builds none: no REDIS_URL, and the API
   * runs without Redis (docs/app-redis.md).
   */
  cache: { enabled: boolean; nodeType: string; memoryGb: number; replicas: number };
  /** The scheduled job: 5-field UTC cron and the job name the API image runs. */
  job: { schedule: string; name: string };
  /** AWS-only extras: Route 53 zone, AWS Backup retention (0 = off), image build. */
  awsExtras: {
    hostedZoneId?: string;
    backupRetentionDays: number;
    /** Build app/ and push it to ECR inside `pulumi up` (@pulumi/awsx ecr.Image). */
    buildImage: boolean;
  };
  /**
   * The opt-in baseline auditors expect (`meridian:accountBaseline`): on AWS CloudTrail, GuardDuty, AWS Config
   * and IAM Access Analyzer (components/aws/baseline.ts); on GCP Data Access audit logs of the services the
   * stack uses (components/gcp/auditLogs.ts).
   */
  accountBaseline: boolean;
  /** GCP-only extras: Cloud Armor Adaptive Protection. */
  gcpExtras: { adaptiveProtection: boolean };
  /** Requests per 5 minutes per client IP before the WAF blocks it. */
  wafRateLimit: number;
  /** Inbound webhooks the API serves; `whatsappAppSecret` is Meta's app secret (a Pulumi secret). */
  webhooks: { whatsapp: boolean; telegram: boolean; whatsappAppSecret?: string };
}
