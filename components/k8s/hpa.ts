/**
 * The API's HorizontalPodAutoscaler (autoscaling/v2): scale on CPU and on memory utilisation of the
 * requests, between min and max replicas, scaling down slowly (5-minute window) so a burst does not flap.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { show } from "../shared/validate";
import { standardLabels } from "./common";

/** Target utilisation of the requests, in percent. */
export const HPA_TARGETS = { cpu: 70, memory: 80 } as const;

/** Validates the replica bounds: integers, 1 <= min <= max <= 100. */
export function validateReplicas(min: unknown, max: unknown): { min: number; max: number } {
  for (const [arg, v] of [
    ["minReplicas", min],
    ["maxReplicas", max],
  ] as const) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 100) {
      throw new Error(`${arg} is ${show(v)}; allowed: an integer 1-100`);
    }
  }
  if ((min as number) > (max as number)) {
    throw new Error(`minReplicas is ${show(min)}, above maxReplicas = ${show(max)}; allowed: min <= max`);
  }
  return { min: min as number, max: max as number };
}

export function createHpa(
  name: string,
  args: {
    namespace: pulumi.Input<string>;
    app: string;
    deploymentName: pulumi.Input<string>;
    minReplicas: number;
    maxReplicas: number;
    labels?: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>,
): k8s.autoscaling.v2.HorizontalPodAutoscaler {
  const utilisation = (name: string, averageUtilization: number) => ({
    type: "Resource",
    resource: { name, target: { type: "Utilization", averageUtilization } },
  });
  return new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    ...applyTransform(
      transform,
      name,
      {
        metadata: { namespace: args.namespace, labels: standardLabels(args.app, "api", args.labels) },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: args.deploymentName },
          minReplicas: args.minReplicas,
          maxReplicas: args.maxReplicas,
          metrics: [utilisation("cpu", HPA_TARGETS.cpu), utilisation("memory", HPA_TARGETS.memory)],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      },
      opts,
    ),
  );
}
