/** TLS in transit on AWS: load balancers, CloudFront, RDS, RDS Proxy, ElastiCache, S3. */
import { referencedBy, resourceRule, stackRule, StackRes } from "../../lib/rule";
import { asArray, iamStatements, IamStatement, peek, show } from "../../lib/util";

export const LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

/**
 * ELB security policies that negotiate TLS 1.2 or 1.3 only, with forward-secret ciphers. The AWS default
 * when `sslPolicy` is unset (ELBSecurityPolicy-2016-08) still accepts TLS 1.0, so unset is a violation.
 */
export const ALLOWED_SSL_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
];

export const lbListenerTls = resourceRule<{ allowedSslPolicies: string[] }>({
  id: "aws-lb-listener-tls",
  description:
    "Load balancer listeners serve HTTPS/TLS with a TLS 1.2+ security policy; an HTTP listener only redirects to HTTPS.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "aws",
  area: "tls",
  remediation:
    "Meridian: the service component's (components/aws/service.ts) HTTPS listener is created when `meridian:domain` is set (certificate + HTTP->HTTPS redirect). " +
    'Raw: `protocol: "HTTPS"` with `sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"` and a `certificateArn`; ' +
    'an HTTP listener\'s `defaultActions` must be a single `{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }`.',
  references: ["CKV_AWS_2", "CKV_AWS_103", "CKV2_AWS_20", "AWS FSBP ELB.1"],
  types: LISTENER_TYPES,
  config: {
    allowedSslPolicies: {
      type: "array",
      items: { type: "string" },
      default: ALLOWED_SSL_POLICIES,
      description: "ELB security policies accepted on HTTPS/TLS listeners.",
    },
  },
  check(r, report, ctx) {
    const protocol = String(r.props.protocol ?? "HTTP").toUpperCase();
    const allowed = ctx.config.allowedSslPolicies ?? ALLOWED_SSL_POLICIES;
    if (protocol === "HTTP") {
      const actions = asArray(r.props.defaultActions) as Record<string, unknown>[];
      const redirects =
        actions.length > 0 &&
        actions.every(
          (a) =>
            a.type === "redirect" &&
            String((a.redirect as Record<string, unknown> | undefined)?.protocol ?? "").toUpperCase() ===
              "HTTPS",
        );
      if (!redirects) {
        const kinds = actions.map((a) => String(a.type)).join(", ") || "none";
        report(
          `HTTP listener on port ${r.props.port ?? 80} serves traffic in clear text (default actions: ${kinds}).`,
        );
      }
    } else if (protocol === "HTTPS" || protocol === "TLS") {
      const policy = r.props.sslPolicy as string | undefined;
      if (!policy) report(`${protocol} listener has no sslPolicy: the AWS default still accepts TLS 1.0.`);
      else if (!allowed.includes(policy))
        report(`${protocol} listener uses sslPolicy ${policy}, which is not on the TLS 1.2+ allow-list.`);
    }
  },
});

const VIEWER_OK = ["redirect-to-https", "https-only"];
const CF_MIN_TLS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];
const CF = "aws:cloudfront/distribution:Distribution";

export const cloudfrontViewerTls = resourceRule({
  id: "aws-cloudfront-tls",
  description:
    "CloudFront redirects or refuses HTTP on every cache behaviour, negotiates at least TLSv1.2_2021 with viewers, and reaches origins over HTTPS (TLS 1.2) or S3 Origin Access Control.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "tls",
  remediation:
    'Meridian: the CDN component (components/aws/cdn.ts) sets these; keep its defaults. Raw: `viewerProtocolPolicy: "redirect-to-https"` on `defaultCacheBehavior` and every `orderedCacheBehaviors` entry; ' +
    '`viewerCertificate.minimumProtocolVersion: "TLSv1.2_2021"`; custom origins `customOriginConfig.originProtocolPolicy: "https-only"` with `originSslProtocols: ["TLSv1.2"]`; S3 origins use `originAccessControlId` (not an OAI).',
  references: ["CKV_AWS_34", "CKV_AWS_174", "CKV2_AWS_46", "AWS FSBP CloudFront.3"],
  types: [CF],
  check(r, report) {
    const behaviours = [
      ["defaultCacheBehavior", r.props.defaultCacheBehavior],
      ...asArray(r.props.orderedCacheBehaviors).map((b, i) => [
        `orderedCacheBehaviors[${i}] (${(b as Record<string, unknown>).pathPattern})`,
        b,
      ]),
    ] as [string, Record<string, unknown> | undefined][];
    for (const [where, b] of behaviours) {
      const v = b?.viewerProtocolPolicy;
      if (b && !VIEWER_OK.includes(String(v)))
        report(`${where}.viewerProtocolPolicy is ${show(v)}; HTTP is served.`);
    }
    const cert = (r.props.viewerCertificate ?? {}) as Record<string, unknown>;
    if (!cert.cloudfrontDefaultCertificate && !CF_MIN_TLS.includes(String(cert.minimumProtocolVersion)))
      report(`viewerCertificate.minimumProtocolVersion is ${show(cert.minimumProtocolVersion ?? "unset")}.`);
    for (const o of asArray(r.props.origins) as Record<string, unknown>[]) {
      const custom = o.customOriginConfig as Record<string, unknown> | undefined;
      if (custom) {
        if (custom.originProtocolPolicy !== "https-only")
          report(`origin ${o.originId}: originProtocolPolicy is ${show(custom.originProtocolPolicy)}.`);
        const protos = asArray(custom.originSslProtocols as string[]);
        if (protos.some((p) => p !== "TLSv1.2" && p !== "TLSv1.3"))
          report(`origin ${o.originId}: originSslProtocols allows ${protos.join(", ")}.`);
      } else if (o.s3OriginConfig && (o.s3OriginConfig as Record<string, unknown>).originAccessIdentity) {
        report(
          `origin ${o.originId}: S3 origin uses a legacy Origin Access Identity; use Origin Access Control.`,
        );
      } else if (!o.originAccessControlId && /\.s3[.-]/.test(String(o.domainName ?? ""))) {
        report(`origin ${o.originId}: S3 origin without Origin Access Control.`);
      }
    }
  },
});

export const cloudfrontCustomCertificate = resourceRule({
  id: "aws-cloudfront-custom-certificate",
  description:
    "CloudFront serves a custom ACM certificate, so the minimum viewer TLS version can be enforced (the default *.cloudfront.net certificate accepts TLS 1.0).",
  severity: "medium",
  enforcement: "advisory",
  cloud: "aws",
  area: "edge",
  remediation:
    'Meridian: set `meridian:domain`; the CDN component (components/aws/cdn.ts) then requests an ACM certificate in us-east-1. Raw: `viewerCertificate: { acmCertificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }`.',
  references: ["CKV2_AWS_42"],
  types: [CF],
  check(r, report) {
    const cert = (r.props.viewerCertificate ?? {}) as Record<string, unknown>;
    if (cert.cloudfrontDefaultCertificate || (!cert.acmCertificateArn && !cert.iamCertificateId))
      report("the distribution uses the default CloudFront certificate.");
  },
});

const RDS_INSTANCE = "aws:rds/instance:Instance";
const RDS_CLUSTER = "aws:rds/cluster:Cluster";
const PG = "aws:rds/parameterGroup:ParameterGroup";
const CPG = "aws:rds/clusterParameterGroup:ClusterParameterGroup";

/** The parameter that forces TLS for an engine, and its required value. */
function forceSslParam(engine: string): [string, string[]] | undefined {
  if (/postgres|sqlserver/.test(engine)) return ["rds.force_ssl", ["1"]];
  if (/mysql|mariadb/.test(engine)) return ["require_secure_transport", ["1", "ON", "on"]];
  return undefined;
}

function groupFor(r: StackRes, all: StackRes[], prop: string, groupType: string): StackRes | undefined {
  return referencedBy(r, prop, [groupType], all, (g, name) => peek(g.props, "name") === name);
}

export const rdsForceSsl = stackRule({
  id: "aws-rds-force-ssl",
  description:
    "Every RDS instance and Aurora cluster uses a parameter group that forces TLS (rds.force_ssl=1 for PostgreSQL, require_secure_transport=1 for MySQL).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "tls",
  remediation:
    'Meridian: the database component (components/aws/database.ts) creates and attaches this parameter group; do not override `parameterGroupName`. Raw: an `aws.rds.ParameterGroup` with `parameters: [{ name: "rds.force_ssl", value: "1" }]` attached via `parameterGroupName` (Aurora: `aws.rds.ClusterParameterGroup` via `dbClusterParameterGroupName`).',
  references: ["CKV2_AWS_69"],
  types: [RDS_INSTANCE, RDS_CLUSTER],
  check(r, report, ctx) {
    // Instances of an Aurora cluster take TLS settings from the cluster.
    if (r.type === RDS_INSTANCE && r.props.clusterIdentifier) return;
    const engine = String(r.props.engine ?? "");
    const param = forceSslParam(engine);
    if (!param) return;
    const [pname, values] = param;
    const isCluster = r.type === RDS_CLUSTER;
    const prop = isCluster ? "dbClusterParameterGroupName" : "parameterGroupName";
    if (!(r.propertyDependencies[prop] ?? []).length && !r.props[prop]) {
      report(`${engine} uses the engine's default parameter group; TLS is not forced (${pname}).`);
      return;
    }
    const group = groupFor(r, ctx.resources, prop, isCluster ? CPG : PG);
    if (!group) {
      report(
        `${prop} ${show(r.props[prop])} is not defined in this stack, so ${pname}=1 cannot be verified.`,
      );
      return;
    }
    const p = (asArray(group.props.parameters) as Record<string, unknown>[]).find((x) => x.name === pname);
    if (!p || !values.includes(String(p.value)))
      report(`parameter group ${group.name} does not set ${pname}=1 (got ${show(p?.value ?? "unset")}).`);
  },
});

export const rdsProxyTls = resourceRule({
  id: "aws-rds-proxy-tls",
  description: "RDS Proxy requires TLS from clients.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "tls",
  remediation:
    "Meridian: the database component's (components/aws/database.ts) proxy (`meridian:dbProxy`) sets it. Raw: `requireTls: true` on `aws.rds.Proxy`.",
  references: [],
  types: ["aws:rds/proxy:Proxy"],
  check(r, report) {
    if (r.props.requireTls !== true) report("requireTls is not true: clients may connect without TLS.");
  },
});

export const elasticacheTransit = resourceRule({
  id: "aws-elasticache-transit-encryption",
  description: "ElastiCache (Redis/Valkey) requires in-transit encryption (TLS).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "tls",
  remediation:
    'Meridian: the cache component (components/aws/cache.ts) enables it (clients use `rediss://`). Raw: `transitEncryptionEnabled: true` (and `transitEncryptionMode: "required"` if set).',
  references: ["CKV_AWS_30", "AWS FSBP ElastiCache.5"],
  types: ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster"],
  check(r, report) {
    if (r.type === "aws:elasticache/cluster:Cluster" && r.props.replicationGroupId) return; // set on the group
    if (r.props.transitEncryptionEnabled !== true) report("transitEncryptionEnabled is not true.");
    else if (r.props.transitEncryptionMode === "preferred")
      report('transitEncryptionMode is "preferred": clear-text connections are still accepted.');
  },
});

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** True when a statement denies requests that are not over TLS. */
export function deniesInsecureTransport(st: IamStatement): boolean {
  if (st.Effect !== "Deny") return false;
  const actions = asArray(st.Action).map(String);
  if (!actions.some((a) => a === "*" || a === "s3:*")) return false;
  const p = st.Principal;
  const everyone =
    p === "*" || asArray((p as Record<string, unknown> | undefined)?.AWS as string[]).includes("*");
  if (!everyone) return false;
  const bool = st.Condition?.Bool ?? st.Condition?.BoolIfExists;
  const v = bool?.["aws:SecureTransport"];
  return asArray(v as string | string[]).some((x) => String(x) === "false");
}

/** The bucket policies (documents) attached to a bucket in this stack. */
export function bucketPolicies(bucket: StackRes, all: StackRes[]): unknown[] {
  const docs: unknown[] = [];
  if (bucket.props.policy) docs.push(bucket.props.policy);
  for (const p of all.filter((x) => x.type === BUCKET_POLICY)) {
    const byDep = (p.propertyDependencies.bucket ?? []).some((d) => d.urn === bucket.urn);
    const byName = () =>
      typeof peek(p.props, "bucket") === "string" && peek(p.props, "bucket") === peek(bucket.props, "bucket");
    if (byDep || byName()) docs.push(p.props.policy);
  }
  return docs;
}

export const s3TlsOnly = stackRule({
  id: "aws-s3-tls-only",
  description:
    "Every S3 bucket has a bucket policy that denies requests without TLS (aws:SecureTransport = false).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "tls",
  remediation:
    'Meridian: buckets created by the bucket component (components/aws/bucket.ts) carry this policy. Raw: an `aws.s3.BucketPolicy` with a statement `{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }`.',
  references: ["AWS FSBP S3.5", "CIS AWS 2.1.1"],
  types: BUCKET_TYPES,
  check(r, report, ctx) {
    const docs = bucketPolicies(r, ctx.resources);
    const ok = docs.some((d) => (iamStatements(d) ?? []).some(deniesInsecureTransport));
    if (!ok)
      report(
        docs.length === 0
          ? "the bucket has no bucket policy, so plain-HTTP requests are accepted."
          : "the bucket policy does not deny aws:SecureTransport=false.",
      );
  },
});

export const awsTlsRules = [
  lbListenerTls,
  cloudfrontViewerTls,
  cloudfrontCustomCertificate,
  rdsForceSsl,
  rdsProxyTls,
  elasticacheTransit,
  s3TlsOnly,
];
