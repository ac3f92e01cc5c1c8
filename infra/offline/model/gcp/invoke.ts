/**
 * Data sources the GCP model answers offline: the project (placeholder number), client config, zones, IAM
 * policy documents (getIAMPolicy),
 * the Cloud Storage service agent, and lookups of an existing network or global address. Looked-up
 * resources are described as the program names them; values only Google knows are placeholders.
 */
import { ModelEnv, OFFLINE_GCP_PROJECT_NUMBER, str } from "../context";
import { COMPUTE, externalAddress, numericId, placeholderNote } from "./shared";
import { serviceAgentEmail } from "./iam";
import { gcpZones } from "./zones";

/** Data-source calls the GCP model answers. Returns undefined when it has no model. */
export function gcpInvoke(
  token: string,
  args: Record<string, unknown>,
  env: ModelEnv,
  provider: Record<string, unknown> = {},
): Record<string, unknown> | undefined {
  const project =
    str(args, "project") ?? str(provider, "project") ?? env.config["gcp:project"] ?? "offline-project";
  const region = str(args, "region") ?? str(provider, "region") ?? env.config["gcp:region"] ?? "us-central1";
  switch (token) {
    case "gcp:organizations/getProject:getProject":
      env.note(placeholderNote("projectNumber"));
      return {
        id: `projects/${project}`,
        projectId: project,
        number: OFFLINE_GCP_PROJECT_NUMBER,
        name: project,
        labels: {},
      };
    case "gcp:organizations/getClientConfig:getClientConfig":
      return {
        id: "offline",
        project,
        region,
        zone: gcpZones(region)[0],
        accessToken: "offline-placeholder",
      };
    case "gcp:compute/getZones:getZones":
      return {
        id: `projects/${project}/regions/${region}`,
        project,
        region,
        names: gcpZones(region),
        status: "UP",
      };
    case "gcp:organizations/getIAMPolicy:getIAMPolicy": {
      // A pure function of its arguments in the provider too: the IAM policy document as JSON.
      const bindings = Array.isArray(args.bindings) ? args.bindings : [];
      const auditConfigs = Array.isArray(args.auditConfigs) ? args.auditConfigs : [];
      const policy = { ...(auditConfigs.length ? { auditConfigs } : {}), bindings };
      return { id: "policy", policyData: JSON.stringify(policy), bindings, auditConfigs };
    }
    case "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": {
      env.note(placeholderNote("projectNumber"));
      const email = serviceAgentEmail("storage.googleapis.com", OFFLINE_GCP_PROJECT_NUMBER);
      return { id: email, emailAddress: email, member: `serviceAccount:${email}`, project };
    }
    case "gcp:compute/getNetwork:getNetwork": {
      const name = str(args, "name") ?? "default";
      const id = `projects/${project}/global/networks/${name}`;
      const numeric = numericId(`gcp:compute/network:Network::${name}`);
      return {
        id,
        name,
        project,
        selfLink: `${COMPUTE}/${id}`,
        numericId: numeric,
        networkId: Number(numeric.slice(0, 15)),
        gatewayIpv4: "",
        subnetworksSelfLinks: [],
        description: "",
        internalIpv6Range: "",
      };
    }
    case "gcp:compute/getGlobalAddress:getGlobalAddress": {
      const name = str(args, "name") ?? "address";
      const id = `projects/${project}/global/addresses/${name}`;
      env.note(placeholderNote("address"));
      return {
        id,
        name,
        project,
        selfLink: `${COMPUTE}/${id}`,
        address: externalAddress(`gcp:compute/globalAddress:GlobalAddress::${name}`),
        addressType: "EXTERNAL",
        status: "RESERVED",
      };
    }
  }
  return undefined;
}
