/** TLS in transit on GCP: load balancer proxies (SSL policy, HTTP redirect), Cloud SQL, Memorystore. */
import { resourceRule, StackRes, stackRule } from "../../lib/rule";
import { asArray, peek, show } from "../../lib/util";
import { computePath, isSet, Obj, referencedAll } from "./refs";

export const SQL = "gcp:sql/databaseInstance:DatabaseInstance";

/** `settings.ipConfiguration` of a Cloud SQL instance (empty when unset). */
export function ipConfig(props: Obj): Obj {
  const settings = (props.settings ?? {}) as Obj;
  return (settings.ipConfiguration ?? {}) as Obj;
}

const SQL_ENCRYPTED = ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"];

export const sqlSslMode = resourceRule({
  id: "gcp-sql-ssl-mode",
  description:
    "Cloud SQL accepts only encrypted connections (sslMode ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "tls",
  remediation:
    'Meridian: the GCP database component (components/gcp/database.ts) sets it. Raw: `settings.ipConfiguration.sslMode: "ENCRYPTED_ONLY"` (older providers: `requireSsl: true`, which maps to TRUSTED_CLIENT_CERTIFICATE_REQUIRED; `sslMode` wins when both are set).',
  references: ["CKV_GCP_6", "CIS GCP 6.7"],
  types: [SQL],
  check(r, report) {
    const ip = ipConfig(r.props);
    const mode = ip.sslMode as string | undefined;
    if (mode !== undefined && mode !== null) {
      if (!SQL_ENCRYPTED.includes(mode)) report(`settings.ipConfiguration.sslMode is ${show(mode)}.`);
      return;
    }
    if (ip.requireSsl !== true)
      report("settings.ipConfiguration.sslMode is unset (ALLOW_UNENCRYPTED_AND_ENCRYPTED).");
  },
});

export const REDIS = "gcp:redis/instance:Instance";
export const REDIS_CLUSTER = "gcp:redis/cluster:Cluster";
export const VALKEY = "gcp:memorystore/instance:Instance";

/** The transit encryption value that means "TLS with server authentication", per Memorystore kind. */
const TRANSIT_OK: Record<string, [string, string]> = {
  [REDIS]: ["SERVER_AUTHENTICATION", "DISABLED"],
  [REDIS_CLUSTER]: ["TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION", "TRANSIT_ENCRYPTION_MODE_DISABLED"],
  [VALKEY]: ["SERVER_AUTHENTICATION", "TRANSIT_ENCRYPTION_DISABLED"],
};

export const redisTransit = resourceRule({
  id: "gcp-redis-transit-encryption",
  description:
    "Memorystore (Redis instance, Redis Cluster, Valkey) encrypts traffic in transit with server authentication.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "tls",
  remediation:
    'Meridian: the GCP cache component (components/gcp/cache.ts) sets it (clients use `rediss://` with the instance\'s server CA). Raw: `transitEncryptionMode: "SERVER_AUTHENTICATION"` (redis.Instance, memorystore.Instance) or `"TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION"` (redis.Cluster); it is immutable, so set it at creation. AUTH is `gcp-redis-auth`.',
  references: ["CKV_GCP_97"],
  types: [REDIS, REDIS_CLUSTER, VALKEY],
  check(r, report) {
    const [ok, off] = TRANSIT_OK[r.type];
    const mode = r.props.transitEncryptionMode;
    if (mode !== ok) report(`transitEncryptionMode is ${show(mode ?? `unset (${off})`)}; use ${ok}.`);
  },
});

const HTTPS_PROXY = "gcp:compute/targetHttpsProxy:TargetHttpsProxy";
const REGION_HTTPS_PROXY = "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy";
const SSL_PROXY = "gcp:compute/targetSSLProxy:TargetSSLProxy";
const SSL_POLICIES = ["gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/regionSslPolicy:RegionSslPolicy"];

/** What is wrong with an SSL policy's minimum version and profile (the API defaults: TLS_1_0, COMPATIBLE). */
export function sslPolicyProblems(props: Obj): string[] {
  const out: string[] = [];
  const min = props.minTlsVersion ?? "TLS_1_0";
  const profile = props.profile ?? "COMPATIBLE";
  if (min !== "TLS_1_2" && min !== "TLS_1_3") out.push(`minTlsVersion ${show(min)}`);
  if (profile !== "MODERN" && profile !== "RESTRICTED") out.push(`profile ${show(profile)}`);
  return out;
}

export const httpsProxySslPolicy = stackRule({
  id: "gcp-https-proxy-ssl-policy",
  description:
    "HTTPS and SSL load balancer proxies carry an SSL policy with minimum TLS 1.2 and the MODERN or RESTRICTED profile.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "tls",
  remediation:
    'Meridian: the GCP edge component (components/gcp/loadBalancer.ts) creates it. Raw: `new gcp.compute.SSLPolicy(name, { minTlsVersion: "TLS_1_2", profile: "MODERN" })` (or `"RESTRICTED"`; regional proxies: `gcp.compute.RegionSslPolicy`) set as the proxy\'s `sslPolicy`. (HTTP proxies: `gcp-http-redirect-only`.)',
  references: ["CKV_GCP_15", "CIS GCP 3.9"],
  types: [HTTPS_PROXY, REGION_HTTPS_PROXY, SSL_PROXY],
  check(r, report, ctx) {
    const deps = r.propertyDependencies.sslPolicy ?? [];
    if (!deps.length && !isSet(r.props, "sslPolicy")) {
      report("no sslPolicy: Google's default policy (COMPATIBLE) accepts TLS 1.0.");
      return;
    }
    const pols = referencedAll(r, "sslPolicy", SSL_POLICIES, ctx.resources);
    if (!pols.length) {
      const ref = peek(r.props, "sslPolicy");
      ctx.cannotCheck(
        ref === undefined
          ? "the proxy's sslPolicy is unknown and depends on no SSL policy in this stack, so its TLS version and profile cannot be verified."
          : `the proxy's sslPolicy ${show(ref)} is not an SSL policy in this stack, so its TLS version and profile cannot be verified.`,
      );
      return;
    }
    for (const pol of pols) {
      const problems = sslPolicyProblems(pol.props);
      if (problems.length) report(`SSL policy ${pol.name} has ${problems.join(" and ")}.`);
    }
  },
});

const HTTP_PROXY = "gcp:compute/targetHttpProxy:TargetHttpProxy";
const REGION_HTTP_PROXY = "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy";
const URL_MAP = "gcp:compute/uRLMap:URLMap";
const REGION_URL_MAP = "gcp:compute/regionUrlMap:RegionUrlMap";
const URL_MAP_TYPES = [URL_MAP, REGION_URL_MAP];

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

/** What in a URL map serves content or redirects without HTTPS; empty when it only redirects to HTTPS. */
export function urlMapProblems(p: Obj): string[] {
  const out: string[] = [];
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
    "Meridian: the GCP edge component (components/gcp/loadBalancer.ts) pairs its HTTPS proxy with an HTTP proxy whose URL map only redirects. Raw: the `gcp.compute.TargetHttpProxy`'s `urlMap` is a `gcp.compute.URLMap` with only `defaultUrlRedirect: { httpsRedirect: true, stripQuery: false }`: no `defaultService`, `defaultRouteAction`, or `hostRules`/`pathMatchers` with a `service` or `routeAction` (serve content from the HTTPS proxy's URL map instead).",
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
      const problems = urlMapProblems(map.props);
      if (problems.length)
        report(
          `URL map ${map.name} serves plain HTTP instead of only redirecting to HTTPS: ${problems.join("; ")}.`,
        );
    }
  },
});

export const gcpTlsRules = [sqlSslMode, redisTransit, httpsProxySslPolicy, httpRedirectOnly];
