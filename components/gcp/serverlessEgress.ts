/**
 * How Cloud Run reaches the GCP Network's private IPs (components/gcp/network.ts): Direct VPC egress needs
 * no resource (instances take IPs from the subnet); connector mode creates a Serverless VPC Access
 * connector in its own /28. Either way {@link cloudRunVpcAccess} gives the value of a Cloud Run v2
 * service's `template.vpcAccess` (`gcp.cloudrunv2.ServiceTemplateVpcAccess`).
 *
 * Cost: Direct VPC egress has no fixed cost; a connector is always-on VMs (2 × e2-micro ≈ $12/month
 * minimum, see `ConnectorOptions` in `networkArgs.ts`).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import type { CloudRunVpcAccess, NetworkContext } from "./networkArgs";

/** Creates the connector `<name>-connector` in connector mode (after `apis`); undefined in direct mode. */
export function createServerlessEgress(
  ctx: NetworkContext,
  network: gcp.compute.Network,
  apis: pulumi.Resource[],
): gcp.vpcaccess.Connector | undefined {
  const s = ctx.settings;
  if (s.serverlessEgress !== "connector") return undefined;
  return new gcp.vpcaccess.Connector(
    ...applyTransform(
      ctx.transforms.connector,
      `${ctx.baseName}-connector`,
      {
        project: ctx.project,
        region: s.region,
        name: physicalName("gcp:vpcConnector", ctx.baseName, "connector"),
        network: network.name,
        ipCidrRange: s.connectorCidr,
        minInstances: s.connector.minInstances,
        maxInstances: s.connector.maxInstances,
        machineType: s.connector.machineType,
      },
      ctx.childOpts(apis),
    ),
  );
}

/** Cloud Run's `template.vpcAccess`: the connector when there is one, else Direct VPC egress into `subnet`. */
export function cloudRunVpcAccess(
  connector: gcp.vpcaccess.Connector | undefined,
  network: gcp.compute.Network,
  subnet: gcp.compute.Subnetwork,
): pulumi.Output<CloudRunVpcAccess> {
  return connector
    ? pulumi.output({ egress: "PRIVATE_RANGES_ONLY" as const, connector: connector.id })
    : pulumi.output({
        egress: "PRIVATE_RANGES_ONLY" as const,
        networkInterfaces: [{ network: network.name, subnetwork: subnet.name }],
      });
}
