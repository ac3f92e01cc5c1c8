/**
 * Offline model of Google Cloud resources and data sources: resource ids, self links, URIs and
 * addresses shaped like the provider's, derived deterministically. Values only Google can assign
 * (a private services address, a Cloud Run URL's hash) are marked as placeholders in the report.
 */
import {
  noModel,
  autoName,
  hex,
  ModelEnv,
  ModelResult,
  OFFLINE_GCP_PROJECT_NUMBER,
  ResourceCall,
  seedOf,
  str,
} from "./context";

const COMPUTE = "https://www.googleapis.com/compute/v1";

/** Zones of common regions (a, b, c, f for us-central1); others get a, b, c. */
export function gcpZones(region: string): string[] {
  if (region === "us-central1") return ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"];
  if (region === "us-east1") return ["us-east1-b", "us-east1-c", "us-east1-d"];
  if (region === "europe-west1") return ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
  return ["a", "b", "c"].map((s) => `${region}-${s}`);
}

interface Ctx {
  project: string;
  region: string;
  seed: string;
  name: string;
}

type Computed = Record<string, unknown>;
type Model = (call: ResourceCall, ctx: Ctx) => { id: string; out: Computed };

/** A global compute resource (networks, firewalls, global addresses, backend services, ...). */
const globalCompute =
  (collection: string): Model =>
  (_call, ctx) => {
    const id = `projects/${ctx.project}/global/${collection}/${ctx.name}`;
    return { id, out: { name: ctx.name, selfLink: `${COMPUTE}/${id}` } };
  };

/** A regional compute resource (subnetworks, routers, addresses, forwarding rules, ...). */
const regionalCompute =
  (collection: string): Model =>
  (_call, ctx) => {
    const id = `projects/${ctx.project}/regions/${ctx.region}/${collection}/${ctx.name}`;
    return { id, out: { name: ctx.name, selfLink: `${COMPUTE}/${id}`, region: ctx.region } };
  };

/** A `projects/P/locations/L/<collection>/NAME` resource. */
const located =
  (collection: string, extra: (call: ResourceCall, ctx: Ctx) => Computed = () => ({})): Model =>
  (call, ctx) => {
    const location = str(call.inputs, "location") ?? str(call.inputs, "region") ?? ctx.region;
    const id = `projects/${ctx.project}/locations/${location}/${collection}/${ctx.name}`;
    return { id, out: { name: ctx.name, ...extra(call, ctx) } };
  };

function firstHost(cidr: string | undefined, offset: number): string | undefined {
  if (!cidr) return undefined;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(cidr);
  if (!m) return undefined;
  const n = ((+m[1] << 24) >>> 0) + (+m[2] << 16) + (+m[3] << 8) + +m[4] + offset;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

const MODELS: Record<string, Model> = {
  "gcp:compute/network:Network": (call, ctx) => {
    const r = globalCompute("networks")(call, ctx);
    r.out.numericId = String(BigInt(`0x${hex(ctx.seed, 15)}`));
    r.out.gatewayIpv4 = "";
    return r;
  },
  "gcp:compute/subnetwork:Subnetwork": (call, ctx) => {
    const r = regionalCompute("subnetworks")(call, ctx);
    const gw = firstHost(str(call.inputs, "ipCidrRange"), 1);
    if (gw) r.out.gatewayAddress = gw;
    r.out.fingerprint = hex(ctx.seed, 12);
    return r;
  },
  "gcp:compute/router:Router": regionalCompute("routers"),
  "gcp:compute/routerNat:RouterNat": (call, ctx) => ({
    id: `${ctx.project}/${str(call.inputs, "region") ?? ctx.region}/${str(call.inputs, "router") ?? "router"}/${ctx.name}`,
    out: { name: ctx.name },
  }),
  "gcp:compute/firewall:Firewall": globalCompute("firewalls"),
  "gcp:compute/globalAddress:GlobalAddress": (call, ctx) => {
    const r = globalCompute("addresses")(call, ctx);
    if (!str(call.inputs, "address")) {
      // Google picks the block for a VPC_PEERING range from the network's free space; external
      // addresses come from Google's pool. Both are placeholders here (documentation ranges).
      r.out.address =
        call.inputs.purpose === "VPC_PEERING"
          ? `10.${200 + (parseInt(hex(ctx.seed, 2), 16) % 50)}.0.0`
          : `203.0.113.${1 + (parseInt(hex(ctx.seed, 2), 16) % 250)}`;
    }
    return r;
  },
  "gcp:compute/address:Address": (call, ctx) => {
    const r = regionalCompute("addresses")(call, ctx);
    if (!str(call.inputs, "address"))
      r.out.address = `203.0.113.${1 + (parseInt(hex(ctx.seed, 2), 16) % 250)}`;
    return r;
  },
  "gcp:servicenetworking/connection:Connection": (call) => ({
    id: `${str(call.inputs, "network") ?? "network"}:${str(call.inputs, "service") ?? "servicenetworking.googleapis.com"}`,
    out: { peering: "servicenetworking-googleapis-com" },
  }),
  "gcp:projects/service:Service": (call, ctx) => ({
    id: `${str(call.inputs, "project") ?? ctx.project}/${str(call.inputs, "service") ?? call.name}`,
    out: {},
  }),
  "gcp:vpcaccess/connector:Connector": located("connectors", (_c, ctx) => ({
    state: "READY",
    selfLink: `projects/${ctx.project}/locations/${ctx.region}/connectors/${ctx.name}`,
  })),
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": globalCompute("forwardingRules"),
  "gcp:compute/forwardingRule:ForwardingRule": regionalCompute("forwardingRules"),
  "gcp:compute/backendService:BackendService": globalCompute("backendServices"),
  "gcp:compute/backendBucket:BackendBucket": globalCompute("backendBuckets"),
  "gcp:compute/uRLMap:URLMap": globalCompute("urlMaps"),
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": globalCompute("targetHttpsProxies"),
  "gcp:compute/targetHttpProxy:TargetHttpProxy": globalCompute("targetHttpProxies"),
  "gcp:compute/sSLPolicy:SSLPolicy": globalCompute("sslPolicies"),
  "gcp:compute/managedSslCertificate:ManagedSslCertificate": globalCompute("sslCertificates"),
  "gcp:compute/securityPolicy:SecurityPolicy": globalCompute("securityPolicies"),
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup":
    regionalCompute("networkEndpointGroups"),
  "gcp:serviceaccount/account:Account": (call, ctx) => {
    const accountId = str(call.inputs, "accountId") ?? ctx.name.slice(0, 30);
    const email = `${accountId}@${ctx.project}.iam.gserviceaccount.com`;
    return {
      id: `projects/${ctx.project}/serviceAccounts/${email}`,
      out: {
        email,
        name: `projects/${ctx.project}/serviceAccounts/${email}`,
        uniqueId: String(BigInt(`0x${hex(ctx.seed, 15)}`)),
        member: `serviceAccount:${email}`,
      },
    };
  },
  "gcp:secretmanager/secret:Secret": (call, ctx) => {
    const secretId = str(call.inputs, "secretId") ?? ctx.name;
    return {
      id: `projects/${ctx.project}/secrets/${secretId}`,
      out: { name: `projects/${OFFLINE_GCP_PROJECT_NUMBER}/secrets/${secretId}` },
    };
  },
  "gcp:storage/bucket:Bucket": (call) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true, maxLength: 63 });
    return {
      id: name,
      out: { name, url: `gs://${name}`, selfLink: `https://www.googleapis.com/storage/v1/b/${name}` },
    };
  },
  "gcp:cloudrunv2/service:Service": located("services", (call, ctx) => ({
    uri: `https://${ctx.name}-${hex(ctx.seed, 10)}-${regionCode(str(call.inputs, "location") ?? ctx.region)}.a.run.app`,
    latestReadyRevision: `${ctx.name}-00001-${hex(ctx.seed, 3)}`,
  })),
  "gcp:sql/databaseInstance:DatabaseInstance": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true });
    const region = str(call.inputs, "region") ?? ctx.region;
    return {
      id: name,
      out: {
        name,
        connectionName: `${ctx.project}:${region}:${name}`,
        selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${ctx.project}/instances/${name}`,
        privateIpAddress: `10.61.${parseInt(hex(ctx.seed, 2), 16) % 250}.3`,
        serviceAccountEmailAddress: `p${OFFLINE_GCP_PROJECT_NUMBER}-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
      },
    };
  },
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": (call, ctx) => {
    const bucketId = str(call.inputs, "bucketId") ?? ctx.name;
    const id = `projects/${ctx.project}/locations/${str(call.inputs, "location") ?? "global"}/buckets/${bucketId}`;
    return { id, out: { name: id, lifecycleState: "ACTIVE" } };
  },
  "gcp:logging/projectSink:ProjectSink": (call, ctx) => {
    const name = str(call.inputs, "name") ?? ctx.name;
    return {
      id: `projects/${ctx.project}/sinks/${name}`,
      out: {
        name,
        // With uniqueWriterIdentity the sink writes as its own Google-managed service account.
        writerIdentity: `serviceAccount:service-${OFFLINE_GCP_PROJECT_NUMBER}@gcp-sa-logging.iam.gserviceaccount.com`,
      },
    };
  },
  "gcp:logging/projectExclusion:ProjectExclusion": (call, ctx) => {
    const name = str(call.inputs, "name") ?? ctx.name;
    return { id: `projects/${ctx.project}/exclusions/${name}`, out: { name } };
  },
  "gcp:redis/instance:Instance": (call, ctx) => ({
    id: `projects/${ctx.project}/locations/${str(call.inputs, "region") ?? ctx.region}/instances/${ctx.name}`,
    out: {
      name: ctx.name,
      host: `10.61.${parseInt(hex(ctx.seed, 2), 16) % 250}.4`,
      port: call.inputs.transitEncryptionMode === "SERVER_AUTHENTICATION" ? 6378 : 6379,
    },
  }),
};

function regionCode(region: string): string {
  // Cloud Run URLs carry a short region code (us-central1 -> uc); derive a stable two-letter code.
  const [a = "x", b = "x"] = region.split("-");
  return `${a[0]}${b[0]}`;
}

/** Computes the state of a GCP resource. */
export function gcpResource(call: ResourceCall, env: ModelEnv): ModelResult {
  const p = env.providerInputs(call.provider);
  const project =
    str(call.inputs, "project") ??
    (p && typeof p.project === "string" ? p.project : undefined) ??
    env.config["gcp:project"] ??
    "offline-project";
  const region =
    str(call.inputs, "region") ??
    (p && typeof p.region === "string" ? p.region : undefined) ??
    env.config["gcp:region"] ??
    "us-central1";
  const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true, maxLength: 63 });
  const ctx: Ctx = { project, region, seed: seedOf(call), name };
  const model = MODELS[call.type];
  if (!model) env.note(noModel(call.type));
  const { id, out } = model ? model(call, ctx) : { id: name, out: { name } as Computed };
  if (!("project" in out)) out.project = project;
  if (call.inputs.labels && typeof call.inputs.labels === "object") {
    out.effectiveLabels = { ...(call.inputs.labels as object), "goog-pulumi-provisioned": "true" };
    out.pulumiLabels = { ...(call.inputs.labels as object), "goog-pulumi-provisioned": "true" };
  }
  const computed = Object.keys(out).filter((k) => !(k in call.inputs));
  return { id, state: { ...call.inputs, ...out }, computed };
}

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
      env.note({
        level: "info",
        message: `gcp project number is the offline placeholder ${OFFLINE_GCP_PROJECT_NUMBER}`,
      });
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
  }
  return undefined;
}
