/**
 * The Meridian API on Google Cloud: a Cloud Run v2 service reachable only through the external Application
 * Load Balancer (serverless NEG), running as a dedicated service account, reaching Cloud SQL and Memorystore
 * on private IPs through the VPC, with secrets pinned to Secret Manager versions, the workload contract's
 * probes, and an optional OpenTelemetry collector sidecar. See docs/components/gcp-service.md.
 *
 * Arguments and validation: ./serviceSettings.ts; container shapes: ./containers.ts.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { checkImage } from "../shared/image";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { enableServices } from "./apis";
import {
  APP_CONTAINER,
  CONTAINER_PORT,
  containerEnvs,
  OTEL_APP_ENV,
  OTEL_CONTAINER,
  otelCollectorContainer,
  Environment,
  PLACEHOLDER_IMAGE,
  SHUTDOWN_TIMEOUT_MS,
  secretVolumes,
} from "./containers";
import { checkGrant, checkMember, IamGrant, PROJECT_ONLY_ROLES } from "./iam";
import { resolveServiceArgs, ServiceArgs, ServiceSettings, ServiceTransforms } from "./serviceSettings";

export { resolveServiceArgs, SERVICE_DEFAULTS } from "./serviceSettings";
export type { ServiceArgs, ServiceSettings, ServiceTransforms } from "./serviceSettings";

/** Cloud Run ingress: only internal traffic and Google Cloud load balancers (the run.app URL refuses the internet). */
export const SERVICE_INGRESS = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER";
/** The workload contract's probe paths. */
export const READY_PATH = "/health/ready";
export const LIVE_PATH = "/health/live";

/** This component's part of the posture document, plus how Cloud Run's own endpoint is closed. */
export type ServicePosture = Pick<Posture, "publicEndpoints" | "logRetentionDays" | "secrets"> & {
  /** Cloud Run's ingress setting and what it means for the run.app URL. */
  ingress: {
    setting: typeof SERVICE_INGRESS;
    runAppUrlPublic: false;
    publicInvokerBinding: false;
    note: string;
  };
};

/**
 * A Cloud Run v2 service for the Meridian API.
 *
 * Ingress is `INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER`: the run.app URL answers 404 to requests from the
 * internet, and the load balancer (another component) reaches the service through a serverless NEG built
 * from `serviceName`. The Invoker IAM check is disabled instead of granting `allUsers` run.invoker (Google's
 * recommended way to serve anonymous users, https://cloud.google.com/run/docs/authenticating/public,
 * 2026-11): the API authenticates its own admin routes, and ingress keeps the service behind the LB's
 * Cloud Armor policy.
 *
 * @example
 * const api = new Service("meridian-prod-api", {
 *   project, region, serviceAccount: runtime, vpcAccess: network.cloudRunVpcAccess,
 *   image: cfg.image, requireDigest: true, minInstances: 2, maxInstances: 10, deletionProtection: true,
 *   environment: { DATABASE_SSL_CA_FILE: "/secrets/db-ca/ca.pem" },
 *   secrets: { DATABASE_URL: db.urlSecret.ref, REDIS_URL: cache.urlSecret.ref },
 *   secretFiles: { "/secrets/db-ca/ca.pem": db.caSecret.ref },
 *   labels,
 * });
 *
 * ## Cost (https://cloud.google.com/run/pricing, us-central1 tier 1, 2026-11)
 * - Instance-based billing: $0.000018/vCPU-s + $0.000002/GiB-s: 1 vCPU / 512 MiB always on ≈ $51/month.
 * - Request-based billing (default): $0.000024/vCPU-s + $0.0000025/GiB-s while serving, + $0.40 per million
 *   requests; idle min instances at a reduced rate. Free tier: 180,000 vCPU-s and 2 million requests a month.
 */
export class Service extends pulumi.ComponentResource {
  /** The service's name (for the serverless NEG `cloudRun.service`). */
  public readonly serviceName: pulumi.Output<string>;
  /** `projects/P/locations/R/services/N`. */
  public readonly serviceId: pulumi.Output<string>;
  /** The run.app URI (reachable only from inside Google's network and the load balancer). */
  public readonly uri: pulumi.Output<string>;
  /** The region (for the serverless NEG). */
  public readonly location: string;
  /** True while Google's placeholder image runs because no image was given. */
  public readonly placeholder: boolean;
  /** What is deployed, in words (the stack warns with it while `placeholder`). */
  public readonly deployment: string;
  /** Every IAM binding this component creates. */
  public readonly grants: IamGrant[];
  /** This component's part of the posture document. */
  public readonly posture: ServicePosture;

  private readonly s: ServiceSettings;
  private readonly t: ServiceTransforms;

  constructor(name: string, args: ServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Service", name, () => resolveServiceArgs(args));
    super("meridian:gcp:Service", name, {}, opts);
    this.s = settings;
    this.t = args.transform ?? {};
    const s = settings;

    const apis = s.enableApis
      ? enableServices(
          name,
          args.project,
          ["run.googleapis.com", ...(s.otelCollector ? ["cloudtrace.googleapis.com"] : [])],
          { parent: this },
          this.t.api,
        )
      : [];
    this.grants = this.grantTelemetry(name, args);

    this.placeholder = s.image === undefined;
    const image: pulumi.Input<string> =
      s.image === undefined
        ? PLACEHOLDER_IMAGE
        : pulumi.output(s.image).apply((i) => {
            try {
              return checkImage("image", i, s.requireDigest);
            } catch (e) {
              throw new Error(`Service "${name}": ${(e as Error).message}`);
            }
          });
    this.deployment = this.placeholder
      ? `no image released yet: Google's placeholder ${PLACEHOLDER_IMAGE} runs with 0-1 instances`
      : "the configured image";

    const physical = physicalName("gcp:cloudRun", name);
    const service = new gcp.cloudrunv2.Service(
      ...applyTransform(
        this.t.service,
        `${name}-service`,
        {
          project: args.project,
          location: s.region,
          name: physical,
          description: asciiDescription(`Meridian API (${name}), reachable through the load balancer only`),
          ingress: SERVICE_INGRESS,
          // Anonymous users reach the API through the LB; no allUsers binding exists (see class doc).
          invokerIamDisabled: true,
          deletionProtection: s.deletionProtection,
          labels: s.labels,
          template: this.template(args, image),
        },
        { parent: this, dependsOn: apis },
      ),
    );

    this.serviceName = service.name;
    this.serviceId = service.id;
    this.uri = service.uri;
    this.location = s.region;
    this.posture = {
      publicEndpoints: [],
      logRetentionDays: {},
      secrets: [],
      ingress: {
        setting: SERVICE_INGRESS,
        runAppUrlPublic: false,
        publicInvokerBinding: false,
        note:
          "Cloud Run's run.app URL accepts only internal traffic and Google Cloud load balancers; the public " +
          "endpoint is the load balancer (edge component), where TLS and Cloud Armor apply",
      },
    };
    this.registerOutputs({
      serviceName: this.serviceName,
      serviceId: this.serviceId,
      uri: this.uri,
      location: this.location,
      placeholder: this.placeholder,
      deployment: this.deployment,
      grants: this.grants,
      posture: this.posture,
    });
  }

  /** The telemetry writer roles on the project: the only project-level grants (PROJECT_ONLY_ROLES). */
  private grantTelemetry(name: string, args: ServiceArgs): IamGrant[] {
    const sa = args.serviceAccount;
    const on = `project ${typeof args.project === "string" ? args.project : "(provider project)"}`;
    return PROJECT_ONLY_ROLES.map((role) => {
      const grant = checkGrant({ principal: sa.accountId, role, on });
      new gcp.projects.IAMMember(
        ...applyTransform(
          this.t.projectIamMember,
          `${name}-${role.split("/")[1].replace(/\./g, "-")}`,
          { project: args.project, role, member: checkMember(grant, sa.member) },
          { parent: this },
        ),
      );
      return grant;
    });
  }

  /** The revision template: gen2, the runtime account, VPC egress, the app container and the sidecar. */
  private template(
    args: ServiceArgs,
    image: pulumi.Input<string>,
  ): gcp.types.input.cloudrunv2.ServiceTemplate {
    const s = this.s;
    const environment: Environment = {
      ...s.environment,
      SHUTDOWN_TIMEOUT_MS,
      ...(s.otelCollector ? OTEL_APP_ENV : {}),
    };
    const { volumes, mounts } = secretVolumes(s.secretFiles);
    const app: gcp.types.input.cloudrunv2.ServiceTemplateContainer = {
      name: APP_CONTAINER,
      image,
      ports: { containerPort: CONTAINER_PORT, name: "http1" },
      resources: {
        limits: { cpu: String(s.cpu), memory: `${s.memoryMiB}Mi` },
        cpuIdle: !s.cpuAlwaysAllocated,
        startupCpuBoost: true,
      },
      envs: containerEnvs(environment, s.secrets),
      // Up to 2 minutes for migrations-free start-up and the first DB/Redis connections.
      startupProbe: {
        httpGet: { path: READY_PATH, port: CONTAINER_PORT },
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: 24,
      },
      livenessProbe: {
        httpGet: { path: LIVE_PATH, port: CONTAINER_PORT },
        periodSeconds: 15,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
      volumeMounts: mounts,
      dependsOns: s.otelCollector ? [OTEL_CONTAINER] : undefined,
    };
    const containers: gcp.types.input.cloudrunv2.ServiceTemplateContainer[] = [app];
    if (s.otelCollector) containers.push(otelCollectorContainer(s.otelCollectorImage, !s.cpuAlwaysAllocated));
    return {
      serviceAccount: args.serviceAccount.email,
      executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
      maxInstanceRequestConcurrency: s.concurrency,
      timeout: `${s.requestTimeoutSeconds}s`,
      scaling: this.placeholder
        ? { minInstanceCount: 0, maxInstanceCount: 1 }
        : { minInstanceCount: s.minInstances, maxInstanceCount: s.maxInstances },
      vpcAccess: args.vpcAccess,
      labels: s.labels,
      containers,
      volumes,
    };
  }
}
