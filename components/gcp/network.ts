/**
 * The GCP network every Meridian workload lives in: a custom-mode VPC with one regional subnet, Cloud NAT,
 * private services access for Cloud SQL and Memorystore, Cloud Run's way into the VPC (Direct VPC egress or
 * a Serverless VPC Access connector), and deny-by-default, logged firewall rules.
 *
 * Validation and CIDR arithmetic are pure and exported ({@link resolveNetworkArgs}, `../shared/cidr`) so they
 * test without mocks. See docs/components/gcp-network.md.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkOutputs, NetworkPosture } from "../shared/contracts";
import { asciiDescription, physicalName } from "../shared/naming";
import { validateLabels } from "../shared/tags";
import { applyTransform, Transform } from "../shared/transform";
import { enableServices } from "./apis";
import { createLogRouting } from "./logRouting";
import { oneOf, resolveArgs, show } from "../shared/validate";
import {
  alignedText,
  Cidr,
  formatCidr,
  isAligned,
  isRfc1918,
  overlaps,
  parseCidr,
  splitCidr,
} from "../shared/cidr";

/** How Cloud Run reaches private IPs in the VPC. */
export type ServerlessEgress = "direct" | "connector";
export const SERVERLESS_EGRESS_MODES = ["direct", "connector"] as const satisfies readonly ServerlessEgress[];

/** Subnet flow log aggregation intervals the Compute API accepts. */
export const FLOW_LOG_INTERVALS = [
  "INTERVAL_5_SEC",
  "INTERVAL_30_SEC",
  "INTERVAL_1_MIN",
  "INTERVAL_5_MIN",
  "INTERVAL_10_MIN",
  "INTERVAL_15_MIN",
] as const;
export type FlowLogInterval = (typeof FLOW_LOG_INTERVALS)[number];

export const FLOW_LOG_METADATA = ["INCLUDE_ALL_METADATA", "EXCLUDE_ALL_METADATA"] as const;
export type FlowLogMetadata = (typeof FLOW_LOG_METADATA)[number];

export const NAT_LOG_FILTERS = ["ERRORS_ONLY", "TRANSLATIONS_ONLY", "ALL"] as const;
export type NatLogFilter = (typeof NAT_LOG_FILTERS)[number];

export const CONNECTOR_MACHINE_TYPES = ["e2-micro", "f1-micro", "e2-standard-4"] as const;
export type ConnectorMachineType = (typeof CONNECTOR_MACHINE_TYPES)[number];

/** Google's health-check probe source ranges (the same for every load balancer family that uses them). */
export const GOOGLE_HEALTH_CHECK_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** The network tag the health-check rule targets: put it on GKE nodes / VMs behind a Google load balancer. */
export const LB_BACKEND_TAG = "meridian-lb-backend";

/**
 * Ports Cloud NAT reserves per VM. 64 (the Compute default) allows 64 concurrent connections to one
 * destination IP:port per VM and about 1,000 VMs per auto-allocated NAT IP (64,512 ports / 64).
 */
export const NAT_MIN_PORTS_PER_VM = 64;

/** Configures the Serverless VPC Access connector (only used when `serverlessEgress` is `"connector"`). */
export interface ConnectorOptions {
  /**
   * Instances always running (2-9).
   * Cost: each instance is a VM billed around the clock (e2-micro ≈ $6/month).
   * @default 2
   */
  minInstances?: number;
  /**
   * Instances the connector may scale to under load (3-10, more than `minInstances`). A connector never scales back in.
   * @default 3
   */
  maxInstances?: number;
  /**
   * Machine type of the connector's instances.
   * Cost: e2-micro ≈ $6/month, f1-micro ≈ $4/month, e2-standard-4 ≈ $98/month, per instance.
   * @default "e2-micro"
   */
  machineType?: ConnectorMachineType;
}

/** Subnet flow log settings. Flow logs are always on; these tune their volume. */
export interface FlowLogOptions {
  /**
   * How long a flow is aggregated before one log entry is written; longer means fewer entries.
   * @default "INTERVAL_5_MIN"
   */
  aggregationInterval?: FlowLogInterval;
  /**
   * Fraction of sampled flows reported, 0 < x <= 1.
   * Cost: proportional to log volume; Cloud Logging ingestion is $0.50/GiB after the 50 GiB/month free tier.
   * @default 0.5
   */
  flowSampling?: number;
  /**
   * Whether entries carry VM/GKE metadata (names, zones, regions of both ends).
   * @default "INCLUDE_ALL_METADATA"
   */
  metadata?: FlowLogMetadata;
  /**
   * Days the network's logs (subnet flow logs, firewall logs, NAT logs) are kept. They are routed to a
   * log bucket of this network's own (1-3650 days) and excluded from the project's `_Default` bucket, so
   * they are stored (and billed) once.
   * Cost: Cloud Logging storage beyond 30 days is $0.01/GiB-month.
   * @default 30
   */
  retentionDays?: number;
}

/** Secondary ranges on the subnet for a future GKE cluster (VPC-native: Pod and Service IPs). */
export interface SecondaryRanges {
  /** Pod IP range, secondary range name `pods`. @example "10.64.0.0/14" */
  pods: string;
  /** Service (ClusterIP) range, secondary range name `services`. @example "10.68.0.0/20" */
  services: string;
}

export interface NetworkArgs {
  /** The project the network is created in. @example "meridian-prod-123" */
  project: pulumi.Input<string>;
  /** The region of the subnet, router, NAT and connector. @example "europe-west1" */
  region: string;
  /**
   * Primary range of the workload subnet (RFC 1918, aligned, /8-/29; /26 or larger with Direct VPC egress).
   * Changing it replaces the subnet.
   * @default "10.60.0.0/20"
   */
  subnetCidr?: string;
  /**
   * Range reserved for private services access (Cloud SQL, Memorystore), /16-/24. Free.
   * @default "10.61.0.0/16"
   */
  privateServicesCidr?: string;
  /**
   * How Cloud Run reaches private IPs: `"direct"` (Direct VPC egress, instances take IPs from the subnet)
   * or `"connector"` (a Serverless VPC Access connector).
   * Cost: Direct VPC egress has no fixed cost; a connector is always-on VMs (2 × e2-micro ≈ $12/month minimum).
   * @default "direct"
   */
  serverlessEgress?: ServerlessEgress;
  /**
   * The connector's range; must be a /28 (RFC 1918, aligned) not used elsewhere. Only used with `"connector"`.
   * @default "10.62.0.0/28"
   */
  connectorCidr?: string;
  /**
   * Connector sizing. Only used with `serverlessEgress: "connector"`.
   * Cost: minInstances × machine price, around the clock.
   * @default { minInstances: 2, maxInstances: 3, machineType: "e2-micro" }
   */
  connector?: ConnectorOptions;
  /**
   * Secondary ranges (`pods`, `services`) for a future GKE cluster on this subnet. Free.
   * @default none
   */
  secondaryRanges?: SecondaryRanges;
  /**
   * Subnet flow log tuning. Flow logs are always on.
   * Cost: Cloud Logging ingestion, $0.50/GiB after the 50 GiB/month free tier.
   * @default { aggregationInterval: "INTERVAL_5_MIN", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" }
   */
  flowLogs?: FlowLogOptions;
  /**
   * Which Cloud NAT events are logged (NAT logging is always on).
   * Cost: `"ALL"`/`"TRANSLATIONS_ONLY"` log every connection; Cloud Logging ingestion $0.50/GiB after the free tier.
   * @default "ERRORS_ONLY"
   */
  natLogFilter?: NatLogFilter;
  /**
   * Enable compute.googleapis.com, servicenetworking.googleapis.com (and vpcaccess.googleapis.com in
   * connector mode). Never disabled on destroy. Set to false when a platform team manages APIs.
   * @default true
   */
  enableApis?: boolean;
  /**
   * TCP ports Google's health checkers may reach on instances tagged `meridian-lb-backend`.
   * @default [8080]
   */
  healthCheckPorts?: number[];
  /**
   * Labels for the resources that take them (the private services range). VPC networks, subnets, routers,
   * NATs and firewall rules have no labels in the GCP API; the labels are also exposed as `labels`.
   * @default {}
   */
  labels?: Record<string, string>;
  /** Patches any child's args or options (partial object or function). @default none */
  transform?: {
    network?: Transform<gcp.compute.NetworkArgs>;
    subnetwork?: Transform<gcp.compute.SubnetworkArgs>;
    router?: Transform<gcp.compute.RouterArgs>;
    nat?: Transform<gcp.compute.RouterNatArgs>;
    privateServicesRange?: Transform<gcp.compute.GlobalAddressArgs>;
    privateServicesConnection?: Transform<gcp.servicenetworking.ConnectionArgs>;
    connector?: Transform<gcp.vpcaccess.ConnectorArgs>;
    /** Both firewall rules; the function form receives the logical name to tell them apart. */
    firewall?: Transform<gcp.compute.FirewallArgs>;
    /** The API enablement resources. */
    service?: Transform<gcp.projects.ServiceArgs>;
    /** The network's log bucket. */
    logBucket?: Transform<gcp.logging.ProjectBucketConfigArgs>;
    /** The sink routing the network's logs to its bucket. */
    logSink?: Transform<gcp.logging.ProjectSinkArgs>;
    /** The `_Default` sink exclusion for the same logs. */
    logExclusion?: Transform<gcp.logging.ProjectExclusionArgs>;
  };
}

/** What `gcp.cloudrunv2.ServiceTemplateVpcAccess` takes: pass `network.cloudRunVpcAccess` as `template.vpcAccess`. */
export interface CloudRunVpcAccess {
  egress: "PRIVATE_RANGES_ONLY";
  /** Connector mode: the connector id (`projects/P/locations/R/connectors/N`). */
  connector?: string;
  /** Direct VPC egress: the network and subnet Cloud Run instances take IPs from. */
  networkInterfaces?: { network: string; subnetwork: string }[];
}

/** The defaults applied to omitted args. */
export const NETWORK_DEFAULTS = {
  subnetCidr: "10.60.0.0/20",
  privateServicesCidr: "10.61.0.0/16",
  serverlessEgress: "direct",
  connectorCidr: "10.62.0.0/28",
  connector: { minInstances: 2, maxInstances: 3, machineType: "e2-micro" },
  flowLogs: {
    aggregationInterval: "INTERVAL_5_MIN",
    flowSampling: 0.5,
    metadata: "INCLUDE_ALL_METADATA",
    retentionDays: 30,
  },
  natLogFilter: "ERRORS_ONLY",
  enableApis: true,
  healthCheckPorts: [8080],
} as const;

/** The validated args with defaults applied. */
export interface NetworkSettings {
  region: string;
  subnetCidr: string;
  privateServicesCidr: string;
  serverlessEgress: ServerlessEgress;
  connectorCidr: string;
  connector: Required<ConnectorOptions>;
  secondaryRanges?: SecondaryRanges;
  flowLogs: Required<FlowLogOptions>;
  natLogFilter: NatLogFilter;
  enableApis: boolean;
  healthCheckPorts: number[];
  labels: Record<string, string>;
}

/**
 * Validates one CIDR arg: IPv4 notation, aligned to its prefix, inside RFC 1918, prefix within bounds.
 * Throws an error naming the arg, the value and what is allowed.
 */
export function validateCidr(arg: string, value: unknown, bounds: { min: number; max: number }): Cidr {
  const c = parseCidr(value, arg);
  if (!isAligned(c)) {
    throw new Error(
      `${arg} "${formatCidr(c)}" has host bits set; a /${c.prefix} must start at its network address: use "${alignedText(c)}"`,
    );
  }
  if (!isRfc1918(c)) {
    throw new Error(
      `${arg} "${formatCidr(c)}" is not an RFC 1918 private range; allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
    );
  }
  if (c.prefix < bounds.min || c.prefix > bounds.max) {
    const allowed = bounds.min === bounds.max ? `exactly /${bounds.min}` : `/${bounds.min} to /${bounds.max}`;
    throw new Error(`${arg} "${formatCidr(c)}" is a /${c.prefix}; allowed: ${allowed}`);
  }
  return c;
}

/** Throws when any two of the named ranges overlap, naming both args and both values. */
export function validateDisjoint(ranges: { arg: string; cidr: Cidr }[]): void {
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      if (overlaps(a.cidr, b.cidr)) {
        throw new Error(
          `${a.arg} "${formatCidr(a.cidr)}" overlaps ${b.arg} "${formatCidr(b.cidr)}"; the subnet, private services, ` +
            `connector and secondary ranges must not share addresses`,
        );
      }
    }
  }
}

/** Validates connector sizing (min 2-9, max 3-10, min < max, known machine type) and applies defaults. */
export function validateConnector(connector: ConnectorOptions = {}): Required<ConnectorOptions> {
  const d = NETWORK_DEFAULTS.connector;
  const min = connector.minInstances ?? d.minInstances;
  const max = connector.maxInstances ?? d.maxInstances;
  if (!Number.isInteger(min) || min < 2) {
    throw new Error(
      `connector.minInstances is ${show(min)}; allowed: an integer >= 2 (and below maxInstances)`,
    );
  }
  if (!Number.isInteger(max) || max > 10) {
    throw new Error(
      `connector.maxInstances is ${show(max)}; allowed: an integer <= 10 (and above minInstances)`,
    );
  }
  if (min >= max) {
    throw new Error(
      `connector.minInstances (${min}) must be less than connector.maxInstances (${max}); allowed: 2 <= min < max <= 10`,
    );
  }
  const machineType = oneOf(
    "connector.machineType",
    connector.machineType ?? d.machineType,
    CONNECTOR_MACHINE_TYPES,
  );
  return { minInstances: min, maxInstances: max, machineType };
}

/** Validates flow log tuning (known interval and metadata, 0 < flowSampling <= 1) and applies defaults. */
export function validateFlowLogs(flowLogs: FlowLogOptions = {}): Required<FlowLogOptions> {
  const d = NETWORK_DEFAULTS.flowLogs;
  const flowSampling = flowLogs.flowSampling ?? d.flowSampling;
  if (typeof flowSampling !== "number" || !(flowSampling > 0 && flowSampling <= 1)) {
    throw new Error(
      `flowLogs.flowSampling is ${show(flowSampling)}; allowed: a number greater than 0 and at most 1 (flow logs stay on)`,
    );
  }
  const retentionDays = flowLogs.retentionDays ?? d.retentionDays;
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) {
    throw new Error(
      `flowLogs.retentionDays is ${show(retentionDays)}; allowed: a whole number of days from 1 to 3650 (Cloud Logging bucket retention)`,
    );
  }
  return {
    retentionDays,
    aggregationInterval: oneOf(
      "flowLogs.aggregationInterval",
      flowLogs.aggregationInterval ?? d.aggregationInterval,
      FLOW_LOG_INTERVALS,
    ),
    flowSampling,
    metadata: oneOf("flowLogs.metadata", flowLogs.metadata ?? d.metadata, FLOW_LOG_METADATA),
  };
}

// Label validation is shared by every GCP component (components/shared/tags.ts).
export { validateLabels };

/** Validates health-check ports: a non-empty list of distinct integers 1-65535. */
export function validateHealthCheckPorts(ports: number[] = [...NETWORK_DEFAULTS.healthCheckPorts]): number[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    throw new Error(
      `healthCheckPorts is ${show(ports)}; allowed: a non-empty list of TCP ports (an empty list would open every port)`,
    );
  }
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      throw new Error(`healthCheckPorts contains ${show(p)}; allowed: integers 1-65535`);
    }
  }
  if (new Set(ports).size !== ports.length) throw new Error(`healthCheckPorts ${show(ports)} has duplicates`);
  return [...ports];
}

/**
 * Validates every arg synchronously and applies defaults. Errors name the arg, the value and what is allowed.
 * Pure: no Pulumi resources, usable in tests and config validation.
 */
export function resolveNetworkArgs(args: NetworkArgs): NetworkSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = NETWORK_DEFAULTS;
  if (args.project === undefined || args.project === null || args.project === "") {
    throw new Error(`project is ${show(args.project)}; allowed: a GCP project id, e.g. "meridian-prod-123"`);
  }
  if (
    typeof args.project === "string" &&
    !/^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(args.project)
  ) {
    throw new Error(
      `project "${args.project}" is not a GCP project id; allowed: [a-z][a-z0-9-]{4,28}[a-z0-9]`,
    );
  }
  if (typeof args.region !== "string" || !/^[a-z]+(?:-[a-z]+)+\d+$/.test(args.region)) {
    throw new Error(`region is ${show(args.region)}; allowed: a GCP region name, e.g. "us-central1"`);
  }
  const serverlessEgress = oneOf(
    "serverlessEgress",
    args.serverlessEgress ?? d.serverlessEgress,
    SERVERLESS_EGRESS_MODES,
  );
  const natLogFilter = oneOf("natLogFilter", args.natLogFilter ?? d.natLogFilter, NAT_LOG_FILTERS);
  const enableApis = args.enableApis ?? d.enableApis;
  if (typeof enableApis !== "boolean")
    throw new Error(`enableApis is ${show(enableApis)}; allowed: true or false`);

  // Direct VPC egress takes instance IPs from the subnet, 16 at a time: Google requires /26 or larger.
  const subnetMax = serverlessEgress === "direct" ? 26 : 29;
  const subnetCidr = validateCidr("subnetCidr", args.subnetCidr ?? d.subnetCidr, { min: 8, max: subnetMax });
  const privateServicesCidr = validateCidr(
    "privateServicesCidr",
    args.privateServicesCidr ?? d.privateServicesCidr,
    {
      min: 16,
      max: 24,
    },
  );
  const ranges = [
    { arg: "subnetCidr", cidr: subnetCidr },
    { arg: "privateServicesCidr", cidr: privateServicesCidr },
  ];
  const connectorCidrText = args.connectorCidr ?? d.connectorCidr;
  // Validated whenever given (a typo should not wait for the switch to connector mode), but it only has to
  // be free of the other ranges when a connector is actually created.
  if (args.connectorCidr !== undefined || serverlessEgress === "connector") {
    const connectorCidr = validateCidr("connectorCidr", connectorCidrText, { min: 28, max: 28 });
    if (serverlessEgress === "connector") ranges.push({ arg: "connectorCidr", cidr: connectorCidr });
  }
  const connector = validateConnector(args.connector);
  let secondaryRanges: SecondaryRanges | undefined;
  if (args.secondaryRanges !== undefined) {
    const s = args.secondaryRanges;
    const pods = validateCidr("secondaryRanges.pods", s?.pods, { min: 8, max: 29 });
    const services = validateCidr("secondaryRanges.services", s?.services, { min: 8, max: 29 });
    ranges.push(
      { arg: "secondaryRanges.pods", cidr: pods },
      { arg: "secondaryRanges.services", cidr: services },
    );
    secondaryRanges = { pods: formatCidr(pods), services: formatCidr(services) };
  }
  validateDisjoint(ranges);

  return {
    region: args.region,
    subnetCidr: formatCidr(subnetCidr),
    privateServicesCidr: formatCidr(privateServicesCidr),
    serverlessEgress,
    connectorCidr: connectorCidrText,
    connector,
    secondaryRanges,
    flowLogs: validateFlowLogs(args.flowLogs),
    natLogFilter,
    enableApis,
    healthCheckPorts: validateHealthCheckPorts(args.healthCheckPorts),
    labels: validateLabels(args.labels),
  };
}

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

  private readonly baseName: string;
  private readonly settings: NetworkSettings;
  private readonly project: pulumi.Input<string>;
  private readonly transforms: NonNullable<NetworkArgs["transform"]>;

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Network", name, () => resolveNetworkArgs(args));
    super("meridian:gcp:Network", name, {}, opts);
    this.baseName = name;
    this.settings = settings;
    this.project = args.project;
    this.transforms = args.transform ?? {};
    this.labels = settings.labels;

    const apis = this.enableApis();
    const network = this.createNetwork(apis.base);
    const subnet = this.createSubnet(network, apis.base);
    const { router, nat } = this.createNat(network, subnet, apis.base);
    const { range, connection } = this.createPrivateServicesAccess(network, apis.base);
    const connector = this.createServerlessEgress(network, apis.connector);
    this.createFirewall(network, apis.base);
    this.logBucketId = this.createLogRouting(network, apis.base);
    this.zones = gcp.compute.getZonesOutput(
      { project: this.project, region: settings.region },
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
    this.cloudRunVpcAccess = connector
      ? pulumi.output({ egress: "PRIVATE_RANGES_ONLY" as const, connector: connector.id })
      : pulumi.output({
          egress: "PRIVATE_RANGES_ONLY" as const,
          networkInterfaces: [{ network: network.name, subnetwork: subnet.name }],
        });
    this.outputs = this.contract(network, subnet, range);
    this.posture = {
      flowLogs: {
        enabled: true,
        destination: `cloud-logging-bucket:${this.physical("logs")}`,
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

  /** Options every child gets: parented here, created after the APIs it needs. */
  private childOpts(dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions {
    return { parent: this, dependsOn };
  }

  /** Physical name of a child (RFC 1035, 63 chars max), from the component name only. */
  private physical(suffix: string): string {
    return physicalName("gcp:resource", this.baseName, suffix);
  }

  /** Enables the network's APIs (see `./apis`); the connector's only in connector mode. */
  private enableApis(): { base: pulumi.Resource[]; connector: pulumi.Resource[] } {
    if (!this.settings.enableApis) return { base: [], connector: [] };
    const enable = (services: string[]) =>
      enableServices(this.baseName, this.project, services, { parent: this }, this.transforms.service);
    const base = enable(["compute.googleapis.com", "servicenetworking.googleapis.com"]);
    const connector =
      this.settings.serverlessEgress === "connector" ? enable(["vpcaccess.googleapis.com"]) : [];
    return { base, connector: [...base, ...connector] };
  }

  /**
   * Routes this network's logs (subnet flow logs, firewall rule logs, Cloud NAT logs) to a log bucket with
   * the configured retention, and excludes the same entries from the project's `_Default` sink so they are
   * stored once (see `./logRouting`). A sink to a bucket in the same project needs no IAM grant.
   */
  private createLogRouting(network: gcp.compute.Network, apis: pulumi.Resource[]): pulumi.Output<string> {
    const s = this.settings;
    // Flow log entries carry the subnet name, firewall entries the VPC name, NAT entries the gateway name.
    const filter = pulumi.interpolate`(log_id("compute.googleapis.com/vpc_flows") AND resource.labels.subnetwork_name="${this.physical("subnet")}") OR (log_id("compute.googleapis.com/firewall") AND jsonPayload.instance.vpc.vpc_name="${network.name}") OR (log_id("compute.googleapis.com/nat_flows") AND resource.labels.gateway_name="${this.physical("nat")}")`;
    return createLogRouting(
      `${this.baseName}-logs`,
      {
        project: this.project,
        location: s.region,
        bucketId: this.physical("logs"),
        sinkName: this.physical("logs-sink"),
        exclusionName: this.physical("logs-excl"),
        retentionDays: s.flowLogs.retentionDays,
        filter,
        descriptions: {
          bucket: asciiDescription(`Meridian network logs of ${this.physical("vpc")}`),
          sink: "Routes the network's flow, firewall and NAT logs to its own bucket",
          exclusion: "Stored in the network's own log bucket instead of _Default",
        },
        transform: {
          logBucket: this.transforms.logBucket,
          logSink: this.transforms.logSink,
          logExclusion: this.transforms.logExclusion,
        },
      },
      this.childOpts(apis),
    ).bucketId;
  }

  private createNetwork(apis: pulumi.Resource[]): gcp.compute.Network {
    const name = this.physical("vpc");
    return new gcp.compute.Network(
      ...applyTransform(
        this.transforms.network,
        `${this.baseName}-vpc`,
        {
          project: this.project,
          name,
          // The description is create-only in the Compute API: it depends on the name only.
          description: asciiDescription(`Meridian network ${name} (custom mode, managed by Pulumi)`),
          autoCreateSubnetworks: false,
          routingMode: "REGIONAL",
          // Keep the default internet route: Cloud NAT sends egress through it.
          deleteDefaultRoutesOnCreate: false,
        },
        this.childOpts(apis),
      ),
    );
  }

  private createSubnet(network: gcp.compute.Network, apis: pulumi.Resource[]): gcp.compute.Subnetwork {
    const s = this.settings;
    const name = this.physical("subnet");
    return new gcp.compute.Subnetwork(
      ...applyTransform(
        this.transforms.subnetwork,
        `${this.baseName}-subnet`,
        {
          project: this.project,
          region: s.region,
          name,
          description: asciiDescription(`Meridian workload subnet ${name}`),
          network: network.id,
          ipCidrRange: s.subnetCidr,
          purpose: "PRIVATE",
          stackType: "IPV4_ONLY",
          // VMs, GKE nodes and Cloud Run (Direct VPC egress) reach Google APIs without external IPs.
          privateIpGoogleAccess: true,
          logConfig: {
            aggregationInterval: s.flowLogs.aggregationInterval,
            flowSampling: s.flowLogs.flowSampling,
            metadata: s.flowLogs.metadata,
          },
          secondaryIpRanges: s.secondaryRanges && [
            { rangeName: "pods", ipCidrRange: s.secondaryRanges.pods },
            { rangeName: "services", ipCidrRange: s.secondaryRanges.services },
          ],
        },
        this.childOpts(apis),
      ),
    );
  }

  private createNat(
    network: gcp.compute.Network,
    subnet: gcp.compute.Subnetwork,
    apis: pulumi.Resource[],
  ): { router: gcp.compute.Router; nat: gcp.compute.RouterNat } {
    const s = this.settings;
    const router = new gcp.compute.Router(
      ...applyTransform(
        this.transforms.router,
        `${this.baseName}-router`,
        { project: this.project, region: s.region, name: this.physical("router"), network: network.id },
        this.childOpts(apis),
      ),
    );
    const nat = new gcp.compute.RouterNat(
      ...applyTransform(
        this.transforms.nat,
        `${this.baseName}-nat`,
        {
          project: this.project,
          region: s.region,
          router: router.name,
          name: this.physical("nat"),
          natIpAllocateOption: "AUTO_ONLY",
          // Only this subnet (primary and secondary ranges) is translated, never other subnets added later.
          sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
          subnetworks: [{ name: subnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
          minPortsPerVm: NAT_MIN_PORTS_PER_VM,
          enableEndpointIndependentMapping: false,
          logConfig: { enable: true, filter: s.natLogFilter },
        },
        this.childOpts(apis),
      ),
    );
    return { router, nat };
  }

  private createPrivateServicesAccess(
    network: gcp.compute.Network,
    apis: pulumi.Resource[],
  ): { range: gcp.compute.GlobalAddress; connection: gcp.servicenetworking.Connection } {
    const { address, prefixLength } = splitCidr(this.settings.privateServicesCidr);
    const labels = Object.keys(this.settings.labels).length > 0 ? this.settings.labels : undefined;
    const range = new gcp.compute.GlobalAddress(
      ...applyTransform(
        this.transforms.privateServicesRange,
        `${this.baseName}-psa-range`,
        {
          project: this.project,
          name: this.physical("psa-range"),
          description: "Private services access range (Cloud SQL, Memorystore)",
          purpose: "VPC_PEERING",
          addressType: "INTERNAL",
          address,
          prefixLength,
          network: network.id,
          labels,
        },
        this.childOpts(apis),
      ),
    );
    const connection = new gcp.servicenetworking.Connection(
      ...applyTransform(
        this.transforms.privateServicesConnection,
        `${this.baseName}-psa`,
        {
          network: network.id,
          service: "servicenetworking.googleapis.com",
          reservedPeeringRanges: [range.name],
          // ABANDON: deleting the connection fails ("Producer services ... are still using this connection")
          // while Cloud SQL / Memorystore hold resources behind it, and Cloud SQL keeps them for a while after
          // an instance is deleted (so it can be restored). With DELETE every destroy or re-create would fail
          // here. Abandoning drops it from state; the `servicenetworking-googleapis-com` peering stays until it
          // is removed by hand once the producers let go (see docs/components/gcp-network.md, "Destroying").
          deletionPolicy: "ABANDON",
        },
        this.childOpts(apis),
      ),
    );
    return { range, connection };
  }

  /**
   * Direct VPC egress needs no resource (Cloud Run takes IPs from the subnet); connector mode creates a
   * Serverless VPC Access connector in its own /28.
   */
  private createServerlessEgress(
    network: gcp.compute.Network,
    apis: pulumi.Resource[],
  ): gcp.vpcaccess.Connector | undefined {
    const s = this.settings;
    if (s.serverlessEgress !== "connector") return undefined;
    return new gcp.vpcaccess.Connector(
      ...applyTransform(
        this.transforms.connector,
        `${this.baseName}-connector`,
        {
          project: this.project,
          region: s.region,
          name: physicalName("gcp:vpcConnector", this.baseName, "connector"),
          network: network.name,
          ipCidrRange: s.connectorCidr,
          minInstances: s.connector.minInstances,
          maxInstances: s.connector.maxInstances,
          machineType: s.connector.machineType,
        },
        this.childOpts(apis),
      ),
    );
  }

  /**
   * Deny by default, with logs: GCP's implied deny-ingress rule (priority 65535) cannot log, so an explicit
   * deny-all at 65534 records what was refused. The only allow rule admits Google's health checkers to
   * tagged backends (GKE / NEG backends behind a Google load balancer, added later). No rule allows 0.0.0.0/0.
   */
  private createFirewall(network: gcp.compute.Network, apis: pulumi.Resource[]): gcp.compute.Firewall[] {
    const rule = (suffix: string, args: Omit<gcp.compute.FirewallArgs, "network" | "project" | "name">) =>
      new gcp.compute.Firewall(
        ...applyTransform(
          this.transforms.firewall,
          `${this.baseName}-${suffix}`,
          { project: this.project, name: this.physical(suffix), network: network.id, ...args },
          this.childOpts(apis),
        ),
      );
    return [
      rule("deny-all-ingress", {
        description: "Deny and log all ingress not allowed by a higher-priority rule",
        direction: "INGRESS",
        priority: 65534,
        denies: [{ protocol: "all" }],
        sourceRanges: ["0.0.0.0/0"],
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      }),
      rule("allow-health-checks", {
        description: `Allow Google health checks to instances tagged ${LB_BACKEND_TAG}`,
        direction: "INGRESS",
        priority: 1000,
        allows: [{ protocol: "tcp", ports: this.settings.healthCheckPorts.map(String) }],
        sourceRanges: [...GOOGLE_HEALTH_CHECK_RANGES],
        targetTags: [LB_BACKEND_TAG],
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      }),
    ];
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
