/**
 * The containers of the AWS service's task definitions: the API container (the workload contract's port,
 * health check, migrate command and SIGTERM budget; hardened: non-root, read-only root filesystem with a
 * writable /tmp, no privileges, all capabilities dropped), plain environment variables (never secrets),
 * Secrets Manager references injected by `valueFrom`, and the OpenTelemetry collector sidecar.
 *
 * Pure: the container definition JSON ECS takes (its inputs are validated in containerInputs.ts) (AWS ECS developer guide, "Task definition
 * parameters"); no resources. Tested in containers.test.ts and, through the component, in
 * taskDefinition.mock.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { OTEL_CONTAINER, otelCollectorConfig } from "./otelCollector";
import type { ServiceSettings } from "./serviceSettings";

/** The migrate command of the workload contract. */
export const MIGRATE_COMMAND = ["node", "dist/cli.js", "migrate"] as const;
/** Name of the API container in the task definitions. */
export const APP_CONTAINER = "api";
/** Uid:gid the app runs as (non-root; the image's `node` user). */
export const APP_USER = "1000:1000";

// Input validation lives in containerInputs.ts (re-exported here for importers).
export { secretResourceArn, validateEnvironment, validateImage, validateSecrets } from "./containerInputs";
import { validateImage } from "./containerInputs";

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
