/**
 * Monthly pricing rules for the billed AWS types Meridian creates (prices: infra/cost/prices.yaml, us-east-1).
 * Each rule reads the resource's own inputs; counts that only exist once deployed (tasks before an image)
 * come from the stack config and say so in a note.
 */
import { get, GraphResource, num } from "./graph";
import { Item, priced, PricingContext, Rule, runningCount, Unpriceable } from "./pricing";

/** vCPUs of the instance classes RDS Proxy is billed on (AWS instance type pages). */
const VCPUS: Record<string, number> = { micro: 2, small: 2, medium: 2, large: 2, xlarge: 4, "2xlarge": 8 };

function vcpusOf(instanceClass: string): number {
  const size = instanceClass.split(".").pop() ?? "";
  const n = VCPUS[size];
  if (n === undefined)
    throw new Unpriceable(`vCPUs of ${instanceClass} unknown (RDS Proxy is billed per vCPU)`);
  return n;
}

function fargate(
  taskDef: GraphResource | undefined,
  hours: number,
  ctx: PricingContext,
  what: string,
  spot: boolean,
): Item[] {
  if (!taskDef) throw new Unpriceable("its task definition is not in the graph");
  const vcpu = num(taskDef.inputs.cpu);
  const mib = num(taskDef.inputs.memory);
  if (vcpu === undefined || mib === undefined)
    throw new Unpriceable(`task definition ${taskDef.name} has no cpu/memory known before deployment`);
  const arm = get(taskDef.inputs, "runtimePlatform", "cpuArchitecture") === "ARM64";
  const prefix = arm ? "aws.fargate.arm" : "aws.fargate";
  const items = [
    ctx.item(`${what}: ${vcpu / 1024} vCPU x ${hours} h`, (vcpu / 1024) * hours, `${prefix}.vcpu`),
    ctx.item(`${what}: ${mib / 1024} GB x ${hours} h`, (mib / 1024) * hours, `${prefix}.gb`),
  ];
  if (!spot) return items;
  const factor = ctx.item("Spot", 1, "aws.fargate.spotFactor").amount;
  return items.map((i) => ({ ...i, label: `${i.label} (Spot)`, amount: i.amount * factor }));
}

function taskDefinitionOf(r: GraphResource, ctx: PricingContext, key: string): GraphResource | undefined {
  const urns = r.propertyDependencies?.[key] ?? r.dependencies ?? [];
  return urns.map((u) => ctx.byUrn.get(u)).find((d) => d?.type === "aws:ecs/taskDefinition:TaskDefinition");
}

const isSpot = (strategies: unknown): boolean =>
  Array.isArray(strategies) &&
  strategies.some((s) => get(s, "capacityProvider") === "FARGATE_SPOT" && num(get(s, "weight"))! > 0) &&
  !strategies.some((s) => get(s, "capacityProvider") === "FARGATE" && num(get(s, "weight"))! > 0);

export const AWS_RULES: Record<string, Rule> = {
  "aws:ec2/natGateway:NatGateway": (_r, ctx) =>
    priced([
      ctx.item("gateway hours", ctx.a.hoursPerMonth, "aws.nat.hour"),
      ctx.item("data processed (assumed)", ctx.a.natProcessedGbPerGateway, "aws.nat.gb"),
    ]),
  "aws:ec2/instance:Instance": (r, ctx) => {
    const type = String(r.inputs.instanceType);
    const root = (r.inputs.rootBlockDevice ?? {}) as Record<string, unknown>;
    const gb = num(root.volumeSize) ?? 8;
    const volume = String(root.volumeType ?? "gp3");
    return priced(
      [
        ctx.item(`${type} hours`, ctx.a.hoursPerMonth, `aws.ec2.${type}`),
        ctx.item(`${gb} GB ${volume} root volume`, gb, `aws.ebs.${volume}.gb`),
      ],
      ["data out to the internet ($0.09/GB) is usage (not estimated), as for a NAT gateway"],
      type,
    );
  },
  "aws:ec2/eip:Eip": (_r, ctx) =>
    priced([ctx.item("public IPv4 hours", ctx.a.hoursPerMonth, "aws.ipv4.hour")]),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (r, ctx) => {
    if (r.inputs.vpcEndpointType === "Gateway")
      return { kind: "free", reason: "gateway endpoints have no charge" };
    const azs = Array.isArray(r.inputs.subnetIds) ? r.inputs.subnetIds.length : 1;
    return priced([ctx.item(`${azs} AZ x hours`, azs * ctx.a.hoursPerMonth, "aws.vpce.interface.hour")]);
  },
  "aws:lb/loadBalancer:LoadBalancer": (r, ctx) => {
    if ((r.inputs.loadBalancerType ?? "application") !== "application")
      throw new Unpriceable(`load balancer type ${String(r.inputs.loadBalancerType)} has no price`);
    return priced([
      ctx.item("load balancer hours", ctx.a.hoursPerMonth, "aws.alb.hour"),
      ctx.item("LCU-hours (assumed average)", ctx.a.albLcuAverage * ctx.a.hoursPerMonth, "aws.alb.lcu"),
    ]);
  },
  "aws:ecs/service:Service": (r, ctx) => {
    const notes: string[] = [];
    const tasks = runningCount(num(r.inputs.desiredCount), ctx, notes);
    const taskDef = taskDefinitionOf(r, ctx, "taskDefinition");
    const spot = isSpot(r.inputs.capacityProviderStrategies);
    const items = fargate(taskDef, tasks * ctx.a.hoursPerMonth, ctx, `${tasks} task(s)`, spot);
    return priced(items, notes, `${tasks} x ${num(taskDef?.inputs.cpu)! / 1024} vCPU${spot ? " Spot" : ""}`);
  },
  "aws:scheduler/schedule:Schedule": (r, ctx) => {
    const hours = (ctx.a.jobRunsPerMonth * ctx.a.jobMinutesPerRun) / 60;
    const taskDef = taskDefinitionOf(r, ctx, "target");
    const spot = isSpot(get(r.inputs, "target", "ecsParameters", "capacityProviderStrategies"));
    const notes = r.inputs.state === "DISABLED" ? ["disabled until an image is set; priced as enabled"] : [];
    return priced(fargate(taskDef, hours, ctx, `job runs (assumed)`, spot), notes);
  },
  "aws:rds/instance:Instance": (r, ctx) => {
    const cls = String(r.inputs.instanceClass);
    const multi = r.inputs.multiAz === true;
    const copies = multi ? 2 : 1;
    const gb = num(r.inputs.allocatedStorage) ?? 0;
    const storage = String(r.inputs.storageType ?? "gp2");
    return priced(
      [
        ctx.item(
          `${cls} hours${multi ? " (Multi-AZ: 2 instances)" : ""}`,
          copies * ctx.a.hoursPerMonth,
          `aws.rds.${cls}`,
        ),
        ctx.item(`${gb} GB ${storage}${multi ? " x 2" : ""}`, copies * gb, `aws.rds.${storage}.gb`),
      ],
      ["automated backups up to the allocated storage are free; more is not estimated"],
      `${cls}${multi ? " Multi-AZ" : ""}, ${gb} GB`,
    );
  },
  "aws:rds/proxy:Proxy": (_r, ctx) => {
    const db = ctx.ofType("aws:rds/instance:Instance")[0];
    if (!db) throw new Unpriceable("no RDS instance in the graph to size the proxy by");
    const vcpus = Math.max(2, vcpusOf(String(db.inputs.instanceClass)));
    return priced([ctx.item(`${vcpus} vCPU x hours`, vcpus * ctx.a.hoursPerMonth, "aws.rds.proxy.vcpu")]);
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": (r, ctx) => {
    const node = String(r.inputs.nodeType);
    const nodes =
      num(r.inputs.numCacheClusters) ??
      (num(r.inputs.numNodeGroups) ?? 1) * ((num(r.inputs.replicasPerNodeGroup) ?? 0) + 1);
    const notes =
      (num(r.inputs.snapshotRetentionLimit) ?? 0) > 0 ? ["snapshot storage is usage (not estimated)"] : [];
    return priced(
      [ctx.item(`${nodes} x ${node} hours`, nodes * ctx.a.hoursPerMonth, `aws.elasticache.${node}`)],
      notes,
      `${nodes} x ${node}`,
    );
  },
  "aws:cloudfront/distribution:Distribution": (_r, ctx) =>
    priced([
      ctx.item("HTTPS requests (assumed)", ctx.a.edgeRequestsPerMonth / 10_000, "aws.cloudfront.requests"),
      ctx.item("data out (assumed)", ctx.a.cdnEgressGbPerMonth, "aws.cloudfront.gb"),
    ]),
  "aws:wafv2/webAcl:WebAcl": (r, ctx) => {
    const rules = Array.isArray(r.inputs.rules) ? r.inputs.rules.length : 0;
    return priced(
      [
        ctx.item("web ACL", 1, "aws.waf.acl"),
        ctx.item(`${rules} rules`, rules, "aws.waf.rule"),
        ctx.item("requests (assumed)", ctx.a.edgeRequestsPerMonth / 1e6, "aws.waf.requests"),
      ],
      undefined,
      `${rules} rules`,
    );
  },
  "aws:secretsmanager/secret:Secret": (_r, ctx) =>
    priced([ctx.item("secret", 1, "aws.secretsmanager.secret")]),
  "aws:kms/key:Key": (_r, ctx) => priced([ctx.item("key", 1, "aws.kms.key")]),
  "aws:cloudwatch/logGroup:LogGroup": (r, ctx) => {
    const days = num(r.inputs.retentionInDays) ?? 0;
    const notes = days === 0 ? ["never expires: storage estimated at one year"] : [];
    const stored = ctx.a.logIngestGbPerGroup * ((days === 0 ? 365 : days) / 30);
    return priced(
      [
        ctx.item("ingested (assumed)", ctx.a.logIngestGbPerGroup, "aws.logs.ingest.gb"),
        ctx.item(`stored at ${days || "no"} days' retention`, stored, "aws.logs.store.gb"),
      ],
      notes,
      `${days || "no"} days`,
    );
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": (_r, ctx) =>
    priced([ctx.item("alarm", 1, "aws.cloudwatch.alarm")]),
  "aws:cloudwatch/dashboard:Dashboard": (_r, ctx) =>
    priced([ctx.item("dashboard", 1, "aws.cloudwatch.dashboard")]),
  "aws:s3/bucket:Bucket": (_r, ctx) =>
    priced([ctx.item("stored (assumed)", ctx.a.objectStorageGbPerBucket, "aws.s3.gb")]),
  "aws:ecr/repository:Repository": (_r, ctx) =>
    priced([ctx.item("images stored (assumed)", ctx.a.imageStorageGb, "aws.ecr.gb")]),
  "aws:backup/plan:Plan": (_r, ctx) => {
    const gb = ctx
      .ofType("aws:rds/instance:Instance")
      .reduce((s, db) => s + (num(db.inputs.allocatedStorage) ?? 0), 0);
    return priced([
      ctx.item(
        "recovery points (assumed: database size)",
        gb * ctx.a.backupStoredGbFactor,
        "aws.backup.rds.gb",
      ),
    ]);
  },
};
