/**
 * The GCP network every Meridian workload lives in: a custom-mode VPC with one regional subnet, Cloud NAT,
 * private services access for Cloud SQL and Memorystore, Cloud Run's way into the VPC (Direct VPC egress or
 * a Serverless VPC Access connector), and deny-by-default, logged firewall rules.
 *
 * This file is the component and its outputs contract; each child lives in a module of its own: `vpc.ts`,
 * `subnet.ts`, `cloudNat.ts`, `privateServicesAccess.ts`, `serverlessEgress.ts`, `firewall.ts`,
 * `networkLogs.ts`. The args, their types and defaults are in `networkArgs.ts`; validation and CIDR
 * arithmetic are pure and exported ({@link resolveNetworkArgs} in `networkSettings.ts`, `../shared/cidr`) so
 * they test without mocks. See docs/components/gcp-network.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkOutputs, NetworkPosture } from "../shared/contracts";
import { resolveArgs } from "../shared/validate";
import { enableServices } from "./apis";
import { createCloudNat } from "./cloudNat";
import { createFirewall } from "./firewall";
import {
  CloudRunVpcAccess,
  NetworkArgs,
  networkContext,
  NetworkContext,
  NetworkSettings,
} from "./networkArgs";
import { createNetworkLogRouting } from "./networkLogs";
import { resolveNetworkArgs } from "./networkSettings";
import { createPrivateServicesAccess } from "./privateServicesAccess";
import { cloudRunVpcAccess, createServerlessEgress } from "./serverlessEgress";
import { createSubnet } from "./subnet";
import { createVpc } from "./vpc";

// The component's vocabulary, re-exported so importers of "./network" need not know the split.
export * from "./networkArgs";
export * from "./networkSettings";
export { NAT_MIN_PORTS_PER_VM } from "./cloudNat";
export { GOOGLE_HEALTH_CHECK_RANGES, LB_BACKEND_TAG } from "./firewall";

/**
 * A production VPC for one Meridian service on Google Cloud.
 *
 * Creates a custom-mode VPC; one regional subnet with Private Google Access and flow logs; a Cloud Router
 * with Cloud NAT for that subnet; private services access (an allocated range peered with Google's service
 * producer network) for Cloud SQL and Memorystore; a Serverless VPC Access connector when asked (Direct VPC
 * egress needs no resource); an explicit, logged deny-all-ingress rule plus a logged health-check rule; and
 * enables the APIs all this needs.
 *
 * @example
 * const network = new Network("meridian-prod-network", {
 *   project: "meridian-prod-123",
 *   region: "europe-west1",
 *   flowLogs: { aggregationInterval: "INTERVAL_1_MIN" },
 * });
 * new gcp.sql.DatabaseInstance("db", {
 *   settings: { ipConfiguration: { ipv4Enabled: false, privateNetwork: network.networkSelfLink,
 *     allocatedIpRange: network.privateServicesRangeName } },
 *   ...
 * }, { dependsOn: [network.privateServicesConnection] });
 * new gcp.cloudrunv2.Service("api", { template: { vpcAccess: network.cloudRunVpcAccess, ... }, ... });
 *
 * ## Cost (us-central1 list prices, 730 h/month)
 * - Cloud NAT: $0.0014 per VM-hour using it, capped at $0.044/h per gateway (≈ $32/month from 32 VMs up),
 *   plus $0.045/GiB processed, plus $0.005/h (≈ $3.65/month) per auto-allocated NAT IP in use.
 * - Serverless VPC Access connector (opt-in): always-on VMs, 2 × e2-micro ≈ $12/month minimum, plus its
 *   egress. Direct VPC egress (the default) has no fixed cost.
 * - Private services access, the VPC, subnet, router and firewall rules: free.
 * - Logs (subnet flow logs, NAT logs, firewall logs): Cloud Logging ingestion, $0.50/GiB after 50 GiB/month.
 */
export class Network extends pulumi.ComponentResource {
  /** The network's id (`projects/P/global/networks/N`). */
  public readonly networkId: pulumi.Output<string>;
  /** The network's self link (what Cloud SQL `privateNetwork` and Memorystore `authorizedNetwork` take). */
  public readonly networkSelfLink: pulumi.Output<string>;
  /** The network's physical name. */
  public readonly networkName: pulumi.Output<string>;
  public readonly subnetId: pulumi.Output<string>;
  public readonly subnetSelfLink: pulumi.Output<string>;
  public readonly subnetName: pulumi.Output<string>;
  public readonly routerName: pulumi.Output<string>;
  public readonly natName: pulumi.Output<string>;
  /** Name of the private services access range (Cloud SQL `allocatedIpRange`, Memorystore `reservedIpRange`). */
  public readonly privateServicesRangeName: pulumi.Output<string>;
  /** Id of the service networking connection. Cloud SQL and Memorystore must be created after it. */
  public readonly privateServicesConnectionId: pulumi.Output<string>;
  /** The service networking connection, for `dependsOn` in Cloud SQL and Memorystore. */
  public readonly privateServicesConnection: gcp.servicenetworking.Connection;
  /** The connector id, in connector mode only. */
  public readonly connectorId?: pulumi.Output<string>;
  /** Pass as `template.vpcAccess` of a `gcp.cloudrunv2.Service`. */
  public readonly cloudRunVpcAccess: pulumi.Output<CloudRunVpcAccess>;
  /** Zones of the region. */
  public readonly zones: pulumi.Output<string[]>;
  /** The validated labels (applied where the GCP API supports labels). */
  public readonly labels: Record<string, string>;
  /** The log bucket holding the network's flow, firewall and NAT logs (`projects/P/locations/R/buckets/B`). */
  public readonly logBucketId: pulumi.Output<string>;
  /** The cloud-neutral network contract. */
  public readonly outputs: NetworkOutputs;
  /** What auditors read about this network. */
  public readonly posture: NetworkPosture;

  private readonly settings: NetworkSettings;

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Network", name, () => resolveNetworkArgs(args));
    super("meridian:gcp:Network", name, {}, opts);
    this.settings = settings;
    this.labels = settings.labels;
    const ctx = networkContext(this, name, args, settings);

    const apis = this.enableApis(ctx);
    const network = createVpc(ctx, apis.base);
    const subnet = createSubnet(ctx, network, apis.base);
    const { router, nat } = createCloudNat(ctx, network, subnet, apis.base);
    const { range, connection } = createPrivateServicesAccess(ctx, network, apis.base);
    const connector = createServerlessEgress(ctx, network, apis.connector);
    createFirewall(ctx, network, apis.base);
    this.logBucketId = createNetworkLogRouting(ctx, network, apis.base);
    this.zones = gcp.compute.getZonesOutput(
      { project: ctx.project, region: settings.region },
      { parent: this },
    ).names;

    this.networkId = network.id;
    this.networkSelfLink = network.selfLink;
    this.networkName = network.name;
    this.subnetId = subnet.id;
    this.subnetSelfLink = subnet.selfLink;
    this.subnetName = subnet.name;
    this.routerName = router.name;
    this.natName = nat.name;
    this.privateServicesRangeName = range.name;
    this.privateServicesConnection = connection;
    this.privateServicesConnectionId = connection.id;
    this.connectorId = connector?.id;
    this.cloudRunVpcAccess = cloudRunVpcAccess(connector, network, subnet);
    this.outputs = this.contract(network, subnet, range);
    this.posture = {
      flowLogs: {
        enabled: true,
        destination: `cloud-logging-bucket:${ctx.physical("logs")}`,
        retentionDays: settings.flowLogs.retentionDays,
      },
      denyByDefaultIngress: true,
      privateApiAccess: ["private-google-access", "private-services-access"],
      isolatedTier: true,
    };

    this.registerOutputs({
      networkId: this.networkId,
      networkSelfLink: this.networkSelfLink,
      networkName: this.networkName,
      subnetId: this.subnetId,
      subnetSelfLink: this.subnetSelfLink,
      subnetName: this.subnetName,
      routerName: this.routerName,
      natName: this.natName,
      privateServicesRangeName: this.privateServicesRangeName,
      privateServicesConnectionId: this.privateServicesConnectionId,
      connectorId: this.connectorId,
      cloudRunVpcAccess: this.cloudRunVpcAccess,
      zones: this.zones,
      labels: this.labels,
      logBucketId: this.logBucketId,
      outputs: this.outputs,
      posture: this.posture,
    });
  }

  /** Enables the network's APIs (see `./apis`); the connector's only in connector mode. */
  private enableApis(ctx: NetworkContext): { base: pulumi.Resource[]; connector: pulumi.Resource[] } {
    if (!this.settings.enableApis) return { base: [], connector: [] };
    const enable = (services: string[]) =>
      enableServices(ctx.baseName, ctx.project, services, { parent: this }, ctx.transforms.service);
    const base = enable(["compute.googleapis.com", "servicenetworking.googleapis.com"]);
    const connector =
      this.settings.serverlessEgress === "connector" ? enable(["vpcaccess.googleapis.com"]) : [];
    return { base, connector: [...base, ...connector] };
  }

  /** The cloud-neutral contract. On GCP the isolated (data) tier is the private services access range. */
  private contract(
    network: gcp.compute.Network,
    subnet: gcp.compute.Subnetwork,
    range: gcp.compute.GlobalAddress,
  ): NetworkOutputs {
    const s = this.settings;
    const cidrs: Record<string, string> = { subnet: s.subnetCidr, privateServices: s.privateServicesCidr };
    if (s.serverlessEgress === "connector") cidrs.connector = s.connectorCidr;
    if (s.secondaryRanges) {
      cidrs.pods = s.secondaryRanges.pods;
      cidrs.services = s.secondaryRanges.services;
    }
    return {
      cloud: "gcp",
      region: s.region,
      networkId: network.selfLink,
      networkName: network.name,
      zones: this.zones,
      // Google's global load balancers live outside any subnet.
      subnets: { public: [], private: [subnet.id], isolated: [range.id] },
      egress: { strategy: "cloudNat", natGateways: 1 },
      cidrs,
    };
  }
}
