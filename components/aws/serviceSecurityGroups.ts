/**
 * The AWS service's security groups, chained: the ALB's (internet on 443 and 80, or only CloudFront's
 * origin-facing servers, by AWS managed prefix list, on one port) and the tasks' (only from the ALB, on the
 * container port; egress as `taskEgress` says). Every rule is its own resource
 * (`aws.vpc.SecurityGroupIngressRule` / `EgressRule`), never inline, so rules added elsewhere (database,
 * cache) do not fight over the group. Tested in loadBalancer.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { ServiceArgs } from "./serviceArgs";
import type { ServiceKit } from "./serviceSettings";

/** AWS managed prefix list of CloudFront's origin-facing servers. */
export const CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/** The two security groups of a service. */
export interface ServiceSecurityGroups {
  /** The load balancer's group. */
  albSg: aws.ec2.SecurityGroup;
  /** The tasks' group: admit it in the database and cache security groups. */
  taskSg: aws.ec2.SecurityGroup;
}

/**
 * The ALB security group (internet 443/80, or the CloudFront prefix list on one port) and the task
 * security group (only from the ALB, on the container port). Rules are separate resources.
 */
export function createSecurityGroups(
  kit: ServiceKit,
  args: Pick<ServiceArgs, "vpcId" | "cloudFrontPrefixListId">,
): ServiceSecurityGroups {
  const n = kit.name;
  const s = kit.s;
  const ingressRule = (name: string, ruleArgs: aws.vpc.SecurityGroupIngressRuleArgs) =>
    new aws.vpc.SecurityGroupIngressRule(
      ...applyTransform(kit.t.ingressRule, name, { ...ruleArgs, tags: kit.tagsFor(name) }, kit.childOpts()),
    );
  const egressRule = (name: string, ruleArgs: aws.vpc.SecurityGroupEgressRuleArgs) =>
    new aws.vpc.SecurityGroupEgressRule(
      ...applyTransform(kit.t.egressRule, name, { ...ruleArgs, tags: kit.tagsFor(name) }, kit.childOpts()),
    );
  const albSg = new aws.ec2.SecurityGroup(
    ...applyTransform(
      kit.t.albSecurityGroup,
      `${n}-alb-sg`,
      {
        vpcId: args.vpcId,
        name: physicalName("aws:securityGroup", n, "alb"),
        description: asciiDescription(
          s.ingress === "internet"
            ? `Load balancer of ${n}: HTTPS and HTTP redirect from the internet`
            : `Load balancer of ${n}: CloudFront origin-facing servers only`,
        ),
        tags: kit.tagsFor(`${n}-alb-sg`),
      },
      kit.childOpts(),
    ),
  );
  const taskSg = new aws.ec2.SecurityGroup(
    ...applyTransform(
      kit.t.taskSecurityGroup,
      `${n}-task-sg`,
      {
        vpcId: args.vpcId,
        name: physicalName("aws:securityGroup", n, "tasks"),
        description: asciiDescription(`Tasks of ${n}: only from the load balancer on the container port`),
        tags: kit.tagsFor(`${n}-task-sg`),
      },
      kit.childOpts(),
    ),
  );

  const tls = s.domain !== undefined;
  if (s.ingress === "internet") {
    ingressRule(`${n}-alb-in-https`, {
      securityGroupId: albSg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTPS from the internet",
    });
    ingressRule(`${n}-alb-in-http`, {
      securityGroupId: albSg.id,
      ipProtocol: "tcp",
      fromPort: 80,
      toPort: 80,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTP from the internet (redirected to HTTPS)",
    });
  } else {
    // One rule only: the origin-facing prefix list weighs ~55 entries against the 60-rule SG quota.
    const prefixListId =
      args.cloudFrontPrefixListId ??
      aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_PREFIX_LIST }, { parent: kit.parent }).id;
    const port = tls ? 443 : 80;
    ingressRule(`${n}-alb-in-cloudfront`, {
      securityGroupId: albSg.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      prefixListId,
      description: `${tls ? "HTTPS" : "HTTP"} from CloudFront origin-facing servers only`,
    });
  }
  egressRule(`${n}-alb-out-tasks`, {
    securityGroupId: albSg.id,
    ipProtocol: "tcp",
    fromPort: s.containerPort,
    toPort: s.containerPort,
    referencedSecurityGroupId: taskSg.id,
    description: "To the tasks on the container port",
  });
  ingressRule(`${n}-task-in-alb`, {
    securityGroupId: taskSg.id,
    ipProtocol: "tcp",
    fromPort: s.containerPort,
    toPort: s.containerPort,
    referencedSecurityGroupId: albSg.id,
    description: "From the load balancer on the container port",
  });
  s.taskEgress.forEach((r, i) => {
    egressRule(`${n}-task-out-${i}`, {
      securityGroupId: taskSg.id,
      ipProtocol: "tcp",
      fromPort: r.port,
      toPort: r.port,
      cidrIpv4: r.cidrIpv4,
      referencedSecurityGroupId: r.referencedSecurityGroupId,
      prefixListId: r.prefixListId,
      description: asciiDescription(r.description),
    });
  });
  return { albSg, taskSg };
}
