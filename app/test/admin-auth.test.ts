/**
 * Admin authentication on the write routes, real PostgreSQL (seeded directory, directory.ts): the admin API
 * key and HS256 JWTs with the admin role are accepted; other roles are 403; a missing, wrong, forged or
 * expired credential is 401 problem+json with `WWW-Authenticate: Bearer` and changes nothing. The per-claim
 * JWT rules (exp, iss, aud, skew) are in auth.test.ts.
 */
import { strict as assert } from "node:assert";
import { seedDirectory, newBusiness, type DirectoryRow } from "./directory";
import type { Fixture } from "./fixture";
import { ADMIN_KEY } from "./harness";
import { expectProblem } from "./http";
import { nowS, signJwt } from "./tokens";

describe("admin writes: authentication (in-process, real PostgreSQL)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let all: DirectoryRow[];

  before(async () => ({ f, all } = await seedDirectory("admin_auth")));
  after(async () => f?.close());

  it("accepts an HS256 JWT with the admin role and refuses one without it (403)", async () => {
    const exp = nowS() + 60;
    const good = await signJwt({ sub: "ops", role: "admin", exp });
    const res = await f.request("/api/businesses", {
      method: "POST",
      headers: { authorization: `Bearer ${good}`, "content-type": "application/json" },
      body: JSON.stringify({ ...newBusiness, name: "Por JWT" }),
    });
    assert.equal(res.status, 201);
    const viewer = await signJwt({ sub: "v", roles: ["viewer"], exp });
    const denied = await f.request("/api/businesses", {
      method: "POST",
      headers: { authorization: `Bearer ${viewer}`, "content-type": "application/json" },
      body: JSON.stringify(newBusiness),
    });
    expectProblem(denied, 403);
  });

  it("401 without a credential, with a wrong key, a wrongly signed or expired JWT", async () => {
    const post = (headers: Record<string, string>) =>
      f.request("/api/businesses", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(newBusiness),
      });
    const res = await post({});
    expectProblem(res, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
    expectProblem(await post({ authorization: `Bearer ${ADMIN_KEY}x` }), 401);
    expectProblem(await post({ authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }), 401);
    const forged = await signJwt({ role: "admin", exp: nowS() + 60 }, "another-secret-0123456789abcdef0123");
    expectProblem(await post({ authorization: `Bearer ${forged}` }), 401);
    const expired = await signJwt({ role: "admin", exp: nowS() - 100 });
    expectProblem(await post({ authorization: `Bearer ${expired}` }), 401);
    expectProblem(await f.request(`/api/businesses/${all[0].id}`, { method: "DELETE" }), 401);
    expectProblem(await f.request("/api/health/dashboard"), 401);
    assert.equal((await f.request(`/api/businesses/${all[0].id}`)).status, 200, "nothing was deleted");
  });
});
