/**
 * How the GCP IAM rules read a grant, whatever resource writes it. Pulumi offers three spellings per
 * resource kind (`*IamMember`: one member; `*IamBinding`: the authoritative member list of one role;
 * `*IamPolicy`: the whole policy as `policyData` JSON, usually rendered by `getIAMPolicy`), and the
 * provider spells the suffix `IAMMember` on some kinds and `IamMember` on others (storage.BucketIAMMember,
 * cloudrunv2.ServiceIamMember, cloudrun.IamMember). The globs below match every one of them.
 */
import type { Res } from "../../lib/rule";
import { asArray, parseJson, show } from "../../lib/util";

/** One role and the members it is granted to. */
export interface Grant {
  role: string;
  members: string[];
}

/** The grants a resource makes, or why they cannot be read during preview. */
export type GrantsOrUnknown = { grants: Grant[] } | { unknown: string };

/** Every GCP IAM member/binding/policy resource type, whatever its kind and spelling. */
export const IAM_TYPE_GLOBS = [
  "gcp:*:*IamMember",
  "gcp:*:*IAMMember",
  "gcp:*:*IamBinding",
  "gcp:*:*IAMBinding",
  "gcp:*:*IamPolicy",
  "gcp:*:*IAMPolicy",
];

/** The IAM resources of the project, folder and organization: grants on everything beneath them. */
export const HIERARCHY_IAM_TYPES = [
  "gcp:projects/iAMMember:IAMMember",
  "gcp:projects/iAMBinding:IAMBinding",
  "gcp:projects/iAMPolicy:IAMPolicy",
  "gcp:folder/iAMMember:IAMMember",
  "gcp:folder/iAMBinding:IAMBinding",
  "gcp:folder/iAMPolicy:IAMPolicy",
  "gcp:organizations/iAMMember:IAMMember",
  "gcp:organizations/iAMBinding:IAMBinding",
  "gcp:organizations/iAMPolicy:IAMPolicy",
];

/** The IAM types the least-privilege rules list by name (docs, counts); the globs catch the rest. */
export const GCP_IAM_TYPES = [
  ...HIERARCHY_IAM_TYPES,
  "gcp:storage/bucketIAMMember:BucketIAMMember",
  "gcp:storage/bucketIAMBinding:BucketIAMBinding",
  "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
  "gcp:secretmanager/secretIamMember:SecretIamMember",
  "gcp:secretmanager/secretIamBinding:SecretIamBinding",
  "gcp:secretmanager/secretIamPolicy:SecretIamPolicy",
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
  "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
  "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
  "gcp:cloudrunv2/jobIamMember:JobIamMember",
  "gcp:cloudrun/iamMember:IamMember",
  "gcp:cloudrun/iamBinding:IamBinding",
  "gcp:cloudrun/iamPolicy:IamPolicy",
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
  "gcp:serviceaccount/iAMMember:IAMMember",
  "gcp:serviceaccount/iAMBinding:IAMBinding",
  ...IAM_TYPE_GLOBS,
];

/** The two members that make a grant public. */
export const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

/** Basic (primitive) roles: thousands of permissions each. */
export const BASIC_ROLES = ["roles/owner", "roles/editor", "roles/viewer"];

const kindOf = (type: string) => /(Member|Binding|Policy)$/i.exec(type)?.[1].toLowerCase();

/**
 * The grants an IAM resource makes. A required input that is absent (an `*IamPolicy` whose `policyData`
 * comes from a data source the preview did not resolve; a member the program left out) or a policy that
 * is not JSON is `unknown`, so the rule says "cannot check" instead of passing. An input that is unknown
 * during preview throws the SDK's UnknownValueError when read, which the rule framework reports the same way.
 */
export function grantsOf(r: Res): GrantsOrUnknown {
  const p = r.props;
  switch (kindOf(r.type)) {
    case "member": {
      const role = p.role;
      const member = p.member;
      if (typeof role !== "string" || typeof member !== "string")
        return {
          unknown: `role ${show(role ?? "unset")} or member ${show(member ?? "unset")} is not a string`,
        };
      return { grants: [{ role, members: [member] }] };
    }
    case "binding": {
      const role = p.role;
      if (typeof role !== "string" || p.members === undefined || p.members === null)
        return {
          unknown: `role ${show(role ?? "unset")} or members ${show(p.members ?? "unset")} is not set`,
        };
      return { grants: [{ role, members: asArray(p.members as string[]).map(String) }] };
    }
    case "policy": {
      if (p.policyData === undefined || p.policyData === null || p.policyData === "")
        return {
          unknown:
            "policyData is not set (typically rendered by gcp.organizations.getIAMPolicy, which the preview did not resolve), so its bindings cannot be read.",
        };
      const data = parseJson(p.policyData);
      if (!data || typeof data !== "object")
        return { unknown: `policyData ${show(p.policyData)} is not a JSON IAM policy.` };
      const bindings = asArray((data as Record<string, unknown>).bindings as Record<string, unknown>[]);
      return {
        grants: bindings.map((b) => ({
          role: String(b.role),
          members: asArray(b.members as string[]).map(String),
        })),
      };
    }
    default:
      return { grants: [] };
  }
}

/** Calls `each` per grant, or reports "cannot check" with why the grants cannot be read. */
export function forEachGrant(r: Res, cannotCheck: (m: string) => void, each: (g: Grant) => void): void {
  const got = grantsOf(r);
  if ("unknown" in got) cannotCheck(got.unknown.endsWith(".") ? got.unknown : `${got.unknown}.`);
  else got.grants.forEach(each);
}
