/**
 * Kubernetes rules (any cluster: GKE, EKS, kind), by domain: pod security (podSecurity.ts), requests,
 * limits and probes (health.ts), secrets (secrets.ts), exposure (exposure.ts) and network policy
 * (networkPolicy.ts). Where each workload kind keeps its pods is in workloads.ts: every rule about pods
 * sees Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs and bare Pods alike.
 */
import { k8sExposureRules } from "./exposure";
import { k8sHealthRules } from "./health";
import { k8sNetworkRules } from "./networkPolicy";
import { k8sPodSecurityRules } from "./podSecurity";
import { k8sSecretRules } from "./secrets";

export { effective, podSpec, podTemplate, WORKLOAD_TYPES } from "./workloads";

/** Every Kubernetes rule, in the order the analyzer runs them. */
export const k8sRules = [
  ...k8sExposureRules,
  ...k8sPodSecurityRules,
  ...k8sHealthRules,
  ...k8sSecretRules,
  ...k8sNetworkRules,
];
