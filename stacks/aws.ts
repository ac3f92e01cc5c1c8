/**
 * The AWS environment: composes Meridian's AWS components from the validated config and returns the
 * cloud-neutral outputs contract. Today: the network. The service, data stores, edge and observability
 * components are added here as they land (issue #3).
 */
import { Network } from "../components/aws/network";
import { StackOutputs } from "../components/shared/contracts";
import { awsTags } from "../components/shared/tags";
import type { MeridianConfig } from "../infra/config";

export function createAwsStack(config: MeridianConfig): StackOutputs {
  const tags = awsTags(config.tags);

  const network = new Network(`${config.baseName}-network`, {
    cidr: config.aws.vpcCidr,
    azCount: config.aws.azCount,
    natStrategy: config.aws.natStrategy,
    flowLogs: {
      retentionDays: config.logRetentionDays,
      maxAggregationInterval: config.profile === "prod" ? 60 : 600,
    },
    tags,
  });

  return {
    cloud: "aws",
    profile: config.profile,
    region: config.aws.region,
    image: config.image ?? null,
    network: network.outputs,
    posture: {
      network: network.posture,
      publicEndpoints: [],
      identities: network.identities,
      logRetentionDays: { "network-flow-logs": config.logRetentionDays },
      secrets: [],
    },
  };
}
