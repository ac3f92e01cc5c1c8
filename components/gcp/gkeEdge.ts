/**
 * The public edge of the GKE option, through GKE's Gateway API controller: a global external Application Load
 * Balancer (`gke-l7-global-external-managed`) on a reserved IP, with a Google-managed certificate for the
 * domain (or `<ip>.sslip.io` in dev), the SSL policy (TLS 1.2+), port 80 answering only a 301 to HTTPS, the
 * same Cloud Armor policy as Cloud Run on the API's backend (GCPBackendPolicy), and the health check on
 * `/health/ready`. Container-native load balancing: the LB sends to Pod IPs through NEGs.
 *
 * GKE's Gateway resources and policies: https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways,
 * .../configure-gateway-resources (GCPGatewayPolicy `sslPolicy`, GCPBackendPolicy `securityPolicy`,
 * HealthCheckPolicy), .../secure-gateway (pre-shared certificates, `networking.gke.io/pre-shared-certs`),
 * read 2026-11.
 */
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { API_PORT, READY_PATH } from "../k8s/common";
import { SERVICE_PORT } from "../k8s/service";
import type { Posture } from "../shared/contracts";
import { physicalName, shortHash } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { show } from "../shared/validate";
import { devHost, tlsLabel } from "./urlMap";

/** GKE's GatewayClass for the global external Application Load Balancer. */
export const GATEWAY_CLASS = "gke-l7-global-external-managed";

export interface GkeEdgeTransforms {
  address?: Transform<gcp.compute.GlobalAddressArgs>;
  certificate?: Transform<gcp.compute.ManagedSslCertificateArgs>;
  sslPolicy?: Transform<gcp.compute.SSLPolicyArgs>;
  /** The Gateway, routes and GKE policies (custom resources); the function form receives the logical name. */
  object?: Transform<k8s.apiextensions.CustomResourceArgs>;
}

export interface GkeEdgeArgs {
  project: pulumi.Input<string>;
  /** The Kubernetes provider of the cluster. */
  provider: k8s.Provider;
  /** The namespace of the workload (the Gateway lives next to its Service). */
  namespace: pulumi.Input<string>;
  /** The workload's ClusterIP Service name. */
  serviceName: pulumi.Input<string>;
  /** The Cloud Armor policy's name (`Armor.policyName`), attached to the API's backend service. */
  securityPolicyName: pulumi.Input<string>;
  /** Public host name; the certificate covers it. @default none: `<ip-with-dashes>.sslip.io` */
  domain?: string;
  /** Fraction of requests the load balancer logs (0 < x <= 1). Cost: Cloud Logging ingestion. @default 1 */
  logSampleRate?: number;
  /** Labels of the reserved address. @default {} */
  labels?: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: GkeEdgeTransforms;
}

/** Validates the args; errors name the arg, the value and what is allowed. */
export function resolveGkeEdgeArgs(args: GkeEdgeArgs): { logSampleRate: number } {
  for (const key of ["project", "provider", "namespace", "serviceName", "securityPolicyName"] as const) {
    if (args[key] === undefined || args[key] === null || args[key] === "") {
      throw new Error(
        `${key} is ${show(args[key])}; it is required (the edge never serves the API without Cloud Armor)`,
      );
    }
  }
  const logSampleRate = args.logSampleRate ?? 1;
  if (typeof logSampleRate !== "number" || !(logSampleRate > 0 && logSampleRate <= 1)) {
    throw new Error(`logSampleRate is ${show(logSampleRate)}; allowed: a number > 0 and <= 1`);
  }
  return { logSampleRate };
}

/** The Gateway API objects as `[logical suffix, apiVersion, kind, spec]` (pure; tested without mocks). */
export function gatewayObjects(a: {
  gatewayName: string;
  addressName: pulumi.Input<string>;
  certificateName: pulumi.Input<string>;
  sslPolicyName: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  securityPolicyName: pulumi.Input<string>;
  host: pulumi.Input<string>;
  logSampleRate: number;
}): [string, string, string, Record<string, unknown>][] {
  const gateway = { group: "gateway.networking.k8s.io", kind: "Gateway", name: a.gatewayName };
  const service = { group: "", kind: "Service", name: a.serviceName };
  return [
    [
      "gateway",
      "gateway.networking.k8s.io/v1",
      "Gateway",
      {
        gatewayClassName: GATEWAY_CLASS,
        addresses: [{ type: "NamedAddress", value: a.addressName }],
        listeners: [
          {
            name: "https",
            protocol: "HTTPS",
            port: 443,
            tls: { mode: "Terminate", options: { "networking.gke.io/pre-shared-certs": a.certificateName } },
            allowedRoutes: { namespaces: { from: "Same" } },
          },
          { name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } },
        ],
      },
    ],
    [
      "route-api",
      "gateway.networking.k8s.io/v1",
      "HTTPRoute",
      {
        parentRefs: [{ name: a.gatewayName, sectionName: "https" }],
        hostnames: [a.host],
        rules: [{ backendRefs: [{ name: a.serviceName, port: SERVICE_PORT }] }],
      },
    ],
    [
      "route-redirect",
      "gateway.networking.k8s.io/v1",
      "HTTPRoute",
      {
        parentRefs: [{ name: a.gatewayName, sectionName: "http" }],
        rules: [
          { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
        ],
      },
    ],
    [
      "ssl-policy",
      "networking.gke.io/v1",
      "GCPGatewayPolicy",
      { default: { sslPolicy: a.sslPolicyName }, targetRef: gateway },
    ],
    [
      "backend-policy",
      "networking.gke.io/v1",
      "GCPBackendPolicy",
      {
        default: {
          securityPolicy: a.securityPolicyName,
          timeoutSec: 30,
          logging: { enabled: true, sampleRate: Math.round(a.logSampleRate * 1_000_000) },
        },
        targetRef: service,
      },
    ],
    [
      "health-check",
      "networking.gke.io/v1",
      "HealthCheckPolicy",
      {
        default: {
          checkIntervalSec: 5,
          timeoutSec: 3,
          healthyThreshold: 1,
          unhealthyThreshold: 2,
          config: { type: "HTTP", httpHealthCheck: { port: API_PORT, requestPath: READY_PATH } },
        },
        targetRef: service,
      },
    ],
  ];
}

/**
 * @example
 * const edge = new GkeEdge("meridian-prod-edge", {
 *   project, provider, namespace: api.namespace, serviceName: api.serviceName,
 *   securityPolicyName: armor.policyName, domain: "api.example.com", labels,
 * });
 *
 * ## Cost
 * The same global external Application Load Balancer and Cloud Armor policy as the Cloud Run option (~$30/month
 * before traffic, docs/gcp.md "What it costs"); the reserved IP is free while in use, Google-managed
 * certificates and SSL policies are free.
 */
export class GkeEdge extends pulumi.ComponentResource {
  public readonly url: pulumi.Output<string>;
  public readonly host: pulumi.Output<string>;
  public readonly ipAddress: pulumi.Output<string>;
  /** The Gateway's name (GKE names the URL map and backend services after it). */
  public readonly gatewayName: string;
  public readonly posture: Pick<Posture, "publicEndpoints" | "edge">;

  constructor(name: string, args: GkeEdgeArgs, opts: pulumi.ComponentResourceOptions = {}) {
    let s: { logSampleRate: number };
    try {
      s = resolveGkeEdgeArgs(args);
    } catch (e) {
      throw new Error(`GkeEdge "${name}": ${(e as Error).message}`);
    }
    super("meridian:gcp:GkeEdge", name, {}, opts);
    const t = args.transform ?? {};
    const phys = (suffix: string) => physicalName("gcp:resource", name, suffix);
    const o = { parent: this };

    const ip = new gcp.compute.GlobalAddress(
      ...applyTransform(
        t.address,
        `${name}-ip`,
        { project: args.project, name: phys("ip"), labels: args.labels ?? {} },
        o,
      ),
    );
    const host = args.domain ? pulumi.output(args.domain) : ip.address.apply((a) => devHost(a));
    const cert = new gcp.compute.ManagedSslCertificate(
      ...applyTransform(
        t.certificate,
        `${name}-cert`,
        {
          project: args.project,
          name: phys(`cert-${shortHash(args.domain ?? "sslip.io")}`),
          managed: { domains: [host] },
        },
        { ...o, deleteBeforeReplace: false },
      ),
    );
    const ssl = new gcp.compute.SSLPolicy(
      ...applyTransform(
        t.sslPolicy,
        `${name}-ssl`,
        { project: args.project, name: phys("ssl"), profile: "MODERN", minTlsVersion: "TLS_1_2" },
        o,
      ),
    );

    this.gatewayName = physicalName("gcp:resource", "api-gateway");
    for (const [suffix, apiVersion, kind, spec] of gatewayObjects({
      gatewayName: this.gatewayName,
      addressName: ip.name,
      certificateName: cert.name,
      sslPolicyName: ssl.name,
      serviceName: args.serviceName,
      securityPolicyName: args.securityPolicyName,
      host,
      logSampleRate: s.logSampleRate,
    })) {
      new k8s.apiextensions.CustomResource(
        ...applyTransform(
          t.object,
          `${name}-${suffix}`,
          {
            apiVersion,
            kind,
            metadata: {
              name: suffix === "gateway" ? this.gatewayName : `api-${suffix}`,
              namespace: args.namespace,
              labels: { "app.kubernetes.io/part-of": "meridian", "app.kubernetes.io/managed-by": "pulumi" },
            },
            spec,
          },
          { ...o, provider: args.provider },
        ),
      );
    }

    this.host = host;
    this.url = pulumi.interpolate`https://${host}`;
    this.ipAddress = ip.address;
    const endpoint = args.domain ?? `${name} (sslip.io host of the reserved IP)`;
    this.posture = {
      publicEndpoints: [
        { name: `${endpoint}:443`, kind: "gke:gateway:https", tls: tlsLabel("MODERN"), waf: true },
        {
          name: `${endpoint}:80`,
          kind: "gke:gateway:http-redirect-only",
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
      posture: this.posture,
    });
  }
}
