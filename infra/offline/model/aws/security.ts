/** Offline AWS models: IAM roles and policies, KMS keys and aliases, Secrets Manager. */
import { alnumUpper, autoName, hex, str, uuid } from "../context";
import type { Model } from "./shared";

export const SECURITY_MODELS: Record<string, Model> = {
  "aws:iam/role:Role": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 64 });
    const path = str(call.inputs, "path") ?? "/";
    return {
      id: name,
      out: {
        name,
        arn: ctx.arn("iam", `role${path}${name}`, { global: true }),
        uniqueId: `AROA${alnumUpper(ctx.seed, 17)}`,
        createDate: "2026-01-01T00:00:00Z",
      },
    };
  },
  "aws:iam/instanceProfile:InstanceProfile": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 128 });
    const path = str(call.inputs, "path") ?? "/";
    return {
      id: name,
      out: {
        name,
        arn: ctx.arn("iam", `instance-profile${path}${name}`, { global: true }),
        uniqueId: `AIPA${alnumUpper(ctx.seed, 17)}`,
        createDate: "2026-01-01T00:00:00Z",
      },
    };
  },
  "aws:iam/policy:Policy": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 128 });
    const path = str(call.inputs, "path") ?? "/";
    return {
      id: ctx.arn("iam", `policy${path}${name}`, { global: true }),
      out: {
        name,
        arn: ctx.arn("iam", `policy${path}${name}`, { global: true }),
        policyId: `ANPA${alnumUpper(ctx.seed, 17)}`,
      },
    };
  },
  "aws:iam/rolePolicy:RolePolicy": (call) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 128 });
    return { id: `${str(call.inputs, "role") ?? "role"}:${name}`, out: { name } };
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (call, ctx) => ({
    id: `${str(call.inputs, "role") ?? "role"}-${hex(ctx.seed, 20)}`,
    out: {},
  }),
  "aws:kms/key:Key": (_call, ctx) => {
    const keyId = uuid(ctx.seed);
    return { id: keyId, out: { keyId, arn: ctx.arn("kms", `key/${keyId}`) } };
  },
  "aws:kms/alias:Alias": (call, ctx) => {
    const name = str(call.inputs, "name") ?? `alias/${autoName(call)}`;
    return {
      id: name,
      out: { arn: ctx.arn("kms", name), targetKeyArn: ctx.arn("kms", `key/${uuid(ctx.seed)}`) },
    };
  },
  "aws:secretsmanager/secret:Secret": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    const arn = ctx.arn("secretsmanager", `secret:${name}-${alnumUpper(ctx.seed, 6)}`);
    return { id: arn, out: { name, arn } };
  },
  "aws:secretsmanager/secretVersion:SecretVersion": (call, ctx) => ({
    id: `${str(call.inputs, "secretId") ?? "secret"}|${uuid(ctx.seed)}`,
    out: { versionId: uuid(ctx.seed), arn: str(call.inputs, "secretId") },
  }),
};
