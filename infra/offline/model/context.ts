/**
 * What a resource model sees when it computes the outputs of one resource or data-source call, and the
 * deterministic id helpers every model uses.
 *
 * Values are derived from a hash of the resource's type and name, so the same program previews to the
 * same ids every time (stable diffs, stable tests) and two resources never share an id.
 */
import { createHash } from "node:crypto";

/** Placeholder identity values, chosen so no one mistakes them for a real account. */
export const OFFLINE_AWS_ACCOUNT = "123456789012";
export const OFFLINE_GCP_PROJECT_NUMBER = "100000000001";

/** A note the model leaves about a value it had to make up or could not model. */
export interface ModelNote {
  level: "info" | "warning";
  message: string;
}

/** The inputs of one resource registration as a model sees them. */
export interface ResourceCall {
  type: string;
  /** Logical name (the first constructor argument). */
  name: string;
  inputs: Record<string, unknown>;
  /** Provider reference `urn::id`, when the resource has an explicit provider. */
  provider?: string;
  custom: boolean;
  /** The id to import/read, if any. */
  id?: string;
}

/** The environment a model computes in: region/project defaults and provider settings. */
export interface ModelEnv {
  /** Pulumi config, fully qualified keys (`aws:region`). */
  config: Record<string, string>;
  /** Inputs of explicit provider resources, by provider reference `urn::id`. */
  providerInputs(ref: string | undefined): Record<string, unknown> | undefined;
  note(note: ModelNote): void;
}

/** The result of a model: an id and the full state (inputs echoed plus computed outputs). */
export interface ModelResult {
  id: string | undefined;
  state: Record<string, unknown>;
  /** Names of the outputs the model computed (not echoed from inputs). */
  computed: string[];
}

/** Lowercase hex of the given length, derived from the seed. */
export function hex(seed: string, length: number): string {
  let out = "";
  let i = 0;
  while (out.length < length) out += createHash("sha256").update(`${seed}#${i++}`).digest("hex");
  return out.slice(0, length);
}

/** Upper-case alphanumerics (AWS style ids such as CloudFront's E2ZO7JQ06J9PLY). */
export function alnumUpper(seed: string, length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length] % alphabet.length];
  return out;
}

/** A deterministic UUID (v4 layout). */
export function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The physical name a provider would auto-generate when the program sets none: the logical name plus a
 * 7-character random suffix (Pulumi's autonaming), deterministic here. Lowercased when the cloud requires.
 */
export function autoName(call: ResourceCall, opts: { lowercase?: boolean; maxLength?: number } = {}): string {
  let base = call.name;
  if (opts.lowercase) base = base.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const suffix = hex(`${call.type}::${call.name}`, 7);
  const max = opts.maxLength ?? 255;
  return `${base.slice(0, Math.max(1, max - 8))}-${suffix}`;
}

/** Seed for a resource's derived values. */
export function seedOf(call: ResourceCall): string {
  return `${call.type}::${call.name}`;
}

/** Splits a type token `aws:ec2/vpc:Vpc` into package, module and member. */
export function splitToken(type: string): { pkg: string; module: string; member: string } {
  const [pkg = "", mod = "", member = ""] = type.split(":");
  return { pkg, module: mod.split("/")[0], member };
}

/** Reads a string input, or undefined. */
export function str(inputs: Record<string, unknown>, key: string): string | undefined {
  const v = inputs[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The note for a resource type the offline model does not know. */
export function noModel(type: string): ModelNote {
  return {
    level: "info",
    message: `no offline model for ${type}: its inputs are shown; outputs the provider computes are unknown`,
  };
}
