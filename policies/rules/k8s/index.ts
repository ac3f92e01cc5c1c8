/** Kubernetes: Ingress TLS and pod security for workloads (any cluster: GKE, EKS, kind). */
import { Res, resourceRule } from "../../lib/rule";
import { judgeEnv } from "../../lib/secrets";
import { asArray } from "../../lib/util";

/** Workload kinds and where their pod spec lives. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};
export const WORKLOAD_TYPES = Object.keys(POD_SPEC_PATHS);

type Obj = Record<string, unknown>;

export function podSpec(r: Res): Obj | undefined {
  let cur: unknown = r.props;
  for (const k of POD_SPEC_PATHS[r.type] ?? []) cur = (cur as Obj | undefined)?.[k];
  return cur as Obj | undefined;
}

function allContainers(spec: Obj): Obj[] {
  return [...asArray(spec.initContainers as Obj[]), ...asArray(spec.containers as Obj[])];
}

/** Every container that can carry `env`, ephemeral (debug) containers included. */
function envContainers(spec: Obj): Obj[] {
  return [...allContainers(spec), ...asArray(spec.ephemeralContainers as Obj[])];
}

/** Declares a per-container pod security check. */
function containerRule(
  meta: {
    id: string;
    description: string;
    severity: "low" | "medium" | "high" | "critical";
    remediation: string;
    references: string[];
  },
  fn: (c: Obj, pod: Obj, report: (m: string) => void) => void,
) {
  return resourceRule({
    ...meta,
    enforcement: "mandatory",
    cloud: "kubernetes",
    area: "least-privilege",
    types: WORKLOAD_TYPES,
    check(r, report) {
      const spec = podSpec(r);
      if (!spec) return;
      for (const c of allContainers(spec)) fn(c, spec, (m) => report(`container ${c.name}: ${m}`));
    },
  });
}

const sc = (c: Obj) => (c.securityContext ?? {}) as Obj;

/**
 * A container's effective setting: the container's `securityContext` wins, else the pod's (Kubernetes
 * inherits runAsUser, runAsGroup, runAsNonRoot, seLinuxOptions, seccompProfile and windowsOptions from
 * the PodSecurityContext; privileged, allowPrivilegeEscalation and capabilities exist only per container).
 */
export function effective(c: Obj, pod: Obj, key: string): unknown {
  return sc(c)[key] ?? ((pod.securityContext ?? {}) as Obj)[key];
}

export const k8sRunAsNonRoot = containerRule(
  {
    id: "k8s-run-as-non-root",
    description:
      "Containers run as a non-root user (runAsNonRoot, or a non-zero runAsUser; never runAsUser 0).",
    severity: "high",
    remediation:
      "Meridian has no Kubernetes component; raw: `securityContext: { runAsNonRoot: true }` (or a non-zero `runAsUser`) on the pod or each container; a container's value overrides the pod's.",
    references: ["CKV_K8S_23", "CKV_K8S_40", "CIS Kubernetes 5.2.6"],
  },
  (c, pod, report) => {
    const nonRoot = effective(c, pod, "runAsNonRoot");
    const user = effective(c, pod, "runAsUser");
    if (user === 0 || user === "0") report("runAsUser is 0 (root).");
    else if (nonRoot !== true && !(typeof user === "number" && user > 0))
      report(
        nonRoot === false
          ? "runAsNonRoot is false and no non-zero runAsUser is set."
          : "runAsNonRoot is not true and no non-zero runAsUser is set (on the container or the pod).",
      );
  },
);

export const k8sNoPrivileged = containerRule(
  {
    id: "k8s-no-privileged",
    description: "Containers are not privileged.",
    severity: "critical",
    remediation:
      "Meridian has no Kubernetes component; raw: remove `securityContext.privileged` or set it to false.",
    references: ["CKV_K8S_16", "CIS Kubernetes 5.2.1"],
  },
  (c, _pod, report) => {
    if (sc(c).privileged === true) report("privileged is true.");
  },
);

export const k8sNoPrivilegeEscalation = containerRule(
  {
    id: "k8s-no-privilege-escalation",
    description: "Containers set allowPrivilegeEscalation to false (no setuid binaries gaining privileges).",
    severity: "high",
    remediation:
      "Meridian has no Kubernetes component; raw: `securityContext: { allowPrivilegeEscalation: false }` on each container (the pod-level securityContext has no such field; it defaults to true).",
    references: ["CKV_K8S_20", "CIS Kubernetes 5.2.5"],
  },
  (c, _pod, report) => {
    if (sc(c).allowPrivilegeEscalation !== false) report("allowPrivilegeEscalation is not false.");
  },
);

export const k8sDropCapabilities = containerRule(
  {
    id: "k8s-drop-capabilities",
    description: "Containers drop all Linux capabilities (and add back only what they need).",
    severity: "medium",
    remediation:
      'Raw: `securityContext: { capabilities: { drop: ["ALL"] } }`; add back e.g. `NET_BIND_SERVICE` only when needed.',
    references: ["CKV_K8S_28", "CKV_K8S_37", "CIS Kubernetes 5.2.9"],
  },
  (c, _pod, report) => {
    // Capability names are case-insensitive (the runtime upper-cases them): "all" drops everything.
    const drop = asArray(((sc(c).capabilities ?? {}) as Obj).drop as string[]).map((x) =>
      String(x).toUpperCase(),
    );
    if (!drop.includes("ALL")) report('capabilities.drop does not include "ALL".');
  },
);

export const k8sResourceLimits = containerRule(
  {
    id: "k8s-resource-limits",
    description: "Containers set CPU and memory limits (and requests).",
    severity: "medium",
    remediation:
      "Meridian has no Kubernetes component (its own services size from `meridian:cpu`/`meridian:memoryMiB`); raw: `resources: { requests: { cpu, memory }, limits: { cpu, memory } }`.",
    references: ["CKV_K8S_11", "CKV_K8S_13"],
  },
  (c, _pod, report) => {
    const limits = (((c.resources ?? {}) as Obj).limits ?? {}) as Obj;
    const missing = ["cpu", "memory"].filter((k) => limits[k] === undefined);
    if (missing.length) report(`no ${missing.join("/")} limit.`);
  },
);

export const k8sServiceAccountToken = resourceRule({
  id: "k8s-no-sa-token-automount",
  description: "Pods do not auto-mount a service account token unless they call the Kubernetes API.",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "least-privilege",
  remediation:
    "Meridian has no Kubernetes component; raw: `automountServiceAccountToken: false` in the pod spec; a pod that needs the API gets a waiver.",
  references: ["CKV_K8S_38", "CIS Kubernetes 5.1.6"],
  types: WORKLOAD_TYPES,
  check(r, report) {
    const spec = podSpec(r);
    if (spec && spec.automountServiceAccountToken !== false)
      report("automountServiceAccountToken is not false: every container gets an API token.");
  },
});

export const k8sIngressTls = resourceRule({
  id: "k8s-ingress-tls",
  description: "Every Ingress host is covered by a TLS entry.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "tls",
  remediation:
    "Meridian has no Kubernetes component; raw: list every `rules[].host` under `spec.tls[].hosts`.",
  references: [],
  types: ["kubernetes:networking.k8s.io/v1:Ingress"],
  check(r, report) {
    const spec = (r.props.spec ?? {}) as Obj;
    const tlsHosts = new Set(
      (asArray(spec.tls as Obj[]) ?? []).flatMap((t) => asArray(t.hosts as string[]).map(String)),
    );
    const rules = asArray(spec.rules as Obj[]);
    if (!asArray(spec.tls as Obj[]).length) {
      report("spec.tls is empty: the Ingress serves plain HTTP.");
      return;
    }
    for (const rule of rules) {
      const host = rule.host as string | undefined;
      if (host && !tlsHosts.has(host)) report(`host ${host} has no TLS entry.`);
    }
  },
});

export const k8sNoPlaintextEnvSecrets = resourceRule({
  id: "k8s-no-plaintext-env-secrets",
  description:
    "Workload containers' `env` holds no secret-looking plain `value`; secrets come from a Secret by reference (valueFrom.secretKeyRef).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "least-privilege",
  remediation:
    "Meridian has no Kubernetes component; raw: create a Secret (or sync one with External Secrets / the Secrets Store CSI driver) and use `env: [{ name, valueFrom: { secretKeyRef: { name, key } } }]` (or `envFrom: [{ secretRef: { name } }]`) instead of `value`.",
  references: [],
  types: WORKLOAD_TYPES,
  check(r, report, ctx) {
    const spec = podSpec(r);
    if (!spec) return;
    judgeEnv(
      envContainers(spec).flatMap((c) =>
        asArray(c.env as Obj[])
          .filter((e) => e.valueFrom === undefined)
          .map((e) => ({
            where: `container ${c.name}`,
            name: String(e.name ?? ""),
            holder: e,
            key: "value",
          })),
      ),
      report,
      ctx.cannotCheck,
      "use valueFrom.secretKeyRef",
    );
  },
});

export const k8sRules = [
  k8sIngressTls,
  k8sRunAsNonRoot,
  k8sNoPrivileged,
  k8sNoPrivilegeEscalation,
  k8sDropCapabilities,
  k8sResourceLimits,
  k8sServiceAccountToken,
  k8sNoPlaintextEnvSecrets,
];
