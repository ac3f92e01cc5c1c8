/**
 * The alert policies the GKE runtime adds to the shared ones (components/gcp/alertPolicies.ts), as data:
 * the API's 5xx ratio at the Gateway's load balancer, and CPU and memory of the Deployment's containers
 * against their limits. The GKE counterparts of the Cloud Run stack's `http-5xx-rate`, `service-cpu` and
 * `service-memory`; same thresholds (`Thresholds.http5xxPercent`, `serviceCpuPercent`,
 * `serviceMemoryPercent`) and the same condition builders (`ratioCondition`, `saturationCondition`).
 *
 * Facts: Google Cloud metrics list, https://cloud.google.com/monitoring/api/metrics_kubernetes (read 2026-11):
 * `kubernetes.io/container/{cpu,memory}/limit_utilization` are GAUGE DOUBLE on `k8s_container` (fraction of the
 * container's limit; memory has `memory_type` = `evictable` | `non-evictable`), and GKE attaches
 * `metadata.system_labels.top_level_controller_{type,name}` to them. The Gateway's backend service is named by
 * the GKE Gateway controller `gkegw1-<4>-<namespace>-<service>-<port>-<12>` (lowercase alphanumerics; seen on
 * live clusters, not a documented contract: re-check `gcloud compute backend-services list` after the first
 * deploy). Filters: https://cloud.google.com/monitoring/api/v3/filters (`monitoring.regex.full_match`).
 */
import * as pulumi from "@pulumi/pulumi";
import { show } from "../shared/validate";
import { AlertSpec, filterText, ratioCondition, saturationCondition, type Thresholds } from "./alertPolicies";
import { METRICS, type MetricInfo } from "./monitoringMetrics";

type In = pulumi.Input<string>;

const K8S_CONTAINER_LABELS = [
  "project_id",
  "location",
  "cluster_name",
  "namespace_name",
  "pod_name",
  "container_name",
];

/** The metrics these specs use, in `./monitoringMetrics`' shape (for `parseFilter`/`checkAggregations`). */
export const GKE_METRICS: Record<string, MetricInfo> = {
  "loadbalancing.googleapis.com/https/request_count":
    METRICS["loadbalancing.googleapis.com/https/request_count"],
  "kubernetes.io/container/cpu/limit_utilization": {
    resourceType: "k8s_container",
    kind: "GAUGE",
    valueType: "DOUBLE",
    resourceLabels: K8S_CONTAINER_LABELS,
    metricLabels: [],
  },
  "kubernetes.io/container/memory/limit_utilization": {
    resourceType: "k8s_container",
    kind: "GAUGE",
    valueType: "DOUBLE",
    resourceLabels: K8S_CONTAINER_LABELS,
    metricLabels: ["memory_type"],
  },
};

/** What to alert on. */
export interface GkeAlertTargets {
  /** The Gateway's backend: the Service it routes to (namespace, name, port) names the backend service. */
  backend: { namespace: string; serviceName: string; port: number };
  /** The Deployment whose containers are watched: cluster name, namespace and Deployment name. */
  deployment: { clusterName: In; namespace: string; name: string };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The regular expression (RE2, full match) of the backend service GKE's Gateway controller creates for
 * `namespace/serviceName:port`. Throws when a part is not a DNS label, the port is not 1-65535, or the name
 * would exceed 63 characters (the controller then truncates parts, and this pattern would match nothing).
 */
export function gatewayBackendPattern(b: GkeAlertTargets["backend"]): string {
  for (const [field, v] of [
    ["backend.namespace", b.namespace],
    ["backend.serviceName", b.serviceName],
  ] as const) {
    if (!DNS_LABEL.test(v)) throw new Error(`${field} is ${show(v)}; allowed: a DNS label`);
  }
  if (!Number.isInteger(b.port) || b.port < 1 || b.port > 65535)
    throw new Error(`backend.port is ${show(b.port)}; allowed: an integer from 1 to 65535`);
  const middle = `${b.namespace}-${b.serviceName}-${b.port}`;
  const length = "gkegw1-".length + 5 + middle.length + 13;
  if (length > 63)
    throw new Error(
      `backend "${middle}" gives a ${length}-character backend service name; allowed: namespace, service and port of at most ${63 - 25} characters together (GKE truncates longer ones)`,
    );
  return `gkegw1-[a-z0-9]{4}-${middle}-[a-z0-9]{12}`;
}

/** The GKE alert specs (keys `http-5xx-rate`, `pod-cpu`, `pod-memory`); validates the targets. */
export function gkeAlertSpecs(targets: GkeAlertTargets, th: Required<Thresholds>): AlertSpec[] {
  const backend = gatewayBackendPattern(targets.backend);
  const d = targets.deployment;
  if (!DNS_LABEL.test(d.name)) throw new Error(`deployment.name is ${show(d.name)}; allowed: a DNS label`);
  if (!DNS_LABEL.test(d.namespace))
    throw new Error(`deployment.namespace is ${show(d.namespace)}; allowed: a DNS label`);

  const lb = filterText`metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.labels.backend_target_name=monitoring.regex.full_match("${backend}")`;
  const pods = (metric: string) =>
    filterText`metric.type="${metric}" AND resource.type="k8s_container" AND resource.labels.cluster_name="${d.clusterName}" AND resource.labels.namespace_name="${d.namespace}" AND metadata.system_labels.top_level_controller_type="Deployment" AND metadata.system_labels.top_level_controller_name="${d.name}"`;
  const byContainer = ["resource.labels.container_name"];
  return [
    {
      key: "http-5xx-rate",
      displayName: `API 5xx above ${th.http5xxPercent}% of requests (load balancer)`,
      severity: "CRITICAL",
      summary: `More than ${th.http5xxPercent}% of API requests through the Gateway's load balancer returned 5xx over the last 5 minutes (including the 502/503s it returns when no Pod is ready).`,
      condition: ratioCondition(
        filterText`${lb} AND metric.labels.response_code_class=500`,
        lb,
        "resource.labels.backend_target_name",
        th.http5xxPercent,
      ),
    },
    {
      key: "pod-cpu",
      displayName: `API Pods CPU above ${th.serviceCpuPercent}% of the limit`,
      severity: "WARNING",
      summary: `The busiest API container of Deployment ${d.name} has used more than ${th.serviceCpuPercent}% of its CPU limit for 5 minutes: it is throttled; check the HorizontalPodAutoscaler (at its maximum?) and the limits.`,
      condition: saturationCondition(
        pods("kubernetes.io/container/cpu/limit_utilization"),
        byContainer,
        th.serviceCpuPercent,
      ),
    },
    {
      key: "pod-memory",
      displayName: `API Pods memory above ${th.serviceMemoryPercent}% of the limit`,
      severity: "WARNING",
      summary: `An API container of Deployment ${d.name} has used more than ${th.serviceMemoryPercent}% of its memory limit (non-evictable) for 5 minutes: it will be OOM-killed at the limit.`,
      condition: saturationCondition(
        filterText`${pods("kubernetes.io/container/memory/limit_utilization")} AND metric.labels.memory_type="non-evictable"`,
        byContainer,
        th.serviceMemoryPercent,
      ),
    },
  ];
}
