/**
 * The arguments of the GCP Observability component, their defaults and their validation (pure: no
 * resources), so they test without mocks. See ./observability.ts and docs/components/gcp-observability.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Transform } from "../shared/transform";
import { bool, oneOf, show } from "../shared/validate";
import { AlertTargets, resolveThresholds, Thresholds } from "./alertPolicies";
import { LogRoutingTransforms, validateRetentionDays } from "./logRouting";
import { validateLabels } from "./network";

/** Uptime checker regions (Monitoring API `UptimeCheckRegion`) and how many checker locations each has. */
export const UPTIME_REGIONS = {
  USA: 3,
  EUROPE: 1,
  SOUTH_AMERICA: 1,
  ASIA_PACIFIC: 1,
  USA_OREGON: 1,
  USA_IOWA: 1,
  USA_VIRGINIA: 1,
} as const;
export type UptimeRegion = keyof typeof UPTIME_REGIONS;

/** The runbook every policy's documentation points to. */
export const RUNBOOK_PATH = "docs/runbooks/README.md";

export interface UptimeOptions {
  /** Host name the load balancer serves the API on (`meridian:domain`); the check probes `https://<host><path>`. */
  host: pulumi.Input<string>;
  /** Path probed; must answer 200 with `"status":"ready"` (the workload contract's readiness). @default "/health/ready" */
  path?: string;
  /**
   * Checker regions; together at least 3 checker locations (USA counts 3). The alert fires when more than
   * one location fails, so one flaky checker never pages.
   * Cost: 1 million executions/month per project free, then $0.30/1,000 (cloud.google.com/stackdriver/pricing,
   * 2026-11); the default (6 locations, every 60 s) is ≈ 263,000/month: free.
   * @default ["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"]
   */
  regions?: UptimeRegion[];
}

export interface ServiceLogOptions {
  /** Days the service's and jobs' logs are kept (1-3650). Cost: storage beyond 30 days $0.01/GiB-month. */
  retentionDays: number;
  /** Cloud Run services whose logs are routed (`resource.labels.service_name`). */
  serviceNames: pulumi.Input<string>[];
  /** Cloud Run jobs whose logs are routed (`resource.labels.job_name`). @default [] */
  jobNames?: pulumi.Input<string>[];
}

export interface ObservabilityTransforms extends LogRoutingTransforms {
  notificationChannel?: Transform<gcp.monitoring.NotificationChannelArgs>;
  uptimeCheck?: Transform<gcp.monitoring.UptimeCheckConfigArgs>;
  /** Every alert policy; the function form receives the logical name (`<name>-uptime`, `<name>-db-cpu`, ...). */
  alertPolicy?: Transform<gcp.monitoring.AlertPolicyArgs>;
  dashboard?: Transform<gcp.monitoring.DashboardArgs>;
  /** The API enablement resources. */
  service?: Transform<gcp.projects.ServiceArgs>;
}

export interface ObservabilityArgs {
  /** The project everything is created in. */
  project: pulumi.Input<string>;
  /** Region of the service log bucket. @example "us-central1" */
  region: string;
  /**
   * Email address of the notification channel. Without it the policies exist with no channel: incidents
   * open in the console but nobody is told (as on AWS, where the SNS topic then has no subscription).
   * Cost: email notifications are free.
   * @default none
   */
  alertEmail?: string;
  /** The HTTPS uptime check (and its alert). Omit when there is no host to probe yet. @default none */
  uptime?: UptimeOptions;
  /** The load balancer (URL map and the API's backend service names): the 5xx ratio is read there. @default none (Cloud Run's request_count) */
  loadBalancer?: AlertTargets["loadBalancer"];
  /** The Cloud Run service: latency, CPU and memory alerts (and the 5xx ratio without a load balancer). @default none */
  service?: AlertTargets["service"];
  /** Cloud SQL (`databaseId` = `project:instance`, `maxConnections` of the tier): CPU, disk, connections. @default none */
  database?: AlertTargets["database"];
  /** Memorystore (`instanceId` = `projects/P/locations/R/instances/I`): memory. @default none */
  cache?: AlertTargets["cache"];
  /** Routes the Cloud Run service's and jobs' logs to a bucket of their own. @default none */
  logs?: ServiceLogOptions;
  /** Alert thresholds. @default DEFAULT_THRESHOLDS (5xx 5%, p95 1.5 s, CPU/memory/disk/connections 80%) */
  thresholds?: Thresholds;
  /** An http(s) URL of the runbook, added as a link to every policy (the text always names docs/runbooks/README.md). @default none */
  runbookUrl?: string;
  /**
   * Cost: alert policies $1.50 per condition per month plus $0.35 per million time series returned
   * (cloud.google.com/stackdriver/pricing, 2026-11): the full set of 9 is ≈ $14/month. Dashboards are free.
   * Enables monitoring.googleapis.com and logging.googleapis.com (never disabled on destroy).
   * @default true
   */
  enableApis?: boolean;
  /** GCP labels (`gcpLabels`): `userLabels` of the channel, the uptime check and every policy. */
  labels: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: ObservabilityTransforms;
}

export interface ObservabilitySettings {
  alertEmail?: string;
  uptime?: { path: string; regions: UptimeRegion[] };
  logs?: { retentionDays: number };
  thresholds: ReturnType<typeof resolveThresholds>;
  runbookUrl?: string;
  enableApis: boolean;
  labels: Record<string, string>;
}

/** Validates every arg synchronously and applies defaults. */
export function resolveObservabilityArgs(args: ObservabilityArgs): ObservabilitySettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  if (args.project === undefined || args.project === "") {
    throw new Error(`project is ${show(args.project)}; allowed: a GCP project id, e.g. "meridian-prod-123"`);
  }
  if (typeof args.region !== "string" || !/^[a-z]+(?:-[a-z]+)+\d+$/.test(args.region)) {
    throw new Error(`region is ${show(args.region)}; allowed: a GCP region name, e.g. "us-central1"`);
  }
  if (
    args.alertEmail !== undefined &&
    (typeof args.alertEmail !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(args.alertEmail))
  ) {
    throw new Error(
      `alertEmail is ${show(args.alertEmail)}; allowed: an email address such as "oncall@example.com"`,
    );
  }
  let uptime: ObservabilitySettings["uptime"];
  if (args.uptime !== undefined) {
    const u = args.uptime;
    if (
      u.host === undefined ||
      u.host === "" ||
      (typeof u.host === "string" && !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(u.host))
    ) {
      throw new Error(
        `uptime.host is ${show(u.host)}; allowed: a DNS name the load balancer serves, e.g. "api.example.com"`,
      );
    }
    const path = u.path ?? "/health/ready";
    if (typeof path !== "string" || !path.startsWith("/"))
      throw new Error(`uptime.path is ${show(path)}; allowed: a path starting with "/"`);
    const regions = u.regions ?? (["USA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC"] as UptimeRegion[]);
    if (!Array.isArray(regions))
      throw new Error(`uptime.regions is ${show(regions)}; allowed: a list of uptime regions`);
    regions.forEach((r, i) =>
      oneOf(`uptime.regions[${i}]`, r, Object.keys(UPTIME_REGIONS) as UptimeRegion[]),
    );
    const locations = regions.reduce((n, r) => n + UPTIME_REGIONS[r], 0);
    if (locations < 3) {
      throw new Error(
        `uptime.regions ${show(regions)} has ${locations} checker location(s); allowed: regions with at least 3 (USA counts 3, the others 1)`,
      );
    }
    uptime = { path, regions: [...regions] };
  }
  if (args.database !== undefined) {
    const m = args.database.maxConnections;
    if (typeof m !== "number" || !Number.isInteger(m) || m < 1 || m > 262143) {
      throw new Error(
        `database.maxConnections is ${show(m)}; allowed: the instance's max_connections, an integer from 1 to 262143`,
      );
    }
  }
  let logs: ObservabilitySettings["logs"];
  if (args.logs !== undefined) {
    const retentionDays = validateRetentionDays("logs.retentionDays", args.logs.retentionDays);
    const jobs = args.logs.jobNames ?? [];
    if (
      !Array.isArray(args.logs.serviceNames) ||
      !Array.isArray(jobs) ||
      args.logs.serviceNames.length + jobs.length === 0
    ) {
      throw new Error(
        `logs.serviceNames is ${show(args.logs.serviceNames)}; allowed: at least one Cloud Run service or job name`,
      );
    }
    logs = { retentionDays };
  }
  if (args.runbookUrl !== undefined && !/^https?:\/\/\S+$/.test(String(args.runbookUrl))) {
    throw new Error(`runbookUrl is ${show(args.runbookUrl)}; allowed: an http(s) URL`);
  }
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return {
    alertEmail: args.alertEmail,
    uptime,
    logs,
    thresholds: resolveThresholds(args.thresholds),
    runbookUrl: args.runbookUrl,
    enableApis: bool("enableApis", args.enableApis ?? true),
    labels: validateLabels(args.labels),
  };
}
