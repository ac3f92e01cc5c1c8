/**
 * What the Meridian API container looks like on Cloud Run, for the service and the jobs alike: the
 * workload contract's port, commands and shutdown budget; plain environment variables (never secrets);
 * Secret Manager references pinned to a version (env vars and files); the OpenTelemetry collector sidecar.
 *
 * Pure: validation and the container/volume shapes Cloud Run v2 takes, no resources. Tested in
 * containers.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ENV_NAME,
  validateEnvironment as validatePlainEnvironment,
  type Environment,
} from "../shared/environment";
import { show } from "../shared/validate";
import type { SecretRef } from "./secret";

/** The port the API listens on (workload contract; Cloud Run passes it to the app as `PORT`). */
export const CONTAINER_PORT = 8080;
/** Name of the API container. */
export const APP_CONTAINER = "api";
/** Name of the collector sidecar. */
export const OTEL_CONTAINER = "otel-collector";
/**
 * Google's sample image Cloud Run deploys before an image is released: it answers 200 on every path, so the
 * probes pass. https://cloud.google.com/run/docs/quickstarts/deploy-container (read 2026-11).
 */
export const PLACEHOLDER_IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";
/** The migrate command of the workload contract. */
export const MIGRATE_COMMAND = ["node", "dist/cli.js", "migrate"] as const;
/** The scheduled job command of the workload contract. */
export function jobCommand(jobName: string): string[] {
  return ["node", "dist/cli.js", "job", jobName];
}
/**
 * The app's drain budget on SIGTERM: Cloud Run sends SIGKILL 10 s after SIGTERM
 * (https://cloud.google.com/run/docs/container-contract#instance-shutdown, read 2026-11); docs/app.md says 8000.
 */
export const SHUTDOWN_TIMEOUT_MS = "8000";
/**
 * The Google-Built OpenTelemetry Collector, pinned by tag
 * (https://cloud.google.com/stackdriver/docs/instrumentation/opentelemetry-collector-cloud-run, read 2026-11).
 * Prod should pin it by digest: `gcloud artifacts docker images describe <this image> --format='value(image_summary.digest)'`.
 */
export const OTEL_COLLECTOR_IMAGE =
  "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.160.0";
/** Port of the collector's health_check extension (its startup probe). */
export const OTEL_HEALTH_PORT = 13133;

/** Names Cloud Run sets itself (https://cloud.google.com/run/docs/container-contract#env-vars) or this component sets. */
export const RESERVED_ENV = [
  "PORT",
  "K_SERVICE",
  "K_REVISION",
  "K_CONFIGURATION",
  "CLOUD_RUN_JOB",
  "CLOUD_RUN_EXECUTION",
  "CLOUD_RUN_TASK_INDEX",
  "CLOUD_RUN_TASK_ATTEMPT",
  "CLOUD_RUN_TASK_COUNT",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_EXPORTER_OTLP_PROTOCOL",
  "SHUTDOWN_TIMEOUT_MS",
] as const;

export type { Environment } from "../shared/environment";

/**
 * Validates plain environment variables (components/shared/environment.ts): valid names, string values (or
 * Outputs), nothing that is or looks secret (Secret Manager instead).
 */
export function validateEnvironment(env: unknown): Environment {
  return validatePlainEnvironment(env, {
    reserved: RESERVED_ENV,
    reservedWhy: "is set by Cloud Run or this component",
    store: "Secret Manager",
    visibleIn: "the Cloud Run service (anyone who can view it)",
    secretHint: (k) => `secrets: { ${k}: <SecretRef> }`,
  });
}

/** Throws unless `v` is a secret version number (`"1"`, `"2"`, ...): `latest` would change under a running revision. */
export function pinnedVersion(arg: string, v: unknown): string {
  if (typeof v !== "string" || !/^[1-9][0-9]*$/.test(v)) {
    throw new Error(
      `${arg} is ${show(v)}; allowed: a version number such as "1" (never "latest": a new version must roll out ` +
        `with a new revision, not under a running one)`,
    );
  }
  return v;
}

const SECRET_ID = /^(?:projects\/[a-z0-9-]+\/secrets\/)?[A-Za-z0-9_-]{1,255}$/;

function checkRef(arg: string, ref: unknown): SecretRef {
  const r = ref as SecretRef | undefined;
  if (r === null || typeof r !== "object" || r.secretId === undefined || r.version === undefined) {
    throw new Error(
      `${arg} is ${show(ref)}; allowed: a SecretRef { secretId, version } (createManagedSecret's ref)`,
    );
  }
  if (typeof r.secretId === "string" && !SECRET_ID.test(r.secretId)) {
    throw new Error(`${arg}.secretId is ${show(r.secretId)}; allowed: a Secret Manager secret id`);
  }
  if (!pulumi.Output.isInstance(r.version)) pinnedVersion(`${arg}.version`, r.version);
  return r;
}

/** Validates `secrets`: env var name -> pinned SecretRef, not also a plain variable. */
export function validateSecrets(secrets: unknown, environment: Environment): Record<string, SecretRef> {
  const s = secrets ?? {};
  if (s === null || typeof s !== "object" || Array.isArray(s)) {
    throw new Error(
      `secrets is ${show(s)}; allowed: a map of variable name to SecretRef { secretId, version }`,
    );
  }
  for (const [k, v] of Object.entries(s)) {
    if (!ENV_NAME.test(k)) {
      throw new Error(
        `secrets has the name ${show(k)}; allowed: letters, digits and _ (not starting with a digit)`,
      );
    }
    if ((RESERVED_ENV as readonly string[]).includes(k)) {
      throw new Error(`secrets.${k} is set by Cloud Run or this component; allowed: any other name`);
    }
    if (k in environment) {
      throw new Error(
        `${k} is in both environment and secrets; allowed: one of them (a secret belongs in secrets)`,
      );
    }
    checkRef(`secrets.${k}`, v);
  }
  return { ...(s as Record<string, SecretRef>) };
}

/** A secret version mounted as one file. */
export interface SecretFileMount {
  /** Volume name, derived from the directory. */
  volume: string;
  /** The directory the volume is mounted at (Cloud Run mounts one secret per directory). */
  directory: string;
  /** The file name inside the directory. */
  fileName: string;
  ref: SecretRef;
}

const FILE_PATH = /^(\/[A-Za-z0-9._-]+){2,}$/;
const SYSTEM_DIRS = ["/", "/app", "/bin", "/dev", "/etc", "/lib", "/proc", "/sys", "/tmp", "/usr", "/var"];

/**
 * Validates `secretFiles`: absolute file path -> pinned SecretRef, e.g. `{ "/secrets/db-ca/ca.pem": ref }`.
 * Each file gets its own directory (a secret volume hides what else was in it), outside system directories.
 */
export function validateSecretFiles(files: unknown): SecretFileMount[] {
  const f = files ?? {};
  if (f === null || typeof f !== "object" || Array.isArray(f)) {
    throw new Error(`secretFiles is ${show(f)}; allowed: a map of absolute file path to SecretRef`);
  }
  const seen = new Set<string>();
  return Object.entries(f).map(([path, ref]) => {
    if (!FILE_PATH.test(path) || path.split("/").some((p) => p === "." || p === "..")) {
      throw new Error(
        `secretFiles has the path ${show(path)}; allowed: an absolute path of a file in its own directory, ` +
          `e.g. "/secrets/db-ca/ca.pem" (letters, digits, . _ -)`,
      );
    }
    const directory = path.slice(0, path.lastIndexOf("/"));
    if (SYSTEM_DIRS.includes(directory)) {
      throw new Error(
        `secretFiles path ${show(path)} would hide ${directory}; allowed: a dedicated directory such as /secrets/<name>`,
      );
    }
    if (seen.has(directory)) {
      throw new Error(
        `secretFiles has two files in ${directory}; allowed: one file per directory (one secret volume each)`,
      );
    }
    seen.add(directory);
    checkRef(`secretFiles["${path}"]`, ref);
    const volume = `secret${directory.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`
      .slice(0, 63)
      .replace(/-+$/, "");
    return { volume, directory, fileName: path.slice(directory.length + 1), ref: ref as SecretRef };
  });
}

/** One env var as Cloud Run v2 takes it (service and job containers share the shape). */
export interface CloudRunEnv {
  name: string;
  value?: pulumi.Input<string>;
  valueSource?: { secretKeyRef: { secret: pulumi.Input<string>; version: pulumi.Input<string> } };
}

/** Pins an Output version at apply time, so a `latest` coming from another component fails the deployment. */
function pinned(arg: string, version: pulumi.Input<string>): pulumi.Input<string> {
  return pulumi.Output.isInstance(version) ? version.apply((v) => pinnedVersion(arg, v)) : version;
}

/**
 * A plain value that is an Output is checked when it resolves: a secret Output (e.g. a generated password)
 * must not become a plain environment value, which anyone who can view the service reads.
 */
function notSecret(name: string, v: pulumi.Input<string>): pulumi.Input<string> {
  if (!pulumi.Output.isInstance(v)) return v;
  return pulumi.output(pulumi.isSecret(v as pulumi.Output<string>)).apply((secret) => {
    if (secret) {
      throw new Error(
        `environment.${name} is a secret Output; plain environment values are readable by anyone who can view the ` +
          `Cloud Run service: store it in Secret Manager and pass secrets: { ${name}: <SecretRef> }`,
      );
    }
    return v;
  });
}

/** The container's env list: plain values, then secret references (each pinned), sorted by name. */
export function containerEnvs(environment: Environment, secrets: Record<string, SecretRef>): CloudRunEnv[] {
  const plain: CloudRunEnv[] = Object.keys(environment).map((name) => ({
    name,
    value: notSecret(name, environment[name]),
  }));
  const refs: CloudRunEnv[] = Object.keys(secrets).map((name) => ({
    name,
    valueSource: {
      secretKeyRef: {
        secret: secrets[name].secretId,
        version: pinned(`secrets.${name}.version`, secrets[name].version),
      },
    },
  }));
  return [...plain, ...refs].sort((a, b) => a.name.localeCompare(b.name));
}

/** Secret volumes (read-only, mode 0444, one file each) and their mounts. */
export function secretVolumes(files: SecretFileMount[]): {
  volumes: {
    name: string;
    secret: {
      secret: pulumi.Input<string>;
      defaultMode: number;
      items: { path: string; version: pulumi.Input<string>; mode: number }[];
    };
  }[];
  mounts: { name: string; mountPath: string }[];
} {
  return {
    volumes: files.map((f) => ({
      name: f.volume,
      secret: {
        secret: f.ref.secretId,
        defaultMode: 0o444,
        items: [
          {
            path: f.fileName,
            version: pinned(`secretFiles["${f.directory}/${f.fileName}"].version`, f.ref.version),
            mode: 0o444,
          },
        ],
      },
    })),
    mounts: files.map((f) => ({ name: f.volume, mountPath: f.directory })),
  };
}

/**
 * The collector configuration (JSON is YAML), passed in an env var (`--config=env:OTELCOL_CONFIG`): OTLP on
 * localhost in; traces to Cloud Trace and metrics to Cloud Monitoring through the `googlecloud` exporter,
 * with GCP resource detection. Needs roles/cloudtrace.agent and roles/monitoring.metricWriter.
 */
export function otelCollectorConfig(): string {
  return JSON.stringify({
    extensions: { health_check: { endpoint: `0.0.0.0:${OTEL_HEALTH_PORT}` } },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: "127.0.0.1:4317" }, http: { endpoint: "127.0.0.1:4318" } } },
    },
    processors: {
      memory_limiter: { check_interval: "1s", limit_percentage: 65, spike_limit_percentage: 20 },
      resourcedetection: { detectors: ["env", "gcp"], timeout: "2s", override: false },
      batch: { send_batch_size: 200, send_batch_max_size: 200, timeout: "5s" },
    },
    exporters: { googlecloud: {} },
    service: {
      extensions: ["health_check"],
      pipelines: {
        traces: {
          receivers: ["otlp"],
          processors: ["memory_limiter", "resourcedetection", "batch"],
          exporters: ["googlecloud"],
        },
        metrics: {
          receivers: ["otlp"],
          processors: ["memory_limiter", "resourcedetection", "batch"],
          exporters: ["googlecloud"],
        },
      },
    },
  });
}

/** The app's env for the sidecar: OTLP over HTTP to localhost. */
export const OTEL_APP_ENV: Record<string, string> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
};

/** The collector sidecar container (no port: only the ingress container may have one). */
export function otelCollectorContainer(
  image: string,
  cpuIdle: boolean,
): {
  name: string;
  image: string;
  args: string[];
  envs: CloudRunEnv[];
  resources: { limits: Record<string, string>; cpuIdle: boolean };
  startupProbe: {
    httpGet: { path: string; port: number };
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold: number;
  };
} {
  return {
    name: OTEL_CONTAINER,
    image,
    args: ["--config=env:OTELCOL_CONFIG"],
    envs: [{ name: "OTELCOL_CONFIG", value: otelCollectorConfig() }],
    resources: { limits: { cpu: "1", memory: "512Mi" }, cpuIdle },
    startupProbe: {
      httpGet: { path: "/", port: OTEL_HEALTH_PORT },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 12,
    },
  };
}
