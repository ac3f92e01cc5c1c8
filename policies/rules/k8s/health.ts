/**
 * Kubernetes workload health: resource requests and limits on every container, readiness and liveness
 * probes on long-running workloads (Deployments, StatefulSets, DaemonSets, ReplicaSets and bare Pods
 * that restart), not on Jobs and CronJobs, whose pods end when their work does.
 *
 * Sources: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/ (a missing
 * request is copied from the limit; the scheduler, HPA utilisation and GKE Autopilot's billing use
 * requests) and https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/.
 */
import { resourceRule } from "../../lib/rule";
import { allContainers, isLongRunning, Obj, podSpec, WORKLOAD_TYPES } from "./workloads";
import { asArray } from "../../lib/util";

export const k8sResourceLimits = resourceRule({
  id: "k8s-resource-limits",
  description: "Containers set CPU and memory limits and requests.",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "least-privilege",
  remediation:
    'Meridian: components/k8s/podSpec.ts sets `resources` on every container from the Workload `resources` arg (default `DEFAULT_RESOURCES`, seed 003). Raw: `resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } }` on every container and init container (ephemeral containers take none). On GKE Autopilot requests are what you pay for and limits are set equal to them.',
  references: ["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13"],
  types: WORKLOAD_TYPES,
  check(r, report) {
    const spec = podSpec(r);
    if (!spec) return;
    for (const { c, where } of allContainers(spec)) {
      const res = (c.resources ?? {}) as Obj;
      const limits = (res.limits ?? {}) as Obj;
      const requests = (res.requests ?? {}) as Obj;
      const noLimit = ["cpu", "memory"].filter((k) => limits[k] === undefined);
      const noRequest = ["cpu", "memory"].filter((k) => requests[k] === undefined);
      if (noLimit.length)
        report(
          `${where}: no ${noLimit.join("/")} limit (one container can starve the node's others; memory without a limit is OOM-killed last).`,
        );
      if (noRequest.length)
        report(
          `${where}: no ${noRequest.join("/")} request (the scheduler and the HorizontalPodAutoscaler work from requests; Kubernetes would copy the limit, so say it explicitly).`,
        );
    }
  },
});

export const k8sProbes = resourceRule({
  id: "k8s-probes",
  description:
    "Long-running workloads' containers have a readiness and a liveness probe (not required on Jobs, CronJobs and run-once Pods).",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "resilience",
  remediation:
    'Meridian: components/k8s/podSpec.ts sets startup, readiness and liveness probes on the API container (the workload contract paths). Raw: `readinessProbe: { httpGet: { path: "/health/ready", port: 8080 } }` and `livenessProbe: { httpGet: { path: "/health/live", port: 8080 } }` on each container (Meridian\'s API serves both, see docs/app.md); add a `startupProbe` when start-up is slow so liveness does not kill it.',
  references: ["CKV_K8S_8", "CKV_K8S_9"],
  types: WORKLOAD_TYPES,
  check(r, report) {
    if (!isLongRunning(r)) return;
    const spec = podSpec(r);
    if (!spec) return;
    for (const c of asArray(spec.containers as Obj[])) {
      const missing = ["readinessProbe", "livenessProbe"].filter((k) => c[k] === undefined || c[k] === null);
      if (missing.length)
        report(
          `container ${c.name}: no ${missing.join(" and no ")} (${
            missing.includes("readinessProbe")
              ? "traffic reaches pods before they are ready and during a rollout"
              : "a hung process is never restarted"
          }).`,
        );
    }
  },
});

/** Health rules, in the order the analyzer runs them. */
export const k8sHealthRules = [k8sResourceLimits, k8sProbes];
