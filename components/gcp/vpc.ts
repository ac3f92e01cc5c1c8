/**
 * The GCP Network's VPC (components/gcp/network.ts): custom mode (no auto-created subnets), regional
 * routing, the default internet route kept for Cloud NAT. Compute API reference:
 * https://cloud.google.com/compute/docs/reference/rest/v1/networks.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { asciiDescription } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { NetworkContext } from "./networkArgs";

/** Creates the VPC `<name>-vpc` (physical name `<name>-vpc`) after `apis`. */
export function createVpc(ctx: NetworkContext, apis: pulumi.Resource[]): gcp.compute.Network {
  const name = ctx.physical("vpc");
  return new gcp.compute.Network(
    ...applyTransform(
      ctx.transforms.network,
      `${ctx.baseName}-vpc`,
      {
        project: ctx.project,
        name,
        // The description is create-only in the Compute API: it depends on the name only.
        description: asciiDescription(`Meridian network ${name} (custom mode, managed by Pulumi)`),
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
        // Keep the default internet route: Cloud NAT sends egress through it.
        deleteDefaultRoutesOnCreate: false,
      },
      ctx.childOpts(apis),
    ),
  );
}
