/**
 * The outputs contract: the cloud-neutral shape both `stacks/aws.ts` and `stacks/gcp.ts` return, so the
 * people and tools that read stack outputs (auditors, CI, the app's deploy scripts) never branch on cloud.
 *
 * Both clouds fill every section; `checkOutputsContract` tells exactly which required fields a resolved
 * output object lacks, and infra/offline/stacksContract.test.ts checks all four stacks (dev/prod x aws/gcp)
 * with it. One section may be absent on purpose: `posture.cache` is null when the stack builds no cache
 * (`meridian:cacheEnabled=false`, dev only), and `posture.absent.cache` then says why.
 */
import * as pulumi from "@pulumi/pulumi";

export type Cloud = "aws" | "gcp";
export type Profile = "dev" | "prod";

/** Values in the contract may still be unresolved Pulumi outputs when a stack returns them. */
type In<T> = pulumi.Input<T>;

/** The network every other component is placed in. */
export interface NetworkOutputs {
  cloud: Cloud;
  region: In<string>;
  /** AWS VPC id, or the GCP network's self link. */
  networkId: In<string>;
  /** The network's physical name (GCP) or Name tag (AWS). */
  networkName: In<string>;
  /** Zones the network spans (AWS AZs the subnets are in; GCP zones of the region). */
  zones: In<string[]>;
  /** Subnet ids per tier. `public` is empty on GCP (load balancers are global there, not in a subnet). */
  subnets: {
    /** Internet-facing tier: load balancers, NAT gateways. */
    public: In<string>[];
    /** Workload tier: containers, with egress through NAT. */
    private: In<string>[];
    /** Data tier without any route to the internet: databases, caches. */
    isolated: In<string>[];
  };
  /** How private workloads reach the internet. */
  egress: {
    strategy: "none" | "single" | "perAz" | "instance" | "cloudNat";
    /** How many NAT gateways (AWS) or Cloud NAT gateways (GCP) exist. */
    natGateways: number;
  };
  /** CIDR ranges the network owns, for firewall rules and peering plans. */
  cidrs: Record<string, In<string>>;
}

/** What auditors read about the network. */
export interface NetworkPosture {
  /** Flow logs on every subnet / the whole VPC. */
  flowLogs: { enabled: boolean; destination: string; retentionDays: number | null };
  /** Ingress is denied unless a rule allows it (AWS: default security group has no rules). */
  denyByDefaultIngress: boolean;
  /** Private subnets have no public IPs and reach cloud APIs privately (S3 endpoint, Private Google Access). */
  privateApiAccess: string[];
  /** The subnets that have no route to the internet. */
  isolatedTier: boolean;
}

/** The auditor's posture document: the same sections on both clouds. */
export interface Posture {
  network: NetworkPosture;
  /** Every endpoint reachable from the internet: what it is and how it is protected. */
  publicEndpoints: { name: string; kind: string; tls: string; waf: boolean }[];
  /** Each role / service account and its exact permissions. */
  identities: { name: In<string>; kind: string; permissions: In<string[]>; trust?: string[] }[];
  /** Retention in days of every log destination the stack creates, by name. */
  logRetentionDays: Record<string, number>;
  /** Secret names (never values). */
  secrets: In<string>[];
  /** The public entry: lowest TLS version clients may use, port 80 only redirecting, a WAF in front. */
  edge: { minTlsVersion: string; httpRedirect: boolean; waf: boolean };
  database: {
    engine: string;
    version: string;
    tlsRequired: boolean;
    /** How the service's connection checks the server: `verify-full` (chain and host name) or `require`. */
    clientVerification: "verify-full" | "require";
    encryptedAtRest: boolean;
    backupRetentionDays: number;
    pointInTimeRecovery: boolean;
    deletionProtection: boolean;
    highAvailability: boolean;
  };
  /**
   * The cache: TLS in transit, AUTH / IAM required, encrypted at rest. `null` when the stack builds no
   * cache (`meridian:cacheEnabled=false`, refused in prod): the API then runs without Redis
   * (docs/app-redis.md), and `absent.cache` gives the reason.
   */
  cache: { tls: boolean; auth: boolean; encryptedAtRest: boolean } | null;
  /**
   * The sections that are `null` on purpose, each with the reason, e.g.
   * `{ cache: "meridian:cacheEnabled=false: dev without a cache" }`. Omitted when nothing is left out.
   */
  absent?: { cache?: string };
  /** Backups of the data stores beyond the database's own automated backups. */
  backups: {
    database: {
      /** Days automated backups are kept. */
      automatedDays: number;
      pointInTimeRecovery: boolean;
      /**
       * How far back point-in-time recovery reaches, in days (RDS: the backup retention; Cloud SQL: the
       * transaction log retention, at most 7 on Enterprise); 0 without PITR.
       */
      pointInTimeRecoveryDays: number;
      /** Days an independent backup service (AWS Backup vault) keeps daily copies; 0 when none. */
      independentVaultDays: number;
    };
  };
  /**
   * Where alarms go (AWS: the SNS topic ARN; GCP: the Cloud Monitoring notification channel, or null when
   * `meridian:alertEmail` is unset) and which exist.
   */
  alarms: { destination: In<string> | null; names: string[] };
  /** The policy pack the stack is checked with. */
  policyPack: { name: string; version: string };
  /**
   * Encryption at rest of every data store, with the kind of key (AWS: components/aws/postureFacts.ts; GCP:
   * stacks/gcpPosture.ts). The sections below are optional in the type so a program that predates them still
   * compiles; Meridian's AWS and GCP (Cloud Run) stacks fill all of them.
   */
  encryption?: EncryptionFact[];
  /** TLS on every hop of the request path, as versions/policies (`http` where a hop is plain HTTP). Both clouds. */
  tlsHops?: TlsHopFact[];
  /** Backups of every data store (database, cache snapshots, bucket versioning, backup vault). Both clouds. */
  dataStoreBackups?: BackupFact[];
  /** Resource policies the stack writes (bucket policies, key policies, topic policies) and what they grant. */
  resourcePolicies?: ResourcePolicyFact[];
  /**
   * Scheduled restore tests of the database (AWS Backup restore testing), or null when none. AWS only: GCP has a
   * scripted clone-and-check drill instead (docs/runbooks/gcp-clone-drill.md), so null there.
   */
  restoreTesting?: {
    schedule: string;
    validationWindowHours: number;
    recoveryPointSelection: string;
    cleanup: string;
    planName: In<string>;
  } | null;
  /**
   * The opt-in baseline (`meridian:accountBaseline`), or null when off: on AWS CloudTrail, GuardDuty, AWS Config
   * and Access Analyzer; on GCP the Data Access audit-log configuration.
   */
  accountBaseline?: Record<string, unknown> | null;
  /**
   * Facts the stack's code states but only a real deployment can confirm (an offline preview or the stack's
   * inputs cannot): read each in the account before signing off (docs/audit.md).
   */
  confirmOnDeployment?: string[];
}

/** Encryption at rest of one data store. */
export interface EncryptionFact {
  /** What is stored, e.g. `rds:meridian-prod-db`, `s3:assets`, `secretsmanager:*`. */
  store: string;
  encrypted: boolean;
  /**
   * `aws-managed` (an `aws/<service>` KMS key), `aws-owned` (keys the service owns, not visible in KMS),
   * `sse-s3` (S3 managed keys), `customer-managed` (a KMS / Cloud KMS key this stack or its user controls),
   * `google-managed` (Google's default encryption at rest).
   */
  key: "aws-managed" | "aws-owned" | "sse-s3" | "customer-managed" | "google-managed";
  /** The key's ARN when customer managed and known. */
  keyArn?: In<string>;
}

/** TLS on one hop. */
export interface TlsHopFact {
  hop: "viewer" | "cdn-to-origin" | "lb-to-task" | "app-to-database" | "app-to-cache";
  /** `https`/`tls` (encrypted) or `http`/`plaintext` (not). */
  protocol: "https" | "tls" | "http" | "plaintext";
  /** Lowest TLS version accepted, or null for a plaintext hop. */
  minVersion: string | null;
  /** The policy that sets it (ELB security policy, CloudFront security policy, parameter), when one does. */
  policy?: string;
  /** What else protects the hop (private network, origin secret header, ...). */
  note?: string;
}

/** One data store's backups. */
export interface BackupFact {
  store: string;
  /** `automated-snapshots`, `pitr`, `backup-vault`, `snapshots`, `object-versioning`, `none`. */
  kind: string;
  /** Days kept (0 when off). */
  retentionDays: number;
  note?: string;
}

/** One resource policy and its statements in words. */
export interface ResourcePolicyFact {
  resource: In<string>;
  kind: "bucket-policy" | "key-policy" | "topic-policy" | "repository-policy";
  /** One line per statement and action: `Allow <principal> <action> on <resource> [if <condition>]`. */
  grants: In<string[]>;
}

/**
 * What an app developer (and the delivery workflow, .github/workflows/deliver.yml) needs to ship a release:
 * where to push, what runs, and how to run the schema migration once (docs/runbooks/release.md).
 */
export interface ReleaseOutputs {
  /**
   * The image repository to push to, without tag or digest: ECR `<account>.dkr.ecr.<region>.amazonaws.com/<name>`,
   * Artifact Registry `<region>-docker.pkg.dev/<project>/<repository>/api`. `meridian:image` is
   * `<imageRepository>@sha256:<digest>`.
   */
  imageRepository: In<string>;
  /** The registry host to log in to (`docker login` / `gcloud auth configure-docker <host>`). */
  registryHost: In<string>;
  /**
   * The running API: ECS service (AWS) or Cloud Run service (GCP), and where it lives: the ECS cluster
   * name (`aws ecs ... --cluster <scope>`), or `projects/<project>/locations/<region>` (Cloud Run).
   */
  service: { name: In<string>; scope: In<string> };
  /**
   * The schema migration: ECS task definition family (AWS) or Cloud Run job (GCP), and the command that runs
   * it once and waits, with this stack's network settings filled in.
   */
  migrate: { name: In<string>; command: In<string> };
}

/** The stack outputs, identical in shape on AWS and GCP. */
export interface StackOutputs {
  cloud: Cloud;
  profile: Profile;
  region: In<string>;
  /** The API's public URL. */
  apiUrl: In<string>;
  /** The CDN's public URL (static assets). */
  cdnUrl: In<string>;
  /**
   * The container image deployed (pinned by digest in prod), or null before a service exists. With
   * `meridian:buildImage` it is the digest the stack pushed (unknown in a preview).
   */
  image: In<string> | null;
  network: NetworkOutputs;
  release: ReleaseOutputs;
  posture: Posture;
}

/**
 * The paths every resolved StackOutputs must contain.
 * Used by tests and by the offline engine to check that both clouds return the same shape.
 */
export const REQUIRED_OUTPUT_PATHS = [
  "cloud",
  "profile",
  "region",
  "image",
  "network.cloud",
  "network.region",
  "network.networkId",
  "network.networkName",
  "network.zones",
  "network.subnets.public",
  "network.subnets.private",
  "network.subnets.isolated",
  "network.egress.strategy",
  "network.egress.natGateways",
  "network.cidrs",
  "release.imageRepository",
  "release.registryHost",
  "release.service.name",
  "release.service.scope",
  "release.migrate.name",
  "release.migrate.command",
  "posture.network.flowLogs.enabled",
  "posture.network.flowLogs.destination",
  "posture.network.flowLogs.retentionDays",
  "posture.network.denyByDefaultIngress",
  "posture.network.privateApiAccess",
  "posture.network.isolatedTier",
  "posture.publicEndpoints",
  "posture.identities",
  "posture.logRetentionDays",
  "posture.secrets",
  "apiUrl",
  "cdnUrl",
  "posture.edge.minTlsVersion",
  "posture.edge.httpRedirect",
  "posture.edge.waf",
  "posture.database.engine",
  "posture.database.version",
  "posture.database.tlsRequired",
  "posture.database.clientVerification",
  "posture.database.encryptedAtRest",
  "posture.database.backupRetentionDays",
  "posture.database.pointInTimeRecovery",
  "posture.database.deletionProtection",
  "posture.database.highAvailability",
  "posture.cache.tls",
  "posture.cache.auth",
  "posture.cache.encryptedAtRest",
  "posture.backups.database.automatedDays",
  "posture.backups.database.pointInTimeRecovery",
  "posture.backups.database.pointInTimeRecoveryDays",
  "posture.backups.database.independentVaultDays",
  "posture.alarms.destination",
  "posture.alarms.names",
  "posture.policyPack.name",
  "posture.policyPack.version",
  // Optional in the Posture type (older programs compile), required of Meridian's stacks (issue #13).
  "posture.encryption",
  "posture.tlsHops",
  "posture.dataStoreBackups",
  "posture.resourcePolicies",
  "posture.restoreTesting",
  "posture.accountBaseline",
  "posture.confirmOnDeployment",
] as const;

/** Whether a resolved object has a dotted path (a null leaf counts as present) and the value there. */
function at(value: unknown, dotted: string): { found: boolean; value: unknown } {
  let cur: unknown = value;
  for (const part of dotted.split(".")) {
    if (cur === null || typeof cur !== "object" || !(part in (cur as object)))
      return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[part];
  }
  return { found: true, value: cur };
}

/**
 * Returns the required contract paths missing from a resolved outputs object (empty when complete). A
 * `posture.cache` of null stands for the whole cache section when `posture.absent.cache` gives the reason (a
 * non-empty string); without the reason, `posture.absent.cache` is reported missing.
 */
export function checkOutputsContract(outputs: unknown): string[] {
  const cache = at(outputs, "posture.cache");
  const noCache = cache.found && cache.value === null;
  const reason = at(outputs, "posture.absent.cache");
  const missing: string[] = REQUIRED_OUTPUT_PATHS.filter(
    (p) => !(noCache && p.startsWith("posture.cache.")) && !at(outputs, p).found,
  );
  if (noCache && !(typeof reason.value === "string" && reason.value.length > 0))
    missing.push("posture.absent.cache");
  return missing;
}
