/** Least privilege on AWS, network exposure: security-group ingress from the internet, public RDS, S3 public access. */
import { resourceRule, stackRule, StackRes } from "../../lib/rule";
import { asArray, peek, portInRange } from "../../lib/util";

export const SG_TYPES = [
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
];
/**
 * Load balancers whose security groups may accept 80/443 from anywhere: every AWS load balancer resource
 * that takes `securityGroups` (ALB/NLB under both module names, and the classic ELB). Audited against the
 * @pulumi/aws SDK in policies/test/coverage.test.ts.
 */
export const SG_LB_TYPES = [
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:alb/loadBalancer:LoadBalancer",
  "aws:elb/loadBalancer:LoadBalancer",
];
const OPEN = ["0.0.0.0/0", "::/0"];

interface Ingress {
  where: string;
  cidrs: string[];
  from: unknown;
  to: unknown;
  protocol: unknown;
}

function ingressOf(r: StackRes): Ingress[] {
  const p = r.props;
  switch (r.type) {
    case "aws:ec2/securityGroup:SecurityGroup":
    case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
      return (asArray(p.ingress) as Record<string, unknown>[]).map((x, i) => ({
        where: `ingress[${i}]`,
        cidrs: [...asArray(x.cidrBlocks as string[]), ...asArray(x.ipv6CidrBlocks as string[])],
        from: x.fromPort,
        to: x.toPort,
        protocol: x.protocol,
      }));
    case "aws:ec2/securityGroupRule:SecurityGroupRule":
      if (p.type !== "ingress") return [];
      return [
        {
          where: "rule",
          cidrs: [...asArray(p.cidrBlocks as string[]), ...asArray(p.ipv6CidrBlocks as string[])],
          from: p.fromPort,
          to: p.toPort,
          protocol: p.protocol,
        },
      ];
    default:
      return [
        {
          where: "rule",
          cidrs: [p.cidrIpv4, p.cidrIpv6].filter((x): x is string => typeof x === "string"),
          from: p.fromPort ?? -1,
          to: p.toPort ?? -1,
          protocol: p.ipProtocol,
        },
      ];
  }
}

/** The security group a standalone rule belongs to (by dependency, else by id). */
function groupOfRule(r: StackRes, all: StackRes[]): StackRes | undefined {
  const dep = (r.propertyDependencies.securityGroupId ?? []).find((d) =>
    SG_TYPES.slice(0, 2).includes(d.type),
  );
  if (dep) return dep;
  const id = peek(r.props, "securityGroupId");
  return all.find(
    (g) => SG_TYPES.slice(0, 2).includes(g.type) && id !== undefined && peek(g.props, "id") === id,
  );
}

/** True when a load balancer lists this security group. */
function onLoadBalancer(sg: StackRes, all: StackRes[]): boolean {
  return all
    .filter((x) => SG_LB_TYPES.includes(x.type))
    .some(
      (lb) =>
        (lb.propertyDependencies.securityGroups ?? []).some((d) => d.urn === sg.urn) ||
        asArray(peek(lb.props, "securityGroups") as string[]).some((id) => id === peek(sg.props, "id")),
    );
}

export const sgNoPublicIngress = stackRule({
  id: "aws-sg-no-public-ingress",
  description:
    "Security groups allow no ingress from 0.0.0.0/0 or ::/0, except ports 80/443 on a load balancer's group.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the service, database and cache components (components/aws/service.ts, components/aws/database.ts, components/aws/cache.ts) allow ingress only from the load balancer's or service's security group. Raw: replace `cidrBlocks: [\"0.0.0.0/0\"]` with `securityGroups` / `sourceSecurityGroupId` (or `referencedSecurityGroupId`) of the client, or a private CIDR.",
  references: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "CIS AWS 5.2", "CIS AWS 5.3"],
  types: SG_TYPES,
  check(r, report, ctx) {
    const sg = r.type.includes("Rule") ? groupOfRule(r, ctx.resources) : r;
    for (const ing of ingressOf(r)) {
      const open = ing.cidrs.filter((c) => OPEN.includes(c));
      if (!open.length) continue;
      const all = String(ing.protocol) === "-1" || String(ing.protocol).toLowerCase() === "all";
      const web =
        !all &&
        Number(ing.from) === Number(ing.to) &&
        [80, 443].includes(Number(ing.from)) &&
        ing.from !== -1;
      if (web && sg && onLoadBalancer(sg, ctx.resources)) continue;
      const ports = all || portInRange(0, ing.from, ing.to) ? "all ports" : `port ${ing.from}-${ing.to}`;
      const shown = Number(ing.from) === Number(ing.to) && !all ? `port ${ing.from}` : ports;
      report(
        `${ing.where} allows ${open.join(", ")} on ${shown}${web ? " (80/443 is accepted only on a load balancer's security group)" : ""}.`,
      );
    }
  },
});

export const rdsNotPublic = resourceRule({
  id: "aws-rds-not-public",
  description: "RDS instances are not publicly accessible.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the database component (components/aws/database.ts) places instances in the isolated subnets and never sets it. Raw: `publiclyAccessible: false` and a DB subnet group of private subnets.",
  references: ["CKV_AWS_17", "AWS FSBP RDS.2"],
  types: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
  check(r, report) {
    if (r.props.publiclyAccessible === true)
      report("publiclyAccessible is true: the endpoint resolves to a public IP.");
  },
});

export const s3PublicAccessBlock = stackRule({
  id: "aws-s3-public-access-block",
  description: "Every S3 bucket has a public access block with all four settings on.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "least-privilege",
  remediation:
    "Meridian: the bucket component (components/aws/bucket.ts) creates one. Raw: `new aws.s3.BucketPublicAccessBlock(name, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true })`.",
  references: ["CKV2_AWS_6", "AWS FSBP S3.8", "CIS AWS 2.1.4"],
  types: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
  check(r, report, ctx) {
    const blocks = ctx
      .ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
      .filter(
        (b) =>
          (b.propertyDependencies.bucket ?? []).some((d) => d.urn === r.urn) ||
          (typeof peek(b.props, "bucket") === "string" &&
            peek(b.props, "bucket") === peek(r.props, "bucket")),
      );
    if (!blocks.length) {
      report("the bucket has no BucketPublicAccessBlock.");
      return;
    }
    const keys = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
    const off = keys.filter((k) => !blocks.some((b) => b.props[k] === true));
    if (off.length) report(`the public access block leaves ${off.join(", ")} off.`);
  },
});
