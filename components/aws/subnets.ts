/**
 * The AWS network's subnets and route tables: one subnet per tier (public, private, isolated) and AZ, as
 * the pure subnet plan (`./subnetPlan`) says; one public route table (default route to the internet
 * gateway), one private route table per AZ (its default route comes from `./natGateways`) and one isolated
 * route table without any internet route. Tested in network.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import type { PartKit } from "./partKit";
import type { SubnetPlan, SubnetTier } from "./subnetPlan";

/** Per-child `transform` hook of every route. */
export interface RouteTransforms {
  /** Every route (`<name>-public-internet`, `<name>-private-a-egress`). */
  route?: Transform<aws.ec2.RouteArgs>;
}

/** Per-child `transform` hooks of the subnets and route tables. */
export interface SubnetTransforms extends RouteTransforms {
  /** Every subnet; the function form receives the logical name (`<name>-private-a`). */
  subnet?: Transform<aws.ec2.SubnetArgs>;
  /** Every route table (`<name>-public-rt`, `<name>-private-a-rt`, `<name>-isolated-rt`). */
  routeTable?: Transform<aws.ec2.RouteTableArgs>;
  /** Every subnet to route table association. */
  routeTableAssociation?: Transform<aws.ec2.RouteTableAssociationArgs>;
}

/** What the subnet builders need from the Network component. */
export type SubnetKit = PartKit<SubnetTransforms>;

/** A subnet with the plan entry it was created from. */
export interface PlannedSubnet {
  plan: SubnetPlan;
  subnet: aws.ec2.Subnet;
}

/** The network's route tables. */
export interface RouteTables {
  public: aws.ec2.RouteTable;
  /** One per AZ, by zone index. */
  private: aws.ec2.RouteTable[];
  isolated: aws.ec2.RouteTable;
}

/** One subnet per tier and AZ; names and CIDRs come from the plan only (zone index and tier). */
export function createSubnets(
  kit: SubnetKit,
  vpc: aws.ec2.Vpc,
  plans: SubnetPlan[],
  zoneAt: (zoneIndex: number) => pulumi.Input<string>,
): Record<SubnetTier, PlannedSubnet[]> {
  const out: Record<SubnetTier, PlannedSubnet[]> = { public: [], private: [], isolated: [] };
  for (const plan of plans) {
    const name = `${kit.name}-${plan.suffix}`;
    const subnet = new aws.ec2.Subnet(
      ...applyTransform(
        kit.t.subnet,
        name,
        {
          vpcId: vpc.id,
          cidrBlock: plan.cidr,
          availabilityZone: zoneAt(plan.zoneIndex),
          // Nothing launched in a subnet gets a public IP; load balancers and NATs bring their own.
          mapPublicIpOnLaunch: false,
          tags: kit.tagsFor(name, { tier: plan.tier }),
        },
        kit.childOpts(),
      ),
    );
    out[plan.tier].push({ plan, subnet });
  }
  return out;
}

/** One route (`aws.ec2.Route`, never inline in the table). */
export function createRoute(
  kit: PartKit<RouteTransforms>,
  name: string,
  args: aws.ec2.RouteArgs,
): aws.ec2.Route {
  return new aws.ec2.Route(...applyTransform(kit.t.route, name, args, kit.childOpts()));
}

/**
 * One public route table (default route to the internet gateway), one private route table per AZ (its
 * default route is added by the NAT strategy) and one isolated route table without any internet route.
 */
export function createRouteTables(
  kit: SubnetKit,
  vpc: aws.ec2.Vpc,
  subnets: Record<SubnetTier, PlannedSubnet[]>,
  igw: aws.ec2.InternetGateway,
): RouteTables {
  const routeTable = (suffix: string, tier: SubnetTier): aws.ec2.RouteTable => {
    const name = `${kit.name}-${suffix}-rt`;
    return new aws.ec2.RouteTable(
      ...applyTransform(
        kit.t.routeTable,
        name,
        { vpcId: vpc.id, tags: kit.tagsFor(name, { tier }) },
        kit.childOpts(),
      ),
    );
  };
  const associate = (subnet: PlannedSubnet, table: aws.ec2.RouteTable): void => {
    new aws.ec2.RouteTableAssociation(
      ...applyTransform(
        kit.t.routeTableAssociation,
        `${kit.name}-${subnet.plan.suffix}-rta`,
        { subnetId: subnet.subnet.id, routeTableId: table.id },
        kit.childOpts(),
      ),
    );
  };

  const publicRt = routeTable("public", "public");
  createRoute(kit, `${kit.name}-public-internet`, {
    routeTableId: publicRt.id,
    destinationCidrBlock: "0.0.0.0/0",
    gatewayId: igw.id,
  });
  subnets.public.forEach((s) => associate(s, publicRt));

  const privateRts = subnets.private.map((s) => {
    const rt = routeTable(s.plan.suffix, "private");
    associate(s, rt);
    return rt;
  });

  const isolatedRt = routeTable("isolated", "isolated");
  subnets.isolated.forEach((s) => associate(s, isolatedRt));
  return { public: publicRt, private: privateRts, isolated: isolatedRt };
}
