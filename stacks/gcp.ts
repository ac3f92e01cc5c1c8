/**
 * The GCP environment: composes Meridian's GCP components from the validated config and returns the
 * same outputs contract as AWS. Today: the network. Cloud Run, Cloud SQL, Memorystore, CDN and
 * monitoring are added here as they land.
 */
import { Network } from "../components/gcp/network";
import { StackOutputs } from "../components/shared/contracts";
import { gcpLabels } from "../components/shared/tags";
import type { MeridianConfig } from "../infra/config";
import { POLICY_PACK } from "./policy";

export function createGcpStack(config: MeridianConfig): StackOutputs {
  const labels = gcpLabels(config.tags);

  const network = new Network(`${config.baseName}-network`, {
    project: config.gcp.project,
    region: config.gcp.region,
    subnetCidr: config.gcp.subnetCidr,
    privateServicesCidr: config.gcp.privateServicesCidr,
    serverlessEgress: config.gcp.serverlessEgress,
    connectorCidr: config.gcp.connectorCidr,
    flowLogs: {
      aggregationInterval: config.profile === "prod" ? "INTERVAL_1_MIN" : "INTERVAL_5_MIN",
      retentionDays: config.logRetentionDays,
    },
    labels,
  });

  return {
    cloud: "gcp",
    profile: config.profile,
    region: config.gcp.region,
    image: config.image ?? null,
    network: network.outputs,
    posture: {
      network: network.posture,
      publicEndpoints: [],
      identities: [],
      logRetentionDays: { "network-flow-logs": config.logRetentionDays },
      secrets: [],
      policyPack: POLICY_PACK,
    },
  };
}
