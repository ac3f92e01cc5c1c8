/**
 * The GCP Network's log routing (components/gcp/network.ts): the network's subnet flow logs, firewall rule
 * logs and Cloud NAT logs go to a log bucket of its own with the configured retention and are excluded from
 * the project's `_Default` sink, so they are stored once (the resources are `./logRouting`'s). A sink to a
 * bucket in the same project needs no IAM grant.
 */
import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription } from "../shared/naming";
import { createLogRouting } from "./logRouting";
import type { NetworkContext } from "./networkArgs";

/** Creates the bucket, sink and exclusion `<name>-logs*` after `apis`; returns the bucket's id. */
export function createNetworkLogRouting(
  ctx: NetworkContext,
  network: gcp.compute.Network,
  apis: pulumi.Resource[],
): pulumi.Output<string> {
  const s = ctx.settings;
  // Flow log entries carry the subnet name, firewall entries the VPC name, NAT entries the gateway name.
  const filter = pulumi.interpolate`(log_id("compute.googleapis.com/vpc_flows") AND resource.labels.subnetwork_name="${ctx.physical("subnet")}") OR (log_id("compute.googleapis.com/firewall") AND jsonPayload.instance.vpc.vpc_name="${network.name}") OR (log_id("compute.googleapis.com/nat_flows") AND resource.labels.gateway_name="${ctx.physical("nat")}")`;
  return createLogRouting(
    `${ctx.baseName}-logs`,
    {
      project: ctx.project,
      location: s.region,
      bucketId: ctx.physical("logs"),
      sinkName: ctx.physical("logs-sink"),
      exclusionName: ctx.physical("logs-excl"),
      retentionDays: s.flowLogs.retentionDays,
      filter,
      descriptions: {
        bucket: asciiDescription(`Meridian network logs of ${ctx.physical("vpc")}`),
        sink: "Routes the network's flow, firewall and NAT logs to its own bucket",
        exclusion: "Stored in the network's own log bucket instead of _Default",
      },
      transform: {
        logBucket: ctx.transforms.logBucket,
        logSink: ctx.transforms.logSink,
        logExclusion: ctx.transforms.logExclusion,
      },
    },
    ctx.childOpts(apis),
  ).bucketId;
}
