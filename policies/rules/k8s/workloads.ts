/**
 * How the Kubernetes rules find pods in any workload kind: where each kind keeps its pod spec, its pod
 * labels and namespace, which containers a pod has, and the effective securityContext of a container.
 *
 * Paths are the Kubernetes API's (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/):
 * a bare Pod's spec is `spec`; Deployment, StatefulSet, DaemonSet, ReplicaSet and Job keep a pod template
 * in `spec.template`; a CronJob keeps a Job template, so its pod spec is `spec.jobTemplate.spec.template.spec`.
 */
import type { Res } from "../../lib/rule";
import { asArray } from "../../lib/util";

export type Obj = Record<string, unknown>;

const TEMPLATE = ["spec", "template"];
const JOB_TEMPLATE = ["spec", "jobTemplate", "spec", "template"];

/**
 * Workload kinds (Pulumi type tokens) and the path of their pod template (`[]` = the object itself): the
 * current API versions first, then the @pulumi/kubernetes classes of versions the API server no longer
 * serves (apps/v1beta1 and v1beta2, extensions/v1beta1 removed in 1.16; batch/v1beta1 CronJob in 1.25),
 * which a program can still declare for an old cluster. A PodTemplate object runs nothing and is not here.
 */
const TEMPLATE_PATHS: Record<string, string[]> = {
  "kubernetes:core/v1:Pod": [],
  "kubernetes:apps/v1:Deployment": TEMPLATE,
  "kubernetes:apps/v1:StatefulSet": TEMPLATE,
  "kubernetes:apps/v1:DaemonSet": TEMPLATE,
  "kubernetes:apps/v1:ReplicaSet": TEMPLATE,
  "kubernetes:batch/v1:Job": TEMPLATE,
  "kubernetes:batch/v1:CronJob": JOB_TEMPLATE,
  "kubernetes:core/v1:ReplicationController": TEMPLATE,
  "kubernetes:apps/v1beta1:Deployment": TEMPLATE,
  "kubernetes:apps/v1beta1:StatefulSet": TEMPLATE,
  "kubernetes:apps/v1beta2:Deployment": TEMPLATE,
  "kubernetes:apps/v1beta2:StatefulSet": TEMPLATE,
  "kubernetes:apps/v1beta2:DaemonSet": TEMPLATE,
  "kubernetes:apps/v1beta2:ReplicaSet": TEMPLATE,
  "kubernetes:extensions/v1beta1:Deployment": TEMPLATE,
  "kubernetes:extensions/v1beta1:DaemonSet": TEMPLATE,
  "kubernetes:extensions/v1beta1:ReplicaSet": TEMPLATE,
  "kubernetes:batch/v1beta1:CronJob": JOB_TEMPLATE,
  "kubernetes:batch/v2alpha1:CronJob": JOB_TEMPLATE,
};
export const WORKLOAD_TYPES = Object.keys(TEMPLATE_PATHS);

/** Kinds whose pods run to completion: probes are not required (a Job's pod is done when it exits). */
export const RUN_TO_COMPLETION_TYPES = [
  "kubernetes:batch/v1:Job",
  "kubernetes:batch/v1:CronJob",
  "kubernetes:batch/v1beta1:CronJob",
  "kubernetes:batch/v2alpha1:CronJob",
];

/** The pod template of a workload (`{ metadata, spec }`; for a bare Pod, the Pod itself). */
export function podTemplate(r: Res | { type: string; props: Obj }): Obj | undefined {
  let cur: unknown = r.props;
  const path = TEMPLATE_PATHS[r.type];
  if (!path) return undefined;
  for (const k of path) cur = (cur as Obj | undefined)?.[k];
  return cur as Obj | undefined;
}

/** The pod spec of a workload, undefined for other types or when it is absent. */
export function podSpec(r: Res | { type: string; props: Obj }): Obj | undefined {
  return podTemplate(r)?.spec as Obj | undefined;
}

/** Whether the workload's pods are long-running (need probes): not Jobs, CronJobs or run-once bare Pods. */
export function isLongRunning(r: { type: string; props: Obj }): boolean {
  if (RUN_TO_COMPLETION_TYPES.includes(r.type)) return false;
  if (r.type === "kubernetes:core/v1:Pod") {
    const policy = podSpec(r)?.restartPolicy; // Pod default: Always
    return policy === undefined || policy === "Always";
  }
  return true;
}

/** A container and how messages name it: `container api`, `init container migrate`, `ephemeral container debug`. */
export interface Named {
  c: Obj;
  where: string;
}

const named = (list: unknown, kind: string): Named[] =>
  asArray(list as Obj[]).map((c) => ({ c, where: `${kind} ${c.name}` }));

/** The containers of a pod spec that carry resources and probes: init containers, then app containers. */
export function allContainers(spec: Obj): Named[] {
  return [...named(spec.initContainers, "init container"), ...named(spec.containers, "container")];
}

/**
 * Every container of a pod spec, ephemeral (debug, `kubectl debug`) containers included: they take
 * `securityContext` and `env` like the others (but no resources or probes, which the API refuses on them).
 */
export function everyContainer(spec: Obj): Named[] {
  return [...allContainers(spec), ...named(spec.ephemeralContainers, "ephemeral container")];
}

export const sc = (c: Obj) => (c.securityContext ?? {}) as Obj;

/**
 * A container's effective setting: the container's `securityContext` wins, else the pod's (Kubernetes
 * inherits runAsUser, runAsGroup, runAsNonRoot, seLinuxOptions, seccompProfile, appArmorProfile and
 * windowsOptions from the PodSecurityContext; privileged, allowPrivilegeEscalation, capabilities and
 * readOnlyRootFilesystem exist only per container). Source: the PodSecurityContext field docs
 * ("If set in both SecurityContext and PodSecurityContext, the value specified in SecurityContext takes
 * precedence").
 */
export function effective(c: Obj, pod: Obj, key: string): unknown {
  return sc(c)[key] ?? ((pod.securityContext ?? {}) as Obj)[key];
}
