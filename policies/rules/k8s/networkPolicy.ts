/**
 * Kubernetes network policy: every workload's pods are selected, in their namespace, by NetworkPolicies
 * that restrict both directions (Ingress and Egress). Without one, Kubernetes lets every pod reach and be
 * reached by every other pod in the cluster (https://kubernetes.io/docs/concepts/services-networking/network-policies/:
 * "By default, a pod is non-isolated for ingress and egress").
 *
 * How a policy applies, as the API defines it: it selects pods of its own namespace with `podSelector`
 * (an empty selector selects them all); `policyTypes` defaults to `["Ingress"]`, plus `"Egress"` when the
 * policy has `egress` rules. A workload with no namespace and a policy with no namespace share the
 * provider's default namespace.
 */
import { stackRule, StackRes } from "../../lib/rule";
import { asArray, peek } from "../../lib/util";
import { Obj, podTemplate, WORKLOAD_TYPES } from "./workloads";

export const NETWORK_POLICY_TYPE = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

type Labels = Record<string, string>;

/** Whether a label selector (matchLabels + matchExpressions) selects pods with these labels. */
export function selects(selector: Obj | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const match = (selector.matchLabels ?? {}) as Labels;
  for (const [k, v] of Object.entries(match)) if (labels[k] !== v) return false;
  for (const e of asArray(selector.matchExpressions as Obj[])) {
    const key = String(e.key);
    const values = asArray(e.values as string[]).map(String);
    const has = key in labels;
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false; // an operator the API refuses selects nothing
    }
  }
  return true;
}

/** The directions a NetworkPolicy restricts (its `policyTypes`, or the API's default). */
export function directions(spec: Obj): string[] {
  const declared = asArray(spec.policyTypes as string[]).map(String);
  if (declared.length) return declared;
  return ["Ingress", ...(asArray(spec.egress as Obj[]).length ? ["Egress"] : [])];
}

const nsOf = (r: StackRes) => String(((r.props.metadata ?? {}) as Obj).namespace ?? "");
const showNs = (ns: string) => (ns ? `namespace ${ns}` : "the provider's default namespace");

export const k8sNetworkPolicy = stackRule({
  id: "k8s-network-policy",
  description:
    "Every workload's pods are selected by NetworkPolicies in their namespace that restrict both Ingress and Egress.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "least-privilege",
  remediation:
    'Meridian: components/k8s/networkPolicies.ts creates a default deny in the namespace and the allow rules (ingress from the load balancer ranges, egress to DNS, the data stores and Google APIs). Raw: a default-deny `NetworkPolicy` in each namespace (`spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] }`) plus policies that allow what the workload needs (ingress from the load balancer, egress to DNS and its data stores); the cluster must enforce them (GKE: Dataplane V2, always on in Autopilot).',
  references: ["CKV_K8S_7", "CIS Kubernetes 5.3.2"],
  types: WORKLOAD_TYPES,
  check(r, report, ctx) {
    const ns = nsOf(r);
    const labels = ((podTemplate(r)?.metadata ?? {}) as Obj).labels as Labels | undefined;
    const plain: Labels = { ...(labels ?? {}) };
    const covered = new Set<string>();
    let undecided = 0;
    for (const p of ctx.ofType(NETWORK_POLICY_TYPE)) {
      const meta = (peek(p.props, "metadata") ?? {}) as Obj;
      if (String(peek(meta, "namespace") ?? "") !== ns) continue;
      const spec = peek(p.props, "spec") as Obj | undefined;
      if (!spec) continue;
      try {
        if (selects(spec.podSelector as Obj | undefined, plain))
          directions(spec).forEach((d) => covered.add(d));
      } catch (e) {
        if ((e as Error).constructor?.name !== "UnknownValueError") throw e;
        undecided++;
      }
    }
    const missing = ["Ingress", "Egress"].filter((d) => !covered.has(d));
    if (!missing.length) return;
    if (undecided) {
      ctx.cannotCheck(
        `${undecided} NetworkPolicy selector(s) in ${showNs(ns)} are known only after deployment, so whether they select this workload's pods cannot be decided.`,
      );
      return;
    }
    const who = `its pods (labels ${JSON.stringify(plain)}) in ${showNs(ns)}`;
    report(
      covered.size === 0
        ? `no NetworkPolicy selects ${who}: they accept and open connections from and to any pod.`
        : `the NetworkPolicies selecting ${who} restrict ${[...covered].join(", ")} only; nothing restricts ${missing.join(" or ")}.`,
    );
  },
});

/** Network policy rules, in the order the analyzer runs them. */
export const k8sNetworkRules = [k8sNetworkPolicy];
