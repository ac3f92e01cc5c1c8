/** Checks of single config values (pure; they never echo the value, only suggest a corrected one). */
import { domainToASCII } from "node:url";
import { FARGATE_SIZES } from "../../components/aws/fargate";
import { CLOUD_RUN_SIZES } from "../../components/gcp/cloudRunSizes";
import { parseSqlTier } from "../../components/gcp/sqlTiers";
import { alignedText, isAligned, isRfc1918, overlaps, tryParseCidr } from "../../components/shared/cidr";
import { cronProblem } from "../../components/shared/cron";
import { isDigestPinned, parseImageReference, type ImageReference } from "../../components/shared/image";
import type { Finding } from "./types";

// ---------------------------------------------------------------------------------------------------
// Checks of single string values (pure; they never echo the value, only suggest a corrected one)
// ---------------------------------------------------------------------------------------------------

export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** App names: 1-20 characters, lowercase letters, digits and hyphens, starting with a letter. */
export function appNameFinding(v: string): Finding | undefined {
  if (/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/.test(v)) return undefined;
  return "1-20 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen";
}

/** Five-field cron, numbers only (components/shared/cron.ts, shared with the job components). */
export const cronFinding = (v: string): Finding | undefined => cronProblem(v);

/** Cloud SQL tiers, checked by the database component's own parser (components/gcp/sqlTiers.ts). */
export function sqlTierFinding(v: string): Finding | undefined {
  try {
    parseSqlTier("dbTier", v);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^dbTier is "[^"]*"[;:] ?/, "");
  }
}

/** Tag/label values: 1-63 printable ASCII characters. */
export function tagValueFinding(v: string): Finding | undefined {
  if (!PRINTABLE_ASCII.test(v))
    return "only printable ASCII characters (it becomes an AWS tag and a GCP label)";
  if (v.length > 63) return "at most 63 characters (the limit of a GCP label value)";
  return undefined;
}

export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lowercase ASCII DNS names (RFC 1123): two or more labels of at most 63 characters, 253 in all. */
export function domainFinding(d: string): Finding | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(d) || d.includes("/"))
    return "a host name only, without scheme or path (e.g. api.example.com)";
  if (!PRINTABLE_ASCII.test(d)) {
    const ascii = domainToASCII(d.toLowerCase());
    const message = "contains non-ASCII characters: write an international name in its punycode (xn--) form";
    return ascii ? { message, suggestion: ascii } : message;
  }
  if (d !== d.toLowerCase()) return { message: "must be lowercase", suggestion: d.toLowerCase() };
  if (d.endsWith(".") && d.length > 1) return { message: "no trailing dot", suggestion: d.slice(0, -1) };
  if (d.length > 253) return "at most 253 characters";
  const labels = d.split(".");
  if (labels.length < 2) return "a fully qualified name with at least two labels, like api.example.com";
  if (labels.some((l) => l.length > 63)) return "each label is at most 63 characters";
  if (!labels.every((l) => DNS_LABEL.test(l)))
    return "each label is lowercase letters, digits and hyphens, not starting or ending with a hyphen";
  if (/^\d+$/.test(labels[labels.length - 1])) return "an IP address is not a domain name";
  return undefined;
}

/** A plausible email address: an ASCII mailbox name, `@`, and a DNS name. */
export function emailFinding(e: string): Finding | undefined {
  const at = e.lastIndexOf("@");
  const local = e.slice(0, Math.max(at, 0));
  const domain = e.slice(at + 1);
  const localOk =
    /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/.test(local) &&
    !local.startsWith(".") &&
    !local.endsWith(".") &&
    !local.includes("..");
  if (at <= 0 || !localOk || domainFinding(domain.toLowerCase()) !== undefined)
    return "not an email address like ops@example.com";
  return undefined;
}

// Image references are parsed by components/shared/image.ts (the service components check the same way).
export { isDigestPinned, parseImageReference };
export type { ImageReference };

export function imageFinding(ref: string): Finding | undefined {
  const parsed = parseImageReference(ref);
  if (typeof parsed !== "string") return undefined;
  return `not a valid image reference (${parsed}); expected [registry/]repository[:tag][@sha256:<64 hex>]`;
}

// ---------------------------------------------------------------------------------------------------
// IPv4 CIDRs
// ---------------------------------------------------------------------------------------------------

/** True when two CIDRs share any address. Throws a TypeError when either does not parse. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = tryParseCidr(a);
  const y = tryParseCidr(b);
  if (typeof x === "string") throw new TypeError(`cidrsOverlap: "${a}": ${x}`);
  if (typeof y === "string") throw new TypeError(`cidrsOverlap: "${b}": ${y}`);
  return overlaps(x, y);
}

/** An IPv4 CIDR that is aligned, inside RFC 1918, with a prefix in [minPrefix, maxPrefix]. */
export function cidrFinding(text: string, minPrefix: number, maxPrefix: number): Finding | undefined {
  const c = tryParseCidr(text);
  if (typeof c === "string") return c;
  if (!isAligned(c)) {
    return {
      message: `the address has host bits set, so it does not start a /${c.prefix} block`,
      suggestion: alignedText(c),
    };
  }
  if (c.prefix < minPrefix || c.prefix > maxPrefix) {
    return minPrefix === maxPrefix
      ? `must be a /${minPrefix}`
      : `the prefix length must be between /${minPrefix} and /${maxPrefix}`;
  }
  if (!isRfc1918(c))
    return "must be inside a private range (RFC 1918): 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
  return undefined;
}

/** Fargate: vCPU -> allowed memory in MiB (the service component's table, which speaks CPU units). */
export const FARGATE_MEMORY: ReadonlyMap<number, readonly number[]> = new Map(
  Object.entries(FARGATE_SIZES).map(([units, memory]) => [Number(units) / 1024, memory]),
);

/** Cloud Run: vCPU -> memory range in MiB (the service component's table). */
export const CLOUD_RUN_MEMORY = CLOUD_RUN_SIZES;

export function describeMemory(allowed: readonly number[]): string {
  if (allowed.length <= 3) return `${allowed.join(", ")} MiB`;
  return `${allowed[0]}-${allowed[allowed.length - 1]} MiB in steps of ${allowed[1] - allowed[0]}`;
}

/** The CPU/memory pairs each cloud runs, in words (for the memoryMiB description and the docs). */
export function describeSizes(): string {
  const fargate = [...FARGATE_MEMORY].map(([cpu, mem]) => `${cpu} vCPU: ${describeMemory(mem)}`);
  const cloudRun = [...CLOUD_RUN_MEMORY].map(([cpu, r]) => `${cpu} vCPU: ${r.min}-${r.max} MiB`);
  return `Fargate: ${fargate.join("; ")}. Cloud Run: ${cloudRun.join("; ")}.`;
}
