/**
 * Meridian's alerts, uptime check, dashboard and service logs on GCP: an email notification channel
 * (optional), an HTTPS uptime check on `/health/ready` through the load balancer, Cloud Monitoring alert
 * policies with the seeds' thresholds (`./alertPolicies`), one dashboard with the golden signals
 * (`./observabilityDashboard`), and a log bucket with its own retention for the Cloud Run service's and
 * jobs' logs (`./logRouting`). The GCP counterpart of components/aws/observability.ts.
 *
 * See docs/components/gcp-observability.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { AlertSpec, alertSpecs, AlertTargets } from "./alertPolicies";
import { enableServices } from "./apis";
import type { IamGrant } from "./iam";
import { createLogRouting } from "./logRouting";
import {
  ObservabilityArgs,
  ObservabilitySettings,
  resolveObservabilityArgs,
  RUNBOOK_PATH,
} from "./observabilityArgs";
import { dashboardCharts, dashboardJson } from "./observabilityDashboard";

export * from "./observabilityArgs";

/**
 * The `gcp.monitoring.AlertPolicy` args of one {@link AlertSpec}: display name `<alarmName>: <what>`, one
 * threshold condition, the email channel when there is one, auto-close after 30 minutes, and documentation
 * (summary, runbook path, dashboard name, optional runbook link). Shared with components/gcp/gkeAlerts.ts.
 */
export function alertPolicyArgs(
  spec: AlertSpec,
  ctx: {
    project: pulumi.Input<string>;
    alarmName: string;
    channel?: pulumi.Input<string>;
    dashboard: string;
    runbookUrl?: string;
    userLabels: Record<string, string>;
  },
): gcp.monitoring.AlertPolicyArgs {
  return {
    project: ctx.project,
    displayName: asciiDescription(`${ctx.alarmName}: ${spec.displayName}`),
    combiner: "OR",
    enabled: true,
    severity: spec.severity,
    conditions: [{ displayName: asciiDescription(spec.displayName), conditionThreshold: spec.condition }],
    notificationChannels: ctx.channel ? [ctx.channel] : [],
    alertStrategy: { autoClose: "1800s", notificationPrompts: ["OPENED", "CLOSED"] },
    documentation: {
      mimeType: "text/markdown",
      subject: asciiDescription(`[${spec.severity}] ${ctx.alarmName}: ${spec.displayName}`).slice(0, 255),
      // Markdown paragraphs, each checked ASCII-only (the API stores what notifications render).
      content: [
        spec.summary,
        `Runbook: ${RUNBOOK_PATH} (what you see, why, what to do). Dashboard: ${ctx.dashboard}.`,
      ]
        .map((p) => asciiDescription(p, "documentation.content"))
        .join("\n\n"),
      ...(ctx.runbookUrl ? { links: [{ displayName: "runbook", url: ctx.runbookUrl }] } : {}),
    },
    userLabels: ctx.userLabels,
  };
}

/**
 * Alert policies, uptime check, dashboard and service logs for a Meridian environment on GCP.
 *
 * @example
 * new Observability("meridian-prod-obs", {
 *   project, region, alertEmail: "oncall@example.com", labels,
 *   uptime: { host: "api.example.com" },
 *   loadBalancer: { urlMapName: edge.urlMapName, backendServiceName: edge.backendServiceName },
 *   service: { serviceName: service.serviceName },
 *   database: { databaseId: db.databaseId, maxConnections: db.maxConnections },
 *   cache: { instanceId: cache.instanceId },
 *   logs: { retentionDays: 30, serviceNames: [service.serviceName], jobNames: [jobs.migrateJobName] },
 * });
 */
export class Observability extends pulumi.ComponentResource {
  /** Stable names of every alert policy (`<name>-<key>`; also the start of each display name). */
  public readonly alarmNames: string[];
  /** The email channel (`projects/P/notificationChannels/N`), or undefined without `alertEmail`. */
  public readonly notificationChannelId?: pulumi.Output<string>;
  /** The uptime check's id (what `check_id` filters match), or undefined without `uptime`. */
  public readonly uptimeCheckId?: pulumi.Output<string>;
  /** The dashboard's id (`projects/P/dashboards/D`). */
  public readonly dashboardId: pulumi.Output<string>;
  /** The service log bucket (`projects/P/locations/R/buckets/B`), or undefined without `logs`. */
  public readonly logBucketId?: pulumi.Output<string>;
  /** IAM bindings this component creates: none (a sink into a same-project bucket needs no grant). */
  public readonly grants: IamGrant[] = [];
  /** Its part of the posture: the alarms, and the service log bucket's retention by bucket name. */
  public readonly posture: {
    alarms: NonNullable<Posture["alarms"]>;
    logRetentionDays: Record<string, number>;
  };
  public readonly settings: ObservabilitySettings;

  constructor(name: string, args: ObservabilityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Observability", name, () => resolveObservabilityArgs(args));
    super("meridian:gcp:Observability", name, {}, opts);
    this.settings = settings;
    const s = settings;
    const t = args.transform ?? {};
    const project = args.project;
    const userLabels = s.labels;
    const apis = s.enableApis
      ? enableServices(
          name,
          project,
          ["monitoring.googleapis.com", "logging.googleapis.com"],
          { parent: this },
          t.service,
        )
      : [];
    const childOpts = (): pulumi.CustomResourceOptions => ({ parent: this, dependsOn: apis });

    // -- notification channel -------------------------------------------------------------------------
    let channel: gcp.monitoring.NotificationChannel | undefined;
    if (s.alertEmail) {
      channel = new gcp.monitoring.NotificationChannel(
        ...applyTransform(
          t.notificationChannel,
          `${name}-email`,
          {
            project,
            type: "email",
            displayName: asciiDescription(`${name} on-call email`),
            description: asciiDescription(`Meridian alerts of ${name}`),
            labels: { email_address: s.alertEmail },
            enabled: true,
            userLabels,
          },
          childOpts(),
        ),
      );
    }

    // -- uptime check ------------------------------------------------------------------------------------
    let uptime: gcp.monitoring.UptimeCheckConfig | undefined;
    if (s.uptime && args.uptime) {
      uptime = new gcp.monitoring.UptimeCheckConfig(
        ...applyTransform(
          t.uptimeCheck,
          `${name}-uptime-check`,
          {
            project,
            displayName: physicalName("gcp:resource", name, "ready"),
            period: "60s",
            timeout: "10s",
            checkerType: "STATIC_IP_CHECKERS",
            selectedRegions: s.uptime.regions,
            logCheckFailures: true,
            monitoredResource: {
              type: "uptime_url",
              labels: { project_id: project, host: args.uptime.host },
            },
            httpCheck: {
              requestMethod: "GET",
              path: s.uptime.path,
              port: 443,
              useSsl: true,
              validateSsl: true,
              acceptedResponseStatusCodes: [{ statusValue: 200 }],
            },
            // /health/ready answers {"status":"ready",...} with 200 and {"status":"not-ready",...} with 503.
            contentMatchers: [{ content: '"status":"ready"', matcher: "CONTAINS_STRING" }],
            userLabels,
          },
          childOpts(),
        ),
      );
    }

    // -- alert policies ----------------------------------------------------------------------------------
    const targets: AlertTargets = {
      uptimeCheckId: uptime?.uptimeCheckId,
      loadBalancer: args.loadBalancer,
      service: args.service,
      database: args.database,
      cache: args.cache,
    };
    const alarmNames: string[] = [];
    for (const spec of alertSpecs(targets, s.thresholds)) {
      const alarmName = physicalName("gcp:resource", name, spec.key);
      alarmNames.push(alarmName);
      new gcp.monitoring.AlertPolicy(
        ...applyTransform(
          t.alertPolicy,
          `${name}-${spec.key}`,
          alertPolicyArgs(spec, {
            project,
            alarmName,
            channel: channel?.name,
            dashboard: physicalName("gcp:resource", name),
            runbookUrl: s.runbookUrl,
            userLabels,
          }),
          childOpts(),
        ),
      );
    }

    // -- dashboard ---------------------------------------------------------------------------------------
    const dashboard = new gcp.monitoring.Dashboard(
      ...applyTransform(
        t.dashboard,
        `${name}-dashboard`,
        {
          project,
          dashboardJson: pulumi
            .output(targets)
            .apply((resolved) =>
              JSON.stringify(
                dashboardJson(physicalName("gcp:resource", name), dashboardCharts(resolved, s.thresholds)),
              ),
            ),
        },
        childOpts(),
      ),
    );

    // -- service logs ------------------------------------------------------------------------------------
    const logRetentionDays: Record<string, number> = {};
    if (s.logs && args.logs) {
      const selectors = [
        ...args.logs.serviceNames.map(
          (n) =>
            pulumi.interpolate`(resource.type="cloud_run_revision" AND resource.labels.service_name="${n}")`,
        ),
        ...(args.logs.jobNames ?? []).map(
          (n) => pulumi.interpolate`(resource.type="cloud_run_job" AND resource.labels.job_name="${n}")`,
        ),
        // The load balancer's request logs, with Cloud Armor's decision on each request.
        ...(args.loadBalancer
          ? [
              pulumi.interpolate`(resource.type="http_load_balancer" AND resource.labels.url_map_name="${args.loadBalancer.urlMapName}")`,
            ]
          : []),
      ];
      // Audit logs stay where the organisation's audit retention applies (_Required / _Default).
      const filter = pulumi
        .all(selectors)
        .apply((parts) => `(${parts.join(" OR ")}) AND NOT logName:"cloudaudit.googleapis.com"`);
      const bucketId = physicalName("gcp:logBucket", name, "logs");
      const routing = createLogRouting(
        `${name}-logs`,
        {
          project,
          location: args.region,
          bucketId,
          sinkName: physicalName("gcp:resource", name, "logs-sink"),
          exclusionName: physicalName("gcp:resource", name, "logs-excl"),
          retentionDays: s.logs.retentionDays,
          filter,
          descriptions: {
            bucket: asciiDescription(`Meridian service, job and load balancer logs of ${name}`),
            sink: "Routes the Cloud Run service's and jobs' logs and the load balancer's request logs to their own bucket",
            exclusion: "Stored in the service's own log bucket instead of _Default",
          },
          transform: { logBucket: t.logBucket, logSink: t.logSink, logExclusion: t.logExclusion },
        },
        childOpts(),
      );
      this.logBucketId = routing.bucketId;
      logRetentionDays[routing.retention.name] = routing.retention.days;
    }

    this.alarmNames = alarmNames;
    this.notificationChannelId = channel?.name;
    this.uptimeCheckId = uptime?.uptimeCheckId;
    this.dashboardId = dashboard.id;
    this.posture = {
      // null without alertEmail: incidents open in the console without notifying anyone.
      alarms: { destination: channel ? channel.name : null, names: alarmNames },
      logRetentionDays,
    };
    this.registerOutputs({
      alarmNames: this.alarmNames,
      notificationChannelId: this.notificationChannelId,
      uptimeCheckId: this.uptimeCheckId,
      dashboardId: this.dashboardId,
      logBucketId: this.logBucketId,
      grants: this.grants,
      posture: this.posture,
    });
  }
}
