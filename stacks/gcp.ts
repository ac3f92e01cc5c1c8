/**
 * The GCP environment: composes Meridian's GCP components from the validated config and returns the same
 * outputs contract as AWS (docs/gcp.md has the diagram, the dev/prod differences and the costs).
 *
 * Traffic: clients -> global external Application Load Balancer (Google-managed certificate, SSL policy
 * MODERN / TLS 1.2+, Cloud Armor) -> `/api/*`, `/health/*` -> serverless NEG -> Cloud Run (ingress limited to
 * the load balancer) -> Direct VPC egress -> Cloud SQL and Memorystore on private IPs. Everything else is
 * served from a private Cloud Storage bucket through Cloud CDN. Port 80 on the same IP only redirects.
 * With `meridian:cacheEnabled=false` (dev only) there is no Memorystore, no REDIS_URL / REDIS_CA_FILE, no
 * grant on the cache's secrets and no cache alert or dashboard widget: the API runs without Redis.
 * - Without `meridian:domain` (dev): the certificate is for `<ip>.sslip.io`, a name that resolves to the
 *   load balancer's reserved IP, so dev serves HTTPS with a publicly trusted certificate and no DNS setup.
 * - With a domain (prod): the certificate is for the domain; point an A record at the output IP.
 *
 * Identities: one runtime service account (the service and both jobs) that may read exactly its secrets and
 * pull from its repository; one scheduler account that may run exactly the scheduled job; Cloud CDN's fill
 * agent may read the assets bucket. No basic role, no public member, no project-wide secret access.
 */
import * as pulumi from "@pulumi/pulumi";
import { Armor } from "../components/gcp/armor";
import { AssetsBucket } from "../components/gcp/assetsBucket";
import { CDN_FILL_KIND } from "../components/gcp/cdnFill";
import { identitiesFromGrants } from "../components/gcp/iam";
import { Jobs } from "../components/gcp/jobs";
import { LoadBalancer } from "../components/gcp/loadBalancer";
import { Observability } from "../components/gcp/observability";
import { Service } from "../components/gcp/service";
import { grantUploadsWrite, uploadsEnvironment } from "../components/gcp/uploads";
import { StackOutputs } from "../components/shared/contracts";
import type { MeridianConfig } from "./config";
import { createGcpFoundation } from "./gcpFoundation";
import { POLICY_PACK } from "./policy";
import { gcpExtendedPosture } from "./gcpPosture";
import { gcpRelease } from "./release";

export function createGcpStack(config: MeridianConfig): StackOutputs {
  if (config.gcp.runtime === "gke") {
    // The GKE branch (stacks/gke.ts, docs/gke.md), loaded only here so Cloud Run never loads @pulumi/kubernetes.
    return (require("./gke") as typeof import("./gke")).createGkeStack(config);
  }
  const f = createGcpFoundation(config, {
    network: { serverlessEgress: config.gcp.serverlessEgress, connectorCidr: config.gcp.connectorCidr },
    runtimeDescription: `Runtime of the ${config.baseName} API service and its jobs: reads its own secrets, pulls its own images`,
  });
  const { labels, base, prod, project, region, network, runtime, registry, database, cache } = f;
  const { adminKeySecret, webhooks } = f;

  // The API's configuration, shared by the service and its jobs (docs/app.md is the contract).
  const appInstances = Math.max(config.service.maxInstances, 1);
  // Image uploads: the assets bucket and the edge are created after the service; deferred outputs carry
  // the bucket name and the public URL into its environment (no resource cycle: neither needs the service).
  const [assetsBucketName, resolveAssetsBucketName] = pulumi.deferredOutput<string>();
  const [assetsBaseUrl, resolveAssetsBaseUrl] = pulumi.deferredOutput<string>();
  const environment = {
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    OTEL_SERVICE_NAME: `${config.appName}-api`,
    // The pool formula's inputs: each instance takes (max - reserved) / instances connections.
    DB_MAX_CONNECTIONS: String(database.maxConnections),
    DB_RESERVED_CONNECTIONS: "10",
    APP_INSTANCES: String(appInstances),
    // DATABASE_URL says sslmode=verify-full: trust the instance's CA and check its DNS name.
    DATABASE_SSL_CA_FILE: database.caFilePath,
    DATABASE_SSL_SERVERNAME: database.sslServerName,
    // The cache's CA: the app's Redis client verifies the rediss:// server against it.
    ...(cache ? { REDIS_CA_FILE: cache.caFilePath } : {}),
    // The client IP for rate limits (docs/app-redis.md): the entry the global external ALB appended.
    SECURITY_TRUST_PROXY: "google",
    // Uploaded images: GCS adapter on the assets bucket, URLs under the edge (docs/app.md "Images").
    ...uploadsEnvironment({ bucketName: assetsBucketName, publicBaseUrl: assetsBaseUrl }),
  };
  const secrets = {
    DATABASE_URL: database.urlSecret,
    ...(cache ? { REDIS_URL: cache.urlSecret } : {}),
    ADMIN_API_KEY: adminKeySecret.ref,
    ...Object.fromEntries(webhooks.map((w) => [w.env, w.secret.ref])),
  };
  const secretFiles = {
    [database.caFilePath]: database.caSecret,
    ...(cache ? { [cache.caFilePath]: cache.caSecret } : {}),
  };

  const service = new Service(`${base}-api`, {
    project,
    region,
    serviceAccount: runtime,
    vpcAccess: network.cloudRunVpcAccess,
    image: config.image,
    requireDigest: prod,
    cpu: config.service.cpu,
    memoryMiB: config.service.memoryMiB,
    minInstances: config.service.minInstances,
    maxInstances: config.service.maxInstances,
    concurrency: config.service.concurrency,
    environment,
    secrets,
    secretFiles,
    otelCollector: config.service.otelCollector,
    ...(config.service.otelCollectorImage ? { otelCollectorImage: config.service.otelCollectorImage } : {}),
    deletionProtection: prod,
    labels,
  });
  if (service.placeholder) {
    registry.repositoryUrl.apply((url) =>
      pulumi.log.warn(
        `meridian:image is not set: ${service.deployment}. Push to ${url}/api, then set meridian:image to ` +
          `${url}/api@sha256:<digest> and \`pulumi up\` again. Until then the scheduled job stays paused and the ` +
          `uptime check on /health/ready fails (the placeholder is not the API) (docs/runbooks/README.md, ` +
          `"First deployment of the GCP option").`,
      ),
    );
  }

  const jobs = new Jobs(`${base}-jobs`, {
    project,
    region,
    serviceAccount: runtime,
    vpcAccess: network.cloudRunVpcAccess,
    image: config.image,
    requireDigest: prod,
    jobName: config.job.name,
    schedule: config.job.schedule,
    environment,
    secrets,
    secretFiles,
    deletionProtection: prod,
    labels,
  });

  const armor = new Armor(`${base}-armor`, {
    project,
    rateLimit: config.wafRateLimit,
    adaptiveProtection: config.gcpExtras.adaptiveProtection,
    labels,
  });
  // The load balancer grants Cloud CDN's fill agent read on the bucket, after the signing key that creates it.
  const assets = new AssetsBucket(`${base}-assets`, {
    project,
    region,
    forceDestroy: !prod,
    cdnReadAccess: false,
    labels,
  });
  const edge = new LoadBalancer(`${base}-edge`, {
    project,
    region,
    cloudRunService: service.serviceName,
    securityPolicy: armor.policySelfLink,
    assetsBucketName: assets.bucketName,
    assetsBucketLabel: assets.settings.bucketName,
    domain: config.domain,
    logSampleRate: prod ? 1 : 0.5,
    labels,
  });

  resolveAssetsBucketName(assets.bucketName);
  resolveAssetsBaseUrl(edge.url);
  // The runtime identity writes exactly <assets bucket>/uploads/* (components/gcp/uploads.ts).
  const uploadsGrant = grantUploadsWrite(`${base}-runtime-uploads`, {
    bucketName: assets.bucketName,
    bucketLabel: assets.settings.bucketName,
    principal: runtime.accountId,
    member: runtime.member,
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
    loadBalancer: { urlMapName: edge.urlMapName, backendServiceName: edge.backendServiceName },
    service: { serviceName: service.serviceName },
    database: {
      databaseId: pulumi.interpolate`${project}:${database.instanceName}`,
      maxConnections: database.maxConnections,
    },
    ...(cache ? { cache: { instanceId: cache.instanceId } } : {}),
    logs: {
      retentionDays: config.logRetentionDays,
      serviceNames: [service.serviceName],
      jobNames: [jobs.migrateJobName, jobs.jobName],
    },
  });

  const grants = [
    ...registry.grants,
    ...database.grants,
    ...(cache?.grants ?? []),
    ...adminKeySecret.grants,
    ...webhooks.flatMap((w) => w.secret.grants),
    ...service.grants,
    ...jobs.grants,
    ...assets.grants,
    ...edge.grants,
    ...armor.grants,
    uploadsGrant,
    ...observability.grants,
  ];

  return {
    cloud: "gcp",
    profile: config.profile,
    region,
    apiUrl: edge.url,
    // One host serves the API and the CDN-backed assets (the URL map splits them by path).
    cdnUrl: edge.url,
    image: config.image ?? null,
    network: network.outputs,
    release: gcpRelease({
      project,
      region,
      repositoryUrl: registry.repositoryUrl,
      serviceName: service.serviceName,
      migrateJobName: jobs.migrateJobName,
      migrateCommand: jobs.migrateCommand,
    }),
    posture: {
      ...f.posture,
      publicEndpoints: edge.posture.publicEndpoints,
      identities: identitiesFromGrants(grants, CDN_FILL_KIND),
      logRetentionDays: f.logRetentionDays(observability.posture.logRetentionDays),
      edge: edge.posture.edge,
      alarms: observability.posture.alarms,
      policyPack: POLICY_PACK,
      ...gcpExtendedPosture({
        base,
        database,
        cache,
        assets,
        viewerMinTls: edge.posture.edge.minTlsVersion,
        auditLogs: f.auditLogs,
      }),
    },
  };
}
