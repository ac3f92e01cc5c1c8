/**
 * Pulumi's wire format as the offline engine handles it: the signature keys, secret and unknown markers,
 * and the views the model, the reports and the tests need (plain inputs, display values, unknown paths).
 */

/** Signature keys of Pulumi's wire format (see @pulumi/pulumi runtime/rpc). */
export const SIG = {
  key: "4dabf18193072939515e22adb298388d",
  secret: "1b47061264138c4ac30d75fd1eb44270",
  resource: "5cf8f73096256a8f31e491e813e4eb8e",
  asset: "c44067f5952c0a294b673a41bacd8c17",
  archive: "0def7320c3a5731c473e5ecbe6d01bc7",
  outputValue: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
  unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
} as const;

/** A value in Pulumi's wire format (protobuf Struct as JavaScript): may carry secret/unknown markers. */
export type WireValue = unknown;

/** True when a (deserialized or wire) value is a secret. */
export function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG.key] === SIG.secret;
}

/** True when a wire value is unknown. */
export function isUnknownValue(v: unknown): boolean {
  return v === SIG.unknown;
}

/** The model sees plain values: secrets unwrapped (it needs e.g. a secret-marked name), unknowns undefined. */
export function unwrapForModel(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    const u = unwrapDeep(v);
    if (u !== undefined) out[k] = u;
  }
  return out;
}

function unwrapDeep(v: unknown): unknown {
  if (v === SIG.unknown) return undefined;
  if (Array.isArray(v)) return v.map(unwrapDeep);
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (o[SIG.key] === SIG.secret) return unwrapDeep(o.value);
    if (o[SIG.key] === SIG.resource) return o.urn;
    if (o[SIG.key] !== undefined) return v;
    // The SDK's `unknown` sentinel object after deserialization.
    if (o.constructor && o.constructor.name === "Unknown") return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      const u = unwrapDeep(x);
      if (u !== undefined) out[k] = u;
    }
    return out;
  }
  return v;
}

/** Plain inputs of a captured resource (secrets unwrapped, unknowns dropped). */
export function plainInputs(wire: Record<string, WireValue>): Record<string, unknown> {
  return unwrapForModel(wire as Record<string, unknown>);
}

/**
 * Renders a wire value for people and tools: secrets become "[secret]" (or the value, when asked),
 * unknowns "[unknown]", resource references their URN, assets a short description.
 */
export function displayValue(v: WireValue, showSecrets = false): unknown {
  if (v === SIG.unknown) return "[unknown]";
  if (Array.isArray(v)) return v.map((x) => displayValue(x, showSecrets));
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    switch (o[SIG.key]) {
      case SIG.secret:
        return showSecrets ? displayValue(o.value, showSecrets) : "[secret]";
      case SIG.resource:
        return o.id ? `${o.urn}::${o.id}` : o.urn;
      case SIG.asset:
        return {
          asset: o.path ?? o.uri ?? (typeof o.text === "string" ? `${o.text.length} chars of text` : ""),
        };
      case SIG.archive:
        return { archive: o.path ?? o.uri ?? Object.keys((o.assets as object) ?? {}) };
      case SIG.outputValue:
        return "value" in o ? displayValue(o.value, showSecrets) : "[unknown]";
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = displayValue(x, showSecrets);
    return out;
  }
  return v;
}

/** Paths (`a.b[0].c`) of every unknown value inside a wire value. */
export function unknownPaths(v: WireValue, prefix = ""): string[] {
  if (v === SIG.unknown) return [prefix || "(value)"];
  if (Array.isArray(v)) return v.flatMap((x, i) => unknownPaths(x, `${prefix}[${i}]`));
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (o[SIG.key] === SIG.secret) return unknownPaths(o.value, prefix);
    if (o[SIG.key] !== undefined) return [];
    return Object.entries(o).flatMap(([k, x]) => unknownPaths(x, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}
