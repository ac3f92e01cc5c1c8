/**
 * Offline model of Google Cloud resources and data sources: resource ids, self links, URIs and
 * addresses shaped like the provider's (@pulumi/gcp 9.x), derived deterministically. Values only Google
 * can assign (addresses, run.app hashes, CA certificates, AUTH strings, numeric ids) are placeholders and
 * each kind is named in the report's notes. One module per service family; this one dispatches.
 */
import { autoName, ModelEnv, ModelResult, noModel, ResourceCall, seedOf, str } from "../context";
import { COMPUTE_MODELS } from "./compute";
import { DATA_MODELS } from "./data";
import { DNS_MODELS } from "./dns";
import { IAM_MODELS } from "./iam";
import { MONITORING_MODELS } from "./monitoring";
import { RUN_MODELS } from "./run";
import { SECRET_MODELS } from "./secrets";
import { Computed, makeCtx, Model } from "./shared";
import { STORAGE_MODELS } from "./storage";

export { gcpInvoke } from "./invoke";
export { gcpZones } from "./zones";

/** Every modelled GCP resource type, by type token. */
export const GCP_MODELS: Readonly<Record<string, Model>> = {
  ...COMPUTE_MODELS,
  ...RUN_MODELS,
  ...DATA_MODELS,
  ...IAM_MODELS,
  ...SECRET_MODELS,
  ...STORAGE_MODELS,
  ...MONITORING_MODELS,
  ...DNS_MODELS,
};

/** Computes the state of a GCP resource. */
export function gcpResource(call: ResourceCall, env: ModelEnv): ModelResult {
  const p = env.providerInputs(call.provider);
  const project =
    str(call.inputs, "project") ??
    (p && typeof p.project === "string" ? p.project : undefined) ??
    env.config["gcp:project"] ??
    "offline-project";
  const region =
    str(call.inputs, "region") ??
    (p && typeof p.region === "string" ? p.region : undefined) ??
    env.config["gcp:region"] ??
    "us-central1";
  const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true, maxLength: 63 });
  const ctx = makeCtx(env, { project, region, seed: seedOf(call), name });
  const model = GCP_MODELS[call.type];
  if (!model) env.note(noModel(call.type));
  const { id, out } = model ? model(call, ctx) : { id: name, out: { name } as Computed };
  if (!("project" in out)) out.project = project;
  if (call.inputs.labels && typeof call.inputs.labels === "object") {
    out.effectiveLabels = { ...(call.inputs.labels as object), "goog-pulumi-provisioned": "true" };
    out.pulumiLabels = { ...(call.inputs.labels as object), "goog-pulumi-provisioned": "true" };
  }
  const computed = Object.keys(out).filter((k) => !(k in call.inputs));
  return { id, state: { ...call.inputs, ...out }, computed };
}
