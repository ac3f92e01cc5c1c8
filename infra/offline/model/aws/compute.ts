/** Offline AWS models: ECS clusters, task definitions and services, ECR, Application Auto Scaling, EventBridge Scheduler. */
import { autoName, hex, str, uuid } from "../context";
import type { Model } from "./shared";

export const COMPUTE_MODELS: Record<string, Model> = {
  "aws:ecs/cluster:Cluster": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    const arn = ctx.arn("ecs", `cluster/${name}`);
    return { id: arn, out: { name, arn } };
  },
  "aws:ecs/taskDefinition:TaskDefinition": (call, ctx) => {
    const family = str(call.inputs, "family") ?? call.name;
    const arn = ctx.arn("ecs", `task-definition/${family}:1`);
    return {
      id: family,
      out: { arn, arnWithoutRevision: ctx.arn("ecs", `task-definition/${family}`), revision: 1 },
    };
  },
  "aws:ecs/service:Service": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return { id: ctx.arn("ecs", `service/${name}`), out: { name } };
  },
  "aws:ecr/repository:Repository": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true });
    return {
      id: name,
      out: {
        name,
        arn: ctx.arn("ecr", `repository/${name}`),
        registryId: ctx.account,
        repositoryUrl: `${ctx.account}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`,
      },
    };
  },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": (call, ctx) => ({
    id: str(call.inputs, "repository") ?? call.name,
    out: { registryId: ctx.account },
  }),
  "aws:appautoscaling/target:Target": (call, ctx) => {
    const resourceId = str(call.inputs, "resourceId") ?? call.name;
    return {
      id: resourceId,
      out: { arn: ctx.arn("application-autoscaling", `scalable-target/${hex(ctx.seed, 20)}`) },
    };
  },
  "aws:appautoscaling/policy:Policy": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return {
      id: name,
      out: {
        name,
        arn: ctx.arn("autoscaling", `scalingPolicy:${uuid(ctx.seed)}:resource/ecs/${name}`),
        alarmArns: [],
      },
    };
  },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": (call) => ({
    id: str(call.inputs, "clusterName") ?? call.name,
    out: {},
  }),
  "aws:scheduler/schedule:Schedule": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 64 });
    const group = str(call.inputs, "groupName") ?? "default";
    return {
      id: `${group}/${name}`,
      out: { name, groupName: group, arn: ctx.arn("scheduler", `schedule/${group}/${name}`) },
    };
  },
};
