/**
 * The client's IP address under a configured trust model (SECURITY_TRUST_PROXY), for rate limiting and logs.
 *
 * A client can put anything in `X-Forwarded-For`; only entries appended by proxies we operate are trusted:
 * - `0` (default): the TCP peer address; every forwarding header is ignored (the app is reached directly).
 * - `N` (1-10): N proxies we operate stand in front of the app and each appends the address it received the
 *   connection from to `X-Forwarded-For`. The client is the N-th address counting from the right (the TCP
 *   peer is the last proxy). Entries further left were written by the client and are ignored. With fewer
 *   entries than N, the leftmost one is used (as Express's `trust proxy` N does). AWS ALB is 1 hop; CloudFront
 *   in front of an ALB is 2.
 * - `cloudfront`: the `CloudFront-Viewer-Address` header (`ip:port`), which CloudFront sets itself when the
 *   origin request policy forwards it; a viewer cannot set it. Only sound when the origin accepts traffic from
 *   CloudFront alone (the AWS stack restricts the ALB to CloudFront's prefix list).
 * - `google`: the Google external Application Load Balancer appends `<client-ip>,<load-balancer-ip>` to
 *   `X-Forwarded-For`; the client is the second entry from the right (anything left of it came from the client).
 *
 * The result is normalised: IPv4-mapped IPv6 becomes IPv4, and an IPv6 address is reduced to its /64 (one
 * subscriber usually owns a whole /64, so per-address limits on IPv6 would be trivially evaded). When no
 * trusted address is available (in-process requests in tests), the result is `unknown`.
 */
import { isIP } from "node:net";
import type { Context } from "hono";

export type TrustProxy = { kind: "hops"; hops: number } | { kind: "cloudfront" } | { kind: "google" };

/** Parse SECURITY_TRUST_PROXY (already validated by env.ts): `0`-`10`, `cloudfront` or `google`. */
export function parseTrustProxy(value: string): TrustProxy {
  if (value === "cloudfront") return { kind: "cloudfront" };
  if (value === "google") return { kind: "google" };
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(
      `SECURITY_TRUST_PROXY: must be 0-10, cloudfront or google (got ${JSON.stringify(value)})`,
    );
  }
  return { kind: "hops", hops };
}

/** Expand an IPv6 address into its 8 groups (numbers). Assumes `isIP(addr) === 6`. */
function ipv6Groups(addr: string): number[] {
  let a = addr.split("%")[0];
  // Embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4): turn it into two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const [p, q, r, s] = v4[1].split(".").map(Number);
    a = a.slice(0, -v4[1].length) + `${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head, tail] = a.includes("::") ? a.split("::") : [a, undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill("0");
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/**
 * Normalise an address for use as a rate-limit identity: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 as
 * its /64 prefix (`2001:db8:0:1::/64`). Returns undefined for anything that is not an IP address.
 */
export function normaliseIp(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const addr = raw.trim().replace(/^\[|\]$/g, "");
  const family = isIP(addr);
  if (family === 4) return addr;
  if (family !== 6) return undefined;
  const g = ipv6Groups(addr);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  }
  return `${g
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(":")}::/64`;
}

/** `ip:port`, `[v6]:port` or a bare address (CloudFront-Viewer-Address is `ip:port`; IPv6 is not bracketed). */
function stripPort(value: string): string {
  const v = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) return bracketed[1];
  if (isIP(v)) return v;
  const i = v.lastIndexOf(":");
  return i > 0 && /^\d+$/.test(v.slice(i + 1)) ? v.slice(0, i) : v;
}

function forwardedFor(header: string | undefined): string[] {
  return (header ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The client address for a request under `trust`. `peer` is the TCP peer address (undefined in-process).
 * Pure function of its inputs (exported for tests).
 */
export function resolveClientIp(
  trust: TrustProxy,
  headers: { get(name: string): string | null | undefined },
  peer: string | undefined,
): string {
  let chosen: string | undefined;
  switch (trust.kind) {
    case "cloudfront": {
      const viewer = headers.get("cloudfront-viewer-address");
      chosen = viewer ? stripPort(viewer) : undefined;
      break;
    }
    case "google": {
      const xff = forwardedFor(headers.get("x-forwarded-for") ?? undefined);
      chosen = xff.length >= 2 ? xff[xff.length - 2] : undefined;
      break;
    }
    case "hops": {
      // [peer, last XFF entry, ..., first XFF entry]: index N is the address the N-th proxy saw.
      const chain = [peer, ...forwardedFor(headers.get("x-forwarded-for") ?? undefined).reverse()];
      chosen = trust.hops === 0 ? peer : chain[Math.min(trust.hops, chain.length - 1)];
      break;
    }
  }
  return normaliseIp(chosen) ?? normaliseIp(peer) ?? "unknown";
}

/** The TCP peer address of a request served by @hono/node-server (`c.env.incoming`), if any. */
export function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}
