/**
 * The GCP Network's workload subnet (components/gcp/network.ts): one regional subnet with Private Google
 * Access, flow logs always on (tuned by `flowLogs`), and the optional `pods`/`services` secondary ranges of
 * a VPC-native GKE cluster. Compute API reference:
 * https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { asciiDescription } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { NetworkContext } from "./networkArgs";

/** Creates the subnet `<name>-subnet` on `network` after `apis`. */
export function createSubnet(
  ctx: NetworkContext,
  network: gcp.compute.Network,
  apis: pulumi.Resource[],
): gcp.compute.Subnetwork {
  const s = ctx.settings;
  const name = ctx.physical("subnet");
  return new gcp.compute.Subnetwork(
    ...applyTransform(
      ctx.transforms.subnetwork,
      `${ctx.baseName}-subnet`,
      {
        project: ctx.project,
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
      ctx.childOpts(apis),
    ),
  );
}
