/**
 * The GCP environment with `meridian:runtime = gke`: the same network, data stores, secrets, Cloud Armor
 * policy and outputs contract as the Cloud Run branch (stacks/gcp.ts), with the API on a GKE Autopilot
 * cluster (components/gcp/gke.ts) as the cloud-neutral Kubernetes workload (components/k8s/), exposed by the
 * Gateway API (components/gcp/gkeEdge.ts). docs/gke.md has the diagram, costs and rollback.
 *
 * Loaded lazily by stacks/gcp.ts only when the runtime is gke, so Cloud Run stacks never load
 * @pulumi/kubernetes. With `meridian:cacheEnabled=false` (dev only): no Memorystore, no REDIS_URL, no
 * redis-ca.pem file, no NetworkPolicy egress to 6378 and no cache alert.
 *
 * The assets bucket is served through Cloud CDN on a host of its own (components/gcp/gkeAssets.ts: GKE's
 * Gateway cannot route paths to a backend bucket), so `cdnUrl` differs from `apiUrl` as on AWS.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Armor } from "../components/gcp/armor";
import { AssetsBucket } from "../components/gcp/assetsBucket";
import { CDN_FILL_KIND } from "../components/gcp/cdnFill";
import { GKE_SECONDARY_RANGES, GkeCluster } from "../components/gcp/gke";
import { assetsDomainFor, GkeAssets } from "../components/gcp/gkeAssets";
import { GkeAlerts } from "../components/gcp/gkeAlerts";
import { GkeEdge } from "../components/gcp/gkeEdge";
import { bindWorkloadIdentity, KSA_KIND } from "../components/gcp/gkeIdentity";
import { gkeProvider } from "../components/gcp/gkeProvider";
import {
  checkGrant,
  checkMember,
  identitiesFromGrants,
  IamGrant,
  PROJECT_ONLY_ROLES,
} from "../components/gcp/iam";
import { GOOGLE_HEALTH_CHECK_RANGES } from "../components/gcp/network";
import { Observability } from "../components/gcp/observability";
import { SecretRef } from "../components/gcp/secret";
import { grantUploadsWrite, uploadsEnvironment } from "../components/gcp/uploads";
import { SECRETS_DIR } from "../components/k8s/podSpec";
import { SERVICE_PORT } from "../components/k8s/service";
import { GKE_SECRETS_DRIVER, GKE_SECRETS_PROVIDER } from "../components/k8s/secretProviderClass";
import { Workload } from "../components/k8s/workload";
import { StackOutputs } from "../components/shared/contracts";
import { checkImage } from "../components/shared/image";
import { physicalName } from "../components/shared/naming";
import type { MeridianConfig } from "./config";
import { createGcpFoundation } from "./gcpFoundation";
import { POLICY_PACK } from "./policy";
import { gcpExtendedPosture } from "./gcpPosture";
import { gkeRelease } from "./release";

/** The image GKE runs before one is released: Google's sample (answers 200 on every path). */
const PLACEHOLDER_IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";
/** The workload's namespace. */
const NAMESPACE = "meridian";
/** Private ranges carved out of the HTTPS egress rule (the data stores have their own rules). */
const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** `projects/P/secrets/S/versions/V` of a pinned reference. */
function resourceName(project: string, ref: SecretRef): pulumi.Output<string> {
  return pulumi.interpolate`projects/${project}/secrets/${ref.secretId}/versions/${ref.version}`;
}

export function createGkeStack(config: MeridianConfig): StackOutputs {
  const f = createGcpFoundation(config, {
    network: { secondaryRanges: { ...GKE_SECONDARY_RANGES } },
    runtimeDescription: `Runtime of the ${config.baseName} API on GKE (Workload Identity): reads its own secrets, pulls its own images`,
  });
  const { labels, base, prod, project, region, network, runtime, registry, database, cache } = f;
  const { adminKeySecret, webhooks } = f;

  // The cluster and its provider; the runtime identity's telemetry roles (the only project-level grants).
  const cluster = new GkeCluster(`${base}-gke`, {
    project,
    region,
    networkSelfLink: network.networkSelfLink,
    subnetSelfLink: network.subnetSelfLink,
    deletionProtection: prod,
    labels,
  });
  const provider = gkeProvider(`${base}-k8s`, cluster);
  const telemetry: IamGrant[] = PROJECT_ONLY_ROLES.map((role) => {
    const grant = checkGrant({ principal: runtime.accountId, role, on: `project ${project}` });
    new gcp.projects.IAMMember(`${base}-runtime-${role.split("/")[1].replace(/\./g, "-")}`, {
      project,
      role,
      member: checkMember(grant, runtime.member),
    });
    return grant;
  });

  const image =
    config.image === undefined ? PLACEHOLDER_IMAGE : checkImage("meridian:image", config.image, prod);
  if (config.image === undefined) {
    registry.repositoryUrl.apply((url) =>
      pulumi.log.warn(
        `meridian:image is not set: the GKE Deployment runs 0 replicas of the placeholder ${PLACEHOLDER_IMAGE}, ` +
          `with no migrate Job and the scheduled job suspended, so the API answers 503 until a release. Push to ${url}/api, then set meridian:image to ${url}/api@sha256:<digest> and \`pulumi up\` again.`,
      ),
    );
  }
  // Image uploads: the assets bucket, served by its own CDN host (browsers call the API from there: CORS).
  const assets = new AssetsBucket(`${base}-assets`, {
    project,
    region,
    forceDestroy: !prod,
    cdnReadAccess: false,
    labels,
  });
  const cdn = new GkeAssets(`${base}-cdn`, {
    project,
    bucketName: assets.bucketName,
    bucketLabel: assets.settings.bucketName,
    domain: assetsDomainFor(config.domain),
    labels,
  });
  const uploadsGrant = grantUploadsWrite(`${base}-runtime-uploads`, {
    bucketName: assets.bucketName,
    bucketLabel: assets.settings.bucketName,
    principal: runtime.accountId,
    member: runtime.member,
  });
  const appInstances = Math.max(config.service.maxInstances, 1);
  const minReplicas = Math.max(config.service.minInstances, prod ? 2 : 1);
  const environment = {
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    OTEL_SERVICE_NAME: `${config.appName}-api`,
    DB_MAX_CONNECTIONS: String(database.maxConnections),
    DB_RESERVED_CONNECTIONS: "10",
    APP_INSTANCES: String(appInstances),
    DATABASE_SSL_CA_FILE: `${SECRETS_DIR}/db-ca.pem`,
    DATABASE_SSL_SERVERNAME: database.sslServerName,
    ...(cache ? { REDIS_CA_FILE: `${SECRETS_DIR}/redis-ca.pem` } : {}),
    SECURITY_TRUST_PROXY: "google",
    CORS_ALLOWED_ORIGINS: cdn.url,
    ...uploadsEnvironment({ bucketName: assets.bucketName, publicBaseUrl: cdn.url }),
  };
  const envSecrets: [string, SecretRef][] = [
    ["DATABASE_URL", database.urlSecret],
    ...(cache ? [["REDIS_URL", cache.urlSecret] as [string, SecretRef]] : []),
    ["ADMIN_API_KEY", adminKeySecret.ref],
    ...webhooks.map((w): [string, SecretRef] => [w.env, w.secret.ref]),
  ];

  // The Deployment's and Service's name (the alert filters need it as a plain string).
  const app = `${config.appName}-api`.slice(0, 40);
  const workload = new Workload(
    `${base}-k8s`,
    {
      provider,
      namespace: NAMESPACE,
      app,
      image,
      environment,
      secrets: {
        driver: GKE_SECRETS_DRIVER,
        provider: GKE_SECRETS_PROVIDER,
        env: envSecrets.map(([name, ref]) => ({ name, resourceName: resourceName(project, ref) })),
        files: [
          { path: "db-ca.pem", resourceName: resourceName(project, database.caSecret) },
          ...(cache ? [{ path: "redis-ca.pem", resourceName: resourceName(project, cache.caSecret) }] : []),
        ],
      },
      serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": runtime.email },
      resources: {
        requests: { cpu: "250m", memory: "512Mi" },
        limits: { cpu: String(config.service.cpu), memory: `${config.service.memoryMiB}Mi` },
      },
      replicas: { min: Math.min(minReplicas, appInstances), max: appInstances },
      job: { name: config.job.name, schedule: config.job.schedule },
      // Until an image is released, Google's placeholder cannot run the app's commands: 0 replicas, no migrate.
      paused: config.image === undefined,
      network: {
        ingressFrom: GOOGLE_HEALTH_CHECK_RANGES,
        egress: [
          { name: "database", cidrs: [config.gcp.privateServicesCidr], ports: [database.port] },
          ...(cache ? [{ name: "cache", cidrs: [config.gcp.privateServicesCidr], ports: [6378] }] : []),
          { name: "metadata", cidrs: ["169.254.169.254/32", "169.254.169.252/32"], ports: [80, 988] },
          { name: "https", cidrs: ["0.0.0.0/0"], except: RFC1918, ports: [443] },
        ],
      },
      labels,
    },
    { dependsOn: [cluster] },
  );
  const identityGrant = bindWorkloadIdentity(`${base}-runtime-workload-identity`, {
    project,
    namespace: NAMESPACE,
    ksa: workload.serviceAccountName,
    serviceAccount: runtime,
  });

  const armor = new Armor(`${base}-armor`, {
    project,
    rateLimit: config.wafRateLimit,
    adaptiveProtection: config.gcpExtras.adaptiveProtection,
    labels,
  });
  const edge = new GkeEdge(`${base}-edge`, {
    project,
    provider,
    namespace: workload.namespace,
    serviceName: workload.serviceName,
    securityPolicyName: armor.policyName,
    domain: config.domain,
    logSampleRate: prod ? 1 : 0.5,
    labels,
  });

  if (prod && config.alertEmail === undefined) {
    pulumi.log.warn(
      "meridian:alertEmail is not set: prod alarms notify nobody. Set it: `pulumi config set meridian:alertEmail <on-call address>`.",
    );
  }
  const observability = new Observability(`${base}-obs`, {
    project,
    region,
    labels,
    alertEmail: config.alertEmail,
    uptime: { host: edge.host },
    database: {
      databaseId: pulumi.interpolate`${project}:${database.instanceName}`,
      maxConnections: database.maxConnections,
    },
    ...(cache ? { cache: { instanceId: cache.instanceId } } : {}),
  });

  // The GKE counterparts of Cloud Run's 5xx (at the Gateway's load balancer) and CPU/memory alerts.
  const gkeAlerts = new GkeAlerts(
    `${base}-alerts`,
    {
      project,
      dashboard: physicalName("gcp:resource", `${base}-obs`),
      notificationChannel: observability.notificationChannelId,
      targets: {
        backend: { namespace: NAMESPACE, serviceName: app, port: SERVICE_PORT },
        deployment: { clusterName: cluster.clusterName, namespace: NAMESPACE, name: app },
      },
      labels,
    },
    { dependsOn: [observability] },
  );

  const grants = [
    ...registry.grants,
    ...database.grants,
    ...(cache?.grants ?? []),
    ...adminKeySecret.grants,
    ...webhooks.flatMap((w) => w.secret.grants),
    ...telemetry,
    identityGrant,
    ...assets.grants,
    ...cdn.grants,
    uploadsGrant,
    ...observability.grants,
  ];
  return {
    cloud: "gcp",
    profile: config.profile,
    region,
    apiUrl: edge.url,
    cdnUrl: cdn.url,
    image: config.image ?? null,
    network: network.outputs,
    release: gkeRelease({
      project,
      region,
      repositoryUrl: registry.repositoryUrl,
      clusterName: cluster.clusterName,
      namespace: workload.namespace,
      deploymentName: workload.deploymentName,
      migrateJobName: workload.migrateJobName,
    }),
    posture: {
      ...f.posture,
      publicEndpoints: [...edge.posture.publicEndpoints, ...cdn.posture.publicEndpoints],
      identities: identitiesFromGrants(grants, { ...CDN_FILL_KIND, [identityGrant.principal]: KSA_KIND }),
      logRetentionDays: f.logRetentionDays(observability.posture.logRetentionDays),
      edge: edge.posture.edge,
      alarms: {
        ...observability.posture.alarms,
        names: [...observability.posture.alarms.names, ...gkeAlerts.alarmNames],
      },
      policyPack: POLICY_PACK,
      ...gcpExtendedPosture({
        base,
        database,
        cache,
        assets,
        viewerMinTls: edge.posture.edge.minTlsVersion,
        runtime: "gke",
        auditLogs: f.auditLogs,
      }),
    },
  };
}
