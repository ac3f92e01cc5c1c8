/**
 * The resource policies that grant an AWS service principal access to a bucket or a KMS key (CloudFront
 * reading the assets through OAC, ELB writing access logs, CloudTrail writing and encrypting the audit
 * trail, CloudWatch alarms publishing to the encrypted topic), proven like the roles: the service may
 * do exactly what it is there for, for this stack's caller (`aws:SourceArn`/`aws:SourceAccount`), and
 * nothing next to it.
 *
 * {@link servicePrincipals} lists every (resource, service) pair the graph's policies name; a pair with no
 * row fails the proof, as a role with no row does.
 */
import type { GraphResource, PreviewGraph } from "../cost/graph";
import * as f from "./facts";
import { known, ofType, parsePolicy, type PolicyDocument } from "./roles";
import type { Check } from "./rows";
import { accountOf, decide } from "./simulate";

/** A bucket or key policy with the service principals it names. */
export interface GrantingPolicy {
  /** The bucket or key ARN. */
  arn: string;
  policy: PolicyDocument;
  services: string[];
}

/** Every bucket and key policy of the graph that names a service principal. */
export function servicePrincipals(g: PreviewGraph): GrantingPolicy[] {
  const out: GrantingPolicy[] = [];
  const add = (arn: string, policy: PolicyDocument) => {
    const stmts = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]) as {
      Principal?: { Service?: string | string[] };
    }[];
    const services = [...new Set(stmts.flatMap((s) => s.Principal?.Service ?? []))];
    if (services.length > 0) out.push({ arn, policy, services });
  };
  for (const p of ofType(g, "aws:s3/bucketPolicy:BucketPolicy"))
    add(`arn:aws:s3:::${p.inputs.bucket as string}`, parsePolicy(p.inputs.policy, p.name));
  for (const k of ofType(g, "aws:kms/key:Key").filter((k) => k.inputs.policy !== undefined))
    add(known(k, "arn"), parsePolicy(k.inputs.policy, k.name));
  return out;
}

/** One service's expected access to one resource: `[principal, check, allowed?]` rows. */
type Expect = [string, Check, boolean][];

const c = (action: string, resource: string, why: string, extra: Partial<Check> = {}): Check => ({
  action,
  resource,
  why,
  ...extra,
});

/** A trail's ARN (the offline model leaves it unknown; AWS's format is `trail/<name>` in its region). */
const trailArn = (g: PreviewGraph, t: GraphResource, account: string) =>
  `arn:aws:cloudtrail:${f.region(g)}:${account}:trail/${t.inputs.name as string}`;

/** The expectations for `service` on `grant`, or undefined when the table has no row for the pair. */
export function expectations(g: PreviewGraph, grant: GrantingPolicy, service: string): Expect | undefined {
  const account = grant.arn.startsWith("arn:aws:kms") ? accountOf(grant.arn) : accountOfGraph(g);
  const other = (s: string) => s.replace(`:${account}:`, `:${f.OTHER_ACCOUNT}:`);
  const bucket = grant.arn.replace("arn:aws:s3:::", "");
  if (service === "cloudfront.amazonaws.com") {
    const dist = ofType(g, "aws:cloudfront/distribution:Distribution").map((d) => known(d, "arn"));
    const src = { "aws:SourceArn": dist[0] };
    return [
      [
        service,
        c("s3:GetObject", `${grant.arn}/index.html`, "its distribution reads objects", { context: src }),
        true,
      ],
      [
        service,
        c("s3:GetObject", `${grant.arn}/index.html`, "another distribution", {
          context: { "aws:SourceArn": other(dist[0]).replace(/\/[A-Z0-9]+$/, "/EOTHER") },
        }),
        false,
      ],
      [service, c("s3:PutObject", `${grant.arn}/index.html`, "write objects", { context: src }), false],
      [service, c("s3:ListBucket", grant.arn, "list the bucket", { context: src }), false],
      [
        service,
        c("s3:GetObject", `${grant.arn}/index.html`, "over plain HTTP", {
          context: { ...src, "aws:SecureTransport": "false" },
        }),
        false,
      ],
    ];
  }
  if (service === "logdelivery.elasticloadbalancing.amazonaws.com") {
    const lb = ofType(g, "aws:lb/loadBalancer:LoadBalancer").find(
      (l) => (l.inputs.accessLogs as { bucket?: string } | undefined)?.bucket === bucket,
    );
    if (!lb) return undefined;
    const prefix = (lb.inputs.accessLogs as { prefix?: string }).prefix;
    const key = `${prefix ? `${prefix}/` : ""}AWSLogs/${account}/elasticloadbalancing/${f.region(g)}/2026/01/01/x.log.gz`;
    return [
      [service, c("s3:PutObject", `${grant.arn}/${key}`, "deliver the ALB's access logs"), true],
      [
        service,
        c("s3:PutObject", `${grant.arn}/${key.replace(account, f.OTHER_ACCOUNT)}`, "another account's logs"),
        false,
      ],
      [service, c("s3:PutObject", `${grant.arn}/elsewhere/x`, "outside the log prefix"), false],
      [service, c("s3:GetObject", `${grant.arn}/${key}`, "read logs back"), false],
      [service, c("s3:DeleteObject", `${grant.arn}/${key}`, "delete logs"), false],
    ];
  }
  if (service === "cloudtrail.amazonaws.com") {
    const trail = ofType(g, "aws:cloudtrail/trail:Trail")[0];
    if (!trail) return undefined;
    const src = { "aws:SourceArn": trailArn(g, trail, account) };
    const notMine = { "aws:SourceArn": src["aws:SourceArn"].replace(/trail\/.*/, "trail/other") };
    if (grant.arn.startsWith("arn:aws:kms")) {
      // kms:GenerateDataKey* is granted under a `kms:EncryptionContext:aws:cloudtrail:arn` condition,
      // which the evaluator cannot apply (docs/iam-proof.md, "Limits"): only the rest is proven here.
      return [
        [service, c("kms:DescribeKey", grant.arn, "validate the key", { context: src }), true],
        [service, c("kms:DescribeKey", grant.arn, "another trail", { context: notMine }), false],
        [service, c("kms:GenerateDataKey", grant.arn, "another trail", { context: notMine }), false],
        [service, c("kms:Decrypt", grant.arn, "decrypt the logs", { context: src }), false],
        [service, c("kms:ScheduleKeyDeletion", grant.arn, "delete the key", { context: src }), false],
      ];
    }
    const key = `${grant.arn}/AWSLogs/${account}/CloudTrail/${f.region(g)}/2026/01/01/x.json.gz`;
    const acl = { "s3:x-amz-acl": "bucket-owner-full-control" };
    return [
      [service, c("s3:PutObject", key, "deliver log files", { context: { ...src, ...acl } }), true],
      [service, c("s3:GetBucketAcl", grant.arn, "check the bucket", { context: src }), true],
      [service, c("s3:PutObject", key, "without bucket-owner-full-control", { context: src }), false],
      [service, c("s3:PutObject", key, "another trail", { context: { ...notMine, ...acl } }), false],
      [service, c("s3:DeleteObject", key, "delete log files", { context: src }), false],
      [
        `arn:aws:iam::${account}:root`,
        c("s3:DeleteObject", key, "the account itself deletes log files"),
        false,
      ],
    ];
  }
  if (service === "cloudwatch.amazonaws.com") {
    const src = { "aws:SourceAccount": account };
    return [
      [
        service,
        c("kms:GenerateDataKey", grant.arn, "alarms publish to the encrypted topic", { context: src }),
        true,
      ],
      [service, c("kms:Decrypt", grant.arn, "alarms publish to the encrypted topic", { context: src }), true],
      [
        service,
        c("kms:GenerateDataKey", grant.arn, "another account's alarms", {
          context: { "aws:SourceAccount": f.OTHER_ACCOUNT },
        }),
        false,
      ],
      [service, c("kms:ScheduleKeyDeletion", grant.arn, "delete the key", { context: src }), false],
      [service, c("kms:PutKeyPolicy", grant.arn, "change the key policy", { context: src }), false],
    ];
  }
  return undefined;
}

function accountOfGraph(g: PreviewGraph): string {
  return accountOf(known(ofType(g, "aws:iam/role:Role")[0] ?? ofType(g, "aws:kms/key:Key")[0], "arn"));
}

/** Proves every service grant of the graph's bucket and key policies; one line per failure. */
export async function proveResourcePolicies(
  g: PreviewGraph,
  grants = servicePrincipals(g),
): Promise<string[]> {
  const failures: string[] = [];
  for (const grant of grants) {
    for (const service of grant.services) {
      const rows = expectations(g, grant, service);
      if (!rows) {
        failures.push(`${grant.arn}: ${service}: no row in the IAM proof (infra/iam/resourcePolicies.ts)`);
        continue;
      }
      const account = grant.arn.startsWith("arn:aws:kms") ? accountOf(grant.arn) : accountOfGraph(g);
      for (const [principal, x, want] of rows) {
        const admin = principal.startsWith("arn:") ? [ADMIN] : [];
        const got = await decide(principal, account, admin, { ...x, resourcePolicy: grant.policy });
        if ((got === "Allowed") !== want)
          failures.push(
            `${grant.arn}: ${principal} ${x.action} on ${x.resource} (${x.why}) MUST be ${want ? "allowed" : "denied"}: ${got}`,
          );
      }
    }
  }
  return failures;
}

/** An administrator's identity policy, for "not even the account itself" checks. */
const ADMIN = {
  name: "administrator",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};
