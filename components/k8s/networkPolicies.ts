/**
 * The workload's NetworkPolicies (enforced by GKE Dataplane V2 / Cilium, or any conformant CNI):
 * - `default-deny`: every Pod in the namespace, no ingress and no egress unless another policy allows it;
 * - the API Pods accept the app port only from the load balancer's ranges (for GKE's container-native load
 *   balancing: Google Front Ends and health checkers, 35.191.0.0/16 and 130.211.0.0/22,
 *   https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges, read 2026-11);
 * - every Pod of the workload (API and jobs) may reach DNS (kube-dns) and each `egress` destination, one
 *   policy each: in Meridian the database and the cache (their private range and ports; no cache policy
 *   when the stack has no cache), the metadata server (Workload Identity tokens) and Google APIs on 443.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { API_PORT, apiSelector, standardLabels } from "./common";

/** A destination the workload may reach: CIDRs and TCP ports. */
export interface EgressRule {
  /** What it is, for the policy's name and the docs. @example "database" */
  name: string;
  cidrs: string[];
  ports: number[];
  /** Ranges carved out of every CIDR (e.g. the private ranges out of 0.0.0.0/0). @default none */
  except?: string[];
}

export interface NetworkPolicyArgs {
  namespace: pulumi.Input<string>;
  app: string;
  /** CIDRs allowed to reach the API's port (the load balancer's proxies and health checkers). */
  ingressFrom: readonly string[];
  /** Egress besides DNS: database, cache, metadata server, Google APIs. */
  egress: EgressRule[];
  labels?: Record<string, string>;
}

type Spec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** The policies as name -> spec (pure; the mock test and the docs read them). */
export function networkPolicySpecs(args: NetworkPolicyArgs): Record<string, Spec> {
  const workload = { matchLabels: { "app.kubernetes.io/name": args.app } };
  const specs: Record<string, Spec> = {
    "default-deny": { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    "api-ingress-from-lb": {
      podSelector: { matchLabels: apiSelector(args.app) },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: args.ingressFrom.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [{ protocol: "TCP", port: API_PORT }],
        },
      ],
    },
    "egress-dns": {
      podSelector: workload,
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    },
  };
  for (const e of args.egress) {
    specs[`egress-${e.name}`] = {
      podSelector: workload,
      policyTypes: ["Egress"],
      egress: [
        {
          to: e.cidrs.map((cidr) => ({ ipBlock: e.except?.length ? { cidr, except: e.except } : { cidr } })),
          ports: e.ports.map((port) => ({ protocol: "TCP", port })),
        },
      ],
    };
  }
  return specs;
}

export function createNetworkPolicies(
  name: string,
  args: NetworkPolicyArgs,
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.networking.v1.NetworkPolicyArgs>,
): k8s.networking.v1.NetworkPolicy[] {
  return Object.entries(networkPolicySpecs(args)).map(
    ([policy, spec]) =>
      new k8s.networking.v1.NetworkPolicy(
        ...applyTransform(
          transform,
          `${name}-${policy}`,
          {
            metadata: {
              name: policy,
              namespace: args.namespace,
              labels: standardLabels(args.app, "network-policy", args.labels),
            },
            spec,
          },
          opts,
        ),
      ),
  );
}
