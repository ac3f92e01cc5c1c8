/** Offline AWS models: CloudWatch log groups, alarms and dashboards, SNS topics and subscriptions. */
import { autoName, str, uuid } from "../context";
import type { Model } from "./shared";

export const MONITORING_MODELS: Record<string, Model> = {
  "aws:cloudwatch/logGroup:LogGroup": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return { id: name, out: { name, arn: ctx.arn("logs", `log-group:${name}`) } };
  },
  "aws:sns/topic:Topic": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    const arn = ctx.arn("sns", name);
    return { id: arn, out: { name, arn, owner: ctx.account } };
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    return { id: name, out: { name, arn: ctx.arn("cloudwatch", `alarm:${name}`) } };
  },
  "aws:cloudwatch/dashboard:Dashboard": (call, ctx) => {
    const name = str(call.inputs, "dashboardName") ?? call.name;
    return { id: name, out: { dashboardArn: ctx.arn("cloudwatch", `dashboard/${name}`, { global: true }) } };
  },
  "aws:sns/topicSubscription:TopicSubscription": (call, ctx) => {
    const topic = str(call.inputs, "topic") ?? ctx.arn("sns", "topic");
    const arn = `${topic}:${uuid(ctx.seed)}`;
    // Email subscriptions stay pending until the recipient confirms: only a real deployment can tell.
    return {
      id: arn,
      out: { arn, pendingConfirmation: call.inputs.protocol === "email", ownerId: ctx.account },
    };
  },
};
