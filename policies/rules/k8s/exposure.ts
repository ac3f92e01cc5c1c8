/**
 * Kubernetes exposure: Ingress TLS, and no Service of type LoadBalancer unless its need is written down.
 * A LoadBalancer Service gets its own cloud load balancer (on GKE an L4 passthrough network load
 * balancer with a public address unless annotated internal), which bypasses the shared L7 entry point
 * (Gateway/Ingress) and with it TLS termination, Cloud Armor and the managed certificate.
 * Source: https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer and
 * https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer.
 */
import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/util";
import type { Obj } from "./workloads";

export const k8sIngressTls = resourceRule({
  id: "k8s-ingress-tls",
  description: "Every Ingress host is covered by a TLS entry.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "tls",
  remediation:
    "Meridian: components/gcp/gkeEdge.ts exposes the API with a Gateway (HTTPS listener, Google-managed certificate), not an Ingress. Raw: list every `rules[].host` under `spec.tls[].hosts`.",
  references: [],
  types: ["kubernetes:networking.k8s.io/v1:Ingress"],
  check(r, report) {
    const spec = (r.props.spec ?? {}) as Obj;
    const tlsHosts = new Set(
      asArray(spec.tls as Obj[]).flatMap((t) => asArray(t.hosts as string[]).map(String)),
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

/** The annotation that states why a Service needs its own load balancer (the rule's only exemption). */
export const LB_REASON_ANNOTATION = "meridian.dev/load-balancer-reason";

export const k8sNoLoadBalancerService = resourceRule({
  id: "k8s-no-loadbalancer-service",
  description: `Services are not of type LoadBalancer unless annotated ${LB_REASON_ANNOTATION} with the reason: traffic enters through the Gateway/Ingress.`,
  severity: "high",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "edge",
  remediation: `Meridian: components/k8s/service.ts sets \`type: ClusterIP\` behind the Gateway of components/gcp/gkeEdge.ts. Raw: use \`type: ClusterIP\` behind a Gateway (GKE class \`gke-l7-global-external-managed\`) or an Ingress, which carry TLS, the managed certificate and Cloud Armor. When a Service really needs its own L4 load balancer (a non-HTTP protocol, an internal client), set \`metadata.annotations["${LB_REASON_ANNOTATION}"]\` to the reason (at least 10 characters); it stays visible in review and in the preview.`,
  references: [],
  types: ["kubernetes:core/v1:Service", "kubernetes:core/v1:ServicePatch"],
  check(r, report) {
    const spec = (r.props.spec ?? {}) as Obj;
    if (spec.type !== "LoadBalancer") return;
    const annotations = (((r.props.metadata ?? {}) as Obj).annotations ?? {}) as Obj;
    const reason = annotations[LB_REASON_ANNOTATION];
    if (typeof reason === "string" && reason.trim().length >= 10) return;
    report(
      reason === undefined
        ? `type is LoadBalancer and annotation ${LB_REASON_ANNOTATION} is not set: the Service gets its own cloud load balancer outside the Gateway/Ingress (no TLS termination, no Cloud Armor).`
        : `type is LoadBalancer and annotation ${LB_REASON_ANNOTATION} is too short to state a reason (${JSON.stringify(reason)}).`,
    );
  },
});

/** Exposure rules, in the order the analyzer runs them. */
export const k8sExposureRules = [k8sIngressTls, k8sNoLoadBalancerService];
