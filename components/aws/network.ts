/**
 * The AWS network every Meridian workload lives in: a VPC across 2-4 AZs with public, private and isolated
 * subnets, an internet gateway, NAT gateways (none, one, or one per AZ) or one NAT instance (dev; the
 * building block `./natInstance`), an S3 gateway endpoint, optional
 * interface endpoints, VPC flow logs to CloudWatch Logs, and a default security group stripped of its rules.
 *
 * The building blocks are beside it: args `./networkArgs`, validation `./networkSettings`, AZs
 * `./availabilityZones`, subnets and route tables `./subnets` (plan: `./subnetPlan`), NAT `./natGateways`,
 * endpoints `./vpcEndpoints`, flow logs `./flowLogs`. Validation and the plans are pure and exported
 * ({@link resolveNetworkArgs}, {@link selectZones}, {@link planNat}) so they test without mocks. See
 * docs/components/aws-network.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childKit } from "../shared/component";
import type { NetworkOutputs, NetworkPosture, Posture } from "../shared/contracts";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { resolveZones } from "./availabilityZones";
import { awsEnvironment } from "./environment";
import { createFlowLogs } from "./flowLogs";
import { createNat, routePrivateEgress } from "./natGateways";
import { createNatInstance } from "./natInstance";
import type { NetworkArgs, NetworkTransforms } from "./networkArgs";
import { resolveNetworkArgs, type NetworkSettings } from "./networkSettings";
import type { SubnetTier } from "./subnetPlan";
import type { PartKit } from "./partKit";
import { createRouteTables, createSubnets, type PlannedSubnet } from "./subnets";
import { createInterfaceEndpoints, createS3Endpoint } from "./vpcEndpoints";

// The building blocks' public names, where importers found them before the split.
export { DEFAULT_AZ_COUNT, selectZones, validateZones, type ZoneRequest } from "./availabilityZones";
export {
  FLOW_LOG_ACTIONS,
  FLOW_LOG_AGGREGATION_INTERVALS,
  FLOW_LOG_PRINCIPAL,
  FLOW_LOG_TRAFFIC_TYPES,
  validateFlowLogs,
  type FlowLogAggregationInterval,
  type FlowLogOptions,
  type FlowLogTrafficType,
} from "./flowLogs";
export { NAT_STRATEGIES, planNat, type NatStrategy } from "./natGateways";
export { NETWORK_DEFAULTS, type NetworkArgs, type NetworkTransforms } from "./networkArgs";
export { resolveNetworkArgs, validateCidr, type NetworkSettings } from "./networkSettings";
export { LOG_RETENTION_DAYS, validateTags } from "./validate";
export { endpointSlug, validateInterfaceEndpoints } from "./vpcEndpoints";

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
 *   subnets without internet egress. `instance` (dev): t4g.nano $3.07 + 8 GiB gp3 $0.64 + $3.65 for its
 *   Elastic IP, no per-GB fee (instance prices unverified; infra/cost/prices.yaml).
 * - Interface endpoints (opt-in): ≈ $7.30/month per endpoint per AZ, plus $0.01/GB.
 * - Flow logs: CloudWatch Logs ingestion $0.50/GB (vended logs) plus $0.03/GB-month stored.
 * - VPC, subnets, route tables, internet gateway, S3 gateway endpoint, security groups: free.
 */
export class Network extends pulumi.ComponentResource {
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
  /** The NAT gateways' (or NAT instance's) public IPs: the addresses private workloads reach the internet from (allow-lists). */
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

  private readonly settings: NetworkSettings;
  private readonly kit: PartKit<NetworkTransforms>;

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Network", name, () => resolveNetworkArgs(args));
    super("meridian:aws:Network", name, {}, opts);
    this.settings = settings;
    const t: NetworkTransforms = args.transform ?? {};
    const kit = { ...childKit(this, settings.tags), parent: this, name, t };
    this.kit = kit;
    const natKit = {
      ...kit,
      strategy: settings.natStrategy,
      zoneCount: settings.zoneCount,
      zoneLetters: settings.zoneLetters,
    };

    const env = awsEnvironment(this);
    const zones = resolveZones(this, name, settings.zones, env.region);
    const vpc = this.createVpc();
    const defaultSg = this.stripDefaultSecurityGroup(vpc);
    const igw = this.createInternetGateway(vpc);
    const subnets = createSubnets(kit, vpc, settings.plan, zones.at);
    const routeTables = createRouteTables(kit, vpc, subnets, igw);
    const nat = createNat(natKit, subnets.public, igw);
    routePrivateEgress(natKit, routeTables.private, nat.gateways);
    const natInstance =
      settings.natStrategy === "instance"
        ? createNatInstance(kit, settings.natInstance, {
            vpc,
            igw,
            publicSubnet: subnets.public[0],
            privateCidrs: settings.plan.filter((p) => p.tier === "private").map((p) => p.cidr),
            privateRoutes: routeTables.private.map((table, i) => ({
              table,
              letter: settings.zoneLetters[i],
            })),
            env,
          })
        : undefined;
    const s3 = createS3Endpoint(kit, vpc, routeTables, env.region);
    const endpoints = createInterfaceEndpoints(
      kit,
      vpc,
      settings.cidr,
      settings.interfaceEndpoints,
      subnets.private,
      env.region,
    );
    const flowLogs = createFlowLogs(kit, settings.flowLogs, vpc, env);

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
    this.natPublicIps = pulumi.all(
      [...nat.eips, ...(natInstance ? [natInstance.eip] : [])].map((e) => e.publicIp),
    );
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
    this.identities = [flowLogs.identity, ...(natInstance ? [natInstance.identity] : [])];

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

  private createVpc(): aws.ec2.Vpc {
    const name = `${this.kit.name}-vpc`;
    return new aws.ec2.Vpc(
      ...applyTransform(
        this.kit.t.vpc,
        name,
        {
          cidrBlock: this.settings.cidr,
          enableDnsSupport: true,
          enableDnsHostnames: true,
          instanceTenancy: "default",
          tags: this.kit.tagsFor(name),
        },
        this.kit.childOpts(),
      ),
    );
  }

  /** Adopts the VPC's default security group and removes all its rules: nothing can use it to talk. */
  private stripDefaultSecurityGroup(vpc: aws.ec2.Vpc): aws.ec2.DefaultSecurityGroup {
    const name = `${this.kit.name}-default-sg`;
    return new aws.ec2.DefaultSecurityGroup(
      ...applyTransform(
        this.kit.t.defaultSecurityGroup,
        name,
        { vpcId: vpc.id, ingress: [], egress: [], tags: this.kit.tagsFor(name) },
        this.kit.childOpts(),
      ),
    );
  }

  private createInternetGateway(vpc: aws.ec2.Vpc): aws.ec2.InternetGateway {
    const name = `${this.kit.name}-igw`;
    return new aws.ec2.InternetGateway(
      ...applyTransform(
        this.kit.t.internetGateway,
        name,
        { vpcId: vpc.id, tags: this.kit.tagsFor(name) },
        this.kit.childOpts(),
      ),
    );
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
      networkName: `${this.kit.name}-vpc`,
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
