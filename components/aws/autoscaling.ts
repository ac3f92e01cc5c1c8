/**
 * Autoscaling of the service's desired count between `minInstances` and `maxInstances`, with two
 * target-tracking policies: average CPU (`cpuTargetPercent`) and ALB requests per target
 * (`requestsPerTarget`). Scale-in cooldown 300 s, scale-out 60 s. Tested in
 * service.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { ServiceKit } from "./serviceSettings";

/** Scale between min and max on average CPU and on ALB requests per target. */
export function createAutoscaling(
  kit: ServiceKit,
  cluster: aws.ecs.Cluster,
  service: aws.ecs.Service,
  alb: aws.lb.LoadBalancer,
  tg: aws.lb.TargetGroup,
): void {
  const n = kit.name;
  const target = new aws.appautoscaling.Target(
    ...applyTransform(
      kit.t.scalingTarget,
      `${n}-scaling`,
      {
        minCapacity: kit.s.minInstances,
        maxCapacity: kit.s.maxInstances,
        resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
        scalableDimension: "ecs:service:DesiredCount",
        serviceNamespace: "ecs",
        tags: kit.tagsFor(`${n}-scaling`),
      },
      kit.childOpts(),
    ),
  );
  const policy = (
    suffix: string,
    spec: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    value: number,
  ) =>
    new aws.appautoscaling.Policy(
      ...applyTransform(
        kit.t.scalingPolicy,
        `${n}-${suffix}-scaling`,
        {
          name: physicalName("aws:ecs", n, suffix),
          policyType: "TargetTrackingScaling",
          resourceId: target.resourceId,
          scalableDimension: target.scalableDimension,
          serviceNamespace: target.serviceNamespace,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: value,
            predefinedMetricSpecification: spec,
            scaleInCooldown: 300,
            scaleOutCooldown: 60,
          },
        },
        kit.childOpts(),
      ),
    );
  policy("cpu", { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, kit.s.cpuTargetPercent);
  policy(
    "requests",
    {
      predefinedMetricType: "ALBRequestCountPerTarget",
      resourceLabel: pulumi.interpolate`${alb.arnSuffix}/${tg.arnSuffix}`,
    },
    kit.s.requestsPerTarget,
  );
}
