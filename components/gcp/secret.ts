/**
 * A Secret Manager secret with one version and a resource-level accessor binding per identity that
 * reads it: the one way Meridian's GCP components store a value the workload needs (database URL,
 * cache URL and CA, admin key). No component grants `roles/secretmanager.secretAccessor` on the project.
 *
 * Consumers pin the version: Cloud Run references `{ secret: secretId, version: version.version }`, so a
 * new version rolls out with a new revision, never silently under a running one.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { checkGrant, checkMember, IamGrant } from "./iam";

/** The role that reads a secret's payload. */
export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/** An identity that reads the secret: its principal label (for posture) and IAM member. */
export interface SecretAccessor {
  /** The service account id (or another stable label) the posture lists the grant under. */
  principal: string;
  /** The IAM member, e.g. `serviceAccount:<email>`. */
  member: pulumi.Input<string>;
}

export interface ManagedSecretArgs {
  project: pulumi.Input<string>;
  /** Parts of the secret id, joined with `-` and fitted to Secret Manager's rules, e.g. `["meridian-dev", "db-url"]`. */
  idParts: string[];
  /** The secret's value (wrap it with `pulumi.secret` where it is not already secret). */
  data: pulumi.Input<string>;
  /** Identities granted `roles/secretmanager.secretAccessor` on this secret only. */
  accessors: SecretAccessor[];
  /**
   * Replicate the payload only in this region (user-managed replication), for data-residency rules.
   * Cost: the same per replica; automatic replication stores it in several regions for the price of one.
   * @default automatic replication
   */
  region?: string;
  /** Labels of the secret. @default {} */
  labels?: Record<string, string>;
  /** Refuse to delete the secret while true (prod). @default false */
  deletionProtection?: boolean;
  /** Patches the secret, the version or the accessor bindings. @default none */
  transform?: {
    secret?: Transform<gcp.secretmanager.SecretArgs>;
    version?: Transform<gcp.secretmanager.SecretVersionArgs>;
    accessor?: Transform<gcp.secretmanager.SecretIamMemberArgs>;
  };
}

/** A reference to one pinned version of a secret, as consumers (Cloud Run env vars and volumes) take it. */
export interface SecretRef {
  /** The secret id (not the full resource name), e.g. `meridian-dev-db-url`. */
  secretId: pulumi.Input<string>;
  /** The version number, e.g. `"1"`; never `latest`. */
  version: pulumi.Input<string>;
}

/** What {@link createManagedSecret} returns. */
export interface ManagedSecret {
  secret: gcp.secretmanager.Secret;
  version: gcp.secretmanager.SecretVersion;
  /** The physical secret id (known at preview). */
  secretId: string;
  /** The version number to pin in references (e.g. Cloud Run `secretKeyRef.version`). */
  versionNumber: pulumi.Output<string>;
  /** The pinned reference to hand to consumers. */
  ref: SecretRef;
  /** The accessor grants, for the posture. */
  grants: IamGrant[];
}

/**
 * Creates the secret, its version and one accessor binding per identity, as children of `parent`.
 * Logical names: `<logicalName>`, `<logicalName>-version`, `<logicalName>-accessor-<principal>`.
 */
export function createManagedSecret(
  logicalName: string,
  args: ManagedSecretArgs,
  opts: pulumi.CustomResourceOptions,
): ManagedSecret {
  const secretId = physicalName("gcp:secret", ...args.idParts);
  const t = args.transform ?? {};
  const secret = new gcp.secretmanager.Secret(
    ...applyTransform(
      t.secret,
      logicalName,
      {
        project: args.project,
        secretId,
        replication: args.region ? { userManaged: { replicas: [{ location: args.region }] } } : { auto: {} },
        labels: args.labels ?? {},
        deletionProtection: args.deletionProtection ?? false,
      },
      opts,
    ),
  );
  const version = new gcp.secretmanager.SecretVersion(
    ...applyTransform(
      t.version,
      `${logicalName}-version`,
      { secret: secret.id, secretData: pulumi.secret(args.data) },
      opts,
    ),
  );
  const grants: IamGrant[] = [];
  for (const a of args.accessors) {
    const grant = checkGrant({
      principal: a.principal,
      role: SECRET_ACCESSOR_ROLE,
      on: `secret ${secretId}`,
    });
    grants.push(grant);
    new gcp.secretmanager.SecretIamMember(
      ...applyTransform(
        t.accessor,
        `${logicalName}-accessor-${a.principal}`,
        {
          project: args.project,
          secretId: secret.secretId,
          role: SECRET_ACCESSOR_ROLE,
          member: checkMember(grant, a.member),
        },
        opts,
      ),
    );
  }
  return {
    secret,
    version,
    secretId,
    versionNumber: version.version,
    ref: { secretId, version: version.version },
    grants,
  };
}
