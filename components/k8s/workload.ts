/**
 * The Meridian API on any conformant Kubernetes cluster: namespace (Pod Security `restricted`), service
 * account (cloud identity by annotation, no token), secrets as CSI files, the `migrate` Job, then the
 * Deployment, its ClusterIP Service, HorizontalPodAutoscaler and PodDisruptionBudget, the scheduled CronJob,
 * and default-deny NetworkPolicies. Exposure (Gateway, certificates, WAF) is the cloud's part: see
 * components/gcp/gkeEdge.ts. One concept per file in this folder; this file composes them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkCron } from "../shared/cron";
import { Transform } from "../shared/transform";
import { show } from "../shared/validate";
import { checkDnsLabel, SERVER_ARGS } from "./common";
import { createDeployment } from "./deployment";
import { createHpa, validateReplicas } from "./hpa";
import { createNamespace } from "./namespace";
import { createNetworkPolicies, EgressRule } from "./networkPolicies";
import { createPdb } from "./pdb";
import { ContainerOptions, DEFAULT_RESOURCES, Resources, validateResources } from "./podSpec";
import { createSecretProviderClass, SecretFile } from "./secretProviderClass";
import { createService } from "./service";
import { createServiceAccount } from "./serviceAccount";
import { createCronJob, createMigrateJob, migrateJobName } from "./jobs";

export interface WorkloadTransforms {
  namespace?: Transform<k8s.core.v1.NamespaceArgs>;
  serviceAccount?: Transform<k8s.core.v1.ServiceAccountArgs>;
  secretProviderClass?: Transform<k8s.apiextensions.CustomResourceArgs>;
  deployment?: Transform<k8s.apps.v1.DeploymentArgs>;
  service?: Transform<k8s.core.v1.ServiceArgs>;
  hpa?: Transform<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>;
  pdb?: Transform<k8s.policy.v1.PodDisruptionBudgetArgs>;
  migrateJob?: Transform<k8s.batch.v1.JobArgs>;
  cronJob?: Transform<k8s.batch.v1.CronJobArgs>;
  /** Every NetworkPolicy; the function form receives the logical name to tell them apart. */
  networkPolicy?: Transform<k8s.networking.v1.NetworkPolicyArgs>;
}

export interface WorkloadArgs {
  /** The Kubernetes provider of the target cluster (e.g. `gkeProvider(...)`). */
  provider: k8s.Provider;
  /** The namespace the workload gets (created here). @default "meridian" */
  namespace?: string;
  /** Value of `app.kubernetes.io/name` and prefix of object names (RFC 1123, at most 40). @default "meridian-api" */
  app?: string;
  /** The API image; prod passes a digest-pinned reference (the stack checks it). */
  image: pulumi.Input<string>;
  /** Plain variables of the API and its jobs (never secrets). @default {} */
  environment?: Record<string, pulumi.Input<string>>;
  /**
   * Secrets as files through the Secrets Store CSI driver (no Kubernetes Secret). `env` files are exported as
   * variables of the same name before the command runs; `files` stay files (CA certificates).
   * @default none
   */
  secrets?: {
    /** CSI driver. @example "secrets-store-gke.csi.k8s.io" */
    driver: string;
    /** SecretProviderClass `spec.provider`. @example "gke" */
    provider: string;
    env: { name: string; resourceName: pulumi.Input<string> }[];
    files?: SecretFile[];
  };
  /** Annotations of the ServiceAccount (cloud identity). @example { "iam.gke.io/gcp-service-account": email } */
  serviceAccountAnnotations?: Record<string, pulumi.Input<string>>;
  /** Requests and limits of every container. @default seed 003: requests 250m / 512Mi, limits 500m / 1Gi */
  resources?: Resources;
  /** Replica bounds of the autoscaler (1-100, min <= max). @default { min: 2, max: 10 } */
  replicas?: { min: number; max: number };
  /** The scheduled job (`job <name>`, 5-field UTC cron); suspended while `suspend`. @default none */
  job?: { name: string; schedule: string; suspend?: boolean };
  /**
   * Before the first release (the image is a placeholder without the app's commands): the Deployment runs 0
   * replicas, there is no autoscaler (it would scale it up) and no migrate Job, and the CronJob is suspended.
   * The Service, Gateway and policies exist, so the first real image only has to be set.
   * @default false
   */
  paused?: boolean;
  /** Who may reach the API Pods and where the workload may connect (besides DNS). */
  network: { ingressFrom: readonly string[]; egress: EgressRule[] };
  /** Annotations of the Service (e.g. GKE NEG settings). @default {} */
  serviceAnnotations?: Record<string, pulumi.Input<string>>;
  /** Extra labels of every object. @default {} */
  labels?: Record<string, string>;
  /** Patches any child's args or options. @default none */
  transform?: WorkloadTransforms;
}

/** The validated args with defaults applied. */
export interface WorkloadSettings {
  namespace: string;
  app: string;
  resources: Resources;
  replicas: { min: number; max: number };
  job?: { name: string; schedule: string; suspend: boolean };
}

/** Validates the args and applies defaults; errors name the arg, the value and what is allowed. */
export function resolveWorkloadArgs(args: WorkloadArgs): WorkloadSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  if (!args.provider) throw new Error("provider is missing; pass the target cluster's Kubernetes provider");
  if (args.image === undefined || args.image === "")
    throw new Error(`image is ${show(args.image)}; it is required`);
  const namespace = checkDnsLabel("namespace", args.namespace ?? "meridian");
  const app = checkDnsLabel("app", args.app ?? "meridian-api", 40);
  const resources = validateResources("resources", args.resources ?? DEFAULT_RESOURCES);
  const replicas = validateReplicas(args.replicas?.min ?? 2, args.replicas?.max ?? 10);
  if (!args.network || !Array.isArray(args.network.ingressFrom) || args.network.ingressFrom.length === 0) {
    throw new Error(
      `network.ingressFrom is ${show(args.network?.ingressFrom)}; allowed: the load balancer's CIDRs (at least one)`,
    );
  }
  let job: WorkloadSettings["job"];
  if (args.job) {
    checkDnsLabel("job.name", args.job.name, 52);
    job = {
      name: args.job.name,
      schedule: checkCron("job.schedule", args.job.schedule),
      suspend: args.job.suspend ?? false,
    };
  }
  return { namespace, app, resources, replicas, job };
}

/**
 * @example
 * const api = new Workload("meridian-prod-k8s", {
 *   provider, image: cfg.image, environment: { NODE_ENV: "production" },
 *   secrets: { driver: GKE_SECRETS_DRIVER, provider: GKE_SECRETS_PROVIDER, env: [{ name: "DATABASE_URL", resourceName }] },
 *   serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": runtime.email },
 *   replicas: { min: 2, max: 10 }, job: { name: "refresh-category-counts", schedule: "0 * * * *" },
 *   network: { ingressFrom: ["35.191.0.0/16", "130.211.0.0/22"], egress: [{ name: "database", cidrs: ["10.61.0.0/16"], ports: [5432] }] },
 * });
 *
 * Cost: the objects are free; the cluster bills the Pods' requests (docs/gke.md).
 */
export class Workload extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  /** The ClusterIP Service (the Gateway's backend). */
  public readonly service: k8s.core.v1.Service;
  public readonly serviceName: pulumi.Output<string>;
  public readonly deploymentName: pulumi.Output<string>;
  public readonly migrateJobName: pulumi.Output<string>;
  /** The CronJob's name, or "" without a scheduled job. */
  public readonly cronJobName: pulumi.Output<string>;
  /** The Kubernetes ServiceAccount's name (for the Workload Identity binding). */
  public readonly serviceAccountName: string;
  public readonly settings: WorkloadSettings;

  constructor(name: string, args: WorkloadArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = (() => {
      try {
        return resolveWorkloadArgs(args);
      } catch (e) {
        throw new Error(`Workload "${name}": ${(e as Error).message}`);
      }
    })();
    super("meridian:k8s:Workload", name, {}, opts);
    this.settings = s;
    const t = args.transform ?? {};
    const child = (extra: pulumi.CustomResourceOptions = {}) => ({
      parent: this,
      provider: args.provider,
      ...extra,
    });
    const base = { app: s.app, labels: args.labels };

    const ns = createNamespace(
      `${name}-namespace`,
      { namespace: s.namespace, ...base },
      child(),
      t.namespace,
    );
    const namespace = ns.metadata.name;
    this.serviceAccountName = s.app;
    const sa = createServiceAccount(
      `${name}-sa`,
      { namespace, serviceAccountName: s.app, annotations: args.serviceAccountAnnotations, ...base },
      child(),
      t.serviceAccount,
    );

    let secretsOpt: ContainerOptions["secrets"];
    const deps: pulumi.Resource[] = [sa];
    if (args.secrets) {
      const spc = createSecretProviderClass(
        `${name}-secrets`,
        {
          namespace,
          className: `${s.app}-secrets`,
          provider: args.secrets.provider,
          files: [
            ...args.secrets.env.map((e) => ({ resourceName: e.resourceName, path: e.name })),
            ...(args.secrets.files ?? []),
          ],
          ...base,
        },
        child(),
        t.secretProviderClass,
      );
      deps.push(spc);
      secretsOpt = {
        driver: args.secrets.driver,
        providerClass: spc.metadata.name,
        envFiles: args.secrets.env.map((e) => e.name),
      };
    }
    const run = {
      image: args.image,
      environment: args.environment ?? {},
      secrets: secretsOpt,
      resources: s.resources,
      serviceAccountName: sa.metadata.name,
    };

    const policies = createNetworkPolicies(
      `${name}-netpol`,
      { namespace, ...args.network, ...base },
      child(),
      t.networkPolicy,
    );
    deps.push(...policies);

    const paused = args.paused ?? false;
    const migrate = paused
      ? undefined
      : createMigrateJob(
          `${name}-migrate`,
          { namespace, run, ...base },
          child({ dependsOn: deps }),
          t.migrateJob,
        );
    const deployment = createDeployment(
      `${name}-deployment`,
      {
        namespace,
        deploymentName: s.app,
        replicas: paused ? 0 : s.replicas.min,
        container: run,
        command: SERVER_ARGS,
        ...base,
      },
      // Never roll before the schema is migrated.
      child({ dependsOn: migrate ? [...deps, migrate] : deps }),
      t.deployment,
    );
    this.service = createService(
      `${name}-service`,
      { namespace, serviceName: s.app, annotations: args.serviceAnnotations, ...base },
      child(),
      t.service,
    );
    if (!paused)
      createHpa(
        `${name}-hpa`,
        {
          namespace,
          deploymentName: deployment.metadata.name,
          minReplicas: s.replicas.min,
          maxReplicas: s.replicas.max,
          ...base,
        },
        child(),
        t.hpa,
      );
    createPdb(`${name}-pdb`, { namespace, ...base }, child(), t.pdb);
    const cron = s.job
      ? createCronJob(
          `${name}-cron`,
          {
            namespace,
            jobName: s.job.name,
            schedule: s.job.schedule,
            suspend: s.job.suspend || paused,
            run,
            ...base,
          },
          child({ dependsOn: deps }),
          t.cronJob,
        )
      : undefined;

    this.namespace = namespace;
    this.serviceName = this.service.metadata.name;
    this.deploymentName = deployment.metadata.name;
    this.migrateJobName = pulumi.output(migrateJobName(s.app));
    this.cronJobName = cron ? cron.metadata.name : pulumi.output("");
    this.registerOutputs({
      namespace: this.namespace,
      serviceName: this.serviceName,
      deploymentName: this.deploymentName,
      migrateJobName: this.migrateJobName,
      cronJobName: this.cronJobName,
    });
  }
}
