/**
 * The containers of the AWS service's task definitions: the API container (the workload contract's port,
 * health check, migrate command and SIGTERM budget; hardened: non-root, read-only root filesystem with a
 * writable /tmp, no privileges, all capabilities dropped), plain environment variables (never secrets),
 * Secrets Manager references injected by `valueFrom`, and the OpenTelemetry collector sidecar.
 *
 * Pure: validation and the container definition JSON ECS takes (AWS ECS developer guide, "Task definition
 * parameters"); no resources. Tested in containers.test.ts and, through the component, in
 * taskDefinition.mock.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { show } from "../shared/validate";
import { OTEL_CONTAINER, otelCollectorConfig } from "./otelCollector";
import type { ServiceSettings } from "./serviceSettings";

/** The migrate command of the workload contract. */
export const MIGRATE_COMMAND = ["node", "dist/cli.js", "migrate"] as const;
/** Name of the API container in the task definitions. */
export const APP_CONTAINER = "api";
/** Uid:gid the app runs as (non-root; the image's `node` user). */
export const APP_USER = "1000:1000";

const IMAGE_REF =
  /^(?:(?<registry>[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d+)?)\/)?(?<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

/** Validates an image reference; with `requireDigest`, it must be pinned by `@sha256:<64 hex>`. */
export function validateImage(image: unknown, requireDigest: boolean): string {
  if (typeof image !== "string" || image.length > 512 || !IMAGE_REF.test(image)) {
    throw new Error(
      `image is ${show(image)}; allowed: an image reference [registry/]repository[:tag][@sha256:<64 hex>] ` +
        `(lowercase repository), e.g. "123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian-api@sha256:<digest>"`,
    );
  }
  if (requireDigest && !/@sha256:[a-f0-9]{64}$/.test(image)) {
    throw new Error(
      `image is ${show(image)} but requireDigest is true; allowed: an image pinned by digest ` +
        `(<repository>@sha256:<64 hex>); a tag can be moved to other content. Get the digest with ` +
        `\`docker buildx imagetools inspect IMAGE\` or \`crane digest IMAGE\``,
    );
  }
  return image;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LIKE = /PASSWORD|PASSWD|SECRET|TOKEN|KEY/i;
/** Names the component sets itself. */
const RESERVED_ENV = ["PORT", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL"];

/** Validates plain environment variables: valid names, string values, nothing that looks secret. */
export function validateEnvironment(env: unknown): Record<string, pulumi.Input<string>> {
  const e = env ?? {};
  if (e === null || typeof e !== "object" || Array.isArray(e)) {
    throw new Error(`environment is ${show(e)}; allowed: a map of variable name to string value`);
  }
  for (const [k, v] of Object.entries(e)) {
    if (!ENV_NAME.test(k)) {
      throw new Error(
        `environment has the name ${show(k)}; allowed: letters, digits and _ (not starting with a digit)`,
      );
    }
    if (SECRET_LIKE.test(k)) {
      throw new Error(
        `environment.${k} looks like a secret (the name contains PASSWORD, PASSWD, SECRET, TOKEN or KEY); plain ` +
          `environment values are visible in the task definition: store it in Secrets Manager and pass its ARN ` +
          `in secrets: { ${k}: <secret ARN> }`,
      );
    }
    if (RESERVED_ENV.includes(k)) {
      throw new Error(
        `environment.${k} is set by the component; allowed: any other name (use containerPort for PORT)`,
      );
    }
    // An Output is allowed for values known only at deployment (e.g. a bucket name created in the same stack).
    if (typeof v !== "string" && !pulumi.Output.isInstance(v))
      throw new Error(`environment.${k} is ${show(v)}; allowed: a string (or a pulumi Output of one)`);
  }
  return { ...(e as Record<string, pulumi.Input<string>>) };
}

const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(?::[^:]*:[^:]*:[^:]*)?$/;

/** The secret's own ARN (IAM resource) from a `valueFrom` that may carry `:jsonKey:stage:version`. */
export function secretResourceArn(valueFrom: string): string {
  return valueFrom.split(":").slice(0, 7).join(":");
}

/** Validates the secret references (known ARNs are checked now; outputs when they resolve). */
export function validateSecrets(
  secrets: unknown,
  environment: Record<string, pulumi.Input<string>>,
): Record<string, pulumi.Input<string>> {
  const s = secrets ?? {};
  if (s === null || typeof s !== "object" || Array.isArray(s)) {
    throw new Error(`secrets is ${show(s)}; allowed: a map of variable name to Secrets Manager secret ARN`);
  }
  for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
    if (!ENV_NAME.test(k)) {
      throw new Error(
        `secrets has the name ${show(k)}; allowed: letters, digits and _ (not starting with a digit)`,
      );
    }
    if (k in environment) {
      throw new Error(
        `${k} is in both environment and secrets; allowed: one of them (a secret belongs in secrets)`,
      );
    }
    if (RESERVED_ENV.includes(k)) throw new Error(`secrets.${k} is set by the component; use another name`);
    if (typeof v === "string" && !SECRET_ARN.test(v)) {
      throw new Error(
        `secrets.${k} is ${show(v)}; allowed: a Secrets Manager secret ARN ` +
          `(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 chars>), optionally with ":<jsonKey>::"`,
      );
    }
    if (v === undefined || v === null) throw new Error(`secrets.${k} is ${show(v)}; allowed: a secret ARN`);
  }
  return { ...(s as Record<string, pulumi.Input<string>>) };
}

/** The container health check: Node's fetch against /health/live (no curl/wget needed in the image). */
export function liveHealthCommand(port: number): string[] {
  return [
    "CMD",
    "node",
    "-e",
    `fetch('http://127.0.0.1:${port}/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
  ];
}

/**
 * The container definitions (JSON) of a task definition: the API container and, with `otelCollector`, the
 * collector sidecar. With `command` it is the one-off task (`migrate`): no port, health check or sidecar,
 * logs under the `migrate` stream prefix. An Output image is checked when it resolves (errors name the
 * service `serviceName`).
 */
export function containerDefinitions(
  serviceName: string,
  s: ServiceSettings,
  logGroupName: string,
  region: pulumi.Input<string>,
  command: string[] | undefined,
): pulumi.Output<string> {
  const oneOff = command !== undefined;
  const log = (prefix: string) => ({
    logDriver: "awslogs",
    options: {
      "awslogs-group": logGroupName,
      "awslogs-region": region,
      "awslogs-stream-prefix": prefix,
      mode: "non-blocking",
      "max-buffer-size": "25m",
    },
  });
  const environment: Record<string, pulumi.Input<string>> = {
    ...s.environment,
    PORT: String(s.containerPort),
  };
  const sidecar = s.otelCollector && !oneOff;
  if (sidecar) {
    environment.OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4318";
    environment.OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf";
  }
  const hardening = {
    user: APP_USER,
    readonlyRootFilesystem: true,
    privileged: false,
    linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
  };
  const app = {
    name: APP_CONTAINER,
    image: pulumi.output(s.image).apply((i) => {
      try {
        return validateImage(i, false);
      } catch (e) {
        throw new Error(`Service "${serviceName}": ${(e as Error).message}`);
      }
    }),
    essential: true,
    ...(command ? { command } : {}),
    ...hardening,
    portMappings: oneOff ? [] : [{ containerPort: s.containerPort, protocol: "tcp", name: "http" }],
    environment: Object.keys(environment)
      .sort()
      .map((k) => ({ name: k, value: environment[k] })),
    secrets: Object.keys(s.secrets)
      .sort()
      .map((k) => ({ name: k, valueFrom: s.secrets[k] })),
    mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
    ...(oneOff
      ? {}
      : {
          healthCheck: {
            command: liveHealthCommand(s.containerPort),
            interval: 15,
            timeout: 5,
            retries: 3,
            startPeriod: Math.min(Math.max(s.healthCheckGracePeriodSeconds, 10), 300),
          },
        }),
    stopTimeout: s.stopTimeoutSeconds,
    logConfiguration: log(oneOff ? "migrate" : APP_CONTAINER),
    ...(sidecar ? { dependsOn: [{ containerName: OTEL_CONTAINER, condition: "START" }] } : {}),
  };
  const containers: object[] = [app];
  if (sidecar) {
    containers.push({
      name: OTEL_CONTAINER,
      image: s.otelCollectorImage,
      essential: false,
      ...hardening,
      user: "10001:10001",
      environment: [{ name: "AOT_CONFIG_CONTENT", value: otelCollectorConfig(logGroupName) }],
      mountPoints: [],
      portMappings: [],
      stopTimeout: 10,
      logConfiguration: log(OTEL_CONTAINER),
    });
  }
  return pulumi.jsonStringify(containers);
}
