/**
 * Small, pure IPv4 CIDR helpers for the GCP network: parse, alignment, RFC 1918 membership, overlap,
 * and the network-address/prefix split a `gcp.compute.GlobalAddress` takes (`address` + `prefixLength`).
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
  /** The text the block was parsed from. */
  text: string;
}

/** The RFC 1918 private address blocks. */
export const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/**
 * Parses dotted-quad IPv4 text ("10.60.0.0") into an unsigned 32-bit integer.
 * Throws when the text is not four decimal octets 0-255 (leading zeros are rejected: they are octal to some tools).
 */
export function parseIpv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) {
    throw new Error(`"${text}" is not an IPv4 address (four decimal octets 0-255, e.g. 10.60.0.0)`);
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Formats an unsigned 32-bit integer as dotted-quad IPv4 text. */
export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/**
 * Parses "a.b.c.d/n" into a {@link Cidr}. Throws an error that quotes the text when it is not IPv4 CIDR
 * notation. Does not require alignment (check with {@link isAligned}).
 */
export function parseCidr(text: string): Cidr {
  if (typeof text !== "string") throw new Error(`${JSON.stringify(text)} is not an IPv4 CIDR (a.b.c.d/n)`);
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an IPv4 CIDR (a.b.c.d/n, e.g. 10.60.0.0/20)`);
  const prefix = Number(m[2]);
  if (prefix > 32) throw new Error(`"${text}" has prefix /${prefix}; an IPv4 prefix is /0 to /32`);
  return { address: parseIpv4(m[1]), prefix, text };
}

/** The netmask of a prefix length as an unsigned 32-bit integer (/20 -> 255.255.240.0). */
export function netmask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Number of addresses in the block (/28 -> 16). */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** The block's network address (host bits cleared) as an unsigned 32-bit integer. */
export function networkOf(c: Cidr): number {
  return (c.address & netmask(c.prefix)) >>> 0;
}

/** The block's last address as an unsigned 32-bit integer. */
export function lastAddressOf(c: Cidr): number {
  return networkOf(c) + cidrSize(c) - 1;
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

/** True when the block lies entirely within one of the RFC 1918 private blocks. */
export function isRfc1918(c: Cidr): boolean {
  return RFC1918.some((r) => contains(parseCidr(r), c));
}

/**
 * Splits an aligned CIDR into the network address and prefix length, the two fields
 * `gcp.compute.GlobalAddress` takes for a private services access range.
 *
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
