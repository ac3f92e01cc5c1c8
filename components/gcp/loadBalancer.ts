/**
 * Meridian's edge on GCP: a global external Application Load Balancer (`EXTERNAL_MANAGED`) on one reserved
 * IPv4 address. HTTPS on 443 with a Google-managed certificate and an SSL policy (MODERN or RESTRICTED,
 * TLS 1.2+); `/api/*` and `/health/*` go to the Cloud Run service through a serverless NEG and a backend
 * service protected by Cloud Armor (CDN off, request logging on); everything else goes to the assets bucket
 * through a backend bucket with Cloud CDN. Port 80 on the same IP only answers 301 to HTTPS.
 *
 * Without a domain (dev) the host is `<ip-with-dashes>.sslip.io`, a public DNS name that resolves to the
 * reserved IP, so the Google-managed certificate can be issued and clients get a trusted certificate (the
 * alternatives are weighed in docs/components/gcp-load-balancer.md). Routing and CDN logic is pure, in
 * ./urlMap.ts.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName, shortHash } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { enableServices } from "./apis";
import { grantCdnFillRead } from "./cdnFill";
import type { IamGrant } from "./iam";
import { LoadBalancerArgs, LoadBalancerSettings, resolveLoadBalancerArgs } from "./loadBalancerArgs";
import { apiPathList, backendBucketCdnPolicy, devHost, tlsLabel } from "./urlMap";

export * from "./loadBalancerArgs";

/** HSTS on every HTTPS response: two years, as on AWS (CloudFront response headers policy). */
export const HSTS_HEADER = "Strict-Transport-Security: max-age=63072000; includeSubDomains";

/** A DNS record the operator creates (the A record of the domain). */
export interface DnsRecord {
  type: "A";
  name: string;
  value: pulumi.Output<string>;
}

/** The edge's share of the auditors' posture. */
export interface LoadBalancerPosture {
  publicEndpoints: Posture["publicEndpoints"];
  edge: NonNullable<Posture["edge"]>;
}

/**
 * The global external Application Load Balancer in front of Cloud Run and the assets bucket.
 *
 * @example
 * const edge = new LoadBalancer("meridian-prod-edge", {
 *   project, region, cloudRunService: service.serviceName, securityPolicy: armor.policySelfLink,
 *   assetsBucketName: assets.bucketName, domain: "app.example.com", labels,
 * });
 *
 * ## Cost (list prices, cloud.google.com/vpc/network-pricing#lb and /cdn/pricing, 2026-11)
 * Forwarding rules: $0.025/hour for the first 5 (2 here: 443 and 80) ≈ $18/month; data processed
 * $0.008-0.012/GiB; the reserved IP is free while in use; managed certificates and SSL policies are free;
 * Cloud CDN as in `cdn`. A quiet dev edge ≈ $20/month.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  /** `https://<host>`: the API and the assets share it (apiUrl and cdnUrl of the contract). */
  public readonly url: pulumi.Output<string>;
  public readonly host: pulumi.Output<string>;
  public readonly ipAddress: pulumi.Output<string>;
  public readonly backendServiceName: pulumi.Output<string>;
  public readonly backendBucketName: pulumi.Output<string>;
  public readonly urlMapName: pulumi.Output<string>;
  public readonly certificateName: pulumi.Output<string>;
  /** The A record to create at the DNS provider when `domain` is set (empty for the dev host). */
  public readonly dnsRecords: DnsRecord[];
  public readonly posture: LoadBalancerPosture;
  /** The load balancer creates no IAM bindings. */
  /** The Cloud CDN fill agent's read grant on the assets bucket (with `grantBucketRead`). */
  public readonly grants: IamGrant[];
  public readonly settings: LoadBalancerSettings;

  constructor(name: string, args: LoadBalancerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("LoadBalancer", name, () => resolveLoadBalancerArgs(args));
    super("meridian:gcp:LoadBalancer", name, {}, opts);
    this.settings = s;
    const t = args.transform ?? {};
    const project = args.project;
    const phys = (suffix: string) => physicalName("gcp:resource", name, suffix);
    const apis = s.enableApis
      ? enableServices(name, project, ["compute.googleapis.com"], { parent: this }, t.service)
      : [];
    const o = (): pulumi.CustomResourceOptions => ({ parent: this, dependsOn: apis });

    const ip = new gcp.compute.GlobalAddress(
      ...applyTransform(
        t.address,
        `${name}-ip`,
        {
          project,
          name: phys("ip"),
          addressType: "EXTERNAL",
          ipVersion: "IPV4",
          description: asciiDescription(`Meridian edge address (${name})`),
          labels: s.labels,
        },
        o(),
      ),
    );
    const host = s.domain ? pulumi.output(s.domain) : ip.address.apply((a) => devHost(a, s.devHostSuffix));

    // The name carries a hash of what it covers: a managed certificate is immutable, and a new one must be
    // created (under a new name) before the proxy lets go of the old one.
    const cert = new gcp.compute.ManagedSslCertificate(
      ...applyTransform(
        t.certificate,
        `${name}-cert`,
        {
          project,
          name: phys(`cert-${shortHash(s.domain ?? s.devHostSuffix)}`),
          type: "MANAGED",
          managed: { domains: [host] },
        },
        o(),
      ),
    );
    const sslPolicy = new gcp.compute.SSLPolicy(
      ...applyTransform(
        t.sslPolicy,
        `${name}-tls`,
        {
          project,
          name: phys("tls"),
          description: `TLS 1.2+ ${s.sslProfile}`,
          profile: s.sslProfile,
          minTlsVersion: "TLS_1_2",
        },
        o(),
      ),
    );

    const neg = new gcp.compute.RegionNetworkEndpointGroup(
      ...applyTransform(
        t.neg,
        `${name}-neg`,
        {
          project,
          name: phys("neg"),
          region: s.region,
          networkEndpointType: "SERVERLESS",
          cloudRun: { service: args.cloudRunService },
        },
        o(),
      ),
    );
    const backend = new gcp.compute.BackendService(
      ...applyTransform(
        t.backendService,
        `${name}-api`,
        {
          project,
          name: phys("api"),
          description: "Meridian API on Cloud Run (Cloud Armor, no CDN)",
          loadBalancingScheme: "EXTERNAL_MANAGED",
          protocol: "HTTPS",
          backends: [{ group: neg.id }],
          securityPolicy: args.securityPolicy,
          // API responses are per user: never cached at the edge.
          enableCdn: false,
          logConfig: { enable: true, sampleRate: s.logSampleRate },
          customResponseHeaders: [HSTS_HEADER],
        },
        o(),
      ),
    );
    const bucket = new gcp.compute.BackendBucket(
      ...applyTransform(
        t.backendBucket,
        `${name}-assets`,
        {
          project,
          name: phys("assets"),
          description: "Meridian assets bucket through Cloud CDN",
          bucketName: args.assetsBucketName,
          enableCdn: true,
          cdnPolicy: backendBucketCdnPolicy(s.cdn),
          compressionMode: "AUTOMATIC",
          customResponseHeaders: [HSTS_HEADER, "X-Content-Type-Options: nosniff"],
        },
        o(),
      ),
    );

    // The signing key makes Google create the Cloud CDN fill agent; only then can it be granted read.
    const grants: IamGrant[] = [];
    if (s.grantBucketRead) {
      const keyBytes = new random.RandomBytes(`${name}-cdn-key-bytes`, { length: 16 }, { parent: this });
      const key = new gcp.compute.BackendBucketSignedUrlKey(
        ...applyTransform(
          t.signedUrlKey,
          `${name}-cdn-key`,
          {
            project,
            backendBucket: bucket.name,
            name: phys("cdn-key"),
            // RFC 4648 base64url, as the API takes it.
            keyValue: pulumi.secret(keyBytes.base64.apply((b) => b.replace(/\+/g, "-").replace(/\//g, "_"))),
          },
          o(),
        ),
      );
      const label =
        args.assetsBucketLabel ??
        (typeof args.assetsBucketName === "string" ? args.assetsBucketName : "assets bucket");
      grants.push(
        grantCdnFillRead(
          `${name}-cdn-fill-reader`,
          { project, bucketName: args.assetsBucketName, bucketLabel: label, transform: t.cdnReader },
          { parent: this, dependsOn: [...apis, key] },
        ),
      );
    }
    this.grants = grants;

    const apiPaths = apiPathList(s.apiPaths);
    const urlMap = new gcp.compute.URLMap(
      ...applyTransform(
        t.urlMap,
        `${name}-https`,
        {
          project,
          name: phys("https"),
          description: `${s.apiPaths.join(", ")} to Cloud Run; everything else to the assets bucket`,
          defaultService: bucket.id,
          hostRules: [{ hosts: ["*"], pathMatcher: "edge" }],
          pathMatchers: [
            {
              name: "edge",
              defaultService: bucket.id,
              pathRules: [{ paths: apiPaths, service: backend.id }],
            },
          ],
          // Google checks these when the map is written: a routing mistake fails the deployment.
          tests: [
            { host, path: "/health/ready", service: backend.id },
            { host, path: apiPaths[0], service: backend.id },
            { host, path: "/index.html", service: bucket.id },
          ],
        },
        o(),
      ),
    );
    const httpsProxy = new gcp.compute.TargetHttpsProxy(
      ...applyTransform(
        t.httpsProxy,
        `${name}-https-proxy`,
        {
          project,
          name: phys("https-proxy"),
          urlMap: urlMap.id,
          sslCertificates: [cert.id],
          sslPolicy: sslPolicy.id,
        },
        o(),
      ),
    );
    const rule = (logical: string, port: string, target: pulumi.Input<string>) =>
      new gcp.compute.GlobalForwardingRule(
        ...applyTransform(
          t.forwardingRule,
          logical,
          {
            project,
            name: phys(logical.slice(name.length + 1)),
            target,
            ipAddress: ip.id,
            ipProtocol: "TCP",
            portRange: port,
            loadBalancingScheme: "EXTERNAL_MANAGED",
            labels: s.labels,
          },
          o(),
        ),
      );
    rule(`${name}-https-rule`, "443", httpsProxy.id);

    // Port 80: a URL map with only a redirect, so plain HTTP never reaches the API or the bucket.
    const redirectMap = new gcp.compute.URLMap(
      ...applyTransform(
        t.urlMap,
        `${name}-redirect`,
        {
          project,
          name: phys("redirect"),
          description: "HTTP to HTTPS redirect only",
          defaultUrlRedirect: {
            httpsRedirect: true,
            redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
            stripQuery: false,
          },
        },
        o(),
      ),
    );
    const httpProxy = new gcp.compute.TargetHttpProxy(
      ...applyTransform(
        t.httpProxy,
        `${name}-http-proxy`,
        { project, name: phys("http-proxy"), urlMap: redirectMap.id },
        o(),
      ),
    );
    rule(`${name}-http-rule`, "80", httpProxy.id);

    this.host = host;
    this.url = pulumi.interpolate`https://${host}`;
    this.ipAddress = ip.address;
    this.backendServiceName = backend.name;
    this.backendBucketName = bucket.name;
    this.urlMapName = urlMap.name;
    this.certificateName = cert.name;
    this.dnsRecords = s.domain ? [{ type: "A", name: s.domain, value: ip.address }] : [];
    const endpoint = s.domain ?? `${name} (${s.devHostSuffix} host of the reserved IP)`;
    this.posture = {
      publicEndpoints: [
        {
          name: `${endpoint}:443`,
          kind: "gcp:compute:globalForwardingRule:https",
          tls: tlsLabel(s.sslProfile),
          waf: true,
        },
        {
          name: `${endpoint}:80`,
          kind: "gcp:compute:globalForwardingRule:http-redirect-only",
          tls: "none (301 to HTTPS only)",
          waf: false,
        },
      ],
      edge: { minTlsVersion: "TLS1.2", httpRedirect: true, waf: true },
    };
    this.registerOutputs({
      url: this.url,
      host: this.host,
      ipAddress: this.ipAddress,
      backendServiceName: this.backendServiceName,
      backendBucketName: this.backendBucketName,
      urlMapName: this.urlMapName,
      certificateName: this.certificateName,
      dnsRecords: this.dnsRecords,
      posture: this.posture,
      grants: this.grants,
    });
  }
}
