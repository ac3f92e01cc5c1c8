/**
 * The AWS network every Meridian workload lives in: a VPC across 2-4 AZs with public, private and isolated
 * subnets, an internet gateway, NAT gateways (none, one, or one per AZ), an S3 gateway endpoint, optional
 * interface endpoints, VPC flow logs to CloudWatch Logs, and a default security group stripped of its rules.
 *
 * Validation and the subnet plan are pure and exported ({@link resolveNetworkArgs}, {@link selectZones},
 * {@link planNat}, `./subnetPlan`) so they test without mocks. See docs/components/aws-network.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkOutputs, NetworkPosture, Posture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { applyTransform, Transform } from "../shared/transform";
import { oneOf, resolveArgs, show } from "../shared/validate";
import { isRfc1918 } from "../shared/cidr";
import { MAX_ZONES, planSubnets, SubnetPlan, SubnetTier, validateVpcCidr, zoneLetter } from "./subnetPlan";
import { awsEnvironment, type AwsEnvironment } from "./environment";
import { childKit, type ChildKit } from "../shared/component";

/** How private subnets reach the internet. */
export type NatStrategy = "none" | "single" | "perAz";
export const NAT_STRATEGIES = ["none", "single", "perAz"] as const satisfies readonly NatStrategy[];

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Which flows a flow log records. */
export const FLOW_LOG_TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;
export type FlowLogTrafficType = (typeof FLOW_LOG_TRAFFIC_TYPES)[number];

/** Flow log aggregation intervals EC2 accepts, in seconds. */
export const FLOW_LOG_AGGREGATION_INTERVALS = [60, 600] as const;
export type FlowLogAggregationInterval = (typeof FLOW_LOG_AGGREGATION_INTERVALS)[number];

/** The only actions the flow log role may perform, on the flow log group only. */
export const FLOW_LOG_ACTIONS = [
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "logs:DescribeLogStreams",
] as const;

/** The service principal allowed to assume the flow log role. */
export const FLOW_LOG_PRINCIPAL = "vpc-flow-logs.amazonaws.com";

/** VPC flow log settings. Flow logs are always on; these tune their volume, retention and encryption. */
export interface FlowLogOptions {
  /**
   * Days the log group keeps flow records; one of CloudWatch's allowed values (1, 3, 5, 7, 14, 30, 60, 90,
   * 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
   * Cost: storage $0.03/GB-month (after compression) for as long as records are kept.
   * @default 30
   * @example 90
   */
  retentionDays?: number;
  /**
   * Which flows are recorded: all, accepted only, or rejected only.
   * Cost: ingestion is $0.50/GB (vended logs, first tier); `"REJECT"` is the cheapest, `"ALL"` the most useful.
   * @default "ALL"
   */
  trafficType?: FlowLogTrafficType;
  /**
   * Seconds a flow is aggregated before a record is written: 60 (finer, more records) or 600.
   * @default 600
   */
  maxAggregationInterval?: FlowLogAggregationInterval;
  /**
   * KMS key ARN to encrypt the log group with. Its key policy must allow `logs.<region>.amazonaws.com`.
   * Cost: $1/month per customer managed key plus $0.03 per 10,000 requests.
   * @default none (CloudWatch Logs' own encryption)
   * @example "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
   */
  kmsKeyArn?: pulumi.Input<string>;
}

/** Per-child `transform` hooks (partial args merged over the component's, or a function editing them). */
export interface NetworkTransforms {
  vpc?: Transform<aws.ec2.VpcArgs>;
  /** Every subnet; the function form receives the logical name (`<name>-private-a`). */
  subnet?: Transform<aws.ec2.SubnetArgs>;
  /** Every route table (`<name>-public-rt`, `<name>-private-a-rt`, `<name>-isolated-rt`). */
  routeTable?: Transform<aws.ec2.RouteTableArgs>;
  /** Every route (`<name>-public-internet`, `<name>-private-a-egress`). */
  route?: Transform<aws.ec2.RouteArgs>;
  /** Every subnet to route table association. */
  routeTableAssociation?: Transform<aws.ec2.RouteTableAssociationArgs>;
  /** The NAT gateways' Elastic IPs. */
  eip?: Transform<aws.ec2.EipArgs>;
  natGateway?: Transform<aws.ec2.NatGatewayArgs>;
  internetGateway?: Transform<aws.ec2.InternetGatewayArgs>;
  /** The VPC's default security group (rules stripped). */
  defaultSecurityGroup?: Transform<aws.ec2.DefaultSecurityGroupArgs>;
  s3Endpoint?: Transform<aws.ec2.VpcEndpointArgs>;
  /** Every interface endpoint; the function form receives the logical name (`<name>-vpce-ecr-api`). */
  interfaceEndpoint?: Transform<aws.ec2.VpcEndpointArgs>;
  /** The security group of the interface endpoints. */
  endpointSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  flowLog?: Transform<aws.ec2.FlowLogArgs>;
  flowLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  flowLogRole?: Transform<aws.iam.RoleArgs>;
  /** The flow log role's inline policy. */
  flowLogPolicy?: Transform<aws.iam.RolePolicyArgs>;
}

export interface NetworkArgs {
  /**
   * The VPC's IPv4 CIDR: /16 to /22, aligned, RFC 1918. The subnets are carved from it (see
   * `planSubnets`); changing it replaces the VPC and everything in it.
   * @default "10.40.0.0/16"
   * @example "10.41.0.0/16"
   */
  cidr?: string;
  /**
   * How many AZs the VPC spans (2-4): the first N available AZs of the region, in the region's order.
   * Mutually exclusive with `availabilityZones`. Adding an AZ later only adds subnets (and a NAT with `perAz`).
   * @default 2
   * @example 3
   */
  azCount?: number;
  /**
   * The AZs to span, by name (2-4 distinct AZs of the region). Mutually exclusive with `azCount`. Subnet
   * names follow the AZ letters; append to the list to grow, never insert or reorder (that moves subnets).
   * @default the first `azCount` available AZs
   * @example ["us-east-1a", "us-east-1b", "us-east-1d"]
   */
  availabilityZones?: string[];
  /**
   * How private subnets reach the internet: `"none"` (no egress: the workload needs interface endpoints),
   * `"single"` (one NAT gateway in the first AZ; an outage of that AZ cuts egress for all) or `"perAz"`
   * (one NAT per AZ, each AZ's private subnet uses its own: survives an AZ outage).
   * Cost: each NAT gateway ≈ $32.85/month ($0.045/h) + $0.045/GB processed, plus $3.65/month for its public IPv4.
   * @default "single"
   * @example "perAz"
   */
  natStrategy?: NatStrategy;
  /**
   * AWS services reached through interface endpoints (PrivateLink) in the private subnets, with private DNS,
   * by short name: `"ecr.api"`, `"ecr.dkr"`, `"logs"`, `"secretsmanager"`, `"sts"`, ... (S3 always has a
   * free gateway endpoint). They share one security group allowing HTTPS (443) from the VPC CIDR only.
   * Cost: ≈ $7.30/month per endpoint per AZ ($0.01/h) + $0.01/GB processed.
   * @default []
   * @example ["ecr.api", "ecr.dkr", "logs"]
   */
  interfaceEndpoints?: string[];
  /**
   * VPC flow log settings. Flow logs are always on (to a CloudWatch log group `/meridian/<name>/vpc-flow-logs`).
   * Cost: ingestion $0.50/GB, storage $0.03/GB-month.
   * @default { retentionDays: 30, trafficType: "ALL", maxAggregationInterval: 600 }
   */
  flowLogs?: FlowLogOptions;
  /**
   * Tags for every taggable child (each also gets its `Name`; subnets and route tables a `tier`). Pass the
   * standard set (`awsTags(...)`).
   * @example awsTags({ app: "meridian", environment: "prod", owner: "platform", costCenter: "cc-1234" })
   */
  tags: Record<string, string>;
  /** Patches any child's args or options (partial object or function). @default none */
  transform?: NetworkTransforms;
}

/** The defaults applied to omitted args. */
export const NETWORK_DEFAULTS = {
  cidr: "10.40.0.0/16",
  azCount: 2,
  natStrategy: "single",
  interfaceEndpoints: [] as string[],
  flowLogs: { retentionDays: 30, trafficType: "ALL", maxAggregationInterval: 600 },
} as const;

/** How the AZs are chosen: the first N available, or an explicit list. */
export type ZoneRequest = { azCount: number } | { availabilityZones: string[] };

/** The validated args with defaults applied. */
export interface NetworkSettings {
  cidr: string;
  zones: ZoneRequest;
  /** Number of AZs (known before the region is asked). */
  zoneCount: number;
  /** The letter naming each zone's subnets, by zone index (`a`, `b`, ...). */
  zoneLetters: string[];
  /** Every subnet's tier, zone index, CIDR and name suffix. */
  plan: SubnetPlan[];
  natStrategy: NatStrategy;
  interfaceEndpoints: string[];
  flowLogs: {
    retentionDays: number;
    trafficType: FlowLogTrafficType;
    maxAggregationInterval: FlowLogAggregationInterval;
    kmsKeyArn?: pulumi.Input<string>;
  };
  tags: Tags;
}

/**
 * Validates the VPC CIDR: IPv4, /16 to /22, aligned (see `validateVpcCidr`), and inside RFC 1918.
 * Errors name `cidr` and quote the value.
 */
export function validateCidr(cidr: unknown): string {
  const c = validateVpcCidr(cidr as string);
  if (!isRfc1918(c)) {
    throw new Error(
      `cidr "${cidr}" is not an RFC 1918 private range; allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
    );
  }
  return cidr as string;
}

/** Validates `azCount` / `availabilityZones` (mutually exclusive; 2-4 AZs; names like `us-east-1a`). */
export function validateZones(azCount: unknown, availabilityZones: unknown): ZoneRequest {
  if (azCount !== undefined && availabilityZones !== undefined) {
    throw new Error(
      `azCount (${show(azCount)}) and availabilityZones (${show(availabilityZones)}) are mutually exclusive; pass only one`,
    );
  }
  if (availabilityZones !== undefined) {
    const zones = availabilityZones as unknown[];
    if (!Array.isArray(zones) || zones.length < 2 || zones.length > MAX_ZONES) {
      throw new Error(`availabilityZones is ${show(zones)}; allowed: a list of 2 to ${MAX_ZONES} AZ names`);
    }
    for (const z of zones) {
      if (typeof z !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(z)) {
        throw new Error(
          `availabilityZones contains ${show(z)}; allowed: AZ names such as "us-east-1a" (not AZ ids, not Local Zones)`,
        );
      }
    }
    const region = (zones[0] as string).slice(0, -1);
    const other = (zones as string[]).find((z) => z.slice(0, -1) !== region);
    if (other) {
      throw new Error(
        `availabilityZones mixes regions (${show(zones[0])} and ${show(other)}); use one region`,
      );
    }
    const dup = (zones as string[]).find((z, i) => zones.indexOf(z) !== i);
    if (dup) throw new Error(`availabilityZones lists ${show(dup)} twice; each AZ must be distinct`);
    return { availabilityZones: [...(zones as string[])] };
  }
  const n = azCount ?? NETWORK_DEFAULTS.azCount;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 2 || n > MAX_ZONES) {
    throw new Error(`azCount is ${show(n)}; allowed: an integer from 2 to ${MAX_ZONES}`);
  }
  return { azCount: n };
}

/** Validates interface endpoint service names: short names (`ecr.api`), distinct, not `s3` (gateway already). */
export function validateInterfaceEndpoints(endpoints: unknown): string[] {
  const list = endpoints ?? NETWORK_DEFAULTS.interfaceEndpoints;
  if (!Array.isArray(list)) {
    throw new Error(
      `interfaceEndpoints is ${show(list)}; allowed: a list of service names such as ["ecr.api", "logs"]`,
    );
  }
  for (const e of list) {
    if (typeof e !== "string" || !/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(e) || e.startsWith("com.")) {
      throw new Error(
        `interfaceEndpoints contains ${show(e)}; allowed: short AWS service names such as "ecr.api", "ecr.dkr", ` +
          `"logs", "secretsmanager", "sts" (without "com.amazonaws.<region>.")`,
      );
    }
    if (e === "s3") {
      throw new Error(
        `interfaceEndpoints contains "s3"; S3 is already reached through the VPC's S3 gateway endpoint (free)`,
      );
    }
  }
  const dup = list.find((e, i) => list.indexOf(e) !== i);
  if (dup !== undefined) throw new Error(`interfaceEndpoints lists ${show(dup)} twice`);
  return [...list];
}

/** Validates flow log settings and applies defaults. */
export function validateFlowLogs(flowLogs: FlowLogOptions = {}): NetworkSettings["flowLogs"] {
  if (flowLogs === null || typeof flowLogs !== "object") {
    throw new Error(`flowLogs is ${show(flowLogs)}; allowed: an object (flow logs are always on)`);
  }
  const d = NETWORK_DEFAULTS.flowLogs;
  const retentionDays = flowLogs.retentionDays ?? d.retentionDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
    throw new Error(
      `flowLogs.retentionDays is ${show(retentionDays)}; allowed (CloudWatch Logs): ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  const kmsKeyArn = flowLogs.kmsKeyArn;
  if (typeof kmsKeyArn === "string" && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(kmsKeyArn)) {
    throw new Error(
      `flowLogs.kmsKeyArn is ${show(kmsKeyArn)}; allowed: a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias`,
    );
  }
  return {
    retentionDays,
    trafficType: oneOf("flowLogs.trafficType", flowLogs.trafficType ?? d.trafficType, FLOW_LOG_TRAFFIC_TYPES),
    maxAggregationInterval: oneOf(
      "flowLogs.maxAggregationInterval",
      flowLogs.maxAggregationInterval ?? d.maxAggregationInterval,
      FLOW_LOG_AGGREGATION_INTERVALS,
    ),
    kmsKeyArn,
  };
}

/** Validates the tags: a map of string values (the caller builds the standard set). */
export function validateTags(tags: unknown): Tags {
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    throw new Error(`tags is ${show(tags)}; allowed: a map of strings (pass the standard set, awsTags(...))`);
  }
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v !== "string") throw new Error(`tags.${k} is ${show(v)}; allowed: a string`);
  }
  return { ...(tags as Tags) };
}

/**
 * Validates every arg synchronously and applies defaults. Each error names the arg, the value and what is
 * allowed. Pure: no Pulumi resources.
 */
export function resolveNetworkArgs(args: NetworkArgs): NetworkSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const cidr = validateCidr(args.cidr ?? NETWORK_DEFAULTS.cidr);
  const zones = validateZones(args.azCount, args.availabilityZones);
  const natStrategy = oneOf("natStrategy", args.natStrategy ?? NETWORK_DEFAULTS.natStrategy, NAT_STRATEGIES);
  const interfaceEndpoints = validateInterfaceEndpoints(args.interfaceEndpoints);
  const flowLogs = validateFlowLogs(args.flowLogs);
  const tags = validateTags(args.tags);
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  // With azCount the AZ names are only known once the region answers; the names of the resources must be
  // known now, so they use the zone's slot letter (a, b, c, d), which is the AZ letter in regions whose first
  // AZs are contiguous. With explicit AZs, the AZ letter.
  const labels =
    "availabilityZones" in zones
      ? zones.availabilityZones
      : Array.from({ length: zones.azCount }, (_, i) => String.fromCharCode(97 + i));
  const plan = planSubnets(cidr, labels);
  return {
    cidr,
    zones,
    zoneCount: labels.length,
    zoneLetters: labels.map((z, i) => zoneLetter(z, i)),
    plan,
    natStrategy,
    interfaceEndpoints,
    flowLogs,
    tags,
  };
}

/**
 * Picks the AZs from the region's available ones: the first `azCount`, or checks the explicit list.
 * Throws an error naming the arg, the region, its AZs and the count when the region cannot satisfy it.
 */
export function selectZones(available: string[], region: string, request: ZoneRequest): string[] {
  const list = available.join(", ");
  if ("availabilityZones" in request) {
    const missing = request.availabilityZones.filter((z) => !available.includes(z));
    if (missing.length > 0) {
      throw new Error(
        `availabilityZones ${missing.map(show).join(", ")} ${missing.length === 1 ? "is" : "are"} not available in ` +
          `region ${region}, which has ${available.length} available AZs: ${list}`,
      );
    }
    return [...request.availabilityZones];
  }
  if (available.length < request.azCount) {
    const fix =
      available.length >= 2
        ? `set azCount to at most ${Math.min(available.length, MAX_ZONES)} or use a region with more AZs`
        : `use a region with at least 2 AZs`;
    throw new Error(
      `azCount is ${request.azCount} but region ${region} has only ${available.length} available AZs (${list}); ${fix}`,
    );
  }
  return available.slice(0, request.azCount);
}

/**
 * Which zones get a NAT gateway and which NAT each zone's private subnet routes through.
 * `none`: no NATs, no routes. `single`: one NAT in zone 0 for all. `perAz`: one per zone, each its own.
 */
export function planNat(
  strategy: NatStrategy,
  zoneCount: number,
): { gateways: number[]; routeTo: (number | undefined)[] } {
  const zones = Array.from({ length: zoneCount }, (_, i) => i);
  switch (strategy) {
    case "none":
      return { gateways: [], routeTo: zones.map(() => undefined) };
    case "single":
      return { gateways: [0], routeTo: zones.map(() => 0) };
    case "perAz":
      return { gateways: zones, routeTo: zones };
  }
}

/** The logical-name slug of an interface endpoint service (`ecr.api` -> `ecr-api`). */
export function endpointSlug(service: string): string {
  return service.replace(/\./g, "-");
}

interface PlannedSubnet {
  plan: SubnetPlan;
  subnet: aws.ec2.Subnet;
}

interface RouteTables {
  public: aws.ec2.RouteTable;
  /** One per AZ, by zone index. */
  private: aws.ec2.RouteTable[];
  isolated: aws.ec2.RouteTable;
}

/** The AZs the network spans, once the region has confirmed them. */
interface Zones {
  all: pulumi.Output<string[]>;
  /** The AZ of one zone index. */
  at(zoneIndex: number): pulumi.Output<string>;
}

/**
 * A production VPC for one Meridian service on AWS.
 *
 * Creates a VPC (DNS support and hostnames on) across 2-4 AZs with three subnet tiers per AZ: public (load
 * balancers and NAT gateways; no public IPs on launch), private (the workload; egress through NAT) and
 * isolated (databases and caches; no route to the internet). An internet gateway; NAT gateways as the
 * strategy says; one public route table, one private route table per AZ (so changing the NAT strategy
 * only changes routes) and one isolated route table; a free S3 gateway endpoint on all of them; optional
 * interface endpoints; VPC flow logs to a CloudWatch log group through a least-privilege role; and the
 * default security group with every rule removed.
 *
 * @example
 * const network = new Network("meridian-prod-network", {
 *   cidr: "10.40.0.0/16",
 *   azCount: 3,
 *   natStrategy: "perAz",
 *   flowLogs: { retentionDays: 90, maxAggregationInterval: 60 },
 *   tags: awsTags({ app: "meridian", environment: "prod", owner: "platform", costCenter: "cc-1234" }),
 * });
 * new aws.lb.LoadBalancer("api", { subnets: network.publicSubnetIds, ... });
 * new aws.rds.SubnetGroup("db", { subnetIds: network.isolatedSubnetIds, ... });
 *
 * ## Cost (us-east-1 list prices, 730 h/month)
 * - NAT gateway: $0.045/h ≈ $32.85/month each, plus $0.045/GB processed, plus $3.65/month for its public
 *   IPv4 address. Dev (`single`): ≈ $35/month ($32.85 + $3.65). Prod (`perAz`, 3 AZs): ≈ $100/month of NAT
 *   hours ($98.55) + $10.95 for the three IPs. All before data. `none` costs nothing but leaves private
 *   subnets without internet egress.
 * - Interface endpoints (opt-in): ≈ $7.30/month per endpoint per AZ, plus $0.01/GB.
 * - Flow logs: CloudWatch Logs ingestion $0.50/GB (vended logs) plus $0.03/GB-month stored.
 * - VPC, subnets, route tables, internet gateway, S3 gateway endpoint, security groups: free.
 */
export class Network extends pulumi.ComponentResource {
  private readonly childOpts: ChildKit["childOpts"];
  private readonly tagsFor: ChildKit["tagsFor"];
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: pulumi.Output<string>;
  /** Public subnets, in AZ order (load balancers). */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Private subnets, in AZ order (the workload). */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Isolated subnets, in AZ order (databases, caches): no route to the internet. */
  public readonly isolatedSubnetIds: pulumi.Output<string[]>;
  /** The AZs the subnets are in, in order. */
  public readonly availabilityZones: pulumi.Output<string[]>;
  /** Route tables: the public one, the private ones in AZ order, the isolated one (for more gateway endpoints). */
  public readonly routeTableIds: pulumi.Output<{ public: string; private: string[]; isolated: string }>;
  public readonly natGatewayIds: pulumi.Output<string[]>;
  /** The NAT gateways' public IPs: the addresses private workloads reach the internet from (allow-lists). */
  public readonly natPublicIps: pulumi.Output<string[]>;
  public readonly flowLogGroupName: pulumi.Output<string>;
  public readonly s3EndpointId: pulumi.Output<string>;
  /** Interface endpoint ids by service name (`{ "ecr.api": "vpce-..." }`). */
  public readonly interfaceEndpointIds: pulumi.Output<Record<string, string>>;
  /** The VPC's default security group, which has no rules. */
  public readonly defaultSecurityGroupId: pulumi.Output<string>;
  /** The cloud-neutral network contract. */
  public readonly outputs: NetworkOutputs;
  /** What auditors read about this network. */
  public readonly posture: NetworkPosture;
  /** The identities this component creates, with their exact permissions (for the posture document). */
  public readonly identities: Posture["identities"];

  private readonly baseName: string;
  private readonly settings: NetworkSettings;
  private readonly transforms: NetworkTransforms;

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Network", name, () => resolveNetworkArgs(args));
    super("meridian:aws:Network", name, {}, opts);
    this.baseName = name;
    this.settings = settings;
    ({ childOpts: this.childOpts, tagsFor: this.tagsFor } = childKit(this, settings.tags));
    this.transforms = args.transform ?? {};

    const env = awsEnvironment(this);
    const zones = this.resolveZones(env.region);
    const vpc = this.createVpc();
    const defaultSg = this.stripDefaultSecurityGroup(vpc);
    const igw = this.createInternetGateway(vpc);
    const subnets = this.createSubnets(vpc, zones);
    const routeTables = this.createRouteTables(vpc, subnets, igw);
    const nat = this.createNat(subnets.public, igw);
    this.routePrivateEgress(routeTables.private, nat.gateways);
    const s3 = this.createS3Endpoint(vpc, routeTables, env.region);
    const endpoints = this.createInterfaceEndpoints(vpc, subnets.private, env.region);
    const flowLogs = this.createFlowLogs(vpc, env);

    const ids = (list: PlannedSubnet[]) => pulumi.all(list.map((s) => s.subnet.id));
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.publicSubnetIds = ids(subnets.public);
    this.privateSubnetIds = ids(subnets.private);
    this.isolatedSubnetIds = ids(subnets.isolated);
    this.availabilityZones = zones.all;
    this.routeTableIds = pulumi.output({
      public: routeTables.public.id,
      private: routeTables.private.map((rt) => rt.id),
      isolated: routeTables.isolated.id,
    });
    this.natGatewayIds = pulumi.all(nat.gateways.map((g) => g.id));
    this.natPublicIps = pulumi.all(nat.eips.map((e) => e.publicIp));
    this.flowLogGroupName = flowLogs.logGroup.name;
    this.s3EndpointId = s3.id;
    this.interfaceEndpointIds = pulumi.all(
      Object.fromEntries(settings.interfaceEndpoints.map((svc, i) => [svc, endpoints[i].id])),
    );
    this.defaultSecurityGroupId = defaultSg.id;
    this.outputs = this.contract(vpc, subnets, zones.all, env.region, nat.gateways.length);
    this.posture = {
      flowLogs: {
        enabled: true,
        destination: `cloudwatch-logs:${flowLogs.logGroupName}`,
        retentionDays: settings.flowLogs.retentionDays,
      },
      denyByDefaultIngress: true,
      privateApiAccess: ["s3-gateway-endpoint", ...settings.interfaceEndpoints],
      isolatedTier: true,
    };
    this.identities = [
      {
        name: flowLogs.role.name,
        kind: "aws:iam:role",
        permissions: FLOW_LOG_ACTIONS.map((a) => `${a} on ${flowLogs.logGroupName}`),
        trust: [FLOW_LOG_PRINCIPAL],
      },
    ];

    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      availabilityZones: this.availabilityZones,
      routeTableIds: this.routeTableIds,
      natGatewayIds: this.natGatewayIds,
      natPublicIps: this.natPublicIps,
      flowLogGroupName: this.flowLogGroupName,
      s3EndpointId: this.s3EndpointId,
      interfaceEndpointIds: this.interfaceEndpointIds,
      defaultSecurityGroupId: this.defaultSecurityGroupId,
      outputs: this.outputs,
      posture: this.posture,
      identities: this.identities,
    });
  }

  /**
   * The AZs, checked against the region's available AZs (Local and Wavelength Zones excluded). Every subnet
   * takes its AZ from here, so a region that cannot satisfy the request fails the deployment with the reason
   * before any subnet is created.
   */
  private resolveZones(region: pulumi.Output<string>): Zones {
    const available = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      { parent: this },
    );
    const selected = pulumi.all([available.names, region]).apply(([names, r]) => {
      try {
        return { zones: selectZones(names, r, this.settings.zones), error: undefined };
      } catch (e) {
        return { zones: [] as string[], error: `Network "${this.baseName}": ${(e as Error).message}` };
      }
    });
    // A fresh error per consumer: the SDK prefixes the message of the error it is handed with the property it
    // was serializing, so one shared error would read "error serializing ... error serializing ...".
    const pick = <T>(f: (zones: string[]) => T): pulumi.Output<T> =>
      selected.apply((s) => {
        if (s.error !== undefined) throw new Error(s.error);
        return f(s.zones);
      });
    return { all: pick((z) => z), at: (i) => pick((z) => z[i]) };
  }

  private createVpc(): aws.ec2.Vpc {
    const name = `${this.baseName}-vpc`;
    return new aws.ec2.Vpc(
      ...applyTransform(
        this.transforms.vpc,
        name,
        {
          cidrBlock: this.settings.cidr,
          enableDnsSupport: true,
          enableDnsHostnames: true,
          instanceTenancy: "default",
          tags: this.tagsFor(name),
        },
        this.childOpts(),
      ),
    );
  }

  /** Adopts the VPC's default security group and removes all its rules: nothing can use it to talk. */
  private stripDefaultSecurityGroup(vpc: aws.ec2.Vpc): aws.ec2.DefaultSecurityGroup {
    const name = `${this.baseName}-default-sg`;
    return new aws.ec2.DefaultSecurityGroup(
      ...applyTransform(
        this.transforms.defaultSecurityGroup,
        name,
        { vpcId: vpc.id, ingress: [], egress: [], tags: this.tagsFor(name) },
        this.childOpts(),
      ),
    );
  }

  private createInternetGateway(vpc: aws.ec2.Vpc): aws.ec2.InternetGateway {
    const name = `${this.baseName}-igw`;
    return new aws.ec2.InternetGateway(
      ...applyTransform(
        this.transforms.internetGateway,
        name,
        { vpcId: vpc.id, tags: this.tagsFor(name) },
        this.childOpts(),
      ),
    );
  }

  /** One subnet per tier and AZ; names and CIDRs come from the plan only (zone index and tier). */
  private createSubnets(vpc: aws.ec2.Vpc, zones: Zones): Record<SubnetTier, PlannedSubnet[]> {
    const out: Record<SubnetTier, PlannedSubnet[]> = { public: [], private: [], isolated: [] };
    for (const plan of this.settings.plan) {
      const name = `${this.baseName}-${plan.suffix}`;
      const subnet = new aws.ec2.Subnet(
        ...applyTransform(
          this.transforms.subnet,
          name,
          {
            vpcId: vpc.id,
            cidrBlock: plan.cidr,
            availabilityZone: zones.at(plan.zoneIndex),
            // Nothing launched in a subnet gets a public IP; load balancers and NATs bring their own.
            mapPublicIpOnLaunch: false,
            tags: this.tagsFor(name, { tier: plan.tier }),
          },
          this.childOpts(),
        ),
      );
      out[plan.tier].push({ plan, subnet });
    }
    return out;
  }

  private routeTable(vpc: aws.ec2.Vpc, suffix: string, tier: SubnetTier): aws.ec2.RouteTable {
    const name = `${this.baseName}-${suffix}-rt`;
    return new aws.ec2.RouteTable(
      ...applyTransform(
        this.transforms.routeTable,
        name,
        { vpcId: vpc.id, tags: this.tagsFor(name, { tier }) },
        this.childOpts(),
      ),
    );
  }

  private associate(subnet: PlannedSubnet, table: aws.ec2.RouteTable): void {
    new aws.ec2.RouteTableAssociation(
      ...applyTransform(
        this.transforms.routeTableAssociation,
        `${this.baseName}-${subnet.plan.suffix}-rta`,
        { subnetId: subnet.subnet.id, routeTableId: table.id },
        this.childOpts(),
      ),
    );
  }

  private route(name: string, args: aws.ec2.RouteArgs): aws.ec2.Route {
    return new aws.ec2.Route(...applyTransform(this.transforms.route, name, args, this.childOpts()));
  }

  /**
   * One public route table (default route to the internet gateway), one private route table per AZ (its
   * default route is added by the NAT strategy) and one isolated route table without any internet route.
   */
  private createRouteTables(
    vpc: aws.ec2.Vpc,
    subnets: Record<SubnetTier, PlannedSubnet[]>,
    igw: aws.ec2.InternetGateway,
  ): RouteTables {
    const publicRt = this.routeTable(vpc, "public", "public");
    this.route(`${this.baseName}-public-internet`, {
      routeTableId: publicRt.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    subnets.public.forEach((s) => this.associate(s, publicRt));

    const privateRts = subnets.private.map((s) => {
      const rt = this.routeTable(vpc, s.plan.suffix, "private");
      this.associate(s, rt);
      return rt;
    });

    const isolatedRt = this.routeTable(vpc, "isolated", "isolated");
    subnets.isolated.forEach((s) => this.associate(s, isolatedRt));
    return { public: publicRt, private: privateRts, isolated: isolatedRt };
  }

  /** NAT gateways (with their Elastic IPs) in the public subnets of the zones the strategy picks. */
  private createNat(
    publicSubnets: PlannedSubnet[],
    igw: aws.ec2.InternetGateway,
  ): { gateways: aws.ec2.NatGateway[]; eips: aws.ec2.Eip[] } {
    const { gateways } = planNat(this.settings.natStrategy, this.settings.zoneCount);
    const eips: aws.ec2.Eip[] = [];
    const nats = gateways.map((zoneIndex) => {
      const name = `${this.baseName}-nat-${this.settings.zoneLetters[zoneIndex]}`;
      const eip = new aws.ec2.Eip(
        ...applyTransform(
          this.transforms.eip,
          `${name}-eip`,
          { domain: "vpc", tags: this.tagsFor(`${name}-eip`) },
          this.childOpts({ dependsOn: [igw] }),
        ),
      );
      eips.push(eip);
      return new aws.ec2.NatGateway(
        ...applyTransform(
          this.transforms.natGateway,
          name,
          {
            allocationId: eip.allocationId,
            subnetId: publicSubnets[zoneIndex].subnet.id,
            connectivityType: "public",
            tags: this.tagsFor(name),
          },
          // A NAT gateway only works once the VPC has an internet gateway.
          this.childOpts({ dependsOn: [igw] }),
        ),
      );
    });
    return { gateways: nats, eips };
  }

  /**
   * The private subnets' default routes, one `aws.ec2.Route` per private route table, named after the
   * subnet only: switching strategy adds or removes routes or changes their target, never the tables.
   */
  private routePrivateEgress(privateRts: aws.ec2.RouteTable[], nats: aws.ec2.NatGateway[]): void {
    const { gateways, routeTo } = planNat(this.settings.natStrategy, this.settings.zoneCount);
    privateRts.forEach((rt, zoneIndex) => {
      const target = routeTo[zoneIndex];
      if (target === undefined) return;
      this.route(`${this.baseName}-private-${this.settings.zoneLetters[zoneIndex]}-egress`, {
        routeTableId: rt.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[gateways.indexOf(target)].id,
      });
    });
  }

  /** The S3 gateway endpoint (free) on every route table: S3 traffic never crosses a NAT. */
  private createS3Endpoint(
    vpc: aws.ec2.Vpc,
    rts: RouteTables,
    region: pulumi.Output<string>,
  ): aws.ec2.VpcEndpoint {
    const name = `${this.baseName}-s3`;
    return new aws.ec2.VpcEndpoint(
      ...applyTransform(
        this.transforms.s3Endpoint,
        name,
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
          vpcEndpointType: "Gateway",
          routeTableIds: [rts.public.id, ...rts.private.map((rt) => rt.id), rts.isolated.id],
          tags: this.tagsFor(name),
        },
        this.childOpts(),
      ),
    );
  }

  /** Interface endpoints in the private subnets, sharing a security group that allows 443 from the VPC only. */
  private createInterfaceEndpoints(
    vpc: aws.ec2.Vpc,
    privateSubnets: PlannedSubnet[],
    region: pulumi.Output<string>,
  ): aws.ec2.VpcEndpoint[] {
    const services = this.settings.interfaceEndpoints;
    if (services.length === 0) return [];
    const sgName = `${this.baseName}-vpce-sg`;
    const sg = new aws.ec2.SecurityGroup(
      ...applyTransform(
        this.transforms.endpointSecurityGroup,
        sgName,
        {
          vpcId: vpc.id,
          name: physicalName("aws:securityGroup", this.baseName, "vpc-endpoints"),
          description: asciiDescription(`HTTPS from the VPC to the interface endpoints of ${this.baseName}`),
          ingress: [
            {
              protocol: "tcp",
              fromPort: 443,
              toPort: 443,
              cidrBlocks: [this.settings.cidr],
              description: "HTTPS from the VPC",
            },
          ],
          egress: [],
          tags: this.tagsFor(sgName),
        },
        this.childOpts(),
      ),
    );
    return services.map((service) => {
      const name = `${this.baseName}-vpce-${endpointSlug(service)}`;
      return new aws.ec2.VpcEndpoint(
        ...applyTransform(
          this.transforms.interfaceEndpoint,
          name,
          {
            vpcId: vpc.id,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: privateSubnets.map((s) => s.subnet.id),
            securityGroupIds: [sg.id],
            tags: this.tagsFor(name),
          },
          this.childOpts(),
        ),
      );
    });
  }

  /**
   * VPC flow logs to `/meridian/<name>/vpc-flow-logs`, delivered by a role only the flow logs service of
   * this account can assume, allowed only to write to that log group.
   */
  private createFlowLogs(
    vpc: aws.ec2.Vpc,
    env: AwsEnvironment,
  ): { logGroup: aws.cloudwatch.LogGroup; logGroupName: string; role: aws.iam.Role } {
    const f = this.settings.flowLogs;
    const logGroupName = physicalName("aws:logGroup", `/meridian/${this.baseName}/vpc-flow-logs`);
    const logGroup = new aws.cloudwatch.LogGroup(
      ...applyTransform(
        this.transforms.flowLogGroup,
        `${this.baseName}-flow-logs`,
        {
          name: logGroupName,
          retentionInDays: f.retentionDays,
          kmsKeyId: f.kmsKeyArn,
          tags: this.tagsFor(`${this.baseName}-flow-logs`),
        },
        this.childOpts(),
      ),
    );

    const trust = aws.iam.getPolicyDocumentOutput(
      {
        statements: [
          {
            effect: "Allow",
            actions: ["sts:AssumeRole"],
            principals: [{ type: "Service", identifiers: [FLOW_LOG_PRINCIPAL] }],
            conditions: [
              { test: "StringEquals", variable: "aws:SourceAccount", values: [env.account] },
              {
                test: "ArnLike",
                variable: "aws:SourceArn",
                values: [
                  pulumi.interpolate`arn:${env.partition}:ec2:${env.region}:${env.account}:vpc-flow-log/*`,
                ],
              },
            ],
          },
        ],
      },
      { parent: this },
    );
    const roleName = `${this.baseName}-flow-logs-role`;
    const role = new aws.iam.Role(
      ...applyTransform(
        this.transforms.flowLogRole,
        roleName,
        {
          description: asciiDescription(`Delivers VPC flow logs of ${this.baseName} to CloudWatch Logs`),
          assumeRolePolicy: trust.json,
          tags: this.tagsFor(roleName),
        },
        this.childOpts(),
      ),
    );
    const permissions = aws.iam.getPolicyDocumentOutput(
      {
        statements: [
          {
            effect: "Allow",
            actions: [...FLOW_LOG_ACTIONS],
            resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
          },
        ],
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      ...applyTransform(
        this.transforms.flowLogPolicy,
        `${this.baseName}-flow-logs-policy`,
        { role: role.id, policy: permissions.json },
        this.childOpts(),
      ),
    );

    const flowLogName = `${this.baseName}-flow-log`;
    new aws.ec2.FlowLog(
      ...applyTransform(
        this.transforms.flowLog,
        flowLogName,
        {
          vpcId: vpc.id,
          trafficType: f.trafficType,
          logDestinationType: "cloud-watch-logs",
          logDestination: logGroup.arn,
          iamRoleArn: role.arn,
          maxAggregationInterval: f.maxAggregationInterval,
          tags: this.tagsFor(flowLogName),
        },
        // The role must be allowed to write before the first delivery.
        this.childOpts({ dependsOn: [policy] }),
      ),
    );
    return { logGroup, logGroupName, role };
  }

  /** The cloud-neutral contract (`NetworkOutputs`). */
  private contract(
    vpc: aws.ec2.Vpc,
    subnets: Record<SubnetTier, PlannedSubnet[]>,
    zones: pulumi.Output<string[]>,
    region: pulumi.Output<string>,
    natGateways: number,
  ): NetworkOutputs {
    const cidrs: Record<string, string> = { vpc: this.settings.cidr };
    for (const p of this.settings.plan) cidrs[p.suffix] = p.cidr;
    return {
      cloud: "aws",
      region,
      networkId: vpc.id,
      networkName: `${this.baseName}-vpc`,
      zones,
      subnets: {
        public: subnets.public.map((s) => s.subnet.id),
        private: subnets.private.map((s) => s.subnet.id),
        isolated: subnets.isolated.map((s) => s.subnet.id),
      },
      egress: { strategy: this.settings.natStrategy, natGateways },
      cidrs,
    };
  }
}
