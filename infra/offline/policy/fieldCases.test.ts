/**
 * The field cases of rule kinds (../shared/field-cases f05, f17, f19b, f21), through the offline engine and
 * the pack's process, with more precise assertions than the catalogue (fieldCatalogue.test.ts) makes: which
 * rule of a group, which widget, which variable. The cases are the copies in fixtures/field-cases. The kinds'
 * neighbours are in policies/test/verdicts.test.ts and coverage.test.ts.
 */
import { strict as assert } from "node:assert";
import { runFieldCase } from "../test/cli";

describe("field cases of rule kinds through the engine (f05, f17, f21)", function () {
  this.timeout(180_000);
  let findings: { policy: string; resourceName: string; message: string; status: string }[];
  let stderr = "";
  before(() => {
    findings = [];
    for (const id of ["f05-sg-lb-exemption", "f17-dashboard-widgets", "f21-ecs-env-secret-names"]) {
      const { r, doc } = runFieldCase(id);
      assert.ok(doc, `${id}: no report\n${r.stderr}`);
      stderr += r.stderr;
      findings.push(...doc.policy.findings);
    }
  });
  const of = (policy: string, name: string) =>
    findings.filter((f) => f.policy === policy && f.resourceName === name).map((f) => f.message);

  it("f05: alb-sg ingress[1] and ingress[2] are violations; ingress[0], alb-http and the classic ELB's group are not", () => {
    const alb = of("aws-sg-no-public-ingress", "alb-sg").join(" | ");
    assert.match(alb, /ingress\[1\]/, stderr);
    assert.match(alb, /ingress\[2\]/);
    assert.doesNotMatch(alb, /ingress\[0\]/);
    assert.deepEqual(of("aws-sg-no-public-ingress", "alb-http"), []);
    assert.deepEqual(of("aws-sg-no-public-ingress", "elb-sg"), []);
  });

  it("f17: widgets 1, 2 and 3 are reported (metrics missing, PromQL data.queries, region); 0 and 4 are not", () => {
    const ms = of("aws-dashboard-widgets", "ops").join(" | ");
    for (const w of [1, 2, 3]) assert.match(ms, new RegExp(`widgets\\[${w}\\]`), ms);
    for (const w of [0, 4]) assert.doesNotMatch(ms, new RegExp(`widgets\\[${w}\\]`), ms);
    assert.match(ms, /widgets\[1\][^|]*lacks metrics, region/);
  });

  it("f21: REGISTRY_API_TOKEN and FEDERATION_ENCRYPTION_KEY only", () => {
    const ms = of("aws-ecs-no-plaintext-secrets", "registry").join(" | ");
    assert.match(ms, /REGISTRY_API_TOKEN/);
    assert.match(ms, /FEDERATION_ENCRYPTION_KEY/);
    for (const quiet of ["DB_SECRET_ARN", "OAUTH_CALLBACK_URL", "TOKEN_TTL_SECONDS", "ELASTIC_CLOUD_ID"])
      assert.doesNotMatch(ms, new RegExp(quiet));
  });
});

describe("field case f19b through the engine: the Database component refuses a deprecated engine version", function () {
  this.timeout(180_000);
  it("exits non-zero and names 16.5 and what is allowed", () => {
    const { r } = runFieldCase("f19b-component-engine-version");
    assert.notEqual(r.code, 0, r.stdout);
    const out = r.stdout + r.stderr;
    assert.match(out, /engineFullVersion is "16\.5": postgres 16\.5 accepts no new instances/);
    assert.match(out, /16\.9 or later, such as 16\.11/);
  });
});

describe("the Database component and the pack share one RDS version table", () => {
  it("the component's pins are versions the rule accepts, and it refuses what the rule refuses", async () => {
    const { POSTGRES_VERSIONS, resolveDatabaseArgs } = await import("../../../components/aws/database");
    const { rdsVersionProblem } = await import("../../../policies/lib/rdsVersions");
    for (const v of Object.values(POSTGRES_VERSIONS))
      assert.equal(rdsVersionProblem("postgres", v), undefined, v);
    const tags = { app: "a", environment: "dev", owner: "o", "cost-center": "c", "managed-by": "pulumi" };
    const args = { vpcId: "vpc-1", subnetIds: ["s1", "s2"], tags };
    for (const [major, v] of [
      ["16", "16.8"],
      ["17", "17.1"],
    ] as const)
      assert.throws(
        () => resolveDatabaseArgs({ ...args, engineVersion: major, engineFullVersion: v }),
        /accepts no new instances/,
      );
    assert.doesNotThrow(() =>
      resolveDatabaseArgs({ ...args, engineVersion: "16", engineFullVersion: "16.12" }),
    );
  });
});
