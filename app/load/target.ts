/**
 * Which API a load scenario may drive. Load scripts only talk to this machine unless told otherwise:
 * `http(s)://127.0.0.1|localhost|[::1]` (any loopback 127.0.0.0/8 address too) is allowed; any other host is
 * refused unless `allowRemote` is true (the `--allow-remote` flag), so a typo can never point 200
 * connections at somebody else's server.
 */
import { isIP } from "node:net";

/** A target the caller refused; `message` says which host and how to allow it. */
export class TargetRefused extends Error {}

/** True for localhost, ::1 and 127.0.0.0/8 (hostnames as `URL` gives them: IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/**
 * Parses and checks a target URL (`http:` or `https:` only, no credentials in it). Returns its origin (path,
 * query and fragment dropped). Throws `TargetRefused` for a non-loopback host without `allowRemote`, and for
 * anything that is not an http(s) URL.
 */
export function checkTarget(raw: string, allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused(`target "${raw}" is not a URL; expected e.g. http://127.0.0.1:3000`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TargetRefused(`target protocol ${url.protocol} is not allowed; use http: or https:`);
  }
  if (url.username || url.password) {
    throw new TargetRefused("target URL must not carry credentials");
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new TargetRefused(
      `target host ${url.hostname} is not loopback (127.0.0.1, localhost, ::1); ` +
        "pass --allow-remote to load a remote API you are responsible for",
    );
  }
  return new URL(url.origin);
}
