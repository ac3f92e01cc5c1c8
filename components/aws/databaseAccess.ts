/**
 * Who may reach the AWS Database on 5432: its security group (no inline rules; the provider removes AWS's
 * default allow-all egress rule), one ingress rule per client group (a referenced group, never a CIDR), and
 * {@link allowFrom} for clients created after the database (ingress on the database's groups, egress on the
 * client's). The RDS Proxy's group (`./databaseProxy`) is built from the same helpers. Tested in
 * database.mock.test.ts and databaseProxy.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import type { PartKit } from "./partKit";
import { POSTGRES_PORT } from "./rdsPostgres";

/** Per-child `transform` hooks of the database's access rules. */
export interface DatabaseAccessTransforms {
  securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  /** Every ingress rule of the database (and proxy) security group. */
  ingressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
  /** The egress rules {@link allowFrom} adds to a client's security group. */
  clientEgressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
}

/** What the access builders need from the Database component. */
export type DatabaseAccessKit = PartKit<DatabaseAccessTransforms>;

/** A security group without inline rules (the provider removes AWS's default allow-all egress rule). */
export function createSecurityGroup(
  kit: DatabaseAccessKit,
  logicalName: string,
  suffix: string,
  vpcId: pulumi.Input<string>,
  description: string,
  transform: Transform<aws.ec2.SecurityGroupArgs> | undefined,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(
    ...applyTransform(
      transform,
      logicalName,
      {
        vpcId,
        name: physicalName("aws:securityGroup", kit.name, suffix),
        description: asciiDescription(description),
        tags: kit.tagsFor(logicalName),
      },
      kit.childOpts(),
    ),
  );
}

/** One 5432 ingress rule into `securityGroupId` from a referenced security group. */
export function createIngressRule(
  kit: DatabaseAccessKit,
  logicalName: string,
  securityGroupId: pulumi.Input<string>,
  from: pulumi.Input<string>,
  description: string,
): aws.vpc.SecurityGroupIngressRule {
  return new aws.vpc.SecurityGroupIngressRule(
    ...applyTransform(
      kit.t.ingressRule,
      logicalName,
      postgresRule(kit, logicalName, securityGroupId, from, description),
      kit.childOpts(),
    ),
  );
}

/** One 5432 egress rule from `securityGroupId` to a referenced security group. */
export function createEgressRule(
  kit: DatabaseAccessKit,
  transform: Transform<aws.vpc.SecurityGroupEgressRuleArgs> | undefined,
  logicalName: string,
  securityGroupId: pulumi.Input<string>,
  to: pulumi.Input<string>,
  description: string,
): aws.vpc.SecurityGroupEgressRule {
  return new aws.vpc.SecurityGroupEgressRule(
    ...applyTransform(
      transform,
      logicalName,
      postgresRule(kit, logicalName, securityGroupId, to, description),
      kit.childOpts(),
    ),
  );
}

/** The args of a 5432 rule on `securityGroupId` with `other` as the referenced group (ingress or egress). */
function postgresRule(
  kit: DatabaseAccessKit,
  logicalName: string,
  securityGroupId: pulumi.Input<string>,
  other: pulumi.Input<string>,
  description: string,
) {
  return {
    securityGroupId,
    referencedSecurityGroupId: other,
    ipProtocol: "tcp",
    fromPort: POSTGRES_PORT,
    toPort: POSTGRES_PORT,
    description: asciiDescription(description),
    tags: kit.tagsFor(logicalName),
  };
}

/**
 * Connects one more client security group on 5432, both ways: ingress to each target group (the
 * database's, and the proxy's with a proxy: `prefix` "proxy-") and egress from the client's group to
 * exactly that group. `label` names the rules: ASCII, unique per database, stable (renaming replaces them).
 * Throws, naming the database and the label, when the label is not `[a-z][a-z0-9-]{0,30}`.
 */
export function allowFrom(
  kit: DatabaseAccessKit,
  label: string,
  securityGroupId: pulumi.Input<string>,
  targets: [prefix: string, securityGroupId: pulumi.Output<string>][],
): void {
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(label))
    throw new Error(
      `Database "${kit.name}": allowFrom label "${label}" is invalid; allowed: [a-z][a-z0-9-]{0,30}`,
    );
  for (const [prefix, target] of targets) {
    const via = prefix ? " via proxy" : "";
    createIngressRule(
      kit,
      `${kit.name}-${prefix}ingress-${label}`,
      target,
      securityGroupId,
      `PostgreSQL${via} from ${label}`,
    );
    createEgressRule(
      kit,
      kit.t.clientEgressRule,
      `${kit.name}-${prefix}egress-${label}`,
      securityGroupId,
      target,
      `PostgreSQL${via} to ${kit.name}`,
    );
  }
}
