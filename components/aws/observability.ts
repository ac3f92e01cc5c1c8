/**
 * Meridian's alarms and dashboard on AWS: an encrypted SNS topic (optional email subscription), CloudWatch
 * alarms for the load balancer, the ECS service, the database and the cache (each section optional), all
 * notifying the topic on ALARM and on OK, and one dashboard whose every widget sets region, view and period
 * (CloudWatch rejects or mis-renders widgets without them when the dashboard is opened in another region).
 *
 * This file is the component; its children live in `alarmTopic.ts` (KMS key, topic, subscription),
 * `alarms.ts` and `dashboard.ts`; the args and their validation in `observabilityArgs.ts`. Pure helpers
 * ({@link resolveObservabilityArgs}, {@link dashboardWidgets}) test without mocks. See
 * docs/components/aws-observability.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { childKit } from "../shared/component";
import type { ResourcePolicyFact } from "../shared/contracts";
import { resolveArgs } from "../shared/validate";
import { createAlarms } from "./alarms";
import { createAlarmTopic } from "./alarmTopic";
import { createDashboard, dashboardWidgets, sectionWidgets } from "./dashboard";
import { awsEnvironment } from "./environment";
import { resourcePolicyFact } from "./policyWords";
import {
  ObservabilityArgs,
  ObservabilityKit,
  ObservabilitySettings,
  resolveObservabilityArgs,
} from "./observabilityArgs";

// The component's vocabulary, re-exported so importers of "./observability" need not know the split.
export * from "./observabilityArgs";
export { dashboardWidgets };
export type { MetricWidget } from "./dashboard";

/**
 * Alarms and a dashboard for a Meridian environment on AWS.
 *
 * Each alarm's `treatMissingData` is chosen deliberately; the choices and reasons are in `./alarms`.
 *
 * @example
 * new Observability("meridian-prod-obs", {
 *   alertEmail: "oncall@example.com",
 *   alb: { albArnSuffix: alb.arnSuffix, targetGroupArnSuffix: tg.arnSuffix },
 *   ecs: { clusterName: cluster.name, serviceName: service.name },
 *   database: { dbInstanceIdentifier: db.instanceIdentifier },
 *   cache: { cacheClusterIds: cache.memberClusters },
 *   tags,
 * });
 *
 * ## Cost
 * Standard-resolution alarms $0.10/month each ($0.30 for the metric-math 5xx alarm: 3 metrics); a full
 * stack (2 cache nodes) has 12 alarms ≈ $1.40/month. One dashboard $3/month (the first 3 are free).
 * KMS key $1/month. SNS email: first 1,000/month free.
 */
export class Observability extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  /** Physical names of every alarm (known before deployment). */
  public readonly alarmNames: string[];
  /** The alarm topic key's policy in words (when the key is created here), for the posture document. */
  public readonly resourcePolicies: ResourcePolicyFact[];
  public readonly dashboardName: string;
  public readonly settings: ObservabilitySettings;

  constructor(name: string, args: ObservabilityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Observability", name, () => resolveObservabilityArgs(args));
    super("meridian:aws:Observability", name, {}, opts);
    this.settings = settings;
    const s = settings;
    const kit: ObservabilityKit = { ...childKit(this, s.tags), name, transform: args.transform ?? {} };
    const env = awsEnvironment(this);
    const region = env.region;

    const { topic, key: topicKey } = createAlarmTopic(kit, env, args.topicKmsKeyArn, s.alertEmail);
    this.resourcePolicies = topicKey ? [resourcePolicyFact(topicKey.arn, "key-policy", topicKey.policy)] : [];
    const alarmNames = createAlarms(kit, args, s.thresholds, topic.arn);
    const dashboardName = createDashboard(kit, region, sectionWidgets(args));

    this.topicArn = topic.arn;
    this.alarmNames = alarmNames;
    this.dashboardName = dashboardName;
    this.registerOutputs({
      topicArn: this.topicArn,
      alarmNames: this.alarmNames,
      dashboardName: this.dashboardName,
    });
  }
}
