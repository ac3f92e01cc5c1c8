/**
 * Admin authentication: `Authorization: Bearer <token>` where the token is either
 * - the admin API key (ADMIN_API_KEY), compared in constant time (both sides hashed to equal length first), or
 * - an HS256 JWT signed with JWT_SECRET whose `role` is "admin" or whose `roles` array contains "admin", and
 *   whose registered claims hold (RFC 7519, checked here with `clockSkewS` leeway on every time comparison):
 *   - `exp` present (a number of seconds since the epoch) and not past; a token without `exp` is refused;
 *   - lifetime `exp - iat` (or `exp - now` without `iat`) at most `maxLifetimeS` (JWT_MAX_LIFETIME_S);
 *   - `nbf` and `iat`, when present, not in the future;
 *   - `iss` equal to JWT_ISSUER and `aud` (string or array) containing JWT_AUDIENCE: a token signed with the
 *     same secret for another service is not admin here. Without both configured, JWTs are refused.
 * No credential, or an invalid one: 401 with `WWW-Authenticate: Bearer`. A valid token without the admin role: 403.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { verify } from "hono/jwt";
import type { Config } from "./env";
import { problemResponse } from "./problem";

export interface AuthConfig {
  adminApiKey?: string;
  jwtSecret?: string;
  /** Required `iss` claim (JWT_ISSUER). Unset: every JWT is refused. */
  jwtIssuer?: string;
  /** Required member of the `aud` claim (JWT_AUDIENCE). Unset: every JWT is refused. */
  jwtAudience?: string;
  /** Longest accepted token lifetime in seconds (JWT_MAX_LIFETIME_S); default 3600. */
  jwtMaxLifetimeS?: number;
  /** Leeway in seconds for exp/nbf/iat comparisons (JWT_CLOCK_SKEW_S); default 30. */
  clockSkewS?: number;
  /** Milliseconds since the epoch (default `Date.now`); tests inject a clock. */
  now?: () => number;
}

/** The admin authentication settings from the process configuration. */
export function authConfig(
  config: Pick<
    Config,
    "ADMIN_API_KEY" | "JWT_SECRET" | "JWT_ISSUER" | "JWT_AUDIENCE" | "JWT_MAX_LIFETIME_S" | "JWT_CLOCK_SKEW_S"
  >,
  now?: () => number,
): AuthConfig {
  return {
    adminApiKey: config.ADMIN_API_KEY,
    jwtSecret: config.JWT_SECRET,
    jwtIssuer: config.JWT_ISSUER,
    jwtAudience: config.JWT_AUDIENCE,
    jwtMaxLifetimeS: config.JWT_MAX_LIFETIME_S,
    clockSkewS: config.JWT_CLOCK_SKEW_S,
    now,
  };
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

type Verdict = "admin" | "forbidden" | "invalid";

const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The reason a verified payload's registered claims are not acceptable, or undefined when they are.
 * Times are seconds since the epoch.
 */
export function claimProblem(
  payload: Record<string, unknown>,
  cfg: AuthConfig,
  nowS: number,
): string | undefined {
  const skew = cfg.clockSkewS ?? 30;
  const maxLifetime = cfg.jwtMaxLifetimeS ?? 3600;
  const { exp, iat, nbf } = payload;
  if (!isTime(exp)) return "exp missing";
  if (exp + skew <= nowS) return "expired";
  if (iat !== undefined && (!isTime(iat) || iat - skew > nowS)) return "iat in the future";
  if (nbf !== undefined && (!isTime(nbf) || nbf - skew > nowS)) return "not yet valid";
  if (exp - (isTime(iat) ? iat : nowS) > maxLifetime) return "lifetime too long";
  return undefined;
}

async function check(token: string, cfg: AuthConfig): Promise<Verdict> {
  if (cfg.adminApiKey && constantTimeEqual(token, cfg.adminApiKey)) return "admin";
  if (cfg.jwtSecret && cfg.jwtIssuer && cfg.jwtAudience && token.split(".").length === 3) {
    try {
      // Signature, algorithm, iss and aud by hono/jwt; the time claims below, with leeway.
      const payload = await verify(token, cfg.jwtSecret, {
        alg: "HS256",
        iss: cfg.jwtIssuer,
        aud: cfg.jwtAudience,
        exp: false,
        nbf: false,
        iat: false,
      });
      if (claimProblem(payload, cfg, Math.floor((cfg.now ?? Date.now)() / 1000))) return "invalid";
      const roles = Array.isArray(payload.roles) ? payload.roles : [];
      return payload.role === "admin" || roles.includes("admin") ? "admin" : "forbidden";
    } catch {
      return "invalid";
    }
  }
  return "invalid";
}

/** Middleware: 401/403 problem+json unless the request carries an admin credential (see the module comment). */
export function requireAdmin(cfg: AuthConfig): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      c.header("WWW-Authenticate", 'Bearer realm="meridian-admin"');
      return problemResponse(
        c,
        401,
        "an admin credential is required: Authorization: Bearer <api key or JWT>",
      );
    }
    const verdict = await check(m[1], cfg);
    if (verdict === "invalid") {
      c.header("WWW-Authenticate", 'Bearer realm="meridian-admin", error="invalid_token"');
      return problemResponse(c, 401, "the credential is not valid");
    }
    if (verdict === "forbidden") return problemResponse(c, 403, "the token does not have the admin role");
    await next();
    return undefined;
  };
}
