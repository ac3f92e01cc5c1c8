/** Offline AWS models: the EC2 family (VPCs, subnets, gateways, route tables, endpoints, security groups, ...). */
import { autoName, hex, splitToken, str } from "../context";
import { type Computed, type Model, zoneId } from "./shared";

/** EC2 id prefixes by resource member. */
const EC2_PREFIX: Record<string, string> = {
  Vpc: "vpc",
  Subnet: "subnet",
  InternetGateway: "igw",
  EgressOnlyInternetGateway: "eigw",
  NatGateway: "nat",
  Eip: "eipalloc",
  RouteTable: "rtb",
  RouteTableAssociation: "rtbassoc",
  VpcEndpoint: "vpce",
  FlowLog: "fl",
  SecurityGroup: "sg",
  DefaultSecurityGroup: "sg",
  DefaultNetworkAcl: "acl",
  NetworkAcl: "acl",
  DefaultRouteTable: "rtb",
  SecurityGroupRule: "sgrule",
  Instance: "i",
  LaunchTemplate: "lt",
  VpcDhcpOptions: "dopt",
};

export const ec2: Model = (call, ctx) => {
  const { member } = splitToken(call.type);
  const prefix = EC2_PREFIX[member] ?? member.toLowerCase();
  const id = `${prefix}-0${hex(ctx.seed, 16)}`;
  const out: Computed = { arn: ctx.arn("ec2", `${arnKind(member)}/${id}`), ownerId: ctx.account };
  switch (member) {
    case "Vpc":
      Object.assign(out, {
        defaultSecurityGroupId: `sg-0${hex(`${ctx.seed}/sg`, 16)}`,
        defaultNetworkAclId: `acl-0${hex(`${ctx.seed}/acl`, 16)}`,
        defaultRouteTableId: `rtb-0${hex(`${ctx.seed}/rtb`, 16)}`,
        mainRouteTableId: `rtb-0${hex(`${ctx.seed}/rtb`, 16)}`,
        dhcpOptionsId: `dopt-0${hex(`${ctx.seed}/dopt`, 16)}`,
        instanceTenancy: call.inputs.instanceTenancy ?? "default",
      });
      break;
    case "Subnet": {
      const az = str(call.inputs, "availabilityZone");
      if (az) out.availabilityZoneId = zoneId(az);
      break;
    }
    case "Eip": {
      const ip = `203.0.113.${1 + (parseInt(hex(ctx.seed, 2), 16) % 250)}`;
      Object.assign(out, {
        allocationId: id,
        publicIp: ip,
        publicDns: `ec2-${ip.replace(/\./g, "-")}.compute-1.amazonaws.com`,
        domain: "vpc",
      });
      break;
    }
    case "Instance":
      // The primary network interface EC2 creates at launch (routes and Elastic IPs name it).
      out.primaryNetworkInterfaceId = `eni-0${hex(`${ctx.seed}/eni`, 16)}`;
      break;
    case "NatGateway":
      Object.assign(out, {
        networkInterfaceId: `eni-0${hex(`${ctx.seed}/eni`, 16)}`,
        publicIp: `203.0.113.${1 + (parseInt(hex(`${ctx.seed}/ip`, 2), 16) % 250)}`,
        connectivityType: call.inputs.connectivityType ?? "public",
      });
      break;
    case "VpcEndpoint":
      Object.assign(out, {
        prefixListId: `pl-${hex(`${ctx.seed}/pl`, 8)}`,
        state: "available",
        vpcEndpointType: call.inputs.vpcEndpointType ?? "Gateway",
      });
      break;
    case "DefaultSecurityGroup":
    case "SecurityGroup":
      out.name = str(call.inputs, "name") ?? (member === "DefaultSecurityGroup" ? "default" : autoName(call));
      break;
  }
  return { id, out };
};

function arnKind(member: string): string {
  const special: Record<string, string> = {
    Eip: "elastic-ip",
    DefaultSecurityGroup: "security-group",
    SecurityGroup: "security-group",
    InternetGateway: "internet-gateway",
    NatGateway: "natgateway",
    RouteTable: "route-table",
    VpcEndpoint: "vpc-endpoint",
    FlowLog: "vpc-flow-log",
    DefaultNetworkAcl: "network-acl",
    NetworkAcl: "network-acl",
  };
  return special[member] ?? member.toLowerCase();
}
