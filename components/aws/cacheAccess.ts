/**
 * Who may reach the AWS Cache (components/aws/cache.ts): its security group, with one ingress rule on
 * 6379 per allowed client group (never a CIDR), and for clients connected later ({@link Cache.allowFrom})
 * the matching egress rule on the client's group to exactly the cache's group. Security groups and rules
 * are free.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { CACHE_PORT, CacheKit } from "./cacheArgs";

/** The cache's security group and the rule factories that open 6379 between it and a client. */
export interface CacheAccess {
  securityGroup: aws.ec2.SecurityGroup;
  /** Ingress to the cache's group from `from` on 6379, logical name `logical`. */
  ingressTo(
    logical: string,
    from: pulumi.Input<string>,
    description: string,
  ): aws.vpc.SecurityGroupIngressRule;
  /** Egress from the client's group `client` to the cache's group on 6379, logical name `logical`. */
  egressFrom(logical: string, client: pulumi.Input<string>): aws.vpc.SecurityGroupEgressRule;
}

/** Creates `<name>-sg` and, for each of `allowed`, `<name>-ingress-<i>`. */
export function createCacheAccess(
  kit: CacheKit,
  vpcId: pulumi.Input<string>,
  allowed: pulumi.Input<string>[],
): CacheAccess {
  const { name, transform: t, childOpts, tagsFor, settings: s } = kit;
  const sg = new aws.ec2.SecurityGroup(
    ...applyTransform(
      t.securityGroup,
      `${name}-sg`,
      {
        vpcId,
        name: physicalName("aws:securityGroup", name, "cache"),
        description: asciiDescription(`${s.engine} ${name}: 6379 from the allowed groups only`),
        tags: tagsFor(`${name}-sg`),
      },
      childOpts(),
    ),
  );
  const access: CacheAccess = {
    securityGroup: sg,
    ingressTo: (logical, from, description) =>
      new aws.vpc.SecurityGroupIngressRule(
        ...applyTransform(
          t.ingressRule,
          logical,
          {
            securityGroupId: sg.id,
            referencedSecurityGroupId: from,
            ipProtocol: "tcp",
            fromPort: CACHE_PORT,
            toPort: CACHE_PORT,
            description: asciiDescription(description),
            tags: tagsFor(logical),
          },
          childOpts(),
        ),
      ),
    egressFrom: (logical, client) =>
      new aws.vpc.SecurityGroupEgressRule(
        ...applyTransform(
          t.clientEgressRule,
          logical,
          {
            securityGroupId: client,
            referencedSecurityGroupId: sg.id,
            ipProtocol: "tcp",
            fromPort: CACHE_PORT,
            toPort: CACHE_PORT,
            description: asciiDescription(`${s.engine} to ${name}`),
            tags: tagsFor(logical),
          },
          childOpts(),
        ),
      ),
  };
  allowed.forEach((from, i) =>
    access.ingressTo(`${name}-ingress-${i}`, from, `${s.engine} from allowed group ${i}`),
  );
  return access;
}
