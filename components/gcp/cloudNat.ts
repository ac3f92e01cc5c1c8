/**
 * The GCP Network's egress to the internet (components/gcp/network.ts): a Cloud Router and a Cloud NAT
 * gateway that translates exactly the workload subnet (primary and secondary ranges), with auto-allocated
 * IPs and logging always on. Cloud NAT reference: https://cloud.google.com/nat/docs/overview.
 *
 * Cost: see the Network class's Cost note (Cloud NAT per VM-hour, capped per gateway, plus per GiB and per
 * NAT IP); the router is free.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { applyTransform } from "../shared/transform";
import type { NetworkContext } from "./networkArgs";

/**
 * Ports Cloud NAT reserves per VM. 64 (the Compute default) allows 64 concurrent connections to one
 * destination IP:port per VM and about 1,000 VMs per auto-allocated NAT IP (64,512 ports / 64).
 */
export const NAT_MIN_PORTS_PER_VM = 64;

/** Creates the router `<name>-router` on `network` and the NAT `<name>-nat` for `subnet`, after `apis`. */
export function createCloudNat(
  ctx: NetworkContext,
  network: gcp.compute.Network,
  subnet: gcp.compute.Subnetwork,
  apis: pulumi.Resource[],
): { router: gcp.compute.Router; nat: gcp.compute.RouterNat } {
  const s = ctx.settings;
  const router = new gcp.compute.Router(
    ...applyTransform(
      ctx.transforms.router,
      `${ctx.baseName}-router`,
      { project: ctx.project, region: s.region, name: ctx.physical("router"), network: network.id },
      ctx.childOpts(apis),
    ),
  );
  const nat = new gcp.compute.RouterNat(
    ...applyTransform(
      ctx.transforms.nat,
      `${ctx.baseName}-nat`,
      {
        project: ctx.project,
        region: s.region,
        router: router.name,
        name: ctx.physical("nat"),
        natIpAllocateOption: "AUTO_ONLY",
        // Only this subnet (primary and secondary ranges) is translated, never other subnets added later.
        sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
        subnetworks: [{ name: subnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
        minPortsPerVm: NAT_MIN_PORTS_PER_VM,
        enableEndpointIndependentMapping: false,
        logConfig: { enable: true, filter: s.natLogFilter },
      },
      ctx.childOpts(apis),
    ),
  );
  return { router, nat };
}
