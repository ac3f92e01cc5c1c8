/**
 * Arguments of the GCP `Service` (Cloud Run v2) and their validation: pure, no resources, so it tests
 * without mocks (serviceSettings.test.ts). The component is in ./service.ts.
 */
import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { checkImage } from "../shared/image";
import { Transform } from "../shared/transform";
import { bool, intIn, show } from "../shared/validate";
import { cloudRunSizeProblem } from "./cloudRunSizes";
import {
  OTEL_COLLECTOR_IMAGE,
  SecretFileMount,
  Environment,
  validateEnvironment,
  validateSecretFiles,
  validateSecrets,
} from "./containers";
import type { ServiceAccount } from "./iam";
import type { CloudRunVpcAccess } from "./network";
import { validateLabels } from "../shared/tags";
import type { SecretRef } from "./secret";

/** Per-child `transform` hooks. */
export interface ServiceTransforms {
  service?: Transform<gcp.cloudrunv2.ServiceArgs>;
  /** The project-level telemetry grants (log/metric/trace writer); the function form receives the logical name. */
  projectIamMember?: Transform<gcp.projects.IAMMemberArgs>;
  /** The API enablement resources. */
  api?: Transform<gcp.projects.ServiceArgs>;
}

export interface ServiceArgs {
  /** The project. @example "meridian-prod-123" */
  project: pulumi.Input<string>;
  /** The region of the service. @example "europe-west1" */
  region: string;
  /**
   * The runtime identity (created by the stack with `createServiceAccount`, before the data stores, so their
   * secrets can grant it access). The service runs as it; it gets the telemetry writer roles on the project.
   */
  serviceAccount: ServiceAccount;
  /** How the service reaches private IPs (Network `cloudRunVpcAccess`, egress PRIVATE_RANGES_ONLY). */
  vpcAccess: pulumi.Input<CloudRunVpcAccess>;
  /**
   * The API image, `[registry/]repository[:tag][@sha256:<64 hex>]` (linux/amd64, listening on 8080).
   * Unset before the first release: Google's placeholder (`us-docker.pkg.dev/cloudrun/container/hello`) is
   * deployed with 0-1 instances and `placeholder` is true, so the stack can warn.
   * @default the placeholder image
   */
  image?: pulumi.Input<string>;
  /**
   * Reject an `image` (and an `otelCollectorImage`) not pinned by digest. Prod passes `true`.
   * @default false
   */
  requireDigest?: boolean;
  /**
   * vCPU per instance: 1, 2, 4, 6 or 8 (below 1 needs concurrency 1).
   * Cost: $0.000018/vCPU-second with instance-based billing (≈ $47/month per always-on vCPU), request-based
   * $0.000024/vCPU-second while serving (https://cloud.google.com/run/pricing, us-central1 tier 1, 2026-11).
   * @default 1
   */
  cpu?: number;
  /**
   * Memory per instance in MiB, within what `cpu` allows (1: 512-4096; 2: 512-8192; 4: 2048-16384; ...).
   * Cost: $0.000002/GiB-second instance-based (≈ $5/month per always-on GiB) (Cloud Run pricing, 2026-11).
   * @default 512
   */
  memoryMiB?: number;
  /**
   * Instances kept warm (0 scales to zero: cold starts on the first request). Prod: 1 or more.
   * Cost: min instances are billed while idle (at a lower idle rate with request-based billing).
   * @default 1
   */
  minInstances?: number;
  /** Most instances (>= minInstances, 1-1000). Bounds cost and database connections. @default 2 */
  maxInstances?: number;
  /** Concurrent requests per instance (1-1000). @default 80 */
  concurrency?: number;
  /** Seconds a request may take before Cloud Run answers 504 (1-3600). @default 30 */
  requestTimeoutSeconds?: number;
  /**
   * Keep CPU allocated outside requests (instance-based billing): background work and the collector's
   * exports run at full speed. Off: CPU is throttled between requests (request-based billing).
   * Cost: instance-based billing bills every instance-second, including idle time.
   * @default false
   */
  cpuAlwaysAllocated?: boolean;
  /**
   * Plain environment variables. Names that look secret (PASSWORD, PASSWD, SECRET, TOKEN, KEY) and URLs with
   * credentials are rejected: use `secrets`. PORT, OTEL_EXPORTER_OTLP_* and SHUTDOWN_TIMEOUT_MS are set here.
   * @default {}
   * @example { CORS_ALLOWED_ORIGINS: "https://app.example.com", DATABASE_SSL_CA_FILE: "/secrets/db-ca/ca.pem" }
   */
  environment?: Environment;
  /**
   * Secret env vars: name -> Secret Manager reference pinned to a version (never `latest`). The runtime
   * account must hold secretAccessor on each secret (createManagedSecret grants it).
   * @default {}
   * @example { DATABASE_URL: db.urlSecret.ref, REDIS_URL: cache.urlSecret.ref }
   */
  secrets?: Record<string, SecretRef>;
  /**
   * Secret versions mounted as read-only files: absolute path -> reference, one file per directory.
   * @default {}
   * @example { "/secrets/db-ca/ca.pem": db.serverCaSecret.ref }
   */
  secretFiles?: Record<string, SecretRef>;
  /**
   * Run the Google-Built OpenTelemetry Collector as a sidecar: the app sends OTLP to http://localhost:4318,
   * traces go to Cloud Trace and metrics to Cloud Monitoring (the account gets roles/cloudtrace.agent).
   * Cost: the sidecar's 1 vCPU / 512 MiB are billed with the instance; Cloud Trace $0.20 per million spans
   * after 2.5 million free; custom metrics $0.258/MiB after 150 MiB free (Cloud Observability pricing, 2026-11).
   * @default false
   */
  otelCollector?: boolean;
  /**
   * The collector image. With `requireDigest` a value given here must be pinned by digest.
   * @default "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.160.0"
   */
  otelCollectorImage?: string;
  /** Cloud Run's own deletion protection (prod). @default false */
  deletionProtection?: boolean;
  /** Enable run.googleapis.com (and cloudtrace.googleapis.com with the collector). @default true */
  enableApis?: boolean;
  /** Labels of the service and its revisions (pass `gcpLabels(...)`). */
  labels: Record<string, string>;
  /** Patches any child's args or options (partial object or function). @default none */
  transform?: ServiceTransforms;
}

export const SERVICE_DEFAULTS = {
  requireDigest: false,
  cpu: 1,
  memoryMiB: 512,
  minInstances: 1,
  maxInstances: 2,
  concurrency: 80,
  requestTimeoutSeconds: 30,
  cpuAlwaysAllocated: false,
  otelCollector: false,
  deletionProtection: false,
  enableApis: true,
} as const;

/** The validated args with defaults applied. */
export interface ServiceSettings {
  region: string;
  /** The image to deploy, or undefined for the placeholder. */
  image?: pulumi.Input<string>;
  requireDigest: boolean;
  cpu: number;
  memoryMiB: number;
  minInstances: number;
  maxInstances: number;
  concurrency: number;
  requestTimeoutSeconds: number;
  cpuAlwaysAllocated: boolean;
  environment: Environment;
  secrets: Record<string, SecretRef>;
  secretFiles: SecretFileMount[];
  otelCollector: boolean;
  otelCollectorImage: string;
  deletionProtection: boolean;
  enableApis: boolean;
  labels: Record<string, string>;
}

/** Validates a GCP region name. */
export function checkRegion(region: unknown): string {
  if (typeof region !== "string" || !/^[a-z]+(?:-[a-z]+)+\d+$/.test(region)) {
    throw new Error(`region is ${show(region)}; allowed: a GCP region name, e.g. "us-central1"`);
  }
  return region;
}

/** Checks the args every workload (service, jobs) takes: project, service account, VPC access. */
export function checkWorkloadBase(args: {
  project?: unknown;
  serviceAccount?: Partial<ServiceAccount>;
  vpcAccess?: unknown;
}): void {
  if (args.project === undefined || args.project === null || args.project === "") {
    throw new Error(`project is ${show(args.project)}; allowed: a GCP project id (required)`);
  }
  const sa = args.serviceAccount;
  if (!sa || typeof sa.accountId !== "string" || sa.email === undefined || sa.member === undefined) {
    throw new Error(
      `serviceAccount is ${sa === undefined ? "undefined" : "incomplete"}; allowed: the runtime identity from createServiceAccount (required)`,
    );
  }
  if (args.vpcAccess === undefined || args.vpcAccess === null) {
    throw new Error(
      `vpcAccess is ${show(args.vpcAccess)}; allowed: the Network's cloudRunVpcAccess (required)`,
    );
  }
}

/**
 * Validates every arg synchronously and applies defaults. Each error names the arg, the value and what is
 * allowed. Pure: no Pulumi resources.
 */
export function resolveServiceArgs(args: ServiceArgs): ServiceSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = SERVICE_DEFAULTS;
  checkWorkloadBase(args);
  const region = checkRegion(args.region);
  const requireDigest = bool("requireDigest", args.requireDigest ?? d.requireDigest);
  const image =
    args.image === undefined || pulumi.Output.isInstance(args.image)
      ? args.image
      : checkImage("image", args.image, requireDigest);
  const cpu = args.cpu ?? d.cpu;
  const memoryMiB = args.memoryMiB ?? d.memoryMiB;
  const sizeProblem =
    typeof cpu === "number" && typeof memoryMiB === "number"
      ? cloudRunSizeProblem(cpu, memoryMiB)
      : `cpu ${show(cpu)} / memoryMiB ${show(memoryMiB)}: numbers required`;
  if (sizeProblem) throw new Error(`${sizeProblem} (cpu and memoryMiB)`);
  const minInstances = intIn("minInstances", args.minInstances ?? d.minInstances, 0, 1000);
  const maxInstances = intIn("maxInstances", args.maxInstances ?? d.maxInstances, 1, 1000);
  if (minInstances > maxInstances) {
    throw new Error(
      `minInstances (${minInstances}) is greater than maxInstances (${maxInstances}); allowed: minInstances <= maxInstances`,
    );
  }
  const environment = validateEnvironment(args.environment);
  let otelCollectorImage = OTEL_COLLECTOR_IMAGE;
  if (args.otelCollectorImage !== undefined) {
    otelCollectorImage = checkImage("otelCollectorImage", args.otelCollectorImage, requireDigest);
  }
  return {
    region,
    image,
    requireDigest,
    cpu,
    memoryMiB,
    minInstances,
    maxInstances,
    concurrency: intIn("concurrency", args.concurrency ?? d.concurrency, 1, 1000),
    requestTimeoutSeconds: intIn(
      "requestTimeoutSeconds",
      args.requestTimeoutSeconds ?? d.requestTimeoutSeconds,
      1,
      3600,
    ),
    cpuAlwaysAllocated: bool("cpuAlwaysAllocated", args.cpuAlwaysAllocated ?? d.cpuAlwaysAllocated),
    environment,
    secrets: validateSecrets(args.secrets, environment),
    secretFiles: validateSecretFiles(args.secretFiles),
    otelCollector: bool("otelCollector", args.otelCollector ?? d.otelCollector),
    otelCollectorImage,
    deletionProtection: bool("deletionProtection", args.deletionProtection ?? d.deletionProtection),
    enableApis: bool("enableApis", args.enableApis ?? d.enableApis),
    labels: validateLabels(args.labels),
  };
}
