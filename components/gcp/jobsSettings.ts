/**
 * Arguments of the GCP `Jobs` component (Cloud Run jobs + Cloud Scheduler) and their validation: pure, no
 * resources. The component is in ./jobs.ts.
 */
import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { checkCron } from "../shared/cron";
import { checkImage } from "../shared/image";
import { Transform } from "../shared/transform";
import { bool, intIn, show } from "../shared/validate";
import { cloudRunSizeProblem } from "./cloudRunSizes";
import {
  Environment,
  SecretFileMount,
  validateEnvironment,
  validateSecretFiles,
  validateSecrets,
} from "./containers";
import type { ServiceAccount } from "./iam";
import type { CloudRunVpcAccess } from "./network";
import { validateLabels } from "./network";
import type { SecretRef } from "./secret";
import { checkRegion, checkWorkloadBase } from "./serviceSettings";

/** Per-child `transform` hooks. */
export interface JobsTransforms {
  /** Both Cloud Run jobs; the function form receives the logical name (`<name>-migrate`, `<name>-job`). */
  job?: Transform<gcp.cloudrunv2.JobArgs>;
  scheduler?: Transform<gcp.cloudscheduler.JobArgs>;
  invoker?: Transform<gcp.cloudrunv2.JobIamMemberArgs>;
  api?: Transform<gcp.projects.ServiceArgs>;
}

export interface JobsArgs {
  /** The project. */
  project: pulumi.Input<string>;
  /** The region of the jobs and the scheduler job (Cloud Scheduler must be offered there). */
  region: string;
  /** The runtime identity the jobs run as (the service's account: same secrets, same database access). */
  serviceAccount: ServiceAccount;
  /** The Network's `cloudRunVpcAccess` (the jobs reach Cloud SQL and Memorystore on private IPs). */
  vpcAccess: pulumi.Input<CloudRunVpcAccess>;
  /**
   * The API image (the service's). Unset before the first release: the jobs are created with Google's
   * placeholder image and the scheduler is created paused, so nothing runs on a schedule.
   * @default the placeholder image, scheduler paused
   */
  image?: pulumi.Input<string>;
  /** Reject an `image` not pinned by digest (prod). @default false */
  requireDigest?: boolean;
  /** The job name passed to `node dist/cli.js job <jobName>`. @example "refresh-category-counts" */
  jobName: string;
  /**
   * When the job runs: a 5-field cron in UTC (minute hour day-of-month month day-of-week), numbers only.
   * Cost: Cloud Scheduler $0.10 per job per month after 3 free jobs per billing account
   * (https://cloud.google.com/scheduler/pricing, 2026-11).
   * @example "15 3 * * *"
   */
  schedule: string;
  /**
   * vCPU of each task: 1, 2, 4, 6 or 8.
   * Cost: jobs bill $0.000018/vCPU-s + $0.000002/GiB-s while a task runs (https://cloud.google.com/run/pricing, 2026-11).
   * @default 1
   */
  cpu?: number;
  /** Memory of each task in MiB, within what `cpu` allows. @default 512 */
  memoryMiB?: number;
  /** Seconds a migrate attempt may run (1-86400). @default 600 */
  migrateTimeoutSeconds?: number;
  /** Retries of a failed migrate task (0-10). 0: a failed migration stops the rollout at once. @default 0 */
  migrateMaxRetries?: number;
  /** Seconds a scheduled job attempt may run (1-86400). @default 1800 */
  jobTimeoutSeconds?: number;
  /** Retries of a failed scheduled task (0-10). @default 1 */
  jobMaxRetries?: number;
  /** Plain env vars (the service's rules: nothing secret). @default {} */
  environment?: Environment;
  /** Secret env vars pinned to a version. @default {} */
  secrets?: Record<string, SecretRef>;
  /** Secret versions mounted as files. @default {} */
  secretFiles?: Record<string, SecretRef>;
  /** Cloud Run's deletion protection on both jobs (prod). @default false */
  deletionProtection?: boolean;
  /** Enable run.googleapis.com and cloudscheduler.googleapis.com. @default true */
  enableApis?: boolean;
  /** Labels of the jobs, their executions and the scheduler's account description. */
  labels: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: JobsTransforms;
}

export const JOBS_DEFAULTS = {
  requireDigest: false,
  cpu: 1,
  memoryMiB: 512,
  migrateTimeoutSeconds: 600,
  migrateMaxRetries: 0,
  jobTimeoutSeconds: 1800,
  jobMaxRetries: 1,
  deletionProtection: false,
  enableApis: true,
} as const;

export interface JobsSettings {
  region: string;
  image?: pulumi.Input<string>;
  requireDigest: boolean;
  jobName: string;
  schedule: string;
  cpu: number;
  memoryMiB: number;
  migrateTimeoutSeconds: number;
  migrateMaxRetries: number;
  jobTimeoutSeconds: number;
  jobMaxRetries: number;
  environment: Environment;
  secrets: Record<string, SecretRef>;
  secretFiles: SecretFileMount[];
  deletionProtection: boolean;
  enableApis: boolean;
  labels: Record<string, string>;
}

/** Validates every arg and applies defaults. Each error names the arg, the value and what is allowed. */
export function resolveJobsArgs(args: JobsArgs): JobsSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = JOBS_DEFAULTS;
  checkWorkloadBase(args);
  const region = checkRegion(args.region);
  const requireDigest = bool("requireDigest", args.requireDigest ?? d.requireDigest);
  const image =
    args.image === undefined || pulumi.Output.isInstance(args.image)
      ? args.image
      : checkImage("image", args.image, requireDigest);
  if (typeof args.jobName !== "string" || !/^[a-z][a-z0-9-]{0,39}$/.test(args.jobName)) {
    throw new Error(
      `jobName is ${show(args.jobName)}; allowed: a job the app knows, 1-40 lowercase letters, digits and hyphens starting with a letter`,
    );
  }
  const cpu = args.cpu ?? d.cpu;
  const memoryMiB = args.memoryMiB ?? d.memoryMiB;
  const sizeProblem =
    typeof cpu === "number" && typeof memoryMiB === "number"
      ? cloudRunSizeProblem(cpu, memoryMiB)
      : `cpu ${show(cpu)} / memoryMiB ${show(memoryMiB)}: numbers required`;
  if (sizeProblem) throw new Error(`${sizeProblem} (cpu and memoryMiB)`);
  const environment = validateEnvironment(args.environment);
  return {
    region,
    image,
    requireDigest,
    jobName: args.jobName,
    schedule: checkCron("schedule", args.schedule),
    cpu,
    memoryMiB,
    migrateTimeoutSeconds: intIn(
      "migrateTimeoutSeconds",
      args.migrateTimeoutSeconds ?? d.migrateTimeoutSeconds,
      1,
      86400,
    ),
    migrateMaxRetries: intIn("migrateMaxRetries", args.migrateMaxRetries ?? d.migrateMaxRetries, 0, 10),
    jobTimeoutSeconds: intIn("jobTimeoutSeconds", args.jobTimeoutSeconds ?? d.jobTimeoutSeconds, 1, 86400),
    jobMaxRetries: intIn("jobMaxRetries", args.jobMaxRetries ?? d.jobMaxRetries, 0, 10),
    environment,
    secrets: validateSecrets(args.secrets, environment),
    secretFiles: validateSecretFiles(args.secretFiles),
    deletionProtection: bool("deletionProtection", args.deletionProtection ?? d.deletionProtection),
    enableApis: bool("enableApis", args.enableApis ?? d.enableApis),
    labels: validateLabels(args.labels),
  };
}
