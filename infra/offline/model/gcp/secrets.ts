/**
 * Secret Manager (secrets, versions, per-secret IAM members) and Cloud KMS (key rings, keys, key IAM
 * members). Secret Manager names resources with the project number (`projects/NUMBER/secrets/S`), ids
 * with the project id, as the provider does; the number is the offline placeholder.
 */
import { str } from "../context";
import { CREATED, iamMember, lastSegment, locationOf, Model } from "./shared";

export const SECRET_MODELS: Record<string, Model> = {
  "gcp:secretmanager/secret:Secret": (call, ctx) => {
    const secretId = str(call.inputs, "secretId") ?? ctx.name;
    ctx.placeholder("projectNumber");
    return {
      id: `projects/${ctx.project}/secrets/${secretId}`,
      out: {
        secretId,
        name: `projects/${ctx.projectNumber}/secrets/${secretId}`,
        createTime: CREATED,
        effectiveAnnotations: { ...((call.inputs.annotations as object) ?? {}) },
      },
    };
  },
  // The first version of a new secret is 1 (each Meridian secret gets exactly one version per value).
  "gcp:secretmanager/secretVersion:SecretVersion": (call, ctx) => {
    const secretId = lastSegment(str(call.inputs, "secret")) ?? "secret";
    const name = `projects/${ctx.projectNumber}/secrets/${secretId}/versions/1`;
    ctx.placeholder("projectNumber");
    return {
      id: name,
      out: { name, version: "1", createTime: CREATED, enabled: call.inputs.enabled ?? true, destroyTime: "" },
    };
  },
  "gcp:secretmanager/secretIamMember:SecretIamMember": iamMember((call, ctx) => {
    const ref = str(call.inputs, "secretId") ?? "secret";
    return ref.startsWith("projects/") ? ref : `projects/${ctx.project}/secrets/${ref}`;
  }),
  "gcp:kms/keyRing:KeyRing": (call, ctx) => ({
    id: `projects/${ctx.project}/locations/${locationOf(call, ctx)}/keyRings/${ctx.name}`,
    out: { name: ctx.name },
  }),
  "gcp:kms/cryptoKey:CryptoKey": (call, ctx) => {
    const id = `${str(call.inputs, "keyRing") ?? `projects/${ctx.project}/locations/${ctx.region}/keyRings/ring`}/cryptoKeys/${ctx.name}`;
    return {
      id,
      out: { name: ctx.name, primaries: [{ name: `${id}/cryptoKeyVersions/1`, state: "ENABLED" }] },
    };
  },
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": iamMember(
    (call) => str(call.inputs, "cryptoKeyId") ?? "key",
  ),
};
