/**
 * Least privilege on GCP, network exposure: firewall ingress, Cloud Run ingress, Cloud SQL addresses,
 * bucket public access, and Cloud Armor on internet-facing backend services.
 */
import { resourceRule, stackRule } from "../../lib/rule";
import { asArray, peek, show } from "../../lib/util";
import { isSet, Obj, referencedAll } from "./refs";
import { ipConfig, SQL } from "./tls";

export const FIREWALL = "gcp:compute/firewall:Firewall";

/** A CIDR with prefix length 0 is the whole address space: 0.0.0.0/0, ::/0. */
export const isWorld = (cidr: string) => /\/0$/.test(cidr.trim());

/** The firewall rule's `allows` entries (empty for a deny rule). */
export const allowsOf = (props: Obj) => asArray(props.allows as Obj[]);

const describeAllows = (allows: Obj[]) =>
  allows
    .map((a) => {
      const ports = asArray(a.ports as string[]).map(String);
      return `${a.protocol}${ports.length ? `:${ports.join(",")}` : " (all ports)"}`;
    })
    .join(", ");

export const firewallNoPublicIngress = resourceRule({
  id: "gcp-firewall-no-public-ingress",
  description:
    "VPC firewall rules allow no ingress from 0.0.0.0/0 or ::/0 (internet traffic enters through the load balancer).",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    "Meridian: the GCP network component (components/gcp/network.ts) creates only a logged deny-all ingress rule and an allow rule from Google's health-check ranges to tagged load balancer backends; do not add open rules through its `transforms.firewall`. Raw: set `sourceRanges` to the narrowest CIDRs that need access (Google's health checkers 35.191.0.0/16 and 130.211.0.0/22; IAP TCP forwarding 35.235.240.0/20 for SSH), or use `sourceTags`/`sourceServiceAccounts`; never `0.0.0.0/0` or `::/0` on an allow rule.",
  references: ["CKV_GCP_2", "CKV_GCP_3", "CIS GCP 3.6", "CIS GCP 3.7"],
  types: [FIREWALL],
  check(r, report) {
    if (String(r.props.direction ?? "INGRESS") !== "INGRESS") return;
    const allows = allowsOf(r.props);
    if (!allows.length) return;
    const ranges = asArray(r.props.sourceRanges as string[]).map(String);
    const open = ranges.filter(isWorld);
    if (open.length) report(`allows ${describeAllows(allows)} from ${open.join(", ")}.`);
    else if (
      !ranges.length &&
      !asArray(r.props.sourceTags as string[]).length &&
      !asArray(r.props.sourceServiceAccounts as string[]).length
    )
      report(
        `allows ${describeAllows(allows)} from no named source (sourceRanges, sourceTags, sourceServiceAccounts): an unrestricted source means 0.0.0.0/0.`,
      );
  },
});

const RUN_V2 = "gcp:cloudrunv2/service:Service";
const RUN_V1 = "gcp:cloudrun/service:Service";
const V2_INGRESS_OK = ["INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_INTERNAL_ONLY"];
const V1_INGRESS_OK = ["internal-and-cloud-load-balancing", "internal"];

export const cloudRunIngress = resourceRule({
  id: "gcp-cloud-run-ingress",
  description:
    "Cloud Run services accept traffic only from the load balancer or the VPC, never directly from the internet on their run.app URL.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: the GCP service component (components/gcp/service.ts) sets it and serves the internet through the edge component\'s load balancer (components/gcp/loadBalancer.ts: serverless NEG, Cloud Armor). Raw: v2 `ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"` (or `"INGRESS_TRAFFIC_INTERNAL_ONLY"`); v1 `metadata.annotations["run.googleapis.com/ingress"]: "internal-and-cloud-load-balancing"`.',
  references: ["CKV_GCP_102"],
  types: [RUN_V2, RUN_V1],
  check(r, report) {
    if (r.type === RUN_V2) {
      const ing = r.props.ingress ?? "INGRESS_TRAFFIC_ALL";
      if (V2_INGRESS_OK.includes(ing)) return;
      report(
        r.props.invokerIamDisabled === true
          ? `ingress is ${show(ing)} and invokerIamDisabled is true: anyone on the internet can call the run.app URL, bypassing the load balancer and Cloud Armor.`
          : `ingress is ${show(ing)}: the run.app URL bypasses the load balancer and Cloud Armor.`,
      );
      return;
    }
    const ann = (((r.props.metadata ?? {}) as Obj).annotations ?? {}) as Record<string, unknown>;
    const ing = ann["run.googleapis.com/ingress"] ?? "all";
    if (!V1_INGRESS_OK.includes(String(ing)))
      report(
        `metadata.annotations["run.googleapis.com/ingress"] is ${show(ing)}: the run.app URL bypasses the load balancer and Cloud Armor.`,
      );
  },
});

export const sqlNoPublicIp = resourceRule({
  id: "gcp-sql-private",
  description:
    "Cloud SQL has no public IP (ipv4Enabled false, private services access instead) and no authorized network open to the internet.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: the GCP database component (components/gcp/database.ts) uses private services access (network `privateNetwork`). Raw: `settings.ipConfiguration: { ipv4Enabled: false, privateNetwork: network.id }`, and never `authorizedNetworks: [{ value: "0.0.0.0/0" }]`.',
  references: ["CKV_GCP_11", "CKV_GCP_60", "CIS GCP 6.5", "CIS GCP 6.6"],
  types: [SQL],
  check(r, report) {
    const ip = ipConfig(r.props);
    const open = asArray(ip.authorizedNetworks as Obj[])
      .map((n) => String(n.value))
      .filter(isWorld);
    if (open.length) report(`an authorized network allows ${open.join(", ")}.`);
    if (ip.ipv4Enabled !== false)
      report(
        `settings.ipConfiguration.ipv4Enabled is ${show(ip.ipv4Enabled ?? "unset (true)")}: the instance has a public IPv4 address${ip.privateNetwork ? " besides its private IP" : ""}.`,
      );
  },
});

export const bucketUniformAccess = resourceRule({
  id: "gcp-bucket-uniform-access",
  description: "Cloud Storage buckets use uniform bucket-level access and enforce public access prevention.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: the GCP assets bucket component (components/gcp/assetsBucket.ts) sets both. Raw: `uniformBucketLevelAccess: true` and `publicAccessPrevention: "enforced"` on `gcp.storage.Bucket` (a deliberately public asset bucket needs a waiver).',
  references: ["CKV_GCP_29", "CKV_GCP_114", "CIS GCP 5.2"],
  types: ["gcp:storage/bucket:Bucket"],
  check(r, report) {
    if (r.props.uniformBucketLevelAccess !== true) report("uniformBucketLevelAccess is not true.");
    if (r.props.publicAccessPrevention !== "enforced")
      report(`publicAccessPrevention is ${show(r.props.publicAccessPrevention ?? "inherited")}.`);
  },
});

const BACKEND_SERVICE = "gcp:compute/backendService:BackendService";
const REGION_BACKEND_SERVICE = "gcp:compute/regionBackendService:RegionBackendService";
const SECURITY_POLICIES = [
  "gcp:compute/securityPolicy:SecurityPolicy",
  "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy",
];

export const cloudArmor = stackRule({
  id: "gcp-cloud-armor",
  description:
    "Internet-facing backend services (load balancing scheme EXTERNAL or EXTERNAL_MANAGED, including serverless NEG backends) have a Cloud Armor security policy.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "gcp",
  area: "edge",
  remediation:
    "Meridian: the GCP edge component (components/gcp/armor.ts) attaches a Cloud Armor policy (preconfigured WAF rules, per-client rate limit). Raw: `securityPolicy: policy.selfLink` on `gcp.compute.BackendService` (or `gcp.compute.RegionBackendService` with a `gcp.compute.RegionSecurityPolicy`), with a `gcp.compute.SecurityPolicy`.",
  references: [],
  types: [BACKEND_SERVICE, REGION_BACKEND_SERVICE],
  check(r, report, ctx) {
    // Global backend services default to EXTERNAL; regional ones to INTERNAL.
    const scheme = String(
      r.props.loadBalancingScheme ?? (r.type === BACKEND_SERVICE ? "EXTERNAL" : "INTERNAL"),
    );
    if (!scheme.startsWith("EXTERNAL")) return;
    const deps = r.propertyDependencies.securityPolicy ?? [];
    if (!deps.length && !isSet(r.props, "securityPolicy")) {
      report(`loadBalancingScheme ${scheme} with no securityPolicy (Cloud Armor).`);
      return;
    }
    if (referencedAll(r, "securityPolicy", SECURITY_POLICIES, ctx.resources).length) return;
    const ref = peek(r.props, "securityPolicy");
    if (ref === undefined)
      ctx.cannotCheck(
        "the backend service's securityPolicy is unknown and depends on no Cloud Armor policy in this stack, so the attachment cannot be verified.",
      );
    // A policy named by a literal self link or name that is not in this stack exists elsewhere: it is attached.
  },
});

export const gcpExposureRules = [
  firewallNoPublicIngress,
  cloudRunIngress,
  sqlNoPublicIp,
  bucketUniformAccess,
  cloudArmor,
];
