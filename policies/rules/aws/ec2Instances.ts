/**
 * EC2 instances: the instance metadata service only with session tokens (IMDSv2), and no public IPv4
 * address, except on a NAT instance (Meridian's `natStrategy: "instance"`, components/aws/natInstance.ts),
 * recognised by all three of: source/destination check off, the tag `meridian-role = nat-instance`, and a
 * subnet whose route table sends 0.0.0.0/0 to an internet gateway. EBS encryption of instances is
 * `aws-ebs-encrypted` (operations.ts).
 */
import { referencedBy, resourceRule, stackRule, type StackCtx, type StackRes } from "../../lib/rule";
import { asArray, peek } from "../../lib/util";

const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const EIP = "aws:ec2/eip:Eip";
const EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation";
const SUBNET = "aws:ec2/subnet:Subnet";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE = "aws:ec2/route:Route";

/** The tag components/aws/natInstance.ts sets on its instance (`NAT_INSTANCE_TAG`). */
export const NAT_INSTANCE_TAG = { key: "meridian-role", value: "nat-instance" } as const;

export const ec2Imdsv2 = resourceRule({
  id: "aws-ec2-imdsv2",
  description:
    "EC2 instances and launch templates require IMDSv2 (session tokens) or turn the metadata endpoint off.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    'Meridian: the network\'s NAT instance (components/aws/natInstance.ts) sets it. Raw: `metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 }` on `aws.ec2.Instance` / `aws.ec2.LaunchTemplate` (or `httpEndpoint: "disabled"`). IMDSv1 lets any SSRF in the instance read its role\'s credentials.',
  references: ["CKV_AWS_79", "AWS FSBP EC2.8"],
  types: [INSTANCE, LAUNCH_TEMPLATE],
  check(r, report) {
    const m = (r.props.metadataOptions ?? {}) as Record<string, unknown>;
    if (m.httpEndpoint === "disabled") return;
    if (m.httpTokens !== "required")
      report(
        `metadataOptions.httpTokens is ${m.httpTokens === undefined ? "unset (optional: IMDSv1 allowed)" : `"${String(m.httpTokens)}"`}; "required" expected.`,
      );
  },
});

/** The resource a property points at: through the dependency graph first, else by id (`arn` ending `/<id>`). */
function target(ctx: StackCtx, r: StackRes, prop: string, types: string[]): StackRes | undefined {
  return referencedBy(
    r,
    prop,
    types,
    ctx.resources,
    (x, id) => peek(x.props, "id") === id || String(peek(x.props, "arn") ?? "").endsWith(`/${id}`),
  );
}

/** Resources of `types` whose `prop` points at `to` (dependency graph, or the id / ENI id `ids`). */
function pointingAt(ctx: StackCtx, to: StackRes, types: string[], prop: string, ids: unknown[]): StackRes[] {
  const known = ids.filter((x): x is string => typeof x === "string");
  const byDependency = new Set(ctx.referencing(to, types, prop));
  return ctx
    .ofType(...types)
    .filter((x) => byDependency.has(x) || known.includes(String(peek(x.props, prop))));
}

/** Whether the subnet's route table (its association's) sends 0.0.0.0/0 to an internet gateway. */
function isPublicSubnet(ctx: StackCtx, subnet: StackRes): boolean {
  const ids = [
    peek(subnet.props, "id"),
    String(peek(subnet.props, "arn") ?? "")
      .split("/")
      .pop(),
  ];
  const tables = pointingAt(ctx, subnet, [ASSOCIATION], "subnetId", ids)
    .map((a) => target(ctx, a, "routeTableId", [ROUTE_TABLE]))
    .filter((t): t is StackRes => t !== undefined);
  const toIgw = (cidr: unknown, gw: unknown, gwDeps: StackRes[] = []) =>
    cidr === "0.0.0.0/0" &&
    (String(gw ?? "").startsWith("igw-") ||
      gwDeps.some((d) => d.type.endsWith("internetGateway:InternetGateway")));
  return tables.some((t) => {
    const inline = (asArray(peek(t.props, "routes")) as Record<string, unknown>[]).some((x) =>
      toIgw(x.cidrBlock, x.gatewayId),
    );
    const tableIds = [
      peek(t.props, "id"),
      String(peek(t.props, "arn") ?? "")
        .split("/")
        .pop(),
    ];
    const separate = pointingAt(ctx, t, [ROUTE], "routeTableId", tableIds).some((x) =>
      toIgw(
        peek(x.props, "destinationCidrBlock"),
        peek(x.props, "gatewayId"),
        x.propertyDependencies?.gatewayId,
      ),
    );
    return inline || separate;
  });
}

export const ec2NoPublicIp = stackRule({
  id: "aws-ec2-no-public-ip",
  description:
    "EC2 instances have no public IPv4 address (associatePublicIpAddress or an Elastic IP), except a NAT instance: source/dest check off, tagged meridian-role=nat-instance, in a subnet routed to an internet gateway.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: only the network's NAT instance (natStrategy instance, components/aws/natInstance.ts) has a public address; workloads sit in private subnets. Raw: `associatePublicIpAddress: false`, no `aws.ec2.Eip` on the instance or its interface, reach it through SSM Session Manager; a NAT instance needs `sourceDestCheck: false`, the tag and a public subnet.",
  references: ["CKV_AWS_88", "AWS FSBP EC2.9"],
  types: [INSTANCE],
  check(r, report, ctx) {
    const eni = peek(r.props, "primaryNetworkInterfaceId");
    const eips = [
      ...pointingAt(ctx, r, [EIP, EIP_ASSOCIATION], "instance", [peek(r.props, "id")]),
      ...pointingAt(ctx, r, [EIP, EIP_ASSOCIATION], "networkInterface", [eni]),
      ...pointingAt(ctx, r, [EIP_ASSOCIATION], "networkInterfaceId", [eni]),
      ...pointingAt(ctx, r, [EIP_ASSOCIATION], "instanceId", [peek(r.props, "id")]),
    ];
    const how = [
      ...(r.props.associatePublicIpAddress === true ? ["associatePublicIpAddress is true"] : []),
      ...(eips.length
        ? [`an Elastic IP is attached (${[...new Set(eips.map((e) => e.name))].join(", ")})`]
        : []),
    ];
    if (how.length === 0) return;
    const tags = (r.props.tags ?? {}) as Record<string, unknown>;
    const tagged = tags[NAT_INSTANCE_TAG.key] === NAT_INSTANCE_TAG.value;
    const forwarding = r.props.sourceDestCheck === false;
    const subnet = target(ctx, r, "subnetId", [SUBNET]);
    if (tagged && forwarding && subnet === undefined) {
      ctx.cannotCheck(
        "the instance's subnet is not in the stack or its id is unknown, so it cannot be shown public.",
      );
      return;
    }
    const inPublic = subnet !== undefined && isPublicSubnet(ctx, subnet);
    if (tagged && forwarding && inPublic) return;
    const missing = [
      ...(forwarding ? [] : ["sourceDestCheck is not false"]),
      ...(tagged ? [] : [`the tag ${NAT_INSTANCE_TAG.key}=${NAT_INSTANCE_TAG.value} is missing`]),
      ...(inPublic ? [] : ["its subnet has no 0.0.0.0/0 route to an internet gateway"]),
    ];
    report(
      `the instance has a public IPv4 address: ${how.join("; ")}; not a NAT instance (${missing.join(", ")}).`,
    );
  },
});
