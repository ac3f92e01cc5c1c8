/**
 * Admin authentication: `Authorization: Bearer <token>` where the token is either
 * - the admin API key (ADMIN_API_KEY), compared in constant time (both sides hashed to equal length first), or
 * - an HS256 JWT signed with JWT_SECRET whose `role` is "admin" or whose `roles` array contains "admin"
 *   (exp/nbf are checked by hono/jwt).
 * No credential, or an invalid one: 401 with `WWW-Authenticate: Bearer`. A valid token without the admin role: 403.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { verify } from "hono/jwt";
import { problemResponse } from "./problem";

export interface AuthConfig {
  adminApiKey?: string;
  jwtSecret?: string;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

type Verdict = "admin" | "forbidden" | "invalid";

async function check(token: string, cfg: AuthConfig): Promise<Verdict> {
  if (cfg.adminApiKey && constantTimeEqual(token, cfg.adminApiKey)) return "admin";
  if (cfg.jwtSecret && token.split(".").length === 3) {
    try {
      const payload = await verify(token, cfg.jwtSecret, "HS256");
      const roles = Array.isArray(payload.roles) ? payload.roles : [];
      return payload.role === "admin" || roles.includes("admin") ? "admin" : "forbidden";
    } catch {
      return "invalid";
    }
  }
  return "invalid";
}

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
