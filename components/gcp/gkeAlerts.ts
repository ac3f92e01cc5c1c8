/**
 * The GKE runtime's own Cloud Monitoring alert policies (`./gkeAlertSpecs`): the API's 5xx ratio at the
 * Gateway's load balancer and the Deployment's container CPU and memory against their limits. The shared
 * policies (uptime, Cloud SQL, Memorystore), the channel and the dashboard stay in `Observability`; these
 * policies notify the same channel and are built by the same `alertPolicyArgs`, so they read alike.
 *
 * Cost: alert policies are free; the metrics are GKE system metrics and load balancer metrics, which Cloud
 * Monitoring does not charge for (https://cloud.google.com/stackdriver/pricing, read 2026-11).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { resolveThresholds, type Thresholds } from "./alertPolicies";
import { GkeAlertTargets, gkeAlertSpecs } from "./gkeAlertSpecs";
import { alertPolicyArgs } from "./observability";

export interface GkeAlertsArgs {
  /** Project of the policies. @example "meridian-prod-1234" */
  project: pulumi.Input<string>;
  /** The Gateway's backend Service and the Deployment to watch. */
  targets: GkeAlertTargets;
  /** The notification channel (`Observability.notificationChannelId`). @default none (incidents open without notifying) */
  notificationChannel?: pulumi.Input<string>;
  /** The dashboard's display name named in each policy's documentation. @example "meridian-prod-obs" */
  dashboard: string;
  /** Link added to each policy's documentation. @default none */
  runbookUrl?: string;
  /** Thresholds (`http5xxPercent`, `serviceCpuPercent`, `serviceMemoryPercent` apply). @default DEFAULT_THRESHOLDS */
  thresholds?: Thresholds;
  /** GCP labels (`gcpLabels`): `userLabels` of every policy. @default {} */
  labels?: Record<string, string>;
  /** Escape hatch: a partial args object or a function, for every alert policy. */
  transform?: { alertPolicy?: Transform<gcp.monitoring.AlertPolicyArgs> };
}

/**
 * Alert policies for the API on GKE. Throws (naming the field) on an invalid threshold, a backend whose
 * namespace/service/port are not DNS labels and a port, or a Deployment name that is not a DNS label.
 *
 * @example
 * new GkeAlerts("meridian-prod-alerts", {
 *   project, dashboard: "meridian-prod-obs", notificationChannel: obs.notificationChannelId, labels,
 *   targets: {
 *     backend: { namespace: "meridian", serviceName: "meridian-api", port: 80 },
 *     deployment: { clusterName: cluster.clusterName, namespace: "meridian", name: "meridian-api" },
 *   },
 * });
 */
export class GkeAlerts extends pulumi.ComponentResource {
  /** Stable names of the alert policies (`<name>-<key>`; also the start of each display name). */
  public readonly alarmNames: string[];

  constructor(name: string, args: GkeAlertsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const specs = resolveArgs("GkeAlerts", name, () =>
      gkeAlertSpecs(args.targets, resolveThresholds(args.thresholds)),
    );
    super("meridian:gcp:GkeAlerts", name, {}, opts);
    this.alarmNames = specs.map((spec) => {
      const alarmName = physicalName("gcp:resource", name, spec.key);
      new gcp.monitoring.AlertPolicy(
        ...applyTransform(
          args.transform?.alertPolicy,
          `${name}-${spec.key}`,
          alertPolicyArgs(spec, {
            project: args.project,
            alarmName,
            channel: args.notificationChannel,
            dashboard: args.dashboard,
            runbookUrl: args.runbookUrl,
            userLabels: args.labels ?? {},
          }),
          { parent: this },
        ),
      );
      return alarmName;
    });
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}
