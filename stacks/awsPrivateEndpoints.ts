/**
 * The interface VPC endpoints the AWS stack needs when its private subnets have no NAT gateway
 * (`meridian:natStrategy = none`): without them a Fargate task cannot pull its image, ship its logs or
 * receive its secrets, and never starts.
 *
 * What a Fargate task in a subnet without internet egress needs (AWS re:Post "Why does my Fargate task fail
 * with DockerTimeoutError", https://repost.aws/knowledge-center/ecs-fargate-docker-timeout-error, read
 * 2026-11-30; Amazon ECR "Interface VPC endpoints", https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html):
 *
 * - `ecr.api` and `ecr.dkr`: the image manifest and the registry API (the layers come from S3, which the
 *   network's free S3 gateway endpoint already serves);
 * - `logs`: the `awslogs` log driver (and the collector's EMF metrics, which are log events);
 * - `secretsmanager`: the task definition's `secrets` (`valueFrom` Secrets Manager ARNs);
 * - `xray`: only with the OpenTelemetry collector sidecar (`meridian:otelCollector`), which exports traces to
 *   X-Ray.
 *
 * Fargate tasks do not need the `ecs`, `ecs-agent` or `ecs-telemetry` endpoints (those serve EC2 container
 * instances), and ECS Exec (`ssmmessages`) is off in this stack. The API itself calls only S3.
 *
 * Cost: $0.01 per endpoint per AZ-hour (us-east-1, infra/cost/prices.yaml `aws.vpce.interface.hour`) plus
 * $0.01/GB: 4 endpoints in 2 AZs are ~$58.40/month, more than one NAT gateway with its address (~$36.73),
 * so `none` is a choice for no internet egress, not a way to save money (docs/cost-dev.md).
 */
import type { NatStrategy } from "../components/aws/network";

/** The endpoints every Fargate task of the stack needs without a NAT gateway, in creation order. */
export const FARGATE_PRIVATE_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs", "secretsmanager"] as const;

/**
 * The interface endpoints (short service names, as `Network`'s `interfaceEndpoints` takes them) for a NAT
 * strategy: the Fargate set, plus `xray` with the collector sidecar, when `natStrategy` is `none`; none
 * otherwise (the tasks reach AWS APIs through the NAT gateway).
 *
 * @example privateEndpointsFor("none", false) // ["ecr.api", "ecr.dkr", "logs", "secretsmanager"]
 */
export function privateEndpointsFor(natStrategy: NatStrategy, otelCollector: boolean): string[] {
  if (natStrategy !== "none") return [];
  return [...FARGATE_PRIVATE_ENDPOINTS, ...(otelCollector ? ["xray"] : [])];
}
