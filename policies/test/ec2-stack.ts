/**
 * A small VPC graph around one EC2 instance, for the `aws-ec2-no-public-ip` tests: a public subnet (its
 * route table sends 0.0.0.0/0 to an internet gateway) and a private one, an instance with an Elastic IP on
 * its network interface, and switches for each mark of a NAT instance.
 */
import type { StackInput } from "./harness";

export interface NatInstanceVariant {
  /** The `meridian-role = nat-instance` tag. @default true */
  tag?: boolean;
  /** `sourceDestCheck: false`. @default true */
  forwarding?: boolean;
  /** The instance sits in the public subnet (else the private one). @default true */
  publicSubnet?: boolean;
  /** How the public address is given. @default "eip" */
  address?: "eip" | "associatePublicIpAddress" | "none";
  /** Dependencies (the engine's graph) or ids only (matching by value). @default "deps" */
  links?: "deps" | "ids";
}

/** The graph for one variant; defaults give a well-formed NAT instance. */
export function natInstanceStack(v: NatInstanceVariant = {}): StackInput[] {
  const { tag = true, forwarding = true, publicSubnet = true, address = "eip", links = "deps" } = v;
  const d = (deps: Record<string, string[]>) => (links === "deps" ? { deps } : {});
  const subnet = publicSubnet ? "public" : "private";
  return [
    { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: { id: "igw-1" } },
    {
      type: "aws:ec2/subnet:Subnet",
      name: "public",
      props: { id: "subnet-pub", arn: "arn:aws:ec2:r:1:subnet/subnet-pub" },
    },
    {
      type: "aws:ec2/subnet:Subnet",
      name: "private",
      props: { id: "subnet-prv", arn: "arn:aws:ec2:r:1:subnet/subnet-prv" },
    },
    {
      type: "aws:ec2/routeTable:RouteTable",
      name: "public-rt",
      props: { id: "rtb-pub", arn: "arn:aws:ec2:r:1:route-table/rtb-pub" },
    },
    {
      type: "aws:ec2/routeTable:RouteTable",
      name: "private-rt",
      props: { id: "rtb-prv", arn: "arn:aws:ec2:r:1:route-table/rtb-prv" },
    },
    {
      type: "aws:ec2/route:Route",
      name: "public-internet",
      props: { routeTableId: "rtb-pub", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" },
      ...d({ routeTableId: ["public-rt"], gatewayId: ["igw"] }),
    },
    {
      type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
      name: "public-rta",
      props: { subnetId: "subnet-pub", routeTableId: "rtb-pub" },
      ...d({ subnetId: ["public"], routeTableId: ["public-rt"] }),
    },
    {
      type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
      name: "private-rta",
      props: { subnetId: "subnet-prv", routeTableId: "rtb-prv" },
      ...d({ subnetId: ["private"], routeTableId: ["private-rt"] }),
    },
    {
      type: "aws:ec2/instance:Instance",
      name: "nat",
      props: {
        id: "i-1",
        primaryNetworkInterfaceId: "eni-1",
        subnetId: `subnet-${publicSubnet ? "pub" : "prv"}`,
        sourceDestCheck: !forwarding,
        associatePublicIpAddress: address === "associatePublicIpAddress",
        metadataOptions: { httpTokens: "required" },
        tags: tag ? { "meridian-role": "nat-instance" } : {},
      },
      ...d({ subnetId: [subnet] }),
    },
    ...(address === "eip"
      ? [
          {
            type: "aws:ec2/eip:Eip",
            name: "nat-eip",
            props: { domain: "vpc", networkInterface: "eni-1" },
            ...d({ networkInterface: ["nat"] }),
          },
        ]
      : []),
  ];
}
