/**
 * Facts about what each role is for, read from the resources that use the role (not from its policy):
 * the task definitions (images, secrets, log groups, environment), the schedule's target, the RDS proxy's
 * auth secrets, the flow log's destination, the backup selections, the Config recorder and delivery
 * channel, and the resource policies of buckets and keys. The expectations (rows.ts) are built from
 * these, so a policy that drifts from what its users need fails the proof.
 */
import type { PreviewGraph } from "../cost/graph";
import { known, ofType, parsePolicy, type PolicyDocument } from "./roles";
import type { Request } from "./simulate";

/** Another account, for cross-account neighbours. */
export const OTHER_ACCOUNT = "210987654321";

/** One container of a task definition, as the ECS API takes it. */
export interface Container {
  name: string;
  image: string;
  secrets?: { name: string; valueFrom: string }[];
  environment?: { name: string; value: string }[];
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
}

/** A task definition with the two roles it names. */
export interface TaskDef {
  name: string;
  arn: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  containers: Container[];
}

export function region(g: PreviewGraph): string {
  const r = g.config?.["aws:region"]?.value;
  if (!r) throw new Error("the preview has no aws:region");
  return r;
}

export function taskDefs(g: PreviewGraph): TaskDef[] {
  return ofType(g, "aws:ecs/taskDefinition:TaskDefinition").map((r) => ({
    name: r.name,
    arn: known(r, "arn"),
    executionRoleArn: r.inputs.executionRoleArn as string | undefined,
    taskRoleArn: r.inputs.taskRoleArn as string | undefined,
    containers: JSON.parse(known(r, "containerDefinitions")) as Container[],
  }));
}

/** The secret ARN of a `valueFrom` (which may add `:json-key:version-stage:version-id`). */
export function secretArnOf(valueFrom: string): string {
  return valueFrom.split(":").slice(0, 7).join(":");
}

/** The ARN of the graph's log group named `name`; throws when the graph has none. */
export function logGroupArn(g: PreviewGraph, name: string): string {
  const lg = ofType(g, "aws:cloudwatch/logGroup:LogGroup").find((r) => known(r, "name") === name);
  if (!lg) throw new Error(`no log group named ${name} in the graph`);
  return known(lg, "arn");
}

/** The ARN of the graph's ECR repository an image is pulled from, or undefined (another registry). */
export function repositoryArnOf(g: PreviewGraph, image: string): string | undefined {
  const m = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/([^:@]+)/.exec(image);
  if (!m) return undefined;
  const repo = ofType(g, "aws:ecr/repository:Repository").find((r) => known(r, "name") === m[1]);
  if (!repo) throw new Error(`image ${image}: its repository is not in the graph`);
  return known(repo, "arn");
}

/** The policy of the graph's bucket `bucket` (BucketPolicy), if it has one. */
export function bucketPolicy(g: PreviewGraph, bucket: string): PolicyDocument | undefined {
  const p = ofType(g, "aws:s3/bucketPolicy:BucketPolicy").find((r) => r.inputs.bucket === bucket);
  return p ? parsePolicy(p.inputs.policy, p.name) : undefined;
}

/**
 * The key policy of the graph's KMS key `arn`. A key created without one gets AWS's default key policy,
 * which gives the account root `kms:*` (IAM policies then decide): that document is returned for it.
 */
export function keyPolicy(g: PreviewGraph, arn: string): PolicyDocument {
  const k = ofType(g, "aws:kms/key:Key").find((r) => known(r, "arn") === arn);
  if (!k) throw new Error(`no KMS key ${arn} in the graph`);
  if (k.inputs.policy !== undefined) return parsePolicy(k.inputs.policy, k.name);
  const account = arn.split(":")[4];
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
    ],
  };
}

/** Every string output `key` of the resources of `type`. */
export function arnsOf(g: PreviewGraph, type: string, key = "arn"): string[] {
  return ofType(g, type).map((r) => known(r, key));
}

/** An environment variable of a container, or undefined. */
export function envOf(c: Container, name: string): string | undefined {
  return c.environment?.find((e) => e.name === name)?.value;
}

/**
 * The customer managed key a graph secret is encrypted with, or undefined (the AWS managed
 * `aws/secretsmanager` key, which needs no IAM grant for a caller of the same account).
 */
export function secretKey(g: PreviewGraph, secretArn: string): string | undefined {
  const s = ofType(g, "aws:secretsmanager/secret:Secret").find((r) => known(r, "arn") === secretArn);
  const key = s?.inputs.kmsKeyId;
  return typeof key === "string" && key !== "" ? key : undefined;
}

/** `kms:Decrypt` through Secrets Manager on the customer managed keys of `secrets`, with their key policies. */
export function secretKeyDecrypts(g: PreviewGraph, secrets: string[]): Request[] {
  const keys = [...new Set(secrets.flatMap((s) => secretKey(g, s) ?? []))];
  return keys.map((k) => ({
    action: "kms:Decrypt",
    resource: k,
    context: { "kms:ViaService": `secretsmanager.${region(g)}.amazonaws.com` },
    resourcePolicy: keyPolicy(g, k),
  }));
}
