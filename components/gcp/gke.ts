/**
 * A GKE Autopilot cluster for the Meridian API, in the existing VPC (the subnet's `pods` and `services`
 * secondary ranges): private nodes, control plane reached through its IAM-guarded DNS endpoint (the IP
 * endpoint only from authorised networks), a release channel, Workload Identity, Dataplane V2 (network
 * policy enforcement), shielded nodes, system + workload logging, managed Prometheus, the Secret Manager
 * add-on and the Gateway API. See docs/gke.md.
 *
 * Facts from https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-overview (read 2026-11):
 * Autopilot always runs shielded nodes, Workload Identity and Dataplane V2; they are set explicitly here
 * so the preview and the policy pack see them.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { oneOf, resolveArgs, show } from "../shared/validate";
import { enableServices } from "./apis";

/** GKE release channels (https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels). */
export const RELEASE_CHANNELS = ["RAPID", "REGULAR", "STABLE"] as const;
export type ReleaseChannel = (typeof RELEASE_CHANNELS)[number];

/** The subnet's secondary ranges the cluster uses (the Network component's `secondaryRanges` names). */
export const GKE_RANGE_NAMES = { pods: "pods", services: "services" } as const;
/**
 * Default secondary ranges for the GKE option: a /14 of Pod IPs (Autopilot gives each node a /24; up to 1,024
 * nodes) and a /20 of Service IPs. Disjoint from Meridian's other default ranges (10.60/20, 10.61/16, 10.62.0/28).
 */
export const GKE_SECONDARY_RANGES = { pods: "10.64.0.0/14", services: "10.68.0.0/20" } as const;

export interface GkeClusterTransforms {
  cluster?: Transform<gcp.container.ClusterArgs>;
  /** The API enablement resources. */
  api?: Transform<gcp.projects.ServiceArgs>;
}

export interface GkeClusterArgs {
  /** The project. @example "meridian-prod-123" */
  project: pulumi.Input<string>;
  /** The region: Autopilot clusters are regional (control plane and nodes across the region's zones). @example "europe-west1" */
  region: string;
  /** The VPC's self link (`Network.networkSelfLink`). */
  networkSelfLink: pulumi.Input<string>;
  /** The subnet's self link (`Network.subnetSelfLink`); it must have the `pods` and `services` secondary ranges. */
  subnetSelfLink: pulumi.Input<string>;
  /**
   * Release channel: how fast GKE upgrades the control plane and nodes.
   * @default "REGULAR"
   */
  releaseChannel?: ReleaseChannel;
  /**
   * CIDRs allowed to reach the control plane's IP endpoint (e.g. a bastion or CI egress range). With none, the
   * IP endpoint is closed to the internet and Pulumi, CI and `kubectl` use the DNS endpoint, where every
   * request needs IAM (`container.clusters.connect`). Free.
   * @default []
   */
  authorizedNetworks?: string[];
  /** Refuse `pulumi destroy` of the cluster while true (prod). @default true */
  deletionProtection?: boolean;
  /** Enable container.googleapis.com. Never disabled on destroy. @default true */
  enableApis?: boolean;
  /** Labels of the cluster (`resourceLabels`). @default {} */
  labels?: Record<string, string>;
  /** Patches the cluster or the API enablement. @default none */
  transform?: GkeClusterTransforms;
}

export interface GkeClusterSettings {
  region: string;
  releaseChannel: ReleaseChannel;
  authorizedNetworks: string[];
  deletionProtection: boolean;
  enableApis: boolean;
  labels: Record<string, string>;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/;

/** Validates the args and applies defaults; errors name the arg, the value and what is allowed. */
export function resolveGkeClusterArgs(args: GkeClusterArgs): GkeClusterSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  for (const key of ["project", "networkSelfLink", "subnetSelfLink"] as const) {
    if (args[key] === undefined || args[key] === null || args[key] === "") {
      throw new Error(`${key} is ${show(args[key])}; it is required`);
    }
  }
  if (typeof args.region !== "string" || !/^[a-z]+(?:-[a-z]+)+\d+$/.test(args.region)) {
    throw new Error(`region is ${show(args.region)}; allowed: a GCP region name, e.g. "us-central1"`);
  }
  const authorizedNetworks = args.authorizedNetworks ?? [];
  if (!Array.isArray(authorizedNetworks)) {
    throw new Error(`authorizedNetworks is ${show(authorizedNetworks)}; allowed: a list of IPv4 CIDRs`);
  }
  for (const c of authorizedNetworks) {
    const m = typeof c === "string" ? CIDR.exec(c) : null;
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255)) {
      throw new Error(`authorizedNetworks has ${show(c)}; allowed: IPv4 CIDRs such as "203.0.113.0/24"`);
    }
    if (c.endsWith("/0")) {
      throw new Error(
        `authorizedNetworks has ${show(c)}; allowed: a specific range, never the whole internet`,
      );
    }
  }
  const deletionProtection = args.deletionProtection ?? true;
  if (typeof deletionProtection !== "boolean") {
    throw new Error(`deletionProtection is ${show(deletionProtection)}; allowed: true or false`);
  }
  return {
    region: args.region,
    releaseChannel: oneOf("releaseChannel", args.releaseChannel ?? "REGULAR", RELEASE_CHANNELS),
    authorizedNetworks,
    deletionProtection,
    enableApis: args.enableApis ?? true,
    labels: args.labels ?? {},
  };
}

/**
 * The cluster's args: everything the class doc promises, as data (pure, tested without mocks).
 * `name` is the physical cluster name.
 */
export function gkeClusterArgs(
  name: string,
  args: GkeClusterArgs,
  s: GkeClusterSettings,
): gcp.container.ClusterArgs {
  return {
    project: args.project,
    location: s.region,
    name,
    enableAutopilot: true,
    network: args.networkSelfLink,
    subnetwork: args.subnetSelfLink,
    ipAllocationPolicy: {
      clusterSecondaryRangeName: GKE_RANGE_NAMES.pods,
      servicesSecondaryRangeName: GKE_RANGE_NAMES.services,
    },
    // Nodes have no external IP; egress goes through the network's Cloud NAT.
    privateClusterConfig: { enablePrivateNodes: true },
    controlPlaneEndpointsConfig: {
      dnsEndpointConfig: { allowExternalTraffic: true },
      ipEndpointsConfig: { enabled: true },
    },
    masterAuthorizedNetworksConfig: {
      cidrBlocks: s.authorizedNetworks.map((cidrBlock) => ({ cidrBlock, displayName: "authorised" })),
      gcpPublicCidrsAccessEnabled: false,
    },
    releaseChannel: { channel: s.releaseChannel },
    workloadIdentityConfig: { workloadPool: pulumi.interpolate`${args.project}.svc.id.goog` },
    datapathProvider: "ADVANCED_DATAPATH",
    enableShieldedNodes: true,
    loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
    monitoringConfig: {
      enableComponents: ["SYSTEM_COMPONENTS"],
      managedPrometheus: { enabled: true },
    },
    secretManagerConfig: { enabled: true },
    gatewayApiConfig: { channel: "CHANNEL_STANDARD" },
    deletionProtection: s.deletionProtection,
    resourceLabels: s.labels,
  };
}

/**
 * A GKE Autopilot cluster.
 *
 * @example
 * const cluster = new GkeCluster("meridian-prod-gke", {
 *   project, region, networkSelfLink: network.networkSelfLink, subnetSelfLink: network.subnetSelfLink,
 *   deletionProtection: true, labels,
 * });
 * const k8sProvider = gkeProvider("meridian-prod-k8s", cluster);
 *
 * ## Cost (https://cloud.google.com/kubernetes-engine/pricing, read 2026-11)
 * - Cluster management fee $0.10/hour (≈ $73/month); the GKE free tier credits $74.40/month per billing
 *   account, which covers one Autopilot cluster.
 * - Pods are billed per second by their requests (CPU, memory, ephemeral storage); docs/gke.md works out
 *   the dev and prod sizes.
 */
export class GkeCluster extends pulumi.ComponentResource {
  /** The cluster's name. */
  public readonly clusterName: pulumi.Output<string>;
  /** The control plane's DNS endpoint (IAM-guarded), e.g. `gke-<hash>.<region>.gke.goog`. */
  public readonly dnsEndpoint: pulumi.Output<string>;
  /** `<project>.svc.id.goog`: the Workload Identity pool Kubernetes service accounts map into. */
  public readonly workloadPool: pulumi.Output<string>;
  /** The region. */
  public readonly location: string;
  /** The resolved settings. */
  public readonly settings: GkeClusterSettings;
  /** The cluster resource (for `dependsOn`). */
  public readonly cluster: gcp.container.Cluster;

  constructor(name: string, args: GkeClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("GkeCluster", name, () => resolveGkeClusterArgs(args));
    super("meridian:gcp:GkeCluster", name, {}, opts);
    this.settings = s;
    const t = args.transform ?? {};
    const apis = s.enableApis
      ? enableServices(name, args.project, ["container.googleapis.com"], { parent: this }, t.api)
      : [];
    // GKE cluster names allow 40 characters; the 30-character service account rule fits within it.
    const physical = physicalName("gcp:serviceAccount", name);
    this.cluster = new gcp.container.Cluster(
      ...applyTransform(t.cluster, `${name}-cluster`, gkeClusterArgs(physical, args, s), {
        parent: this,
        dependsOn: apis,
      }),
    );
    this.clusterName = this.cluster.name;
    this.location = s.region;
    this.workloadPool = pulumi.interpolate`${args.project}.svc.id.goog`;
    this.dnsEndpoint = this.cluster.controlPlaneEndpointsConfig.apply(
      (c) => c?.dnsEndpointConfig?.endpoint ?? "",
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      dnsEndpoint: this.dnsEndpoint,
      workloadPool: this.workloadPool,
      location: this.location,
    });
  }
}
