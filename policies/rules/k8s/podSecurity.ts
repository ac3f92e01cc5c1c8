/**
 * Kubernetes pod security: the Pod Security Standards' `restricted` profile field by field, on every
 * container of every workload kind (init and ephemeral containers included), with the pod-level
 * securityContext inherited where Kubernetes inherits it; and the namespace label that makes the API
 * server enforce the same profile at admission.
 *
 * Source of the requirements: https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * (Restricted: runAsNonRoot, allowPrivilegeEscalation false, capabilities drop ALL, seccomp
 * RuntimeDefault or Localhost; read-only root filesystem is CIS 5.2 / Checkov CKV_K8S_22, not PSS).
 */
import type { Severity } from "@pulumi/policy";
import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/util";
import { effective, everyContainer, Named, Obj, podSpec, sc, WORKLOAD_TYPES } from "./workloads";

type Meta = {
  id: string;
  description: string;
  severity: Severity;
  remediation: string;
  references: string[];
};

/** Declares a per-container check run on every container (init, app and ephemeral) of every workload kind. */
function containerRule(meta: Meta, fn: (c: Obj, pod: Obj, report: (m: string) => void) => void) {
  return resourceRule({
    ...meta,
    enforcement: "mandatory",
    cloud: "kubernetes",
    area: "least-privilege",
    types: WORKLOAD_TYPES,
    check(r, report) {
      const spec = podSpec(r);
      if (!spec) return;
      for (const { c, where } of everyContainer(spec) as Named[])
        fn(c, spec, (m) => report(`${where}: ${m}`));
    },
  });
}

export const k8sRunAsNonRoot = containerRule(
  {
    id: "k8s-run-as-non-root",
    description:
      "Containers run as a non-root user (runAsNonRoot, or a non-zero runAsUser; never runAsUser 0).",
    severity: "high",
    remediation:
      "Meridian: components/k8s/podSpec.ts sets `runAsNonRoot: true` and `runAsUser: 1000` on the pod and each container. Raw: `securityContext: { runAsNonRoot: true }` (or a non-zero `runAsUser`) on the pod or each container; a container's value overrides the pod's. The image must then run as a numeric non-root USER.",
    references: ["CKV_K8S_23", "CKV_K8S_40", "CIS Kubernetes 5.2.6", "PSS restricted"],
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
      "Meridian: components/k8s/podSpec.ts sets `privileged: false` on each container. Raw: remove `securityContext.privileged` or set it to false.",
    references: ["CKV_K8S_16", "CIS Kubernetes 5.2.1", "PSS baseline"],
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
      "Meridian: components/k8s/podSpec.ts sets `allowPrivilegeEscalation: false` on each container. Raw: `securityContext: { allowPrivilegeEscalation: false }` on each container (the pod-level securityContext has no such field; it defaults to true).",
    references: ["CKV_K8S_20", "CIS Kubernetes 5.2.5", "PSS restricted"],
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
      'Meridian: components/k8s/podSpec.ts drops `ALL` capabilities on each container. Raw: `securityContext: { capabilities: { drop: ["ALL"] } }` on each container (capabilities are per container, not inherited from the pod); add back only `NET_BIND_SERVICE` if a port below 1024 is needed.',
    references: ["CKV_K8S_28", "CKV_K8S_37", "CIS Kubernetes 5.2.9", "PSS restricted"],
  },
  (c, _pod, report) => {
    // Capability names are case-insensitive (the runtime upper-cases them): "all" drops everything.
    const drop = asArray(((sc(c).capabilities ?? {}) as Obj).drop as string[]).map((x) =>
      String(x).toUpperCase(),
    );
    if (!drop.includes("ALL")) report('capabilities.drop does not include "ALL".');
  },
);

const SECCOMP_OK = ["RuntimeDefault", "Localhost"];

export const k8sSeccompProfile = containerRule(
  {
    id: "k8s-seccomp-profile",
    description:
      "Containers run with a seccomp profile of type RuntimeDefault or Localhost (set on the pod or the container), never Unconfined.",
    severity: "medium",
    remediation:
      'Meridian: components/k8s/podSpec.ts sets `seccompProfile: RuntimeDefault` on the pod and each container. Raw: `securityContext: { seccompProfile: { type: "RuntimeDefault" } }` on the pod spec (inherited by every container) or on each container; `Localhost` needs `localhostProfile`. The rule reads the field, not the deprecated `seccomp.security.alpha.kubernetes.io` annotations.',
    references: ["CKV_K8S_31", "CIS Kubernetes 5.7.2", "PSS restricted"],
  },
  (c, pod, report) => {
    const profile = (effective(c, pod, "seccompProfile") ?? {}) as Obj;
    const type = profile.type;
    if (type === undefined)
      report("no seccompProfile on the container or the pod (the runtime runs it Unconfined).");
    else if (!SECCOMP_OK.includes(String(type)))
      report(`seccompProfile.type is ${String(type)}; allowed: ${SECCOMP_OK.join(", ")}.`);
    else if (type === "Localhost" && !profile.localhostProfile)
      report("seccompProfile.type is Localhost but localhostProfile is not set.");
  },
);

export const k8sReadOnlyRootFs = containerRule(
  {
    id: "k8s-read-only-root-fs",
    description:
      "Containers mount their root filesystem read-only (readOnlyRootFilesystem: true); writable paths are emptyDir volumes.",
    severity: "medium",
    remediation:
      'Meridian: components/k8s/podSpec.ts sets `readOnlyRootFilesystem: true` and mounts an `emptyDir` at /tmp. Raw: `securityContext: { readOnlyRootFilesystem: true }` on each container (there is no pod-level field), and an `emptyDir` volume mounted where the app writes (e.g. `volumes: [{ name: "tmp", emptyDir: {} }]`, `volumeMounts: [{ name: "tmp", mountPath: "/tmp" }]`).',
    references: ["CKV_K8S_22", "CIS Kubernetes 5.2"],
  },
  (c, _pod, report) => {
    if (sc(c).readOnlyRootFilesystem !== true) report("readOnlyRootFilesystem is not true.");
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
    "Meridian: components/k8s/podSpec.ts and components/k8s/serviceAccount.ts set `automountServiceAccountToken: false`. Raw: `automountServiceAccountToken: false` in the pod spec (Workload Identity on GKE does not need the token mounted); a pod that calls the Kubernetes API gets a waiver.",
  references: ["CKV_K8S_38", "CIS Kubernetes 5.1.6"],
  types: WORKLOAD_TYPES,
  check(r, report) {
    const spec = podSpec(r);
    if (spec && spec.automountServiceAccountToken !== false)
      report("automountServiceAccountToken is not false: every container gets an API token.");
  },
});

/** The Pod Security Admission label and the level it must carry. */
export const PSA_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

export const k8sNamespaceRestricted = resourceRule({
  id: "k8s-namespace-psa-restricted",
  description:
    "Namespaces enforce the Pod Security Standards' restricted profile (label pod-security.kubernetes.io/enforce: restricted).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "least-privilege",
  remediation:
    'Meridian: components/k8s/namespace.ts labels the workload namespace `enforce`, `audit` and `warn` = `restricted`. Raw: `metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } }` on the Namespace (Pod Security Admission, built into the API server since Kubernetes 1.25, then refuses any pod that breaks the profile); optionally pin `pod-security.kubernetes.io/enforce-version`.',
  references: ["CIS Kubernetes 5.2.1", "PSS restricted"],
  types: ["kubernetes:core/v1:Namespace"],
  check(r, report) {
    const labels = (((r.props.metadata ?? {}) as Obj).labels ?? {}) as Obj;
    const level = labels[PSA_ENFORCE_LABEL];
    if (level !== "restricted")
      report(
        level === undefined
          ? `label ${PSA_ENFORCE_LABEL} is not set: the namespace admits privileged pods.`
          : `label ${PSA_ENFORCE_LABEL} is ${String(level)}, not restricted.`,
      );
  },
});

/** Pod security rules, in the order the analyzer runs them. */
export const k8sPodSecurityRules = [
  k8sRunAsNonRoot,
  k8sNoPrivileged,
  k8sNoPrivilegeEscalation,
  k8sDropCapabilities,
  k8sSeccompProfile,
  k8sReadOnlyRootFs,
  k8sServiceAccountToken,
  k8sNamespaceRestricted,
];
