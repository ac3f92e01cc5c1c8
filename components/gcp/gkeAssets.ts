/**
 * The assets edge of the GKE option: the assets bucket through Cloud CDN on its own global external
 * Application Load Balancer and host (`cdn.<domain>`, or `<ip>.sslip.io` in dev), because GKE's Gateway
 * creates its own URL map and cannot route paths to a backend bucket. Same settings as the Cloud Run
 * option's edge (components/gcp/loadBalancer.ts): Google-managed certificate, SSL policy TLS 1.2+, port 80
 * only redirecting, Cloud CDN with the same cache policy, and read access for Cloud CDN's fill agent only.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Posture } from "../shared/contracts";
import { asciiDescription, physicalName, shortHash } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { show } from "../shared/validate";
import { grantCdnFillRead } from "./cdnFill";
import type { IamGrant } from "./iam";
import { backendBucketCdnPolicy, devHost, resolveCdn, tlsLabel, validateDomain } from "./urlMap";

export interface GkeAssetsTransforms {
  address?: Transform<gcp.compute.GlobalAddressArgs>;
  certificate?: Transform<gcp.compute.ManagedSslCertificateArgs>;
  sslPolicy?: Transform<gcp.compute.SSLPolicyArgs>;
  backendBucket?: Transform<gcp.compute.BackendBucketArgs>;
  /** Both URL maps (HTTPS, redirect); the function form receives the logical name. */
  urlMap?: Transform<gcp.compute.URLMapArgs>;
  /** Both forwarding rules. */
  forwardingRule?: Transform<gcp.compute.GlobalForwardingRuleArgs>;
}

export interface GkeAssetsArgs {
  project: pulumi.Input<string>;
  /** The assets bucket's name (`AssetsBucket.bucketName`). */
  bucketName: pulumi.Input<string>;
  /** The bucket's physical name for the posture (`AssetsBucket.settings.bucketName`). @default "assets bucket" */
  bucketLabel?: string;
  /** The assets host (`cdn.example.com`); the certificate covers it. @default none: `<ip-with-dashes>.sslip.io` */
  domain?: string;
  /** Labels of the address and forwarding rules. @default {} */
  labels?: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: GkeAssetsTransforms;
}

/** The assets host for an API domain, as on AWS: `api.example.com` -> `cdn.example.com`, else `cdn.<domain>`. */
export function assetsDomainFor(apiDomain: string | undefined): string | undefined {
  return apiDomain ? `cdn.${apiDomain.replace(/^api\./, "")}` : undefined;
}

/**
 * @example
 * const cdn = new GkeAssets("meridian-prod-cdn", { project, bucketName: assets.bucketName, domain: "cdn.example.com" });
 *
 * ## Cost (as the Cloud Run option's edge, docs/gcp.md "What it costs")
 * A second pair of forwarding rules (the first 5 rules of a project share one hourly price), Cloud CDN cache
 * egress and lookups; the certificate, SSL policy and reserved IP (in use) are free.
 */
export class GkeAssets extends pulumi.ComponentResource {
  public readonly url: pulumi.Output<string>;
  public readonly host: pulumi.Output<string>;
  /** Cloud CDN's fill agent's read grant on the bucket. */
  public readonly grants: IamGrant[];
  public readonly posture: Pick<Posture, "publicEndpoints">;

  constructor(name: string, args: GkeAssetsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    let domain: string | undefined;
    try {
      if (args.project === undefined || args.project === "")
        throw new Error(`project is ${show(args.project)}; it is required`);
      if (args.bucketName === undefined || args.bucketName === "")
        throw new Error(`bucketName is ${show(args.bucketName)}; it is required`);
      domain = validateDomain(args.domain);
    } catch (e) {
      throw new Error(`GkeAssets "${name}": ${(e as Error).message}`);
    }
    super("meridian:gcp:GkeAssets", name, {}, opts);
    const t = args.transform ?? {};
    const project = args.project;
    const phys = (suffix: string) => physicalName("gcp:resource", name, suffix);
    const o = { parent: this };
    const labels = args.labels ?? {};

    const ip = new gcp.compute.GlobalAddress(
      ...applyTransform(
        t.address,
        `${name}-ip`,
        { project, name: phys("ip"), addressType: "EXTERNAL", ipVersion: "IPV4", labels },
        o,
      ),
    );
    const host = domain ? pulumi.output(domain) : ip.address.apply((a) => devHost(a));
    const cert = new gcp.compute.ManagedSslCertificate(
      ...applyTransform(
        t.certificate,
        `${name}-cert`,
        {
          project,
          name: phys(`cert-${shortHash(domain ?? "sslip.io")}`),
          type: "MANAGED",
          managed: { domains: [host] },
        },
        o,
      ),
    );
    const ssl = new gcp.compute.SSLPolicy(
      ...applyTransform(
        t.sslPolicy,
        `${name}-tls`,
        { project, name: phys("tls"), profile: "MODERN", minTlsVersion: "TLS_1_2" },
        o,
      ),
    );
    const bucket = new gcp.compute.BackendBucket(
      ...applyTransform(
        t.backendBucket,
        `${name}-bucket`,
        {
          project,
          name: phys("bucket"),
          description: asciiDescription("Meridian assets bucket through Cloud CDN (GKE option)"),
          bucketName: args.bucketName,
          enableCdn: true,
          cdnPolicy: backendBucketCdnPolicy(resolveCdn()),
          compressionMode: "AUTOMATIC",
          customResponseHeaders: ["X-Content-Type-Options: nosniff"],
        },
        o,
      ),
    );
    // The signing key makes Google create the Cloud CDN fill agent; only then can it be granted read.
    const keyBytes = new random.RandomBytes(`${name}-cdn-key-bytes`, { length: 16 }, o);
    const key = new gcp.compute.BackendBucketSignedUrlKey(
      `${name}-cdn-key`,
      {
        project,
        backendBucket: bucket.name,
        name: phys("cdn-key"),
        keyValue: pulumi.secret(keyBytes.base64.apply((b) => b.replace(/\+/g, "-").replace(/\//g, "_"))),
      },
      o,
    );
    this.grants = [
      grantCdnFillRead(
        `${name}-cdn-fill-reader`,
        { project, bucketName: args.bucketName, bucketLabel: args.bucketLabel ?? "assets bucket" },
        { parent: this, dependsOn: [key] },
      ),
    ];

    const httpsMap = new gcp.compute.URLMap(
      ...applyTransform(
        t.urlMap,
        `${name}-https`,
        { project, name: phys("https"), defaultService: bucket.id },
        o,
      ),
    );
    const httpsProxy = new gcp.compute.TargetHttpsProxy(
      `${name}-https-proxy`,
      {
        project,
        name: phys("https-proxy"),
        urlMap: httpsMap.id,
        sslCertificates: [cert.id],
        sslPolicy: ssl.id,
      },
      o,
    );
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
        o,
      ),
    );
    const httpProxy = new gcp.compute.TargetHttpProxy(
      `${name}-http-proxy`,
      { project, name: phys("http-proxy"), urlMap: redirectMap.id },
      o,
    );
    for (const [logical, port, target] of [
      [`${name}-https-rule`, "443", httpsProxy.id],
      [`${name}-http-rule`, "80", httpProxy.id],
    ] as const) {
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
            labels,
          },
          o,
        ),
      );
    }

    this.host = host;
    this.url = pulumi.interpolate`https://${host}`;
    const endpoint = domain ?? `${name} (sslip.io host of the reserved IP)`;
    this.posture = {
      publicEndpoints: [
        {
          name: `${endpoint}:443`,
          kind: "gcp:compute:globalForwardingRule:https-cdn",
          tls: tlsLabel("MODERN"),
          waf: false,
        },
        {
          name: `${endpoint}:80`,
          kind: "gcp:compute:globalForwardingRule:http-redirect-only",
          tls: "none (301 to HTTPS only)",
          waf: false,
        },
      ],
    };
    this.registerOutputs({ url: this.url, host: this.host, grants: this.grants, posture: this.posture });
  }
}
