/**
 * The AWS network's egress: NAT gateways (with their Elastic IPs) in the public subnets of the zones the
 * strategy picks, and the private subnets' default routes to them. Which zone gets a NAT and where each
 * private subnet routes is the pure {@link planNat}. Tested in natGateways.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import { applyTransform, Transform } from "../shared/transform";
import type { PartKit } from "./partKit";
import { createRoute, type PlannedSubnet, type RouteTransforms } from "./subnets";

/** How private subnets reach the internet (`instance`: one NAT instance, ./natInstance.ts). */
export type NatStrategy = "none" | "single" | "perAz" | "instance";
export const NAT_STRATEGIES = [
  "none",
  "single",
  "perAz",
  "instance",
] as const satisfies readonly NatStrategy[];

/** Per-child `transform` hooks of the NAT gateways. */
export interface NatTransforms extends RouteTransforms {
  /** The NAT gateways' Elastic IPs. */
  eip?: Transform<aws.ec2.EipArgs>;
  natGateway?: Transform<aws.ec2.NatGatewayArgs>;
}

/** What the NAT builders need from the Network component. */
export interface NatKit extends PartKit<NatTransforms> {
  strategy: NatStrategy;
  zoneCount: number;
  /** The letter naming each zone's resources, by zone index. */
  zoneLetters: string[];
}

/**
 * Which zones get a NAT gateway and which NAT each zone's private subnet routes through.
 * `none`: no NATs, no routes. `single`: one NAT in zone 0 for all. `perAz`: one per zone, each its own.
 * `instance`: no NAT gateways (the NAT instance, ./natInstance.ts, routes every zone itself).
 */
export function planNat(
  strategy: NatStrategy,
  zoneCount: number,
): { gateways: number[]; routeTo: (number | undefined)[] } {
  const zones = Array.from({ length: zoneCount }, (_, i) => i);
  switch (strategy) {
    case "none":
    case "instance":
      return { gateways: [], routeTo: zones.map(() => undefined) };
    case "single":
      return { gateways: [0], routeTo: zones.map(() => 0) };
    case "perAz":
      return { gateways: zones, routeTo: zones };
  }
}

/** NAT gateways (with their Elastic IPs) in the public subnets of the zones the strategy picks. */
export function createNat(
  kit: NatKit,
  publicSubnets: PlannedSubnet[],
  igw: aws.ec2.InternetGateway,
): { gateways: aws.ec2.NatGateway[]; eips: aws.ec2.Eip[] } {
  const { gateways } = planNat(kit.strategy, kit.zoneCount);
  const eips: aws.ec2.Eip[] = [];
  const nats = gateways.map((zoneIndex) => {
    const name = `${kit.name}-nat-${kit.zoneLetters[zoneIndex]}`;
    const eip = new aws.ec2.Eip(
      ...applyTransform(
        kit.t.eip,
        `${name}-eip`,
        { domain: "vpc", tags: kit.tagsFor(`${name}-eip`) },
        kit.childOpts({ dependsOn: [igw] }),
      ),
    );
    eips.push(eip);
    return new aws.ec2.NatGateway(
      ...applyTransform(
        kit.t.natGateway,
        name,
        {
          allocationId: eip.allocationId,
          subnetId: publicSubnets[zoneIndex].subnet.id,
          connectivityType: "public",
          tags: kit.tagsFor(name),
        },
        // A NAT gateway only works once the VPC has an internet gateway.
        kit.childOpts({ dependsOn: [igw] }),
      ),
    );
  });
  return { gateways: nats, eips };
}

/**
 * The private subnets' default routes, one `aws.ec2.Route` per private route table, named after the
 * subnet only: switching strategy adds or removes routes or changes their target, never the tables.
 */
export function routePrivateEgress(
  kit: NatKit,
  privateRts: aws.ec2.RouteTable[],
  nats: aws.ec2.NatGateway[],
): void {
  const { gateways, routeTo } = planNat(kit.strategy, kit.zoneCount);
  privateRts.forEach((rt, zoneIndex) => {
    const target = routeTo[zoneIndex];
    if (target === undefined) return;
    createRoute(kit, `${kit.name}-private-${kit.zoneLetters[zoneIndex]}-egress`, {
      routeTableId: rt.id,
      destinationCidrBlock: "0.0.0.0/0",
      natGatewayId: nats[gateways.indexOf(target)].id,
    });
  });
}
