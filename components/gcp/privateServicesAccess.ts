/**
 * The GCP Network's private services access (components/gcp/network.ts): an allocated internal range
 * peered with Google's service producer network, which Cloud SQL (`allocatedIpRange`) and Memorystore
 * (`reservedIpRange`) take their private IPs from. Reference:
 * https://cloud.google.com/vpc/docs/configure-private-services-access. Free.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { splitCidr } from "../shared/cidr";
import { applyTransform } from "../shared/transform";
import type { NetworkContext } from "./networkArgs";

/** Creates the range `<name>-psa-range` and the connection `<name>-psa` on `network`, after `apis`. */
export function createPrivateServicesAccess(
  ctx: NetworkContext,
  network: gcp.compute.Network,
  apis: pulumi.Resource[],
): { range: gcp.compute.GlobalAddress; connection: gcp.servicenetworking.Connection } {
  const { address, prefixLength } = splitCidr(ctx.settings.privateServicesCidr);
  const labels = Object.keys(ctx.settings.labels).length > 0 ? ctx.settings.labels : undefined;
  const range = new gcp.compute.GlobalAddress(
    ...applyTransform(
      ctx.transforms.privateServicesRange,
      `${ctx.baseName}-psa-range`,
      {
        project: ctx.project,
        name: ctx.physical("psa-range"),
        description: "Private services access range (Cloud SQL, Memorystore)",
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        address,
        prefixLength,
        network: network.id,
        labels,
      },
      ctx.childOpts(apis),
    ),
  );
  const connection = new gcp.servicenetworking.Connection(
    ...applyTransform(
      ctx.transforms.privateServicesConnection,
      `${ctx.baseName}-psa`,
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
      ctx.childOpts(apis),
    ),
  );
  return { range, connection };
}
