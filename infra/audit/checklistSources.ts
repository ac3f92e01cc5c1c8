/**
 * What the go-live checks read, by provider type (argument names from node_modules/@pulumi/aws 7 and
 * @pulumi/gcp 9): workload environments (ECS `containerDefinitions` JSON, Cloud Run v2 `template.containers[].envs`,
 * Lambda `environment.variables`) and data stores with their backup and deletion-protection flags.
 */
import { at, Graph, listAt, Node } from "./checklistGraph";

export const ECS_TASK = "aws:ecs/taskDefinition:TaskDefinition";
export const RUN_V2 = "gcp:cloudrunv2/service:Service";
export const RUN_V2_JOB = "gcp:cloudrunv2/job:Job";
export const LAMBDA = "aws:lambda/function:Function";
export const CF = "aws:cloudfront/distribution:Distribution";
export const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
export const LBS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
export const RDS = ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"];
export const DYNAMO = "aws:dynamodb/table:Table";
export const CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance";
export const GCP_BACKENDS = [
  "gcp:compute/backendService:BackendService",
  "gcp:compute/backendBucket:BackendBucket",
];

/** Entry-point verdict lists, with the CloudFront distributions already counted as seen. */
export function entryPoints(g: Graph) {
  const dists = g.ofType(CF);
  return { bad: [] as Node[], review: [] as Node[], seen: [...dists], dists };
}

/** A CloudFront distribution's default and ordered cache behaviors. */
export function cacheBehaviors(d: Node): unknown[] {
  return [at(d.state, "defaultCacheBehavior"), ...listAt(d.state, "orderedCacheBehaviors")];
}

/** An environment variable of a workload: literal value, or a reference to a secret store. */
export interface EnvVar {
  node: Node;
  name: string;
  /** The literal value (undefined: from a reference, or unknown). */
  value?: string;
  byReference: boolean;
}

/** Container environments of ECS task definitions, Cloud Run services/jobs and Lambda functions. */
export function envVars(g: Graph): { vars: EnvVar[]; workloads: Node[]; unknown: Node[] } {
  const vars: EnvVar[] = [];
  const workloads: Node[] = [];
  const unknown: Node[] = [];
  for (const n of g.ofType(ECS_TASK)) {
    workloads.push(n);
    const raw = n.state.containerDefinitions;
    if (typeof raw !== "string") {
      unknown.push(n);
      continue;
    }
    for (const c of JSON.parse(raw) as Record<string, unknown>[]) {
      for (const e of listAt(c, "environment"))
        vars.push({ node: n, name: String(e.name), value: String(e.value ?? ""), byReference: false });
      for (const e of listAt(c, "secrets")) vars.push({ node: n, name: String(e.name), byReference: true });
    }
  }
  for (const n of g.ofType(RUN_V2, RUN_V2_JOB)) {
    workloads.push(n);
    if (n.unknown("template")) unknown.push(n);
    const containers = [
      ...listAt(n.state, "template.containers"),
      ...listAt(n.state, "template.template.containers"),
    ];
    for (const c of containers)
      for (const e of listAt(c, "envs")) {
        const ref = at(e, "valueSource.secretKeyRef") !== undefined;
        vars.push({
          node: n,
          name: String(e.name),
          value: ref ? undefined : String(e.value ?? ""),
          byReference: ref,
        });
      }
  }
  for (const n of g.ofType(LAMBDA)) {
    workloads.push(n);
    const env = at(n.state, "environment.variables");
    if (env && typeof env === "object")
      for (const [name, value] of Object.entries(env))
        vars.push({ node: n, name, value: String(value), byReference: false });
  }
  return { vars, workloads, unknown };
}

/** Data stores and what each says about backups and deletion protection. */
export function stores(g: Graph): {
  node: Node;
  backups: boolean | undefined;
  pitr: boolean | undefined;
  protection: boolean | undefined;
}[] {
  const flag = (n: Node, key: string, path = key) =>
    n.unknown(key) ? undefined : at(n.state, path) === true;
  return [
    ...g.ofType(...RDS).map((n) => {
      const retention = n.unknown("backupRetentionPeriod")
        ? undefined
        : Number(n.state.backupRetentionPeriod ?? (n.r.type.endsWith("Cluster") ? 1 : 0));
      // RDS point-in-time recovery is on whenever automated backups are (retention ≥ 1 day).
      const on = retention === undefined ? undefined : retention >= 1;
      return { node: n, backups: on, pitr: on, protection: flag(n, "deletionProtection") };
    }),
    ...g.ofType(DYNAMO).map((n) => ({
      node: n,
      backups: flag(n, "pointInTimeRecovery", "pointInTimeRecovery.enabled"),
      pitr: flag(n, "pointInTimeRecovery", "pointInTimeRecovery.enabled"),
      protection: flag(n, "deletionProtectionEnabled"),
    })),
    ...g.ofType(CLOUD_SQL).map((n) => ({
      node: n,
      backups: flag(n, "settings", "settings.backupConfiguration.enabled"),
      pitr:
        flag(n, "settings", "settings.backupConfiguration.pointInTimeRecoveryEnabled") ||
        flag(n, "settings", "settings.backupConfiguration.binaryLogEnabled"),
      protection: flag(n, "deletionProtection") && flag(n, "settings", "settings.deletionProtectionEnabled"),
    })),
  ];
}
