/**
 * The AWS Distro for OpenTelemetry (ADOT) collector the service can run as a sidecar (`otelCollector`):
 * its pinned image, container name, the CloudWatch namespace its metrics go to, and its configuration
 * (OTLP on localhost in; traces to X-Ray, metrics to CloudWatch as EMF through the service's log group).
 *
 * Pure: constants and one function, no resources. The container definition is in containers.ts, the task
 * role's permissions for it in serviceIam.ts.
 */

/** The ADOT collector image, pinned. */
export const OTEL_COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0";
/** CloudWatch namespace the collector's metrics go to (EMF), and the only one PutMetricData may write. */
export const OTEL_METRICS_NAMESPACE = "Meridian/Otel";
/** Name of the collector container. */
export const OTEL_CONTAINER = "otel-collector";

/** The collector configuration (JSON is YAML): OTLP on localhost in, X-Ray and CloudWatch EMF out. */
export function otelCollectorConfig(logGroupName: string): string {
  return JSON.stringify({
    extensions: { health_check: {} },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: "127.0.0.1:4317" }, http: { endpoint: "127.0.0.1:4318" } } },
    },
    processors: {
      resourcedetection: { detectors: ["env", "ecs"] },
      "batch/traces": { timeout: "1s", send_batch_size: 50 },
      "batch/metrics": { timeout: "60s" },
    },
    exporters: {
      awsxray: {},
      awsemf: {
        namespace: OTEL_METRICS_NAMESPACE,
        log_group_name: logGroupName,
        log_stream_name: "otel-metrics/{TaskId}",
      },
    },
    service: {
      extensions: ["health_check"],
      pipelines: {
        traces: {
          receivers: ["otlp"],
          processors: ["resourcedetection", "batch/traces"],
          exporters: ["awsxray"],
        },
        metrics: {
          receivers: ["otlp"],
          processors: ["resourcedetection", "batch/metrics"],
          exporters: ["awsemf"],
        },
      },
    },
  });
}
