/**
 * Admin JWTs for the suites: HS256 tokens signed with the test JWT_SECRET (harness.ts), carrying the
 * configured issuer and audience (JWT_ISSUER / JWT_AUDIENCE) unless a claim overrides them.
 */
import { sign } from "hono/jwt";
import { JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET } from "./harness";

type JWTPayload = Parameters<typeof sign>[0];

/** Now in whole seconds since the epoch (the unit of `exp`, `iat`, `nbf`). */
export const nowS = (): number => Math.floor(Date.now() / 1000);

/**
 * An HS256 JWT with `iss`/`aud` from the test config and `exp` 10 minutes ahead, then `claims` on top (a claim
 * set to a value replaces the default; pass `exp` explicitly where the lifetime matters).
 */
export function signJwt(claims: JWTPayload, secret: string = JWT_SECRET): Promise<string> {
  return sign({ iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: nowS() + 600, ...claims }, secret, "HS256");
}
