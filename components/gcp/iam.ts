/**
 * IAM building blocks shared by Meridian's GCP components: dedicated service accounts, resource-level
 * grants recorded as data, and the posture entry that lists each identity's exact roles and on what.
 *
 * Least privilege is the rule: a component grants a role on the one resource that needs it (a secret, a
 * repository, a Cloud Run job, a bucket) through that resource's own IAM member resource. A project-level
 * grant is accepted only for the roles in {@link PROJECT_ONLY_ROLES}, which act on project-wide sinks
 * (logs, metrics, traces) that have no narrower resource. Basic roles (owner, editor, viewer) and public
 * members (allUsers, allAuthenticatedUsers) are refused by {@link checkGrant}.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { physicalName } from "../shared/naming";

/** One role granted to one identity on one resource, as auditors read it. */
export interface IamGrant {
  /**
   * The identity's stable label: the service account id (the part of the email before `@`), or a
   * Google-managed agent's description (e.g. `cloud-cdn-fill`). Grants are grouped by it in the posture.
   */
  principal: string;
  /** The role, e.g. `roles/secretmanager.secretAccessor`. */
  role: string;
  /** What it is granted on, e.g. `secret meridian-dev-db-url`, `project meridian-dev-4821`. */
  on: string;
}

/** Roles that grant a whole project (or more): never granted by Meridian and refused by {@link checkGrant}. */
export const BASIC_ROLES = ["roles/owner", "roles/editor", "roles/viewer"] as const;

/** Members that stand for anyone: never granted by Meridian. */
export const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"] as const;

/**
 * Roles that act on project-wide sinks with no narrower resource to bind them to, so a project-level
 * binding is the least privilege GCP allows (IAM docs: "Cloud Logging roles", "Cloud Monitoring roles",
 * "Cloud Trace roles"). Each only writes telemetry of the caller.
 */
export const PROJECT_ONLY_ROLES = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/cloudtrace.agent",
] as const;

/** Throws when a grant would be a basic role, or a project-level role not in {@link PROJECT_ONLY_ROLES}. */
export function checkGrant(grant: IamGrant): IamGrant {
  if ((BASIC_ROLES as readonly string[]).includes(grant.role)) {
    throw new Error(
      `IAM grant ${grant.role} to ${grant.principal} on ${grant.on}: basic roles are never granted; use a predefined role on the resource`,
    );
  }
  if (grant.on.startsWith("project ") && !(PROJECT_ONLY_ROLES as readonly string[]).includes(grant.role)) {
    throw new Error(
      `IAM grant ${grant.role} to ${grant.principal} on ${grant.on}: project-level grants are limited to ${PROJECT_ONLY_ROLES.join(", ")}; bind the role on the resource instead`,
    );
  }
  return grant;
}

/** What is wrong with an IAM member for a grant, or undefined when it names one principal. */
function memberProblem(grant: IamGrant, member: string): string | undefined {
  if ((PUBLIC_MEMBERS as readonly string[]).includes(member)) {
    return `IAM grant ${grant.role} on ${grant.on} to ${grant.principal}: the member ${member} is public; allowed: a service account, user or group (serviceAccount:, user:, group:)`;
  }
  if (!/^(serviceAccount|user|group|principal|principalSet):\S+$/.test(member)) {
    return `IAM grant ${grant.role} on ${grant.on} to ${grant.principal}: the member ${JSON.stringify(member)} is not a principal; allowed: serviceAccount:<email>, user:<email>, group:<email>`;
  }
  return undefined;
}

/**
 * Validates a list of identities a component will grant access to (`accessors`, `readers`): each has a
 * principal label and a member that names one principal (a known string is checked now, an Output later by
 * {@link checkMember}). Throws `<arg>[i].member ...: allowed ...`.
 */
export function validatePrincipals(
  arg: string,
  list: unknown,
): { principal: string; member: pulumi.Input<string> }[] {
  if (!Array.isArray(list))
    throw new Error(`${arg} is ${JSON.stringify(list)}; allowed: a list of {principal, member}`);
  return list.map((item: unknown, i) => {
    const a = (item ?? {}) as { principal?: unknown; member?: unknown };
    if (typeof a.principal !== "string" || a.principal === "") {
      throw new Error(
        `${arg}[${i}].principal is ${JSON.stringify(a.principal)}; allowed: a non-empty label (the service account id)`,
      );
    }
    if (typeof a.member === "string") {
      const problem = memberProblem({ principal: a.principal, role: "a role", on: arg }, a.member);
      if (problem)
        throw new Error(
          `${arg}[${i}].member is ${JSON.stringify(a.member)}: ${problem.split(": ").slice(1).join(": ")}`,
        );
    } else if (!pulumi.Output.isInstance(a.member)) {
      throw new Error(
        `${arg}[${i}].member is ${JSON.stringify(a.member)}; allowed: serviceAccount:<email>, user:<email>, group:<email>`,
      );
    }
    return { principal: a.principal, member: a.member as pulumi.Input<string> };
  });
}

/**
 * Checks the member of a grant: a known string now (throws), an Output when it resolves (fails the
 * deployment). Public members (allUsers, allAuthenticatedUsers), domains and anything that is not a single
 * principal are refused. Returns the member to pass on to the IAM resource.
 */
export function checkMember(grant: IamGrant, member: pulumi.Input<string>): pulumi.Input<string> {
  if (typeof member === "string") {
    const problem = memberProblem(grant, member);
    if (problem) throw new Error(problem);
    return member;
  }
  return pulumi.output(member).apply((m) => {
    const problem = memberProblem(grant, m);
    if (problem) throw new Error(problem);
    return m;
  });
}

/** A `serviceAccount:` member for an email. */
export function serviceAccountMember(email: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`serviceAccount:${email}`;
}

/** A dedicated service account and how to name it in grants. */
export interface ServiceAccount {
  account: gcp.serviceaccount.Account;
  /** The account id (before `@`): the principal label of its grants. */
  accountId: string;
  email: pulumi.Output<string>;
  /** `serviceAccount:<email>`. */
  member: pulumi.Output<string>;
}

/**
 * Creates a dedicated service account named `<base>-<role>` within GCP's 6-30 character limit.
 * It has no permissions until resources grant it roles.
 */
export function createServiceAccount(
  logicalName: string,
  args: { project: pulumi.Input<string>; base: string; role: string; description: string },
  opts: pulumi.CustomResourceOptions,
): ServiceAccount {
  const accountId = physicalName("gcp:serviceAccount", args.base, args.role);
  const account = new gcp.serviceaccount.Account(
    logicalName,
    {
      project: args.project,
      accountId,
      displayName: `${args.base} ${args.role}`.slice(0, 100),
      description: args.description.slice(0, 256),
    },
    opts,
  );
  return { account, accountId, email: account.email, member: serviceAccountMember(account.email) };
}

/**
 * Groups grants by principal into posture identities: one entry per identity, its permissions as
 * `"<role> on <resource>"`, sorted and without duplicates.
 */
export function identitiesFromGrants(
  grants: readonly IamGrant[],
  kinds: Record<string, string> = {},
): Posture["identities"] {
  const by = new Map<string, Set<string>>();
  for (const g of grants) {
    const set = by.get(g.principal) ?? new Set<string>();
    set.add(`${g.role} on ${g.on}`);
    by.set(g.principal, set);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([principal, perms]) => ({
      name: principal,
      kind: kinds[principal] ?? "gcp:serviceaccount",
      permissions: [...perms].sort(),
    }));
}
