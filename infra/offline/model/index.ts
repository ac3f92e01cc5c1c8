/**
 * The offline resource model: turns resource registrations and data-source calls into the state a real
 * provider would report, for every package the model knows (aws, gcp, kubernetes, random) and a faithful fallback for
 * the rest (inputs are known, computed outputs stay unknown, and the report says so).
 */
import {
  autoName,
  hex,
  ModelEnv,
  ModelResult,
  noModel,
  ResourceCall,
  seedOf,
  splitToken,
  uuid,
} from "./context";
import { awsInvoke, awsResource } from "./aws";
import { gcpInvoke, gcpResource } from "./gcp";
import { k8sResource } from "./k8s";
import { shapedPlaceholder } from "./shape";

export * from "./context";

/** Computes one resource's id and state. */
export function modelResource(call: ResourceCall, env: ModelEnv): ModelResult {
  if (!call.custom) return { id: undefined, state: {}, computed: [] };
  const { pkg, module } = splitToken(call.type);
  if (pkg === "pulumi" && module === "providers") {
    return { id: uuid(seedOf(call)), state: { ...call.inputs }, computed: [] };
  }
  switch (pkg) {
    case "aws":
      return awsResource(call, env);
    case "gcp":
      return gcpResource(call, env);
    case "kubernetes":
      return k8sResource(call, env);
    case "random":
      return randomResource(call);
  }
  env.note(noModel(call.type));
  return { id: autoName(call), state: { ...call.inputs }, computed: [] };
}

/**
 * Answers one data-source call; unknown calls answer `{}` and leave a warning. `provider` is the explicit
 * provider reference the call was made with, if any (its region/project apply, as with the real provider).
 */
export function modelInvoke(
  token: string,
  args: Record<string, unknown>,
  env: ModelEnv,
  provider?: string,
): Record<string, unknown> {
  const { pkg } = splitToken(token);
  const p = env.providerInputs(provider) ?? {};
  const result =
    pkg === "aws"
      ? awsInvoke(token, args, env, p)
      : pkg === "gcp"
        ? gcpInvoke(token, args, env, p)
        : undefined;
  if (result !== undefined) return result;
  const region = String(p.region ?? env.config["aws:region"] ?? env.config["gcp:region"] ?? "us-east-1");
  const shaped = shapedPlaceholder(token, args, region);
  if (shaped) {
    const parts = [
      shaped.invented.length ? `invented placeholders for ${shaped.invented.join(", ")}` : "",
      shaped.unknown.length ? `unknown (cannot check during preview): ${shaped.unknown.join(", ")}` : "",
    ].filter(Boolean);
    env.note({
      level: "warning",
      message: `no offline model for data source ${token}: answered with a value shaped like its declared result${
        parts.length ? ` (${parts.join("; ")})` : ""
      }; values derived from it are not real`,
    });
    return shaped.value;
  }
  env.note({
    level: "warning",
    message: `no offline model for data source ${token} and no declared result type found: it returned an empty result, so values derived from it are not meaningful`,
  });
  return {};
}

/** @pulumi/random: values are deterministic placeholders (the real ones are random and secret). */
function randomResource(call: ResourceCall): ModelResult {
  const seed = seedOf(call);
  const length = typeof call.inputs.length === "number" ? call.inputs.length : 16;
  const bytes = typeof call.inputs.byteLength === "number" ? call.inputs.byteLength : 8;
  const out: Record<string, unknown> = {};
  switch (splitToken(call.type).member) {
    case "RandomPassword":
    case "RandomString":
      out.result = placeholderSecret(seed, length);
      if (splitToken(call.type).member === "RandomPassword") out.bcryptHash = `$2a$10$${hex(seed, 53)}`;
      break;
    case "RandomId": {
      const h = hex(seed, bytes * 2);
      out.hex = h;
      out.b64Url = Buffer.from(h, "hex").toString("base64url");
      out.b64Std = Buffer.from(h, "hex").toString("base64");
      out.dec = BigInt(`0x${h}`).toString();
      break;
    }
    case "RandomInteger": {
      const min = Number(call.inputs.min ?? 0);
      const max = Number(call.inputs.max ?? 100);
      out.result = min + (parseInt(hex(seed, 8), 16) % (max - min + 1));
      break;
    }
    case "RandomBytes": {
      const h = hex(seed, length * 2);
      out.hex = h;
      out.base64 = Buffer.from(h, "hex").toString("base64");
      break;
    }
    case "RandomUuid":
      out.result = uuid(seed);
      break;
    case "RandomPet":
      out.id = `offline-${hex(seed, 6)}`;
      break;
  }
  return {
    id: typeof out.id === "string" ? out.id : hex(seed, 16),
    state: { ...call.inputs, ...out },
    computed: Object.keys(out),
  };
}

/** A placeholder that looks like a generated secret but says what it is. */
function placeholderSecret(seed: string, length: number): string {
  const base = `offline${hex(seed, Math.max(length, 8))}`;
  return base.slice(0, Math.max(length, 1));
}
