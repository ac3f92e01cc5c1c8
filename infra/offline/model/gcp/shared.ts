/**
 * What every Google Cloud model shares: the context a model computes in (project, region, seed, name,
 * placeholder reporting), the resource-name shapes of the compute API, and deterministic stand-ins for
 * values only Google assigns (numeric ids, fingerprints, timestamps, addresses, CA certificates).
 *
 * A stand-in is never presented as real: the model calls {@link Ctx.placeholder}, which leaves one note per
 * kind of value in the report (the same way the project number placeholder is reported).
 */
import { createHash } from "node:crypto";
import { hex, ModelEnv, ModelNote, OFFLINE_GCP_PROJECT_NUMBER, ResourceCall, str } from "../context";

export const COMPUTE = "https://www.googleapis.com/compute/v1";

/** Kinds of made-up values the report names (one note per kind, whatever the number of resources). */
export type PlaceholderKind =
  "projectNumber" | "address" | "runUrl" | "caCert" | "authString" | "assignedId" | "managedCert";

const PLACEHOLDER_NOTES: Record<PlaceholderKind, string> = {
  projectNumber: `gcp project number is the offline placeholder ${OFFLINE_GCP_PROJECT_NUMBER}`,
  address:
    "gcp addresses Google assigns (load balancer IPs in 203.0.113.0/24, a documentation range; Cloud SQL and Memorystore private IPs and allocated ranges in 10.x) are offline placeholders: the real ones are known after `pulumi up`",
  runUrl:
    "Cloud Run run.app URL hashes and revision suffixes are offline placeholders: Google assigns them when the service is created",
  caCert:
    "Cloud SQL and Memorystore server CA certificates are offline placeholders (PEM armour around the text OFFLINE PLACEHOLDER, not a certificate): read the real CA from the instance after `pulumi up`",
  authString:
    "Memorystore AUTH strings are offline placeholders (kept secret like the real ones): Google generates the real one",
  assignedId:
    "numeric ids, fingerprints, etags and creation times Google assigns (forwarding rules, proxies, URL maps, backend services, certificates, zones, channels, policies) are offline placeholders",
  managedCert:
    "Google-managed certificates are provisioned only after the domain's DNS points at the load balancer (up to about an hour): their expireTime stays unknown and the certificate is PROVISIONING until then",
};

/** The context one GCP model computes in. */
export interface Ctx {
  project: string;
  region: string;
  seed: string;
  /** The resource's `name` input, or a Pulumi-style auto-name (lowercase, max 63). */
  name: string;
  /** The placeholder project number (the project's real number is known only to Google). */
  projectNumber: string;
  /** Reports that the resource carries a made-up value of this kind. */
  placeholder(kind: PlaceholderKind): void;
}

export type Computed = Record<string, unknown>;
export type Model = (call: ResourceCall, ctx: Ctx) => { id: string; out: Computed };

/** Builds the context of one call. */
export function makeCtx(
  env: ModelEnv,
  base: { project: string; region: string; seed: string; name: string },
): Ctx {
  return {
    ...base,
    projectNumber: OFFLINE_GCP_PROJECT_NUMBER,
    placeholder: (kind) => env.note(placeholderNote(kind)),
  };
}

/** The note for a kind of placeholder. */
export function placeholderNote(kind: PlaceholderKind): ModelNote {
  return { level: "info", message: PLACEHOLDER_NOTES[kind] };
}

/** A numeric id Google assigns (uint64 rendered as a decimal string), deterministic per seed. */
export function numericId(seed: string, digits = 19): string {
  const n = BigInt(`0x${hex(`${seed}/id`, 16)}`) % 10n ** BigInt(digits);
  return (n + 10n ** BigInt(digits - 1)).toString().slice(0, digits);
}

/** A fingerprint or etag: base64 of 8 bytes, as the compute and IAM APIs return them. */
export function fingerprint(seed: string): string {
  return Buffer.from(hex(`${seed}/fp`, 16), "hex").toString("base64");
}

/** The fixed creation time every placeholder resource reports (RFC 3339). */
export const CREATED = "2026-01-01T00:00:00.000000Z";
/** The compute API's creation timestamp format. */
export const CREATED_COMPUTE = "2026-01-01T00:00:00.000-08:00";

/** The last path segment of a resource name (`projects/p/secrets/s` -> `s`), or the value itself. */
export function lastSegment(v: string | undefined): string | undefined {
  return v === undefined ? undefined : v.split("/").pop();
}

/** A documentation-range external address (203.0.113.0/24), deterministic per seed. */
export function externalAddress(seed: string): string {
  return `203.0.113.${1 + (parseInt(hex(seed, 2), 16) % 250)}`;
}

/** The n-th host of an IPv4 CIDR, or undefined when it is not one. */
export function hostIn(cidr: string | undefined, offset: number): string | undefined {
  if (!cidr) return undefined;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(cidr);
  if (!m) return undefined;
  const n = ((+m[1] << 24) >>> 0) + (+m[2] << 16) + (+m[3] << 8) + +m[4] + offset;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** A private /prefix block in 10.61.0.0/16 standing in for one Google allocates, deterministic per seed. */
export function privateBlock(seed: string, prefix: number): string {
  const third = parseInt(hex(`${seed}/block`, 2), 16) % 250;
  return `10.61.${third}.0/${prefix}`;
}

/**
 * A PEM that says what it is: explanatory text before the armour (RFC 7468 section 5.2 lets parsers skip
 * it) and a body that decodes to the words OFFLINE PLACEHOLDER, so no one mistakes it for Google's CA.
 */
export function placeholderPem(seed: string, what: string): string {
  const body = Buffer.from(
    `OFFLINE PLACEHOLDER: not a certificate. ${what} is known only after pulumi up. ${hex(seed, 16)}`,
  ).toString("base64");
  const lines = body.match(/.{1,64}/g) ?? [];
  return [
    `# OFFLINE PLACEHOLDER (Meridian offline preview): not ${what}`,
    "-----BEGIN CERTIFICATE-----",
    ...lines,
    "-----END CERTIFICATE-----",
    "",
  ].join("\n");
}

/** SHA-1 fingerprint (hex) of a placeholder certificate, as the APIs report one. */
export function sha1Of(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/** A global compute resource (`projects/P/global/<collection>/NAME`). */
export const globalCompute =
  (collection: string): Model =>
  (_call, ctx) => {
    const id = `projects/${ctx.project}/global/${collection}/${ctx.name}`;
    return { id, out: { name: ctx.name, selfLink: `${COMPUTE}/${id}` } };
  };

/** A regional compute resource (`projects/P/regions/R/<collection>/NAME`). */
export const regionalCompute =
  (collection: string): Model =>
  (_call, ctx) => {
    const id = `projects/${ctx.project}/regions/${ctx.region}/${collection}/${ctx.name}`;
    return { id, out: { name: ctx.name, selfLink: `${COMPUTE}/${id}`, region: ctx.region } };
  };

/** The location of a located resource: its `location` or `region` input, else the provider's region. */
export function locationOf(call: ResourceCall, ctx: Ctx): string {
  return str(call.inputs, "location") ?? str(call.inputs, "region") ?? ctx.region;
}

/** A `projects/P/locations/L/<collection>/NAME` resource. */
export const located =
  (collection: string, extra: (call: ResourceCall, ctx: Ctx, id: string) => Computed = () => ({})): Model =>
  (call, ctx) => {
    const id = `projects/${ctx.project}/locations/${locationOf(call, ctx)}/${collection}/${ctx.name}`;
    return { id, out: { name: ctx.name, ...extra(call, ctx, id) } };
  };

/**
 * A non-authoritative IAM member (`*IamMember`): the provider's id is the IAM resource id, the role and the
 * member joined with `/` (plus the condition title when there is one), and its only output is the
 * policy's etag. `resourceId` gives the IAM resource id the way the provider normalises it.
 */
export const iamMember =
  (resourceId: (call: ResourceCall, ctx: Ctx) => string): Model =>
  (call, ctx) => {
    const role = str(call.inputs, "role") ?? "roles/unknown";
    const member = str(call.inputs, "member") ?? "unknown";
    const condition = call.inputs.condition as { title?: string } | undefined;
    const suffix = condition?.title ? `/${condition.title}` : "";
    ctx.placeholder("assignedId");
    return {
      id: `${resourceId(call, ctx)}/${role}/${member}${suffix}`,
      out: { etag: fingerprint(ctx.seed) },
    };
  };

/** A located parent referenced by short name or full name (`projects/P/locations/L/<collection>/N`). */
export function locatedRef(call: ResourceCall, ctx: Ctx, collection: string, key: string): string {
  const ref = str(call.inputs, key) ?? "unknown";
  if (ref.startsWith("projects/")) return ref;
  return `projects/${ctx.project}/locations/${locationOf(call, ctx)}/${collection}/${ref}`;
}
