/**
 * Offline model of AWS resources and data sources: the outputs the AWS provider would compute (ids,
 * ARNs, endpoints, DNS names), shaped like the real ones but derived deterministically and tied to the
 * placeholder account {@link OFFLINE_AWS_ACCOUNT}. Anything not modelled stays unknown in the preview.
 *
 * One file per service family (network, compute, data, security, monitoring; ec2.ts for the EC2 family),
 * shared.ts for zones, regions and the model signature, invoke.ts for data sources.
 */
import {
  noModel,
  autoName,
  ModelEnv,
  ModelResult,
  OFFLINE_AWS_ACCOUNT,
  ResourceCall,
  seedOf,
  splitToken,
  str,
} from "../context";
import { COMPUTE_MODELS } from "./compute";
import { DATA_MODELS } from "./data";
import { ec2 } from "./ec2";
import { MONITORING_MODELS } from "./monitoring";
import { NETWORK_MODELS } from "./network";
import { SECURITY_MODELS } from "./security";
import { type Computed, type Ctx, type Model, regionOf } from "./shared";

export { awsInvoke, renderPolicyDocument } from "./invoke";
export { awsZones } from "./shared";

/** Per-type models beyond the EC2 family, by full type token (one file per service family). */
const MODELS: Record<string, Model> = {
  ...SECURITY_MODELS,
  ...MONITORING_MODELS,
  ...DATA_MODELS,
  ...NETWORK_MODELS,
  ...COMPUTE_MODELS,
};

/** Computes the state of an AWS resource. */
export function awsResource(call: ResourceCall, env: ModelEnv): ModelResult {
  const region = regionOf(call, env);
  const seed = seedOf(call);
  const ctx: Ctx = {
    region,
    account: OFFLINE_AWS_ACCOUNT,
    seed,
    arn: (service, resource, opts = {}) =>
      `arn:aws:${service}:${opts.global ? "" : region}:${opts.noAccount ? "" : OFFLINE_AWS_ACCOUNT}:${resource}`,
  };
  const { module } = splitToken(call.type);
  const model = MODELS[call.type] ?? (module === "ec2" ? ec2 : undefined);
  if (!model) env.note(noModel(call.type));
  const { id, out } = model
    ? model(call, ctx)
    : { id: str(call.inputs, "name") ?? autoName(call), out: {} as Computed };
  const computed = Object.keys(out).filter((k) => !(k in call.inputs));
  // Tags: the provider reports the merged tag set as tagsAll.
  if (call.inputs.tags && typeof call.inputs.tags === "object" && !("tagsAll" in out)) {
    out.tagsAll = call.inputs.tags;
    computed.push("tagsAll");
  }
  return { id, state: { ...call.inputs, ...out }, computed };
}
