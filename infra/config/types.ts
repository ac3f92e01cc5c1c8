/** The types of Meridian's stack configuration and of its key table. */

/** The cloud a stack deploys to. */
export type Cloud = "aws" | "gcp";
/** Sizing and safety profile: picks the defaults and turns on the prod rules. */
export type Profile = "dev" | "prod";
/** NAT gateways of the AWS VPC: none, one shared, or one per availability zone. */
export type NatStrategy = "none" | "single" | "perAz";
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
  aws: { region: string; vpcCidr: string; azCount: number; natStrategy: NatStrategy };
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
  cache: { nodeType: string; memoryGb: number; replicas: number };
  /** The scheduled job: 5-field UTC cron and the job name the API image runs. */
  job: { schedule: string; name: string };
  /** AWS-only extras: Route 53 zone, AWS Backup retention (0 = off). */
  awsExtras: {
    hostedZoneId?: string;
    backupRetentionDays: number;
    /** Build app/ and push it to ECR inside `pulumi up` (@pulumi/awsx ecr.Image). */
    buildImage: boolean;
  };
  /** GCP-only extras: Cloud Armor Adaptive Protection. */
  gcpExtras: { adaptiveProtection: boolean };
  /** Requests per 5 minutes per client IP before the WAF blocks it. */
  wafRateLimit: number;
  /** Inbound webhooks the API serves; `whatsappAppSecret` is Meta's app secret (a Pulumi secret). */
  webhooks: { whatsapp: boolean; telegram: boolean; whatsappAppSecret?: string };
}

/** The namespace of Meridian's keys (the project name). */
export const NS = "meridian";

/** CloudWatch Logs' allowed retention periods, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The longest retention a Cloud Logging bucket accepts, in days. */
export const GCP_MAX_LOG_RETENTION_DAYS = 3650;

/** The value types of config keys (Pulumi passes every value as a string; these say how to parse it). */
export type ConfigKind = "string" | "integer" | "number" | "boolean";
/** A parsed config value. */
export type ConfigScalar = string | number | boolean;
/** A default: one value, one per profile, or computed from the profile and the cloud. */
export type KeyDefault =
  | ConfigScalar
  | { dev: ConfigScalar; prod: ConfigScalar }
  | ((profile: Profile, cloud: Cloud | undefined) => ConfigScalar);

/** A rule's verdict on a value: a message, optionally with a corrected value to suggest. */
export type Finding = string | { message: string; suggestion: string };

/** The definition of one `meridian:*` key. */
export interface KeyDef {
  kind: ConfigKind;
  /** What the key does (plus cost notes); the generated rules summary is appended in KNOWN_KEYS. */
  description: string;
  /** Which cloud uses the key ("both" when cloud-neutral). Keys of the other cloud are checked only if set. */
  cloud: Cloud | "both";
  /** Allowed values, for enumerations. */
  allowed?: readonly string[];
  /** Default; absent = optional without default (or required, when `required`). */
  default?: KeyDefault;
  /** The stack must set the key. */
  required?: boolean;
  /** Inclusive numeric range. */
  min?: number;
  max?: number;
  /** Allowed numbers, when they are not a range. */
  oneOf?: readonly number[];
  /** An IPv4 range: aligned, inside RFC 1918, prefix between these lengths. */
  cidr?: { minPrefix: number; maxPrefix: number };
  /** A format the whole value must match, and how to describe it. */
  pattern?: RegExp;
  patternHint?: string;
  /** A custom check of a string value (returns what is wrong, or undefined). */
  check?: (value: string) => Finding | undefined;
  /** Wording for an enumeration's error, e.g. "a supported cloud". */
  noun?: string;
  /** An extra rule in the prod profile. */
  prod?: { min?: number; equals?: boolean; why: string };
  /** The key is validated (and used) only when another key has this value. */
  activeWhen?: { key: string; equals: string };
}

/** A default that differs by profile. */
export const pp = <T extends ConfigScalar>(dev: T, prod: T) => ({ dev, prod });

/** The fully qualified name of a Meridian key: `meridian:<name>`. */
export const full = (name: string): string => `${NS}:${name}`;
