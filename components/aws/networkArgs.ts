/**
 * The arguments of the AWS Network component: their types, documentation and defaults. Each building block
 * declares its own children's `transform` hooks (`./subnets`, `./natGateways`, `./vpcEndpoints`,
 * `./flowLogs`); {@link NetworkTransforms} gathers them. Validation is in `./networkSettings`.
 */
import type * as aws from "@pulumi/aws";
import { Transform } from "../shared/transform";
import { DEFAULT_AZ_COUNT } from "./availabilityZones";
import { FLOW_LOG_DEFAULTS, type FlowLogOptions, type FlowLogTransforms } from "./flowLogs";
import type { NatStrategy, NatTransforms } from "./natGateways";
import type { NatInstanceOptions, NatInstanceTransforms } from "./natInstance";
import type { SubnetTransforms } from "./subnets";
import type { EndpointTransforms } from "./vpcEndpoints";

/**
 * Per-child `transform` hooks (partial args merged over the component's, or a function editing them): the
 * VPC, internet gateway and default security group here; subnets, route tables, routes and associations
 * ({@link SubnetTransforms}); Elastic IPs and NAT gateways ({@link NatTransforms}); the NAT instance, its
 * security group, role, instance profile and Elastic IP ({@link NatInstanceTransforms}); the S3 and interface
 * endpoints and their security group ({@link EndpointTransforms}); the flow log, its log group, role and
 * policy ({@link FlowLogTransforms}).
 */
export interface NetworkTransforms
  extends SubnetTransforms, NatTransforms, NatInstanceTransforms, EndpointTransforms, FlowLogTransforms {
  vpc?: Transform<aws.ec2.VpcArgs>;
  internetGateway?: Transform<aws.ec2.InternetGatewayArgs>;
  /** The VPC's default security group (rules stripped). */
  defaultSecurityGroup?: Transform<aws.ec2.DefaultSecurityGroupArgs>;
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
   * (one NAT per AZ, each AZ's private subnet uses its own: survives an AZ outage) or `"instance"` (one
   * EC2 NAT instance in the first AZ, forwarding HTTPS only: for dev; no SLA, burstable bandwidth, an OS to
   * patch; see `natInstance`).
   * Cost: each NAT gateway ≈ $32.85/month ($0.045/h) + $0.045/GB processed, plus $3.65/month for its public IPv4.
   * The NAT instance: t4g.nano ≈ $3.07/month + 8 GiB gp3 ≈ $0.64 + $3.65 for its public IPv4; no per-GB fee.
   * @default "single"
   * @example "perAz"
   */
  natStrategy?: NatStrategy;
  /**
   * The NAT instance's type, AMI pin and root volume (only with `natStrategy: "instance"`; an error otherwise).
   * @default { instanceType: "t4g.nano", rootVolumeGb: 8 } and the newest Amazon Linux 2023 arm64 AMI
   * @example { ami: "ami-0123456789abcdef0" }
   */
  natInstance?: NatInstanceOptions;
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
  azCount: DEFAULT_AZ_COUNT,
  natStrategy: "single",
  interfaceEndpoints: [] as string[],
  flowLogs: FLOW_LOG_DEFAULTS,
} as const;
