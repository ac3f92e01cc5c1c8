/**
 * Admin JWT claims (auth.ts), through the real app on real PostgreSQL: `exp` required with a maximum
 * lifetime, `iss`/`aud` from config, a small clock skew. One test per claim; the admin dashboard (GET) is the
 * protected endpoint. Also the configuration rule: JWT_SECRET without JWT_ISSUER/JWT_AUDIENCE is refused.
 */
import { strict as assert } from "node:assert";
import { sign } from "hono/jwt";
import { claimProblem } from "../src/auth";
import { ConfigError, loadConfig } from "../src/env";
import { createFixture, type Fixture } from "./fixture";
import { JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET, testEnv } from "./harness";

describe("admin JWT claims (real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    f = await createFixture("auth", { JWT_MAX_LIFETIME_S: "3600", JWT_CLOCK_SKEW_S: "30" });
  });
  after(async () => f?.close());

  const base = () => ({ sub: "ops", role: "admin", iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: now() + 300 });

  async function status(claims: Record<string, unknown>, secret = JWT_SECRET): Promise<number> {
    const token = await sign(claims, secret, "HS256");
    const res = await f.request("/api/health/dashboard", { headers: { authorization: `Bearer ${token}` } });
    if (res.status === 401) {
      assert.equal(res.headers.get("content-type"), "application/problem+json");
      assert.match(res.headers.get("www-authenticate") ?? "", /invalid_token/);
    }
    return res.status;
  }

  it("accepts a well-formed admin token (the baseline every other case changes one claim of)", async () => {
    assert.equal(await status(base()), 200);
    assert.equal(await status({ ...base(), aud: ["other", JWT_AUDIENCE] }), 200, "aud as an array");
  });

  it("refuses a token without exp", async () => {
    const { exp: _omit, ...claims } = base();
    assert.equal(await status(claims), 401);
  });

  it("refuses an expired token (beyond the skew)", async () => {
    assert.equal(await status({ ...base(), exp: now() - 31 - 5 }), 401);
  });

  it("refuses a lifetime over JWT_MAX_LIFETIME_S (by iat, and by exp alone without iat)", async () => {
    assert.equal(await status({ ...base(), iat: now(), exp: now() + 3600 + 60 }), 401);
    assert.equal(await status({ ...base(), exp: now() + 7200 }), 401);
    assert.equal(await status({ ...base(), iat: now(), exp: now() + 3500 }), 200);
  });

  it("refuses a wrong or missing iss", async () => {
    assert.equal(await status({ ...base(), iss: "https://other.example" }), 401);
    const { iss: _omit, ...claims } = base();
    assert.equal(await status(claims), 401);
  });

  it("refuses a wrong or missing aud (a token for another service signed with the same secret)", async () => {
    assert.equal(await status({ ...base(), aud: "billing-api" }), 401);
    const { aud: _omit, ...claims } = base();
    assert.equal(await status(claims), 401);
  });

  it("accepts clock skew within JWT_CLOCK_SKEW_S: just expired, nbf and iat slightly ahead", async () => {
    assert.equal(await status({ ...base(), exp: now() - 10 }), 200);
    assert.equal(await status({ ...base(), nbf: now() + 10 }), 200);
    assert.equal(await status({ ...base(), iat: now() + 10 }), 200);
    assert.equal(await status({ ...base(), nbf: now() + 120 }), 401, "nbf beyond the skew");
    assert.equal(await status({ ...base(), iat: now() + 120 }), 401, "iat beyond the skew");
  });

  it("claimProblem names the failed claim (unit, fixed clock)", () => {
    const cfg = { clockSkewS: 30, jwtMaxLifetimeS: 3600 };
    assert.equal(claimProblem({}, cfg, 1000), "exp missing");
    assert.equal(claimProblem({ exp: "2000" }, cfg, 1000), "exp missing");
    assert.equal(claimProblem({ exp: 970 }, cfg, 1000), "expired");
    assert.equal(claimProblem({ exp: 971 }, cfg, 1000), undefined);
    assert.equal(claimProblem({ exp: 5000, iat: 1000 }, cfg, 1000), "lifetime too long");
    assert.equal(claimProblem({ exp: 2000, nbf: 1031 }, cfg, 1000), "not yet valid");
  });

  it("configuration: JWT_SECRET requires JWT_ISSUER and JWT_AUDIENCE", () => {
    const env = testEnv("postgres://u@127.0.0.1:5432/x", { JWT_ISSUER: "", JWT_AUDIENCE: "" });
    assert.throws(
      () => loadConfig(env),
      (err: Error) =>
        err instanceof ConfigError &&
        err.problems.some((p) => p.startsWith("JWT_ISSUER: is required when JWT_SECRET is set")) &&
        err.problems.some((p) => p.startsWith("JWT_AUDIENCE: is required when JWT_SECRET is set")),
    );
  });
});
