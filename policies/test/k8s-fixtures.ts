/**
 * Kubernetes fixtures for the pack's tests: a compliant container and pod spec, the seven workload kinds
 * with their pod template paths, and the violating/clean case of every Kubernetes rule that
 * rules-k8s.test.ts runs with the rest (cases/k8s.ts). components/k8s/testing/schema.test.ts validates
 * the same objects against the Kubernetes OpenAPI schemas, so a fixture the API server would refuse fails
 * there.
 */
import type { StackInput } from "./harness";

type Obj = Record<string, unknown>;
type Input = { type: string; props: Obj } | { stack: StackInput[] };

export const DIGEST_IMAGE = "repo/api@sha256:" + "b".repeat(64);
export const POD_LABELS = { app: "api" };

/** A container that satisfies every Kubernetes rule; `extra` replaces fields. */
export function container(extra: Obj = {}): Obj {
  return {
    name: "api",
    image: DIGEST_IMAGE,
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    readinessProbe: { httpGet: { path: "/health/ready", port: 8080 } },
    livenessProbe: { httpGet: { path: "/health/live", port: 8080 } },
    ...extra,
  };
}

/** A copy of `o` without `keys` (the wire format has no `undefined`). */
export function without(o: Obj, ...keys: string[]): Obj {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

/** A pod spec that satisfies every rule (seccomp at pod level, inherited by the containers). */
export function podSpec(extra: Obj = {}, c: Obj = container()): Obj {
  return {
    automountServiceAccountToken: false,
    securityContext: { seccompProfile: { type: "RuntimeDefault" } },
    containers: [c],
    ...extra,
  };
}

const template = (spec: Obj) => ({ metadata: { labels: POD_LABELS }, spec });
const selector = { matchLabels: POD_LABELS };

/** Every workload kind, and how it wraps a pod spec (the API's required fields included). */
export const KINDS: [string, (spec: Obj) => Obj][] = [
  ["kubernetes:core/v1:Pod", (spec) => ({ metadata: { labels: POD_LABELS }, spec })],
  ["kubernetes:apps/v1:Deployment", (spec) => ({ spec: { selector, template: template(spec) } })],
  [
    "kubernetes:apps/v1:StatefulSet",
    (spec) => ({ spec: { selector, serviceName: "api", template: template(spec) } }),
  ],
  ["kubernetes:apps/v1:DaemonSet", (spec) => ({ spec: { selector, template: template(spec) } })],
  ["kubernetes:apps/v1:ReplicaSet", (spec) => ({ spec: { selector, template: template(spec) } })],
  [
    "kubernetes:core/v1:ReplicationController",
    (spec) => ({ spec: { selector: POD_LABELS, template: template(spec) } }),
  ],
  [
    "kubernetes:batch/v1:Job",
    (spec) => ({ spec: { template: template({ restartPolicy: "Never", ...spec }) } }),
  ],
  [
    "kubernetes:batch/v1:CronJob",
    (spec) => ({
      spec: {
        schedule: "0 3 * * *",
        concurrencyPolicy: "Forbid",
        jobTemplate: { spec: { template: template({ restartPolicy: "Never", ...spec }) } },
      },
    }),
  ],
];

/** The kinds whose pods run to completion (probes not required). */
export const RUN_TO_COMPLETION = ["kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"];

/** A default-deny NetworkPolicy for both directions in `namespace` (unset: the provider's default). */
export function denyAll(namespace?: string, extra: Obj = {}): StackInput {
  return {
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    name: `deny-${namespace ?? "default"}`,
    props: {
      metadata: namespace ? { namespace } : {},
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ...extra },
    },
  };
}

const dep = "kubernetes:apps/v1:Deployment";
const wrapDep = KINDS[1][1];
const scOf = (extra: Obj) => ({ ...(container().securityContext as Obj), ...extra });

/** The violating and clean resource of every Kubernetes rule this file's rules add (rules-k8s.test.ts runs them). */
export const K8S_CASES: { rule: string; bad: Input; good: Input; says?: string }[] = [
  {
    rule: "k8s-seccomp-profile",
    bad: { type: dep, props: wrapDep(podSpec({ securityContext: {} })) },
    good: { type: dep, props: wrapDep(podSpec()) },
    says: "no seccompProfile",
  },
  {
    rule: "k8s-read-only-root-fs",
    bad: {
      type: dep,
      props: wrapDep(podSpec({}, container({ securityContext: scOf({ readOnlyRootFilesystem: false }) }))),
    },
    good: { type: dep, props: wrapDep(podSpec()) },
    says: "readOnlyRootFilesystem is not true",
  },
  {
    rule: "k8s-namespace-psa-restricted",
    bad: {
      type: "kubernetes:core/v1:Namespace",
      props: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "baseline" } } },
    },
    good: {
      type: "kubernetes:core/v1:Namespace",
      props: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    },
    says: "is baseline, not restricted",
  },
  {
    rule: "k8s-probes",
    bad: { type: dep, props: wrapDep(podSpec({}, without(container(), "livenessProbe"))) },
    good: { type: dep, props: wrapDep(podSpec()) },
    says: "no livenessProbe",
  },
  {
    rule: "k8s-no-plain-secret",
    bad: { type: "kubernetes:core/v1:Secret", props: { stringData: { DATABASE_URL: "postgres://x" } } },
    good: { type: "kubernetes:core/v1:Secret", props: { type: "kubernetes.io/service-account-token" } },
    says: "stringData is set by the program",
  },
  {
    rule: "k8s-no-loadbalancer-service",
    bad: { type: "kubernetes:core/v1:Service", props: { spec: { type: "LoadBalancer" } } },
    good: { type: "kubernetes:core/v1:Service", props: { spec: { type: "ClusterIP" } } },
    says: "type is LoadBalancer",
  },
  {
    rule: "k8s-network-policy",
    bad: { stack: [{ type: dep, name: "api", props: wrapDep(podSpec()) }] },
    good: { stack: [{ type: dep, name: "api", props: wrapDep(podSpec()) }, denyAll()] },
    says: "no NetworkPolicy selects",
  },
];
