/**
 * IPv4 CIDR arithmetic for every Meridian network: parsing with a reason when the text is not a CIDR,
 * alignment, containment, overlap, RFC 1918 membership, and the address/prefix split some APIs take.
 * Used by the config validator (infra/config/), the AWS subnet plan and the GCP network.
 *
 * Addresses are held as unsigned 32-bit integers (0 .. 2^32-1) in plain JavaScript numbers; every
 * bitwise result is folded back with `>>> 0` so no value ever turns negative.
 */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** The address as written, as an unsigned 32-bit integer (may have host bits set; see {@link isAligned}). */
  address: number;
  /** The prefix length, 0-32. */
  prefix: number;
}

/** The RFC 1918 private address blocks. */
export const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** What a CIDR example looks like in messages. */
const EXAMPLE = "10.40.0.0/16";

/**
 * Parses "a.b.c.d/n", or returns in words why the text is not an IPv4 CIDR (for messages that name the
 * key or arg themselves). Host bits may be set (check with {@link isAligned}). Leading zeros are rejected:
 * some tools read them as octal.
 */
export function tryParseCidr(text: unknown): Cidr | string {
  if (typeof text !== "string") return `not an IPv4 CIDR like ${EXAMPLE}`;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) {
    return /^\d{1,3}(\.\d{1,3}){3}$/.test(text)
      ? `missing the prefix length: write it like ${EXAMPLE}`
      : `not an IPv4 CIDR like ${EXAMPLE}`;
  }
  const numbers = m.slice(1, 6);
  if (numbers.some((n) => n.length > 1 && n.startsWith("0")))
    return "numbers with leading zeros are ambiguous; write them without";
  const octets = numbers.slice(0, 4).map(Number);
  if (octets.some((o) => o > 255)) return "an octet is greater than 255";
  const prefix = Number(numbers[4]);
  if (prefix > 32) return "the prefix length is greater than 32";
  return { address: octets.reduce((acc, o) => acc * 256 + o, 0), prefix };
}

/**
 * Parses "a.b.c.d/n"; throws an error naming `arg`, quoting the value and saying why it is not a CIDR.
 * @example parseCidr("10.60.0.0/20") // { address: 0x0a3c0000, prefix: 20 }
 */
export function parseCidr(text: unknown, arg = "cidr"): Cidr {
  const c = tryParseCidr(text);
  if (typeof c === "string") {
    throw new Error(`${arg} ${JSON.stringify(text) ?? String(text)} is not an IPv4 CIDR: ${c}`);
  }
  return c;
}

/** Formats an unsigned 32-bit integer as dotted-quad IPv4 text. */
export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Formats a block as "a.b.c.d/n", exactly as given (host bits kept). */
export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.address)}/${c.prefix}`;
}

/** The netmask of a prefix length as an unsigned 32-bit integer (/20 -> 255.255.240.0). */
export function netmask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Number of addresses in a block of this prefix length (/28 -> 16). */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The block's network address (host bits cleared) as an unsigned 32-bit integer. */
export function networkOf(c: Cidr): number {
  return (c.address & netmask(c.prefix)) >>> 0;
}

/** The block's last address as an unsigned 32-bit integer. */
export function lastAddressOf(c: Cidr): number {
  return networkOf(c) + blockSize(c.prefix) - 1;
}

/** True when the address has no host bits set (10.60.0.0/20 yes, 10.60.1.0/20 no). */
export function isAligned(c: Cidr): boolean {
  return networkOf(c) === c.address;
}

/** The aligned form of a block, for "did you mean" messages (10.60.1.0/20 -> "10.60.0.0/20"). */
export function alignedText(c: Cidr): string {
  return `${formatIpv4(networkOf(c))}/${c.prefix}`;
}

/** True when `inner` lies entirely within `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && networkOf({ ...inner, prefix: outer.prefix }) === networkOf(outer);
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return networkOf(a) <= lastAddressOf(b) && networkOf(b) <= lastAddressOf(a);
}

const RFC1918_BLOCKS = RFC1918.map((r) => parseCidr(r));

/** True when the block lies entirely within one of the RFC 1918 private blocks. */
export function isRfc1918(c: Cidr): boolean {
  return RFC1918_BLOCKS.some((r) => contains(r, c));
}

/**
 * Splits an aligned CIDR into the network address and prefix length (what `gcp.compute.GlobalAddress`
 * takes for a private services access range).
 * @example splitCidr("10.61.0.0/16") // { address: "10.61.0.0", prefixLength: 16 }
 */
export function splitCidr(text: string): { address: string; prefixLength: number } {
  const c = parseCidr(text);
  if (!isAligned(c)) {
    throw new Error(
      `"${text}" is not aligned to its prefix; the block's network address is ${alignedText(c)}`,
    );
  }
  return { address: formatIpv4(c.address), prefixLength: c.prefix };
}
