/**
 * The API's PodDisruptionBudget: voluntary disruptions (node upgrades, Autopilot bin-packing) evict at most
 * one API Pod at a time (`maxUnavailable: 1`). With 2 or more replicas (prod) one keeps serving; with 1
 * replica (dev) a node drain still proceeds, with a brief gap, instead of blocking upgrades.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { apiSelector, standardLabels } from "./common";

export function createPdb(
  name: string,
  args: { namespace: pulumi.Input<string>; app: string; labels?: Record<string, string> },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.policy.v1.PodDisruptionBudgetArgs>,
): k8s.policy.v1.PodDisruptionBudget {
  return new k8s.policy.v1.PodDisruptionBudget(
    ...applyTransform(
      transform,
      name,
      {
        metadata: { namespace: args.namespace, labels: standardLabels(args.app, "api", args.labels) },
        spec: {
          maxUnavailable: 1,
          selector: { matchLabels: apiSelector(args.app) },
          // Pods not yet ready may be evicted even when the budget is spent (they serve nothing).
          unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
      },
      opts,
    ),
  );
}
