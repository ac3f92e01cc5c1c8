/**
 * Pure routing and naming logic of the GCP edge (components/gcp/loadBalancer.ts): which paths go to the
 * API, the URL map's path rules and built-in tests, the Cloud CDN policy of the assets backend bucket, the
 * dev host name derived from the reserved IP, and validation of the edge's args. No Pulumi resources here,
 * so everything tests without mocks (urlMap.test.ts).
 */
import { show } from "../shared/validate";

/** Path patterns routed to the Cloud Run service (the workload contract's API and health endpoints). */
export const DEFAULT_API_PATHS = ["/api/*", "/health/*"] as const;

/**
 * Public wildcard-DNS service used for dev without a domain: `<a-b-c-d>.sslip.io` resolves to `a.b.c.d`.
 * `nip.io` behaves the same; both are third parties (see docs/components/gcp-load-balancer.md).
 */
export const DEV_HOST_SUFFIXES = ["sslip.io", "nip.io"] as const;
export type DevHostSuffix = (typeof DEV_HOST_SUFFIXES)[number];

/** Cloud CDN cache modes Meridian accepts for the assets bucket (FORCE_CACHE_ALL is refused). */
export const CDN_CACHE_MODES = ["CACHE_ALL_STATIC", "USE_ORIGIN_HEADERS"] as const;
export type CdnCacheMode = (typeof CDN_CACHE_MODES)[number];

/** SSL policy profiles: MODERN (TLS 1.2+ with modern ciphers) or RESTRICTED (stricter cipher list, PCI-style). */
export const SSL_PROFILES = ["MODERN", "RESTRICTED"] as const;
export type SslProfile = (typeof SSL_PROFILES)[number];

/** The minimum TLS version the SSL policy enforces (TLS 1.0/1.1 are never allowed). */
export const MIN_TLS_VERSIONS = ["TLS_1_2"] as const;

/** Host names Google-managed certificates accept: lowercase FQDN, no wildcard, at most 253 characters. */
const FQDN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Validates `domain`: a lowercase fully qualified host name (Google-managed certificates take no wildcards). */
export function validateDomain(domain: unknown): string | undefined {
  if (domain === undefined) return undefined;
  if (typeof domain !== "string" || !FQDN.test(domain)) {
    throw new Error(
      `domain is ${show(domain)}; allowed: a lowercase fully qualified host name such as "app.example.com" ` +
        `(no wildcard, no scheme, no trailing dot: Google-managed certificates cover exact names)`,
    );
  }
  return domain;
}

/** Validates the API path patterns: non-empty, each `/segment/*` (never `/*`, which would take the assets). */
export function validateApiPaths(paths: unknown): string[] {
  if (!Array.isArray(paths) || paths.length === 0) {
    throw new Error(
      `apiPaths is ${show(paths)}; allowed: a non-empty list of path patterns such as "/api/*"`,
    );
  }
  for (const p of paths) {
    if (typeof p !== "string" || !/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*\/\*$/.test(p)) {
      throw new Error(
        `apiPaths contains ${show(p)}; allowed: prefixes ending in "/*" below "/", such as "/api/*" (not "/*")`,
      );
    }
  }
  if (new Set(paths).size !== paths.length) throw new Error(`apiPaths ${show(paths)} has duplicates`);
  return [...(paths as string[])];
}

/**
 * The URL map path list for the API: each prefix pattern plus its bare form (`/api/*` does not match `/api`
 * in a GCP URL map, and `/api` must not fall through to the bucket).
 */
export function apiPathList(apiPaths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of apiPaths) out.push(p.slice(0, -2), p);
  return out;
}

/**
 * The dev host name for a reserved IPv4 address: `203.0.113.7` -> `203-0-113-7.sslip.io`. The dashed form
 * keeps the name a single DNS label under the suffix, which certificate authorities handle like any host.
 */
export function devHost(ip: string, suffix: DevHostSuffix = "sslip.io"): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) {
    throw new Error(`devHost: ${show(ip)} is not an IPv4 address; the reserved global address must be IPv4`);
  }
  return `${m.slice(1).join("-")}.${suffix}`;
}

/** Cloud CDN settings of the assets backend bucket (validated, with defaults). */
export interface CdnSettings {
  cacheMode: CdnCacheMode;
  /** Seconds a response without caching headers is kept at the edge (CACHE_ALL_STATIC). */
  defaultTtl: number;
  /** Upper bound for any response's TTL at the edge. */
  maxTtl: number;
  /** Upper bound for the TTL the browser is told. */
  clientTtl: number;
  /** Seconds a stale object may still be served while it is revalidated or the origin errors. */
  serveWhileStale: number;
  /** Negative caching TTLs, seconds, by status code. */
  negativeCaching: { code: number; ttl: number }[];
}

export const CDN_DEFAULTS: CdnSettings = {
  cacheMode: "CACHE_ALL_STATIC",
  defaultTtl: 3600,
  maxTtl: 86400,
  clientTtl: 3600,
  serveWhileStale: 86400,
  // Short: a missing object that is uploaded a minute later must appear soon; 404 storms still hit the edge.
  negativeCaching: [
    { code: 404, ttl: 60 },
    { code: 410, ttl: 60 },
  ],
};

/** Status codes Cloud CDN accepts in a negative caching policy. */
export const NEGATIVE_CACHE_CODES = [300, 301, 302, 307, 308, 404, 405, 410, 421, 451, 501] as const;

/** Validates CDN options and applies defaults. TTLs are seconds, max one year (Cloud CDN's limit). */
export function resolveCdn(cdn: Partial<CdnSettings> = {}): CdnSettings {
  if (cdn === null || typeof cdn !== "object") throw new Error(`cdn is ${show(cdn)}; allowed: an object`);
  const d = CDN_DEFAULTS;
  const year = 31_536_000;
  const ttl = (key: "defaultTtl" | "maxTtl" | "clientTtl" | "serveWhileStale"): number => {
    const v = cdn[key] ?? d[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > year) {
      throw new Error(`cdn.${key} is ${show(v)}; allowed: an integer number of seconds from 0 to ${year}`);
    }
    return v;
  };
  const cacheMode = cdn.cacheMode ?? d.cacheMode;
  if (!(CDN_CACHE_MODES as readonly string[]).includes(cacheMode)) {
    throw new Error(
      `cdn.cacheMode is ${show(cacheMode)}; allowed: ${CDN_CACHE_MODES.map(show).join(", ")} ` +
        `(FORCE_CACHE_ALL would cache responses marked private)`,
    );
  }
  const s: CdnSettings = {
    cacheMode,
    defaultTtl: ttl("defaultTtl"),
    maxTtl: ttl("maxTtl"),
    clientTtl: ttl("clientTtl"),
    serveWhileStale: ttl("serveWhileStale"),
    negativeCaching: cdn.negativeCaching ?? d.negativeCaching,
  };
  if (s.defaultTtl > s.maxTtl || s.clientTtl > s.maxTtl) {
    throw new Error(
      `cdn.defaultTtl (${s.defaultTtl}) and cdn.clientTtl (${s.clientTtl}) must not exceed cdn.maxTtl (${s.maxTtl})`,
    );
  }
  if (!Array.isArray(s.negativeCaching)) {
    throw new Error(`cdn.negativeCaching is ${show(s.negativeCaching)}; allowed: a list of { code, ttl }`);
  }
  for (const n of s.negativeCaching) {
    if (!(NEGATIVE_CACHE_CODES as readonly number[]).includes(n?.code)) {
      throw new Error(
        `cdn.negativeCaching code is ${show(n?.code)}; allowed: ${NEGATIVE_CACHE_CODES.join(", ")}`,
      );
    }
    if (!Number.isInteger(n.ttl) || n.ttl < 0 || n.ttl > 1800) {
      throw new Error(
        `cdn.negativeCaching ttl for ${n.code} is ${show(n.ttl)}; allowed: 0 to 1800 seconds (Cloud CDN's limit)`,
      );
    }
  }
  return { ...s, negativeCaching: s.negativeCaching.map((n) => ({ ...n })) };
}

/** The backend bucket's `cdnPolicy` (shape of `gcp.types.input.compute.BackendBucketCdnPolicy`). */
export function backendBucketCdnPolicy(s: CdnSettings) {
  return {
    cacheMode: s.cacheMode,
    // TTL fields only apply to CACHE_ALL_STATIC; with USE_ORIGIN_HEADERS the origin's headers decide.
    ...(s.cacheMode === "CACHE_ALL_STATIC"
      ? { defaultTtl: s.defaultTtl, maxTtl: s.maxTtl, clientTtl: s.clientTtl }
      : {}),
    serveWhileStale: s.serveWhileStale,
    negativeCaching: true,
    negativeCachingPolicies: s.negativeCaching.map((n) => ({ code: n.code, ttl: n.ttl })),
    requestCoalescing: true,
  };
}

/** The TLS description used in the posture, e.g. `TLS1.2+ (MODERN)`. */
export function tlsLabel(profile: SslProfile): string {
  return `TLS1.2+ (${profile})`;
}
