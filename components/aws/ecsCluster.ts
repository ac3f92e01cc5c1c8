/**
 * The service's ECS cluster (Container Insights enhanced) and its capacity providers: FARGATE and
 * FARGATE_SPOT, with the default strategy from {@link capacityStrategy} (on-demand, or Spot with an optional
 * on-demand base of one task). Fargate Spot is about 70% cheaper and can be interrupted with a 2-minute
 * warning. Tested in ecsCluster.test.ts and service.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { ServiceKit } from "./serviceSettings";

/** The capacity provider strategy: on-demand Fargate, or Spot with an optional on-demand base of 1. */
export function capacityStrategy(
  spot: boolean,
  requireOnDemandBase: boolean,
): { capacityProvider: string; base: number; weight: number }[] {
  if (!spot) return [{ capacityProvider: "FARGATE", base: requireOnDemandBase ? 1 : 0, weight: 1 }];
  return [
    { capacityProvider: "FARGATE", base: requireOnDemandBase ? 1 : 0, weight: 0 },
    { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
  ];
}

/** The cluster, its capacity providers, and the strategy (the ECS service uses the same one). */
export function createCluster(kit: ServiceKit): {
  cluster: aws.ecs.Cluster;
  capacity: aws.ecs.ClusterCapacityProviders;
  strategy: ReturnType<typeof capacityStrategy>;
} {
  const name = kit.name;
  const s = kit.s;
  const cluster = new aws.ecs.Cluster(
    ...applyTransform(
      kit.t.cluster,
      `${name}-cluster`,
      {
        name: physicalName("aws:ecs", name),
        settings: [{ name: "containerInsights", value: "enhanced" }],
        tags: kit.tagsFor(`${name}-cluster`),
      },
      kit.childOpts(),
    ),
  );
  const strategy = capacityStrategy(s.spot, s.requireOnDemandBase);
  const capacity = new aws.ecs.ClusterCapacityProviders(
    ...applyTransform(
      kit.t.clusterCapacityProviders,
      `${name}-capacity`,
      {
        clusterName: cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategies: strategy,
      },
      kit.childOpts(),
    ),
  );
  return { cluster, capacity, strategy };
}
