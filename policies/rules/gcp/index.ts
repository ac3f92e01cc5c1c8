/** GCP: TLS, least privilege, data protection, labels, edge. */
import { Res, resourceRule, stackRule, StackRes } from "../../lib/rule";
import { asArray, parseJson, peek, show } from "../../lib/util";

const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const RUN_V2 = "gcp:cloudrunv2/service:Service";
const RUN_V1 = "gcp:cloudrun/service:Service";

function ipConfig(r: Res): Record<string, unknown> {
  const settings = (r.props.settings ?? {}) as Record<string, unknown>;
  return (settings.ipConfiguration ?? {}) as Record<string, unknown>;
}

export const sqlSslMode = resourceRule({
  id: "gcp-sql-ssl-mode",
  description:
    "Cloud SQL accepts only encrypted connections (sslMode ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "tls",
  remediation:
    'Meridian: the GCP database component sets it. Raw: `settings.ipConfiguration.sslMode: "ENCRYPTED_ONLY"`.',
  references: ["CKV_GCP_6", "CIS GCP 6.7"],
  types: [SQL],
  check(r, report) {
    const ip = ipConfig(r);
    const mode = ip.sslMode as string | undefined;
    if (mode !== "ENCRYPTED_ONLY" && mode !== "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" && ip.requireSsl !== true)
      report(
        `settings.ipConfiguration.sslMode is ${show(mode ?? "unset (ALLOW_UNENCRYPTED_AND_ENCRYPTED)")}.`,
      );
  },
});

export const sqlNoPublicIp = resourceRule({
  id: "gcp-sql-private",
  description: "Cloud SQL has no public IP, or no authorized network 0.0.0.0/0.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: the GCP database component uses private services access (network `privateNetwork`). Raw: `settings.ipConfiguration.ipv4Enabled: false` with `privateNetwork`, and never `authorizedNetworks: [{ value: "0.0.0.0/0" }]`.',
  references: ["CKV_GCP_11", "CKV_GCP_60", "CIS GCP 6.5", "CIS GCP 6.6"],
  types: [SQL],
  check(r, report) {
    const ip = ipConfig(r);
    const open = (asArray(ip.authorizedNetworks) as Record<string, unknown>[]).filter((n) =>
      ["0.0.0.0/0", "::/0"].includes(String(n.value)),
    );
    if (open.length) report("an authorized network allows 0.0.0.0/0.");
    else if (ip.ipv4Enabled !== false && !ip.privateNetwork)
      report("the instance has a public IPv4 address and no private network.");
  },
});

export const sqlBackups = resourceRule({
  id: "gcp-sql-backups",
  description: "Cloud SQL has automated backups with point-in-time recovery, and deletion protection.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "gcp",
  area: "resilience",
  remediation:
    "Meridian: prod stacks enable both. Raw: `settings.backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true }` and `deletionProtection: true` (and `settings.deletionProtectionEnabled: true`).",
  references: ["CKV_GCP_14", "CIS GCP 6.7"],
  types: [SQL],
  check(r, report) {
    const settings = (r.props.settings ?? {}) as Record<string, unknown>;
    const b = (settings.backupConfiguration ?? {}) as Record<string, unknown>;
    if (b.enabled !== true) report("settings.backupConfiguration.enabled is not true.");
    else if (b.pointInTimeRecoveryEnabled !== true && !/^MYSQL/.test(String(r.props.databaseVersion)))
      report("point-in-time recovery is off.");
    if (r.props.deletionProtection === false) report("deletionProtection is false.");
  },
});

export const redisTransit = resourceRule({
  id: "gcp-redis-transit-encryption",
  description: "Memorystore for Redis uses in-transit encryption (SERVER_AUTHENTICATION) and AUTH.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "tls",
  remediation:
    'Meridian: the GCP cache component sets both (clients use `rediss://`). Raw: `transitEncryptionMode: "SERVER_AUTHENTICATION"` and `authEnabled: true`.',
  references: ["CKV_GCP_97", "CKV_GCP_95"],
  types: ["gcp:redis/instance:Instance"],
  check(r, report) {
    if (r.props.transitEncryptionMode !== "SERVER_AUTHENTICATION")
      report(`transitEncryptionMode is ${show(r.props.transitEncryptionMode ?? "DISABLED")}.`);
    if (r.props.authEnabled !== true) report("authEnabled is not true.");
  },
});

const HTTPS_PROXY = "gcp:compute/targetHttpsProxy:TargetHttpsProxy";
const HTTP_PROXY = "gcp:compute/targetHttpProxy:TargetHttpProxy";
const SSL_POLICY = "gcp:compute/sSLPolicy:SSLPolicy";
const URL_MAP = "gcp:compute/uRLMap:URLMap";

function referenced(r: StackRes, prop: string, type: string, all: StackRes[]): StackRes | undefined {
  const dep = (r.propertyDependencies[prop] ?? []).find((d) => d.type === type);
  if (dep) return dep;
  const v = peek(r.props, prop);
  if (typeof v !== "string") return undefined;
  return all.find(
    (x) =>
      x.type === type && [peek(x.props, "selfLink"), peek(x.props, "id"), peek(x.props, "name")].includes(v),
  );
}

export const httpsProxySslPolicy = stackRule({
  id: "gcp-https-proxy-ssl-policy",
  description:
    "HTTPS load balancer proxies carry an SSL policy with minimum TLS 1.2 and the MODERN or RESTRICTED profile.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "tls",
  remediation:
    'Meridian: the GCP edge component creates it. Raw: `new gcp.compute.SSLPolicy(name, { minTlsVersion: "TLS_1_2", profile: "MODERN" })` set as the proxy\'s `sslPolicy`. (HTTP proxies: `gcp-http-redirect-only`.)',
  references: ["CKV_GCP_15", "CIS GCP 3.9"],
  types: [HTTPS_PROXY],
  check(r, report, ctx) {
    if (!(r.propertyDependencies.sslPolicy ?? []).length && !r.props.sslPolicy) {
      report("no sslPolicy: Google's default policy accepts TLS 1.0.");
      return;
    }
    const pol = referenced(r, "sslPolicy", SSL_POLICY, ctx.resources);
    if (!pol) return; // an existing policy by self link: not visible here
    if (pol.props.minTlsVersion !== "TLS_1_2" && pol.props.minTlsVersion !== "TLS_1_3")
      report(`SSL policy ${pol.name} has minTlsVersion ${show(pol.props.minTlsVersion ?? "TLS_1_0")}.`);
    if (!["MODERN", "RESTRICTED"].includes(String(pol.props.profile ?? "COMPATIBLE")))
      report(`SSL policy ${pol.name} has profile ${show(pol.props.profile ?? "COMPATIBLE")}.`);
  },
});

const REGION_HTTP_PROXY = "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy";
const REGION_URL_MAP = "gcp:compute/regionUrlMap:RegionUrlMap";
const URL_MAP_TYPES = [URL_MAP, REGION_URL_MAP];

type Obj = Record<string, unknown>;

/** A Compute resource reference without the API prefix: `projects/p/global/urlMaps/m`. */
function computePath(v: unknown): string | undefined {
  if (typeof v !== "string" || !v) return undefined;
  return v.replace(/^https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta|alpha)\//, "");
}

/**
 * The URL maps in the stack a proxy's `urlMap` designates: through the dependency graph first (during a
 * preview the map's self link is unknown), then by the map's `selfLink`, `id` or `name` output.
 */
function urlMapsOf(proxy: StackRes, all: StackRes[]): StackRes[] {
  const deps = (proxy.propertyDependencies.urlMap ?? []).filter((d) => URL_MAP_TYPES.includes(d.type));
  if (deps.length) return deps;
  const ref = computePath(peek(proxy.props, "urlMap"));
  if (!ref) return [];
  const byPath = /^projects\/([^/]+)\/(?:global|regions\/[^/]+)\/urlMaps\/([^/]+)$/.exec(ref);
  return all.filter((x) => {
    if (!URL_MAP_TYPES.includes(x.type)) return false;
    if ([peek(x.props, "selfLink"), peek(x.props, "id")].some((v) => computePath(v) === ref)) return true;
    const name = peek(x.props, "name");
    if (typeof name !== "string") return false;
    if (ref === name) return true;
    const project = peek(x.props, "project");
    return !!byPath && byPath[2] === name && (typeof project !== "string" || project === byPath[1]);
  });
}

/** Whether a property is set; an unknown value counts as set (an unknown backend is still a backend). */
function isSet(o: Obj, key: string): boolean {
  try {
    const v = o[key];
    return v !== undefined && v !== null && v !== "";
  } catch (e) {
    if ((e as Error).constructor?.name === "UnknownValueError") return true;
    throw e;
  }
}

/** What in a URL map serves content or redirects without HTTPS; empty when it only redirects to HTTPS. */
function urlMapProblems(map: StackRes): string[] {
  const out: string[] = [];
  const p = map.props as Obj;
  const redirect = (where: string, r: unknown) => {
    if ((r as Obj).httpsRedirect !== true) out.push(`${where}.httpsRedirect is not true`);
  };
  if (isSet(p, "defaultService") || isSet(p, "defaultRouteAction"))
    out.push("the default route sends traffic to a backend");
  else if (!p.defaultUrlRedirect) out.push("there is no defaultUrlRedirect");
  else redirect("defaultUrlRedirect", p.defaultUrlRedirect);
  asArray(p.pathMatchers as Obj[]).forEach((pm, i) => {
    const at = `pathMatchers[${i}] (${pm.name})`;
    if (isSet(pm, "defaultService") || isSet(pm, "defaultRouteAction"))
      out.push(`${at} sends its default route to a backend`);
    else if (pm.defaultUrlRedirect) redirect(`${at}.defaultUrlRedirect`, pm.defaultUrlRedirect);
    for (const [list, rules] of [
      ["pathRules", pm.pathRules],
      ["routeRules", pm.routeRules],
    ] as const)
      asArray(rules as Obj[]).forEach((rule, j) => {
        if (isSet(rule, "service") || isSet(rule, "routeAction"))
          out.push(`${at}.${list}[${j}] sends traffic to a backend`);
        else if (rule.urlRedirect) redirect(`${at}.${list}[${j}].urlRedirect`, rule.urlRedirect);
      });
  });
  return out;
}

export const httpRedirectOnly = stackRule({
  id: "gcp-http-redirect-only",
  description:
    "HTTP load balancer proxies point at a URL map that only redirects to HTTPS (defaultUrlRedirect.httpsRedirect, no host rules or path matchers routing to backends).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "tls",
  remediation:
    "Meridian: GCP stacks have no load balancer yet; the edge component that adds one pairs its HTTPS proxy with an HTTP proxy whose URL map only redirects. Raw: the `gcp.compute.TargetHttpProxy`'s `urlMap` is a `gcp.compute.URLMap` with only `defaultUrlRedirect: { httpsRedirect: true, stripQuery: false }`: no `defaultService`, `defaultRouteAction`, or `hostRules`/`pathMatchers` with a `service` or `routeAction` (serve content from the HTTPS proxy's URL map instead).",
  references: [],
  types: [HTTP_PROXY, REGION_HTTP_PROXY],
  check(r, report, ctx) {
    const maps = urlMapsOf(r, ctx.resources);
    if (!maps.length) {
      const ref = peek(r.props, "urlMap");
      ctx.cannotCheck(
        ref === undefined
          ? "the HTTP proxy's urlMap is unknown and depends on no URL map in this stack, so the HTTPS redirect cannot be verified."
          : `the HTTP proxy's urlMap ${show(ref)} is not a URL map in this stack, so the HTTPS redirect cannot be verified.`,
      );
      return;
    }
    for (const map of maps) {
      const problems = urlMapProblems(map);
      if (problems.length)
        report(
          `URL map ${map.name} serves plain HTTP instead of only redirecting to HTTPS: ${problems.join("; ")}.`,
        );
    }
  },
});

const FIREWALL = "gcp:compute/firewall:Firewall";

/** A CIDR with prefix length 0 is the whole address space: 0.0.0.0/0, ::/0. */
const isWorld = (cidr: string) => /\/0$/.test(cidr.trim());

/** The firewall rule's `allows` entries (empty for a deny rule). */
const allowsOf = (r: Res) => asArray(r.props.allows as Obj[]);

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
    const allows = allowsOf(r);
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

export const firewallLogging = resourceRule({
  id: "gcp-firewall-logging",
  description: "VPC firewall allow rules log the connections they admit (Firewall Rules Logging).",
  severity: "low",
  enforcement: "advisory",
  cloud: "gcp",
  area: "logging",
  remediation:
    'Meridian: the GCP network component logs both of its rules and routes firewall logs to the network\'s log bucket. Raw: `logConfig: { metadata: "INCLUDE_ALL_METADATA" }` (or `"EXCLUDE_ALL_METADATA"` for smaller entries) on every allow rule.',
  references: [],
  types: [FIREWALL],
  check(r, report) {
    if (!allowsOf(r).length) return;
    if (!r.props.logConfig && r.props.enableLogging !== true)
      report("no logConfig: the connections this allow rule admits are not logged.");
  },
});

/** Every GCP IAM member/binding/policy resource type ends with one of these. */
function isIamType(t: string): boolean {
  return t.startsWith("gcp:") && /:(\w*)IAM(Member|Binding|Policy)$/i.test(t);
}

function iamGrants(r: Res): { role: string; members: string[] }[] {
  const p = r.props;
  if (/IAMMember$/i.test(r.type)) return [{ role: String(p.role ?? ""), members: [String(p.member ?? "")] }];
  if (/IAMBinding$/i.test(r.type))
    return [{ role: String(p.role ?? ""), members: asArray(p.members as string[]).map(String) }];
  const data = (parseJson(p.policyData) ?? {}) as Record<string, unknown>;
  return (asArray(data.bindings) as Record<string, unknown>[]).map((b) => ({
    role: String(b.role),
    members: asArray(b.members as string[]).map(String),
  }));
}

/** IAM types the GCP least-privilege rules inspect (the common ones; any *IAMMember/Binding/Policy matches). */
export const GCP_IAM_TYPES = [
  "gcp:projects/iAMMember:IAMMember",
  "gcp:projects/iAMBinding:IAMBinding",
  "gcp:projects/iAMPolicy:IAMPolicy",
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  "gcp:storage/bucketIAMBinding:BucketIAMBinding",
  "gcp:secretmanager/secretIamMember:SecretIamMember",
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
  "gcp:cloudrun/iamMember:IamMember",
  "gcp:serviceaccount/iAMMember:IAMMember",
  "gcp:organizations/iAMMember:IAMMember",
  "gcp:folder/iAMMember:IAMMember",
];

function iamCheck(fn: (r: Res, report: (m: string) => void) => void) {
  return (r: Res, report: (m: string) => void) => {
    if (!isIamType(r.type) && !GCP_IAM_TYPES.includes(r.type)) return;
    fn(r, report);
  };
}

const BASIC = ["roles/owner", "roles/editor", "roles/viewer"];

export const gcpNoBasicRoles = resourceRule({
  id: "gcp-no-basic-roles",
  description: "No basic role (roles/owner, roles/editor, roles/viewer) is granted anywhere.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    "Meridian: components grant predefined roles on the narrowest resource (e.g. `roles/cloudsql.client`). Raw: replace the basic role with the predefined role(s) the principal needs.",
  references: ["CKV_GCP_117", "CIS GCP 1.5"],
  types: GCP_IAM_TYPES,
  check: iamCheck((r, report) => {
    for (const g of iamGrants(r))
      if (BASIC.includes(g.role)) report(`grants ${g.role} to ${g.members.join(", ")}.`);
  }),
});

export const gcpNoPublicMembers = resourceRule({
  id: "gcp-no-public-members",
  description: "No IAM grant to allUsers or allAuthenticatedUsers (waive it for a public-asset bucket).",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    "Meridian: public traffic goes through the load balancer/CDN, never direct IAM. Raw: remove `allUsers`/`allAuthenticatedUsers`; for a deliberately public asset bucket add a waiver in policies/config/<stack>.json with reason and expiry.",
  references: ["CKV_GCP_28", "CIS GCP 5.1"],
  types: GCP_IAM_TYPES,
  check: iamCheck((r, report) => {
    for (const g of iamGrants(r)) {
      const pub = g.members.filter((m) => m === "allUsers" || m === "allAuthenticatedUsers");
      if (pub.length) report(`grants ${g.role} to ${pub.join(", ")}.`);
    }
  }),
});

export const gcpSecretAccessPerSecret = resourceRule({
  id: "gcp-secret-access-per-secret",
  description: "Secret Manager access (secretAccessor) is granted per secret, not on the project.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    "Meridian: the service component grants `roles/secretmanager.secretAccessor` on each secret it mounts. Raw: use `gcp.secretmanager.SecretIamMember` on the secret instead of a project-level grant.",
  references: [],
  types: [
    "gcp:projects/iAMMember:IAMMember",
    "gcp:projects/iAMBinding:IAMBinding",
    "gcp:projects/iAMPolicy:IAMPolicy",
  ],
  check(r, report) {
    for (const g of iamGrants(r))
      if (/^roles\/secretmanager\.(secretAccessor|admin)$/.test(g.role))
        report(`grants ${g.role} on the whole project to ${g.members.join(", ")}.`);
  },
});

const DEFAULT_SA = /-compute@developer\.gserviceaccount\.com$|@appspot\.gserviceaccount\.com$/;

export const gcpDedicatedServiceAccount = resourceRule({
  id: "gcp-dedicated-service-account",
  description:
    "Cloud Run services and VMs run as a dedicated service account, not the default compute account.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: the GCP service component creates one service account per workload. Raw: Cloud Run `template.serviceAccount: sa.email`; VMs `serviceAccount: { email: sa.email, scopes: ["cloud-platform"] }`.',
  references: ["CKV_GCP_30", "CIS GCP 4.1"],
  types: [RUN_V2, RUN_V1, "gcp:compute/instance:Instance", "gcp:compute/instanceTemplate:InstanceTemplate"],
  check(r, report) {
    let email: unknown;
    if (r.type === RUN_V2) email = (r.props.template as Record<string, unknown> | undefined)?.serviceAccount;
    else if (r.type === RUN_V1)
      email = (
        (r.props.template as Record<string, unknown> | undefined)?.spec as Record<string, unknown> | undefined
      )?.serviceAccountName;
    else email = (r.props.serviceAccount as Record<string, unknown> | undefined)?.email;
    if (!email) report("no service account set: the default compute service account (Editor) is used.");
    else if (DEFAULT_SA.test(String(email))) report(`runs as the default service account ${email}.`);
  },
});

export const cloudRunIngress = resourceRule({
  id: "gcp-cloud-run-ingress",
  description: "Cloud Run services accept traffic only from the load balancer (or internal).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: the GCP service component sets it when the load balancer fronts the service. Raw: `ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"` (v2) / annotation `run.googleapis.com/ingress: internal-and-cloud-load-balancing` (v1).',
  references: ["CKV_GCP_102"],
  types: [RUN_V2, RUN_V1],
  check(r, report) {
    if (r.type === RUN_V2) {
      const ing = String(r.props.ingress ?? "INGRESS_TRAFFIC_ALL");
      if (ing === "INGRESS_TRAFFIC_ALL")
        report("ingress is INGRESS_TRAFFIC_ALL: the run.app URL bypasses the load balancer and Cloud Armor.");
    } else {
      const ann = ((r.props.metadata as Record<string, unknown> | undefined)?.annotations ?? {}) as Record<
        string,
        string
      >;
      const ing = ann["run.googleapis.com/ingress"] ?? "all";
      if (ing === "all") report("run.googleapis.com/ingress is all.");
    }
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
    'Raw: `uniformBucketLevelAccess: true` and `publicAccessPrevention: "enforced"` (a deliberately public asset bucket needs a waiver).',
  references: ["CKV_GCP_29", "CKV_GCP_114", "CIS GCP 5.2"],
  types: ["gcp:storage/bucket:Bucket"],
  check(r, report) {
    if (r.props.uniformBucketLevelAccess !== true) report("uniformBucketLevelAccess is not true.");
    if (r.props.publicAccessPrevention !== "enforced")
      report(`publicAccessPrevention is ${show(r.props.publicAccessPrevention ?? "inherited")}.`);
  },
});

/** GCP resource types that take `labels` (or `userLabels` for Cloud SQL). */
export const LABELLED = [
  "gcp:storage/bucket:Bucket",
  RUN_V2,
  "gcp:redis/instance:Instance",
  "gcp:compute/instance:Instance",
  "gcp:secretmanager/secret:Secret",
  "gcp:compute/globalAddress:GlobalAddress",
  "gcp:compute/forwardingRule:ForwardingRule",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  "gcp:artifactregistry/repository:Repository",
  SQL,
];

const STANDARD_LABELS = ["app", "environment", "owner", "cost-center", "managed-by"];

export const gcpRequiredLabels = resourceRule<{ requiredLabels: string[] }>({
  id: "gcp-required-labels",
  description:
    "Labelled GCP resources carry the standard labels (app, environment, owner, cost-center, managed-by).",
  severity: "low",
  enforcement: "advisory",
  cloud: "gcp",
  area: "tagging",
  remediation:
    "Meridian: components apply `gcpLabels()` from components/shared/tags.ts. Raw: add the missing keys to `labels` (Cloud SQL: `settings.userLabels`).",
  references: [],
  types: LABELLED,
  config: {
    requiredLabels: {
      type: "array",
      items: { type: "string" },
      default: STANDARD_LABELS,
      description: "Label keys every labelled resource must carry.",
    },
  },
  check(r, report, ctx) {
    const labels = (
      r.type === SQL ? ((r.props.settings ?? {}) as Record<string, unknown>).userLabels : r.props.labels
    ) as Record<string, unknown> | undefined;
    const keys = new Set(Object.keys(labels ?? {}));
    const missing = (ctx.config.requiredLabels ?? STANDARD_LABELS).filter((k) => !keys.has(k));
    if (missing.length) report(`missing label(s): ${missing.join(", ")}.`);
  },
});

export const gcpLogRetention = resourceRule<{ minDays: number }>({
  id: "gcp-log-retention",
  description: "Cloud Logging buckets keep logs at least 30 days.",
  severity: "low",
  enforcement: "advisory",
  cloud: "gcp",
  area: "logging",
  remediation:
    "Meridian: the GCP network/observability components take the retention from the profile. Raw: `retentionDays` >= 30 on `gcp.logging.ProjectBucketConfig`.",
  references: [],
  types: ["gcp:logging/projectBucketConfig:ProjectBucketConfig"],
  config: { minDays: { type: "integer", default: 30, description: "Minimum retention (days)." } },
  check(r, report, ctx) {
    const min = ctx.config.minDays ?? 30;
    const days = Number(r.props.retentionDays ?? 30);
    if (days < min) report(`retentionDays is ${days}; at least ${min} required.`);
  },
});

export const cloudArmor = resourceRule({
  id: "gcp-cloud-armor",
  description: "External load-balanced backend services have a Cloud Armor security policy.",
  severity: "medium",
  enforcement: "advisory",
  cloud: "gcp",
  area: "edge",
  remediation:
    "Meridian: the GCP edge component attaches a Cloud Armor policy. Raw: `securityPolicy: policy.selfLink` on `gcp.compute.BackendService`.",
  references: [],
  types: ["gcp:compute/backendService:BackendService"],
  check(r, report) {
    const scheme = String(r.props.loadBalancingScheme ?? "EXTERNAL");
    if (scheme.startsWith("EXTERNAL") && !r.props.securityPolicy) report("no securityPolicy (Cloud Armor).");
  },
});

export const gcpRules = [
  sqlSslMode,
  sqlNoPublicIp,
  sqlBackups,
  redisTransit,
  httpsProxySslPolicy,
  httpRedirectOnly,
  gcpNoBasicRoles,
  gcpNoPublicMembers,
  gcpSecretAccessPerSecret,
  gcpDedicatedServiceAccount,
  cloudRunIngress,
  bucketUniformAccess,
  firewallNoPublicIngress,
  gcpRequiredLabels,
  gcpLogRetention,
  firewallLogging,
  cloudArmor,
];
