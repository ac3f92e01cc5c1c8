/**
 * The API's Deployment: the hardened Pod from ./podSpec, spread across zones, rolled one surge Pod at a time
 * with `maxUnavailable: 0` (capacity never drops during a rollout), and old ReplicaSets kept for
 * `kubectl rollout undo` (docs/gke.md "Rollback").
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { apiSelector, standardLabels } from "./common";
import { ContainerOptions, podSpec, serverContainer } from "./podSpec";

/** ReplicaSets kept for `kubectl rollout undo`. */
export const REVISION_HISTORY = 5;

/** The Deployment's spec (pure; tested without mocks). */
export function deploymentSpec(args: {
  app: string;
  replicas: number;
  container: ContainerOptions & { serviceAccountName: pulumi.Input<string> };
  command: readonly string[];
  labels?: Record<string, string>;
}): k8s.types.input.apps.v1.DeploymentSpec {
  const selector = apiSelector(args.app);
  return {
    replicas: args.replicas,
    revisionHistoryLimit: REVISION_HISTORY,
    selector: { matchLabels: selector },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    // A Pod must stay ready 10 s before the next one is replaced.
    minReadySeconds: 10,
    progressDeadlineSeconds: 600,
    template: {
      metadata: { labels: { ...standardLabels(args.app, "api", args.labels), ...selector } },
      spec: podSpec(serverContainer(args.container, args.command), args.container, {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: selector },
          },
          {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: selector },
          },
        ],
      }),
    },
  };
}

export function createDeployment(
  name: string,
  args: Parameters<typeof deploymentSpec>[0] & { namespace: pulumi.Input<string>; deploymentName: string },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.apps.v1.DeploymentArgs>,
): k8s.apps.v1.Deployment {
  return new k8s.apps.v1.Deployment(
    ...applyTransform(
      transform,
      name,
      {
        metadata: {
          name: args.deploymentName,
          namespace: args.namespace,
          labels: standardLabels(args.app, "api", args.labels),
        },
        spec: deploymentSpec(args),
      },
      opts,
    ),
  );
}
