/**
 * The monthly estimate of a previewed stack: every custom resource is priced by its type's rule, declared
 * free or usage-only by the catalogue, or reported as unpriced with the reason (no rule, no price, a value
 * only a deployment knows). Pure: graph + catalogue in, estimate out.
 */
import { AWS_RULES } from "./aws";
import { Assumptions, Catalogue, isFree } from "./catalogue";
import { GCP_RULES } from "./gcp";
import { cloudOf, configValue, GraphResource, PreviewGraph } from "./graph";
import { Item, makeContext, Rule, Unpriceable } from "./pricing";

const RULES: Record<string, Rule> = { ...AWS_RULES, ...GCP_RULES };

/** Names a reviewer reads ("NAT gateway"), by type; others use the type's last segment. */
export const LABELS: Record<string, string> = {
  "aws:ec2/natGateway:NatGateway": "NAT gateway",
  "aws:ec2/eip:Eip": "public IPv4 address",
  "aws:ec2/instance:Instance": "EC2 instance",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "VPC endpoint",
  "aws:lb/loadBalancer:LoadBalancer": "load balancer (ALB)",
  "aws:ecs/service:Service": "Fargate service",
  "aws:scheduler/schedule:Schedule": "scheduled job (Fargate)",
  "aws:rds/instance:Instance": "RDS PostgreSQL",
  "aws:rds/proxy:Proxy": "RDS Proxy",
  "aws:elasticache/replicationGroup:ReplicationGroup": "ElastiCache",
  "aws:cloudfront/distribution:Distribution": "CloudFront",
  "aws:wafv2/webAcl:WebAcl": "WAF web ACL",
  "aws:secretsmanager/secret:Secret": "Secrets Manager secret",
  "aws:kms/key:Key": "KMS key",
  "aws:cloudwatch/logGroup:LogGroup": "CloudWatch log group",
  "aws:cloudwatch/metricAlarm:MetricAlarm": "CloudWatch alarm",
  "aws:cloudwatch/dashboard:Dashboard": "CloudWatch dashboard",
  "aws:s3/bucket:Bucket": "S3 bucket",
  "aws:ecr/repository:Repository": "ECR repository",
  "aws:backup/plan:Plan": "AWS Backup (recovery points)",
  "gcp:cloudrunv2/service:Service": "Cloud Run service",
  "gcp:cloudrunv2/job:Job": "Cloud Run job",
  "gcp:cloudscheduler/job:Job": "Cloud Scheduler job",
  "gcp:sql/databaseInstance:DatabaseInstance": "Cloud SQL",
  "gcp:redis/instance:Instance": "Memorystore for Redis",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": "load balancer forwarding rules",
  "gcp:compute/securityPolicy:SecurityPolicy": "Cloud Armor policy",
  "gcp:compute/routerNat:RouterNat": "Cloud NAT",
  "gcp:compute/backendBucket:BackendBucket": "Cloud CDN",
  "gcp:secretmanager/secretVersion:SecretVersion": "Secret Manager version",
  "gcp:artifactregistry/repository:Repository": "Artifact Registry",
  "gcp:storage/bucket:Bucket": "Cloud Storage bucket",
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": "Cloud Logging bucket",
};

export function labelOf(type: string): string {
  return LABELS[type] ?? type.split(":").pop() ?? type;
}

export interface CostLine {
  urn: string;
  type: string;
  name: string;
  label: string;
  /** The component that owns it ("Database"), or "" at the stack's top. */
  component: string;
  /** USD per month. */
  monthly: number;
  items: Item[];
  notes: string[];
  /** Short description of what drives it ("db.m7g.large Multi-AZ, 100 GB"). */
  detail?: string;
}

export interface NotPriced {
  urn: string;
  type: string;
  name: string;
  label: string;
  component: string;
  reason: string;
}

export interface Estimate {
  project: string;
  stack: string;
  cloud: string;
  region?: string;
  /** USD per month, the sum of `lines`. */
  total: number;
  lines: CostLine[];
  /** Billed, but not computable offline (reason given). */
  unpriced: NotPriced[];
  /** Billed only by usage the estimate does not model. */
  usageOnly: NotPriced[];
  /** Custom resources that cost nothing by themselves. */
  freeCount: number;
  assumptions: Assumptions;
  /** Catalogue keys used whose status is unverified. */
  unverified: string[];
  /** Oldest date among the prices used. */
  pricesDated?: string;
  /** Set when the stack's region is not the region the regional prices are for. */
  regionWarning?: string;
}

function componentOf(r: GraphResource, byUrn: Map<string, GraphResource>): string {
  let p = r.parent ? byUrn.get(r.parent) : undefined;
  while (p && p.custom) p = p.parent ? byUrn.get(p.parent) : undefined;
  if (!p || p.type === "pulumi:pulumi:Stack") return "";
  return p.type.split(":").pop() ?? p.type;
}

export function estimateStack(graph: PreviewGraph, catalogue: Catalogue): Estimate {
  const ctx = makeContext(graph, catalogue);
  const cloud = cloudOf(graph);
  const est: Estimate = {
    project: graph.project,
    stack: graph.stack,
    cloud,
    region: configValue(graph, `${cloud}:region`),
    total: 0,
    lines: [],
    unpriced: [],
    usageOnly: [],
    freeCount: 0,
    assumptions: catalogue.assumptions,
    unverified: [],
  };
  const used = new Set<string>();
  for (const r of graph.resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    const base = {
      urn: r.urn,
      type: r.type,
      name: r.name,
      label: labelOf(r.type),
      component: componentOf(r, ctx.byUrn),
    };
    const rule = RULES[r.type];
    if (!rule) {
      if (isFree(catalogue, r.type)) est.freeCount++;
      else if (catalogue.usageOnly[r.type])
        est.usageOnly.push({ ...base, reason: catalogue.usageOnly[r.type] });
      else est.unpriced.push({ ...base, reason: "no pricing rule and not listed as free in the catalogue" });
      continue;
    }
    try {
      const v = rule(r, ctx);
      if (v.kind === "free") est.freeCount++;
      else if (v.kind === "usage") est.usageOnly.push({ ...base, reason: v.reason });
      else {
        const monthly = v.items.reduce((s, i) => s + i.amount, 0);
        v.items.forEach((i) => used.add(i.price));
        est.lines.push({ ...base, monthly, items: v.items, notes: v.notes ?? [], detail: v.detail });
      }
    } catch (err) {
      if (!(err instanceof Unpriceable)) throw err;
      est.unpriced.push({ ...base, reason: err.message });
    }
  }
  est.total = est.lines.reduce((s, l) => s + l.monthly, 0);
  est.unverified = [...used].filter((k) => catalogue.prices[k].status === "unverified").sort();
  est.pricesDated = [...used].map((k) => catalogue.prices[k].date).sort()[0];
  const regions = new Set(
    [...used].map((k) => catalogue.prices[k].region).filter((r) => /^[a-z]+-[a-z]+-?\d+$/.test(r)),
  );
  if (est.region && regions.size > 0 && !regions.has(est.region))
    est.regionWarning = `prices are for ${[...regions].join(", ")}; the stack is in ${est.region} (list prices differ by region)`;
  return est;
}
