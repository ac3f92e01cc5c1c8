/**
 * The args of the GCP edge (components/gcp/loadBalancer.ts), their defaults and validation. Pure: no
 * resources, so the stack's config checks and tests can call {@link resolveLoadBalancerArgs} directly.
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { Transform } from "../shared/transform";
import { bool, oneOf, show } from "../shared/validate";
import { validateLabels } from "../shared/tags";
import {
  CdnSettings,
  DEFAULT_API_PATHS,
  DEV_HOST_SUFFIXES,
  DevHostSuffix,
  resolveCdn,
  SSL_PROFILES,
  SslProfile,
  validateApiPaths,
  validateDomain,
} from "./urlMap";

export interface LoadBalancerTransforms {
  address?: Transform<gcp.compute.GlobalAddressArgs>;
  certificate?: Transform<gcp.compute.ManagedSslCertificateArgs>;
  sslPolicy?: Transform<gcp.compute.SSLPolicyArgs>;
  neg?: Transform<gcp.compute.RegionNetworkEndpointGroupArgs>;
  backendService?: Transform<gcp.compute.BackendServiceArgs>;
  backendBucket?: Transform<gcp.compute.BackendBucketArgs>;
  /** Both URL maps (HTTPS routing and the HTTP redirect); the function form receives the logical name. */
  urlMap?: Transform<gcp.compute.URLMapArgs>;
  httpsProxy?: Transform<gcp.compute.TargetHttpsProxyArgs>;
  httpProxy?: Transform<gcp.compute.TargetHttpProxyArgs>;
  /** Both forwarding rules (443 and 80). */
  forwardingRule?: Transform<gcp.compute.GlobalForwardingRuleArgs>;
  /** The backend bucket's signed URL key. */
  signedUrlKey?: Transform<gcp.compute.BackendBucketSignedUrlKeyArgs>;
  /** The Cloud CDN fill agent's read grant on the assets bucket. */
  cdnReader?: Transform<gcp.storage.BucketIAMMemberArgs>;
  service?: Transform<gcp.projects.ServiceArgs>;
}

export interface LoadBalancerArgs {
  project: pulumi.Input<string>;
  /** Region of the Cloud Run service (the serverless NEG is regional). @example "europe-west1" */
  region: string;
  /** Name of the Cloud Run service (`meridian-prod-api`), the serverless NEG's target. */
  cloudRunService: pulumi.Input<string>;
  /** Self link of the Cloud Armor policy (`Armor.policySelfLink`) attached to the API's backend service. */
  securityPolicy: pulumi.Input<string>;
  /** Name of the assets bucket (`AssetsBucket.bucketName`) served for every path that is not the API. */
  assetsBucketName: pulumi.Input<string>;
  /**
   * Give the backend bucket a signed URL key (a random 128-bit key, kept secret; usable for signed URLs) and
   * then grant the Cloud CDN fill agent `roles/storage.objectViewer` on the assets bucket. Google creates that
   * agent when a project's first signing key is added, so the grant only works after it (`./cdnFill`). Set
   * false when the bucket is readable by the agent already (e.g. `AssetsBucket` with `cdnReadAccess: true`
   * in a project that has the agent). Free.
   * @default true
   */
  grantBucketRead?: boolean;
  /**
   * The assets bucket's physical name as the posture names it (`AssetsBucket.settings.bucketName`).
   * @default assetsBucketName when it is a string, else "assets bucket"
   */
  assetsBucketLabel?: string;
  /**
   * The public host name (`app.example.com`): the certificate covers it and `dnsRecords` lists the A record to
   * create. Without it the host is `<ip-with-dashes>.<devHostSuffix>`.
   * Cost: Google-managed certificates are free.
   * @default none (dev host)
   */
  domain?: string;
  /** Wildcard-DNS suffix for the dev host when no domain is set: `"sslip.io"` or `"nip.io"`. @default "sslip.io" */
  devHostSuffix?: DevHostSuffix;
  /** Path prefixes routed to Cloud Run (uncached). @default ["/api/*", "/health/*"] */
  apiPaths?: string[];
  /**
   * SSL policy profile, both with minimum TLS 1.2: `"MODERN"` (broad client support) or `"RESTRICTED"`
   * (only strong AEAD ciphers; drops some older clients). Free.
   * @default "MODERN"
   */
  sslProfile?: SslProfile;
  /**
   * Fraction of API requests logged by the load balancer (0 < x <= 1).
   * Cost: Cloud Logging ingestion $0.50/GiB after 50 GiB/month (cloud.google.com/stackdriver/pricing, 2026-11).
   * @default 1.0
   */
  logSampleRate?: number;
  /**
   * Cloud CDN on the assets backend bucket: cache mode, TTLs, serve-while-stale, negative caching.
   * Cost: cache egress $0.02-0.08/GiB by region + $0.0075 per 10,000 lookups (cloud.google.com/cdn/pricing, 2026-11).
   * @default { cacheMode: "CACHE_ALL_STATIC", defaultTtl: 3600, maxTtl: 86400, clientTtl: 3600, serveWhileStale: 86400, negativeCaching: 404/410 for 60 s }
   */
  cdn?: Partial<CdnSettings>;
  /** Enable compute.googleapis.com. @default true */
  enableApis?: boolean;
  /** Labels for the resources that take them (the address and the forwarding rules). @default {} */
  labels?: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: LoadBalancerTransforms;
}

export interface LoadBalancerSettings {
  region: string;
  domain?: string;
  devHostSuffix: DevHostSuffix;
  apiPaths: string[];
  sslProfile: SslProfile;
  logSampleRate: number;
  cdn: CdnSettings;
  enableApis: boolean;
  grantBucketRead: boolean;
  labels: Record<string, string>;
}

/** Validates every arg and applies defaults; errors name the arg, the value and what is allowed. */
export function resolveLoadBalancerArgs(args: LoadBalancerArgs): LoadBalancerSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  for (const key of ["project", "cloudRunService", "securityPolicy", "assetsBucketName"] as const) {
    if (args[key] === undefined || args[key] === null || args[key] === "") {
      throw new Error(
        `${key} is ${show(args[key])}; it is required (the edge never serves the API without Cloud Armor)`,
      );
    }
  }
  if (typeof args.region !== "string" || !/^[a-z]+(?:-[a-z]+)+\d+$/.test(args.region)) {
    throw new Error(`region is ${show(args.region)}; allowed: a GCP region name, e.g. "us-central1"`);
  }
  const logSampleRate = args.logSampleRate ?? 1;
  if (typeof logSampleRate !== "number" || !(logSampleRate > 0 && logSampleRate <= 1)) {
    throw new Error(
      `logSampleRate is ${show(logSampleRate)}; allowed: a number greater than 0 and at most 1`,
    );
  }
  const cdn = resolveCdn(args.cdn);
  return {
    region: args.region,
    domain: validateDomain(args.domain),
    devHostSuffix: oneOf("devHostSuffix", args.devHostSuffix ?? "sslip.io", DEV_HOST_SUFFIXES),
    apiPaths: validateApiPaths(args.apiPaths ?? [...DEFAULT_API_PATHS]),
    sslProfile: oneOf("sslProfile", args.sslProfile ?? "MODERN", SSL_PROFILES),
    logSampleRate,
    cdn,
    enableApis: bool("enableApis", args.enableApis ?? true),
    grantBucketRead: bool("grantBucketRead", args.grantBucketRead ?? true),
    labels: validateLabels(args.labels),
  };
}
