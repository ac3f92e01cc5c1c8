/**
 * The service's Application Load Balancer and its target group: internet-facing in the public subnets,
 * IPv4, dropping invalid header fields, defensive desync mitigation, access logs to their own bucket
 * (accessLogs.ts), deletion protection as configured; the target group sends to the tasks' IPs on the
 * container port and health-checks `healthCheckPath` (HTTP 200). Listeners are in listeners.ts, security
 * groups in serviceSecurityGroups.ts.
 *
 * Cost (us-east-1 list price): $0.0225/h ≈ $16.43/month + $0.008 per LCU-hour, plus public IPv4 addresses
 * ($3.65/month each, one per AZ). Tested in loadBalancer.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { ServiceArgs } from "./serviceArgs";
import type { ServiceKit } from "./serviceSettings";

/** The ALB and the target group of a service. */
export interface ServiceLoadBalancer {
  alb: aws.lb.LoadBalancer;
  targetGroup: aws.lb.TargetGroup;
}

/**
 * Creates the ALB (after `logsPolicy`: ELB checks it can write to the bucket when access logs are enabled)
 * and the target group.
 */
export function createLoadBalancer(
  kit: ServiceKit,
  args: Pick<ServiceArgs, "vpcId" | "publicSubnetIds">,
  albSg: aws.ec2.SecurityGroup,
  logsBucket: { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy },
): ServiceLoadBalancer {
  const name = kit.name;
  const s = kit.s;
  const alb = new aws.lb.LoadBalancer(
    ...applyTransform(
      kit.t.loadBalancer,
      `${name}-alb`,
      {
        name: physicalName("aws:lb", name),
        loadBalancerType: "application",
        internal: false,
        ipAddressType: "ipv4",
        subnets: args.publicSubnetIds,
        securityGroups: [albSg.id],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "defensive",
        idleTimeout: s.idleTimeoutSeconds,
        enableDeletionProtection: s.deletionProtection,
        accessLogs: { bucket: logsBucket.bucket.bucket, prefix: "alb", enabled: true },
        tags: kit.tagsFor(`${name}-alb`),
      },
      // ELB checks it can write to the bucket when access logs are enabled.
      kit.childOpts({ dependsOn: [logsBucket.policy] }),
    ),
  );
  const targetGroup = new aws.lb.TargetGroup(
    ...applyTransform(
      kit.t.targetGroup,
      `${name}-tg`,
      {
        name: physicalName("aws:targetGroup", name, String(s.containerPort)),
        targetType: "ip",
        port: s.containerPort,
        protocol: "HTTP",
        protocolVersion: "HTTP1",
        vpcId: args.vpcId,
        deregistrationDelay: 30,
        healthCheck: {
          enabled: true,
          path: s.healthCheckPath,
          protocol: "HTTP",
          port: "traffic-port",
          matcher: "200",
          interval: 15,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
        tags: kit.tagsFor(`${name}-tg`),
      },
      kit.childOpts(),
    ),
  );
  return { alb, targetGroup };
}
