/**
 * The IAM proof of a preview graph: every role is matched to its row(s) of the table (rows.ts,
 * rowsManaged.ts) through the resources that use it, and each request of the row, plus the generic
 * neighbours below and the trust policy, is decided by the evaluator (simulate.ts). The result lists
 * every failure at once, each naming the role, the request, why it is in the table, and the decision.
 *
 * Generic neighbours, for every role: passing any other role of the graph to ECS tasks, assuming any
 * other role, editing its own policies, deleting or re-policing any bucket, writing any secret,
 * scheduling any key's deletion, the same kind of request on unrelated resources (a policy with a
 * wildcard resource is caught here), and every allowed request repeated in another account.
 */
import type { PreviewGraph } from "../cost/graph";
import * as f from "./facts";
import { type GraphRole } from "./roles";
import { MANAGED_ROWS } from "./rowsManaged";
import { natInstanceRow } from "./rowsNat";
import { type Check, type Row, type RoleChecks, ROWS } from "./rows";
import { accountOf, decide, type Decision } from "./simulate";

/** Every row of the table. */
export const ALL_ROWS: Row[] = [...ROWS, ...MANAGED_ROWS, natInstanceRow];

/** The result of proving one graph. */
export interface Proof {
  /** Role logical name -> the rows that cover it. */
  covered: Map<string, string[]>;
  /** One line per failed expectation (empty: proven). */
  failures: string[];
  /** How many requests were decided, per expectation kind. */
  counts: { allow: number; deny: number; broad: number; trust: number };
}

const key = (x: Check) => `${x.action} ${x.resource} ${JSON.stringify(x.context ?? {})}`;

/** Requests no role of Meridian needs, on resources that are not its own or on the graph's resources. */
export function genericDenies(g: PreviewGraph, role: GraphRole, account: string): Check[] {
  const region = f.region(g);
  const roles = f.arnsOf(g, "aws:iam/role:Role");
  const c = (action: string, resource: string, why: string, extra: Partial<Check> = {}): Check => ({
    action,
    resource,
    why,
    ...extra,
  });
  return [
    ...roles.map((r) =>
      c("iam:PassRole", r, "pass a role to ECS tasks", {
        context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
      }),
    ),
    ...roles.filter((r) => r !== role.arn).map((r) => c("sts:AssumeRole", r, "assume another role")),
    c("iam:PutRolePolicy", role.arn, "edit its own inline policy"),
    c("iam:AttachRolePolicy", role.arn, "attach a policy to itself"),
    ...f
      .arnsOf(g, "aws:s3/bucket:Bucket")
      .flatMap((a) => [
        c("s3:DeleteBucket", a, "delete a bucket"),
        c("s3:PutBucketPolicy", a, "change a bucket policy"),
      ]),
    ...f
      .arnsOf(g, "aws:secretsmanager/secret:Secret")
      .map((s) => c("secretsmanager:PutSecretValue", s, "write a secret")),
    ...f
      .arnsOf(g, "aws:kms/key:Key")
      .map((k) => c("kms:ScheduleKeyDeletion", k, "delete a key", { resourcePolicy: f.keyPolicy(g, k) })),
    // Unrelated resources of the same account: a wildcard resource would allow these.
    c("s3:GetObject", "arn:aws:s3:::unrelated-bucket/key", "an unrelated bucket"),
    c("s3:PutObject", "arn:aws:s3:::unrelated-bucket/uploads/key", "an unrelated bucket"),
    c(
      "secretsmanager:GetSecretValue",
      `arn:aws:secretsmanager:${region}:${account}:secret:unrelated-Ab12Cd`,
      "an unrelated secret",
    ),
    c(
      "logs:PutLogEvents",
      `arn:aws:logs:${region}:${account}:log-group:unrelated:log-stream:x`,
      "an unrelated log group",
    ),
    c(
      "ecr:BatchGetImage",
      `arn:aws:ecr:${region}:${account}:repository/unrelated`,
      "an unrelated repository",
    ),
    c(
      "kms:Decrypt",
      `arn:aws:kms:${region}:${account}:key/00000000-0000-0000-0000-000000000000`,
      "an unrelated key",
    ),
    c(
      "ecs:RunTask",
      `arn:aws:ecs:${region}:${account}:task-definition/unrelated:1`,
      "an unrelated task definition",
    ),
    c("sqs:ReceiveMessage", `arn:aws:sqs:${region}:${account}:unrelated`, "a service Meridian does not use"),
    c("iam:CreateAccessKey", `arn:aws:iam::${account}:user/someone`, "credentials for a user"),
  ];
}

/** The allowed requests repeated in another account (same resource in an account that is not ours). */
export function crossAccount(allow: Check[], account: string): Check[] {
  return allow
    .filter((x) => x.resource !== "*")
    .map((x) => ({
      action: x.action,
      resource:
        x.resource.split(":")[4] === account
          ? x.resource.replace(`:${account}:`, `:${f.OTHER_ACCOUNT}:`)
          : x.resource,
      resourceAccount: f.OTHER_ACCOUNT,
      ...(x.context ? { context: x.context } : {}),
      why: `${x.why}, in another account`,
    }));
}

function dedupe(x: RoleChecks): RoleChecks {
  const once = (cs: Check[]) => [...new Map(cs.map((c) => [key(c), c])).values()];
  return { ...x, allow: once(x.allow), deny: once(x.deny), broad: once(x.broad ?? []) };
}

/** Proves every role of `roles` (the graph's, possibly altered by a test) against `rows`. */
export async function prove(g: PreviewGraph, roles: GraphRole[], rows: Row[] = ALL_ROWS): Promise<Proof> {
  const proof: Proof = {
    covered: new Map(),
    failures: [],
    counts: { allow: 0, deny: 0, broad: 0, trust: 0 },
  };
  const fail = (role: GraphRole, what: string, x: Check, got: Decision) =>
    proof.failures.push(`${role.logical}: ${what} ${x.action} on ${x.resource} (${x.why}): ${got}`);
  for (const role of roles) {
    const account = accountOf(role.arn);
    const mine = rows.filter((r) => r.roles(g).includes(role.arn));
    proof.covered.set(
      role.logical,
      mine.map((r) => r.id),
    );
    if (mine.length === 0) {
      proof.failures.push(`${role.logical}: no row in the IAM proof (infra/iam/rows.ts) covers this role`);
      continue;
    }
    for (const row of mine) {
      const checks = dedupe(row.checks(g, role.arn, account));
      const allowed = new Set([...checks.allow, ...(checks.broad ?? [])].map(key));
      const deny = [
        ...checks.deny,
        ...genericDenies(g, role, account),
        ...crossAccount(checks.allow, account),
      ].filter((x) => !allowed.has(key(x)));
      const ask = (x: Check) => decide(role.arn, account, role.policies, x);
      for (const x of checks.allow) {
        proof.counts.allow++;
        const got = await ask(x);
        if (got !== "Allowed") fail(role, "MUST be allowed:", x, got);
      }
      for (const x of checks.broad ?? []) {
        proof.counts.broad++;
        const got = await ask(x);
        if (got !== "Allowed")
          fail(role, "accepted breadth no longer granted (update the table and docs):", x, got);
      }
      for (const x of deny) {
        proof.counts.deny++;
        const got = await ask(x);
        if (got === "Allowed") fail(role, "MUST be denied:", x, got);
        else if (x.explicit && got !== "ExplicitlyDenied")
          fail(role, "MUST be denied by an explicit Deny:", x, got);
      }
      await proveTrust(role, row, checks.sourceArn, account, proof);
    }
  }
  return proof;
}

const ASSUME_ANY = {
  name: "caller may assume any role",
  policy: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }],
  },
};

/** The trust policy: the row's service from this account may assume the role; nobody else may. */
async function proveTrust(
  role: GraphRole,
  row: Row,
  sourceArn: string | undefined,
  account: string,
  proof: Proof,
): Promise<void> {
  const other = (s: string) => s.replace(`:${account}:`, `:${f.OTHER_ACCOUNT}:`);
  const ctx = (acct: string, arn?: string) => ({
    "aws:SourceAccount": acct,
    ...(arn ? { "aws:SourceArn": arn } : {}),
  });
  const cases: [string, Record<string, string>, boolean, string][] = [
    [row.service, ctx(account, sourceArn), true, `${row.service} from this account`],
    [
      row.service,
      ctx(f.OTHER_ACCOUNT, sourceArn && other(sourceArn)),
      row.trustAnyAccount !== undefined,
      `${row.service} for another account${row.trustAnyAccount ? ` (no SourceAccount condition: ${row.trustAnyAccount})` : ""}`,
    ],
    [
      row.service === "lambda.amazonaws.com" ? "ec2.amazonaws.com" : "lambda.amazonaws.com",
      ctx(account, sourceArn),
      false,
      "another service",
    ],
    [`arn:aws:iam::${f.OTHER_ACCOUNT}:root`, {}, false, "another account's principals"],
    [`arn:aws:iam::${account}:user/someone`, {}, false, "a user of this account"],
  ];
  for (const [principal, context, want, why] of cases) {
    proof.counts.trust++;
    // An IAM principal gets an identity policy allowing sts:AssumeRole anywhere: only the trust decides.
    const caller = principal.startsWith("arn:") ? [ASSUME_ANY] : [];
    const got = await decide(principal, account, caller, {
      action: "sts:AssumeRole",
      resource: role.arn,
      resourcePolicy: role.trust,
      context,
    });
    if ((got === "Allowed") !== want)
      proof.failures.push(
        `${role.logical}: trust: sts:AssumeRole by ${principal} (${why}) MUST be ${want ? "allowed" : "denied"}: ${got}`,
      );
  }
}
