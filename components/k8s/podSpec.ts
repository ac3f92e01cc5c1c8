/**
 * The API's Pod: the restricted Pod Security Standard's fields, the workload contract's probes, requests and
 * limits, a writable `/tmp` on an otherwise read-only root filesystem, and secrets as files from a Secrets
 * Store CSI volume (never a Kubernetes Secret). Pure: shapes only, tested in podSpec.test.ts.
 *
 * Secrets reach the app as environment variables without a Kubernetes Secret: the CSI driver mounts each
 * Secret Manager version as a file named after its variable, and the container's command exports the listed
 * files before `exec`-ing the workload command (so SIGTERM still reaches node directly).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { show } from "../shared/validate";
import {
  API_CONTAINER,
  API_PORT,
  DRAIN_SECONDS,
  LIVE_PATH,
  PRESTOP_SECONDS,
  READY_PATH,
  TERMINATION_GRACE_SECONDS,
} from "./common";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;

/** The image's user (`USER node` in app/Dockerfile is uid/gid 1000); numeric so the kubelet can check non-root. */
export const APP_UID = 1000;
/** Where the secrets volume is mounted (read-only, in memory). */
export const SECRETS_DIR = "/var/run/secrets/meridian";
/** The emptyDir mounted at /tmp (sharp and Node write temporary files there). */
export const TMP_VOLUME = "tmp";
export const SECRETS_VOLUME = "secrets";

/** CPU and memory in Kubernetes quantities. */
export interface Resources {
  /** What the scheduler reserves (and Autopilot bills). @example { cpu: "250m", memory: "512Mi" } */
  requests: { cpu: string; memory: string };
  /** The ceiling: CPU is throttled above it, the container is OOM-killed above the memory limit. */
  limits: { cpu: string; memory: string };
}

/** Seed 003's "Recommended Resources" for the API (../shared/seeds/003, "Kubernetes Deployment"). */
export const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: "250m", memory: "512Mi" },
  limits: { cpu: "500m", memory: "1Gi" },
};

/** A Secrets Store CSI volume: the driver and the SecretProviderClass that lists the files. */
export interface SecretsVolume {
  /** CSI driver, e.g. `secrets-store-gke.csi.k8s.io` (GKE's Secret Manager add-on). */
  driver: string;
  /** Name of the SecretProviderClass in the workload's namespace. */
  providerClass: pulumi.Input<string>;
  /** Variables whose value is the file of the same name in the volume. */
  envFiles: string[];
}

const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** Validates requests/limits: Kubernetes quantities, and each request at most its limit. */
export function validateResources(arg: string, r: Resources): Resources {
  for (const part of ["requests", "limits"] as const) {
    for (const k of ["cpu", "memory"] as const) {
      const v = r?.[part]?.[k];
      if (typeof v !== "string" || !QUANTITY.test(v)) {
        throw new Error(
          `${arg}.${part}.${k} is ${show(v)}; allowed: a Kubernetes quantity such as "250m" or "512Mi"`,
        );
      }
    }
  }
  for (const k of ["cpu", "memory"] as const) {
    if (quantity(r.requests[k]) > quantity(r.limits[k])) {
      throw new Error(
        `${arg}.requests.${k} is ${show(r.requests[k])}, above limits.${k} = ${show(r.limits[k])}; a request must be <= its limit`,
      );
    }
  }
  return r;
}

/** A Kubernetes quantity as a number (cores or bytes). */
export function quantity(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (!m) return NaN;
  const unit: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(m[1]) * (m[2] ? unit[m[2]] : 1);
}

/** The container securityContext the restricted Pod Security Standard asks for, and a read-only root. */
export function containerSecurityContext(): k8s.types.input.core.v1.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: APP_UID,
    runAsGroup: APP_UID,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** The Pod-level securityContext (non-root, RuntimeDefault seccomp, volumes owned by the app's group). */
export function podSecurityContext(): k8s.types.input.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: APP_UID,
    runAsGroup: APP_UID,
    fsGroup: APP_UID,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * The container's command: export each secret file as its variable, then exec the workload command.
 * Variable names are checked (`[A-Z_][A-Z0-9_]*`), so they are safe in the shell script.
 */
export function commandWithSecrets(
  envFiles: string[],
  args: readonly string[],
): { command: string[]; args: string[] } {
  if (envFiles.length === 0) return { command: [...args], args: [] };
  for (const n of envFiles) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(n)) {
      throw new Error(
        `secret variable ${show(n)}; allowed: upper-case letters, digits and _ (not starting with a digit)`,
      );
    }
  }
  const exports = envFiles.map((n) => `${n}="$(cat ${SECRETS_DIR}/${n})"`).join(" ");
  return { command: ["/bin/sh", "-c", `export ${exports} && exec "$@"`, "--"], args: [...args] };
}

/** What one API container runs with. */
export interface ContainerOptions {
  image: pulumi.Input<string>;
  /** Plain variables (never secrets). */
  environment: Record<string, pulumi.Input<string>>;
  secrets?: SecretsVolume;
  resources: Resources;
}

function env(environment: Record<string, pulumi.Input<string>>): k8s.types.input.core.v1.EnvVar[] {
  return Object.entries(environment)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

function mounts(o: ContainerOptions): k8s.types.input.core.v1.VolumeMount[] {
  return [
    { name: TMP_VOLUME, mountPath: "/tmp" },
    ...(o.secrets ? [{ name: SECRETS_VOLUME, mountPath: SECRETS_DIR, readOnly: true }] : []),
  ];
}

/**
 * The serving container: port 8080, startup/readiness on `/health/ready`, liveness on `/health/live`
 * (docs/app.md), a `preStop` pause so the load balancer stops sending before SIGTERM, and the drain budget.
 */
export function serverContainer(o: ContainerOptions, args: readonly string[]): Container {
  return {
    name: API_CONTAINER,
    image: o.image,
    ...commandWithSecrets(o.secrets?.envFiles ?? [], args),
    ports: [{ name: "http", containerPort: API_PORT, protocol: "TCP" }],
    env: env({ ...o.environment, PORT: String(API_PORT), SHUTDOWN_TIMEOUT_MS: String(DRAIN_SECONDS * 1000) }),
    resources: o.resources,
    securityContext: containerSecurityContext(),
    volumeMounts: mounts(o),
    // Up to 2 minutes for the first DB/Redis connections (as on Cloud Run).
    startupProbe: {
      httpGet: { path: READY_PATH, port: "http" },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 24,
    },
    readinessProbe: {
      httpGet: { path: READY_PATH, port: "http" },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 2,
    },
    livenessProbe: {
      httpGet: { path: LIVE_PATH, port: "http" },
      periodSeconds: 15,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", `sleep ${PRESTOP_SECONDS}`] } } },
  };
}

/** A run-to-completion container (migrate, scheduled jobs): the same image, identity and hardening, no port. */
export function jobContainer(o: ContainerOptions, args: readonly string[]): Container {
  return {
    name: API_CONTAINER,
    image: o.image,
    ...commandWithSecrets(o.secrets?.envFiles ?? [], args),
    env: env(o.environment),
    resources: o.resources,
    securityContext: containerSecurityContext(),
    volumeMounts: mounts(o),
  };
}

/** The Pod around one container: its service account, volumes, and no API token unless asked for. */
export function podSpec(
  container: Container,
  o: ContainerOptions & {
    serviceAccountName: pulumi.Input<string>;
    restartPolicy?: "Always" | "Never" | "OnFailure";
  },
  extra: Partial<PodSpec> = {},
): PodSpec {
  const volumes: k8s.types.input.core.v1.Volume[] = [{ name: TMP_VOLUME, emptyDir: { sizeLimit: "256Mi" } }];
  if (o.secrets) {
    volumes.push({
      name: SECRETS_VOLUME,
      csi: {
        driver: o.secrets.driver,
        readOnly: true,
        volumeAttributes: { secretProviderClass: o.secrets.providerClass },
      },
    });
  }
  return {
    serviceAccountName: o.serviceAccountName,
    // The app never calls the Kubernetes API; Workload Identity uses the metadata server, not this token.
    automountServiceAccountToken: false,
    securityContext: podSecurityContext(),
    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
    containers: [container],
    volumes,
    ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
    ...extra,
  };
}
