/**
 * Compute Engine and networking: VPC, subnets, routers and NAT, firewalls, addresses, private services
 * access and Serverless VPC Access, and the global external Application Load Balancer (forwarding rules,
 * proxies, URL map, backend service and bucket, serverless NEG, SSL policy, Google-managed certificate,
 * Cloud Armor policy). Ids are the provider's (`projects/P/global/<collection>/NAME`); numeric ids,
 * fingerprints and Google-assigned addresses are placeholders and reported as such.
 */
import { hex, str } from "../context";
import {
  Computed,
  CREATED_COMPUTE,
  externalAddress,
  fingerprint,
  globalCompute,
  hostIn,
  located,
  Model,
  numericId,
  regionalCompute,
} from "./shared";

/**
 * Features of the pre-configured SSL policy profiles at TLS 1.2 (Google Cloud "SSL policies overview",
 * docs.cloud.google.com/load-balancing/docs/ssl-policies-concepts): RESTRICTED keeps only the ECDHE AEAD
 * suites, MODERN adds the ECDHE CBC ones, COMPATIBLE adds the RSA key-exchange ones. TLS 1.3 suites are
 * always on and not listed.
 */
const RESTRICTED = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];
const MODERN = [
  ...RESTRICTED,
  "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
];
const COMPATIBLE = [
  ...MODERN,
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
];

/** The features an SSL policy enables: its profile's list (COMPATIBLE by default) or its custom features. */
export function sslPolicyFeatures(profile: string | undefined, custom: unknown): string[] {
  switch (profile ?? "COMPATIBLE") {
    case "RESTRICTED":
    case "FIPS_202205":
      return [...RESTRICTED].sort();
    case "MODERN":
      return [...MODERN].sort();
    case "CUSTOM":
      return Array.isArray(custom) ? custom.map(String).sort() : [];
    default:
      return [...COMPATIBLE].sort();
  }
}

/** A compute resource with the usual Google-assigned extras (creation time, a numeric id, a fingerprint). */
const withIds =
  (base: Model, extra: (seed: string) => Computed): Model =>
  (call, ctx) => {
    const r = base(call, ctx);
    ctx.placeholder("assignedId");
    Object.assign(r.out, { creationTimestamp: CREATED_COMPUTE }, extra(ctx.seed));
    return r;
  };

export const COMPUTE_MODELS: Record<string, Model> = {
  "gcp:compute/network:Network": (call, ctx) => {
    const r = globalCompute("networks")(call, ctx);
    const id = numericId(ctx.seed);
    Object.assign(r.out, { numericId: id, networkId: id, gatewayIpv4: "" });
    return r;
  },
  "gcp:compute/subnetwork:Subnetwork": (call, ctx) => {
    const r = regionalCompute("subnetworks")(call, ctx);
    const gw = hostIn(str(call.inputs, "ipCidrRange"), 1);
    if (gw) r.out.gatewayAddress = gw;
    Object.assign(r.out, {
      fingerprint: fingerprint(ctx.seed),
      subnetworkId: Number(numericId(ctx.seed, 15)),
      creationTimestamp: CREATED_COMPUTE,
      state: "READY",
    });
    if (call.inputs.stackType !== "IPV4_IPV6")
      Object.assign(r.out, { ipv6CidrRange: "", ipv6GceEndpoint: "" });
    return r;
  },
  "gcp:compute/router:Router": withIds(regionalCompute("routers"), () => ({})),
  "gcp:compute/routerNat:RouterNat": (call, ctx) => ({
    id: `${ctx.project}/${str(call.inputs, "region") ?? ctx.region}/${str(call.inputs, "router") ?? "router"}/${ctx.name}`,
    out: { name: ctx.name },
  }),
  "gcp:compute/firewall:Firewall": withIds(globalCompute("firewalls"), () => ({})),
  "gcp:compute/globalAddress:GlobalAddress": (call, ctx) => {
    const r = withIds(globalCompute("addresses"), (seed) => ({ labelFingerprint: fingerprint(`${seed}/l`) }))(
      call,
      ctx,
    );
    if (!str(call.inputs, "address")) {
      // Google picks a VPC_PEERING range from the network's free space and an external address from its
      // pool: both are placeholders here.
      ctx.placeholder("address");
      r.out.address =
        call.inputs.purpose === "VPC_PEERING"
          ? `10.${200 + (parseInt(hex(ctx.seed, 2), 16) % 50)}.0.0`
          : externalAddress(ctx.seed);
    }
    return r;
  },
  "gcp:compute/address:Address": (call, ctx) => {
    const r = withIds(regionalCompute("addresses"), (seed) => ({
      labelFingerprint: fingerprint(`${seed}/l`),
    }))(call, ctx);
    if (!str(call.inputs, "address")) {
      ctx.placeholder("address");
      r.out.address = externalAddress(ctx.seed);
    }
    return r;
  },
  "gcp:servicenetworking/connection:Connection": (call) => ({
    id: `${str(call.inputs, "network") ?? "network"}:${str(call.inputs, "service") ?? "servicenetworking.googleapis.com"}`,
    out: { peering: "servicenetworking-googleapis-com" },
  }),
  "gcp:vpcaccess/connector:Connector": located("connectors", (_c, _ctx, id) => ({
    state: "READY",
    selfLink: id,
    connectedProjects: [],
  })),
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": (call, ctx) => {
    const r = withIds(globalCompute("forwardingRules"), (seed) => ({
      forwardingRuleId: Number(numericId(seed, 15)),
      labelFingerprint: fingerprint(`${seed}/l`),
      baseForwardingRule: "",
      pscConnectionId: "",
      pscConnectionStatus: "",
    }))(call, ctx);
    if (!str(call.inputs, "ipAddress")) {
      // Without an address the rule gets an ephemeral one from Google's pool.
      ctx.placeholder("address");
      r.out.ipAddress = externalAddress(ctx.seed);
    }
    if (!str(call.inputs, "ipProtocol")) r.out.ipProtocol = "TCP";
    return r;
  },
  "gcp:compute/forwardingRule:ForwardingRule": withIds(regionalCompute("forwardingRules"), (seed) => ({
    forwardingRuleId: Number(numericId(seed, 15)),
    labelFingerprint: fingerprint(`${seed}/l`),
  })),
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": withIds(globalCompute("targetHttpsProxies"), (seed) => ({
    proxyId: Number(numericId(seed, 15)),
    fingerprint: fingerprint(seed),
  })),
  "gcp:compute/targetHttpProxy:TargetHttpProxy": withIds(globalCompute("targetHttpProxies"), (seed) => ({
    proxyId: Number(numericId(seed, 15)),
    fingerprint: fingerprint(seed),
  })),
  "gcp:compute/uRLMap:URLMap": withIds(globalCompute("urlMaps"), (seed) => ({
    mapId: Number(numericId(seed, 15)),
    fingerprint: fingerprint(seed),
  })),
  "gcp:compute/backendService:BackendService": withIds(globalCompute("backendServices"), (seed) => ({
    generatedId: Number(numericId(seed, 15)),
    fingerprint: fingerprint(seed),
  })),
  "gcp:compute/backendBucket:BackendBucket": withIds(globalCompute("backendBuckets"), () => ({})),
  // The key value is write-only in the API; the id names the bucket and the key.
  "gcp:compute/backendBucketSignedUrlKey:BackendBucketSignedUrlKey": (call, ctx) => ({
    id: `projects/${ctx.project}/global/backendBuckets/${str(call.inputs, "backendBucket") ?? "bucket"}/signedUrlKeys/${ctx.name}`,
    out: { name: ctx.name },
  }),
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup":
    regionalCompute("networkEndpointGroups"),
  "gcp:compute/sSLPolicy:SSLPolicy": (call, ctx) => {
    const r = withIds(globalCompute("sslPolicies"), (seed) => ({ fingerprint: fingerprint(seed) }))(
      call,
      ctx,
    );
    r.out.enabledFeatures = sslPolicyFeatures(str(call.inputs, "profile"), call.inputs.customFeatures);
    if (!str(call.inputs, "profile")) r.out.profile = "COMPATIBLE";
    if (!str(call.inputs, "minTlsVersion")) r.out.minTlsVersion = "TLS_1_0";
    return r;
  },
  "gcp:compute/managedSslCertificate:ManagedSslCertificate": (call, ctx) => {
    const r = withIds(globalCompute("sslCertificates"), (seed) => ({
      certificateId: Number(numericId(seed, 15)),
    }))(call, ctx);
    // The certificate covers the requested domains once Google has provisioned it; expireTime is only
    // known then, so it stays unknown here.
    const managed = call.inputs.managed as { domains?: unknown } | undefined;
    r.out.subjectAlternativeNames = Array.isArray(managed?.domains) ? managed.domains.map(String) : [];
    if (!str(call.inputs, "type")) r.out.type = "MANAGED";
    ctx.placeholder("managedCert");
    return r;
  },
  "gcp:compute/securityPolicy:SecurityPolicy": withIds(globalCompute("securityPolicies"), (seed) => ({
    fingerprint: fingerprint(seed),
    labelFingerprint: fingerprint(`${seed}/l`),
  })),
};
