/**
 * The arguments of the GCP Network component (components/gcp/network.ts): their types, the enums the
 * Compute API accepts, the defaults applied to omitted args, the validated settings, and the context every
 * child-building module (`vpc.ts`, `subnet.ts`, `cloudNat.ts`, `privateServicesAccess.ts`,
 * `serverlessEgress.ts`, `firewall.ts`, `networkLogs.ts`) receives. Validation is in `networkSettings.ts`.
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import type { Transform } from "../shared/transform";

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

/** Per-child `transform` hooks. */
export interface NetworkTransforms {
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
  transform?: NetworkTransforms;
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

/** What every child-building module of the network receives from the component. */
export interface NetworkContext {
  /** The component's name: children's logical names are `<baseName>-<suffix>`. */
  baseName: string;
  project: pulumi.Input<string>;
  settings: NetworkSettings;
  transforms: NetworkTransforms;
  /** Physical name of a child (RFC 1035, 63 chars max), from the component name only. */
  physical(suffix: string): string;
  /** Options every child gets: parented to the component, created after the APIs it needs. */
  childOpts(dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions;
}

/** Builds the {@link NetworkContext} of the component `parent` named `baseName`. */
export function networkContext(
  parent: pulumi.Resource,
  baseName: string,
  args: NetworkArgs,
  settings: NetworkSettings,
): NetworkContext {
  return {
    baseName,
    project: args.project,
    settings,
    transforms: args.transform ?? {},
    physical: (suffix) => physicalName("gcp:resource", baseName, suffix),
    childOpts: (dependsOn) => ({ parent, dependsOn }),
  };
}
