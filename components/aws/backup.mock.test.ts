import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as BackupModule from "./backup";

const T = {
  vault: "aws:backup/vault:Vault",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  key: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  instance: "aws:rds/instance:Instance",
} as const;

const TAGS = TEST_TAGS;
const DB_ARN = "arn:aws:rds:us-east-1:123456789012:db:meridian-prod-db";

const suite = componentSuite({
  load: async () => ({ backup: await import("./backup"), database: await import("./database") }),
});

async function build(name: string, args: Partial<BackupModule.BackupArgs> = {}) {
  const c = await suite.capture(
    new suite.mod.backup.Backup(name, { resourceArns: [DB_ARN], tags: TAGS, ...args }),
  );
  return { ...c, backup: c.component };
}

describe("aws Backup (mocks)", () => {
  it("vault encrypted with a rotating key, daily plan with retention, selection of the DB", async () => {
    const b = await build("bk", { scheduleHourUtc: 4, retentionDays: 30 });
    const key = b.one(T.key);
    assert.equal(inputsOf(key).enableKeyRotation, true);
    const vault = inputsOf(b.one(T.vault));
    assert.equal(vault.kmsKeyArn, key.outputs.arn);
    assert.equal(vault.forceDestroy, false);
    const rule = inputsOf(b.one(T.plan)).rules[0];
    assert.equal(rule.schedule, "cron(0 4 * * ? *)");
    assert.equal(rule.lifecycle.deleteAfter, 30);
    assert.equal(rule.targetVaultName, vault.name);
    assert.equal(rule.copyActions, undefined);
    const sel = inputsOf(b.one(T.selection));
    assert.deepEqual(sel.resources, [DB_ARN]);
    assert.equal(sel.planId, b.one(T.plan).id);
    assert.equal(sel.iamRoleArn, b.one(T.role).outputs.arn);
    assert.equal(await promiseOf(b.backup.planId), b.one(T.plan).id);
  });

  it("backup role: trusted by backup.amazonaws.com of this account, ForBackup only, denied touching the database", async () => {
    const b = await build("bk-role");
    assert.equal(b.all(T.role).length, 1, "no restore role without restoreTesting");
    const role = b.one(T.role);
    assert.equal(role.name, "bk-role-backup-role");
    const trust = JSON.parse(inputsOf(role).assumeRolePolicy);
    assert.deepEqual(trust.Statement[0].Principal, { Service: "backup.amazonaws.com" });
    assert.equal(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"], "123456789012");
    assert.deepEqual(
      b.all(T.attachment).map((a) => inputsOf(a).policyArn),
      ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
      "backups only: no ForRestores (it grants rds:DeleteDBInstance on *)",
    );
    const policy = b.one(T.rolePolicy);
    assert.equal(inputsOf(policy).role, role.outputs.name);
    assert.deepEqual(JSON.parse(inputsOf(policy).policy).Statement, [
      {
        Sid: "NeverTouchTheProtectedResources",
        Effect: "Deny",
        Action: [
          "rds:DeleteDBInstance",
          "rds:ModifyDBInstance",
          "rds:RebootDBInstance",
          "rds:StopDBInstance",
          "rds:DeleteTenantDatabase",
        ],
        Resource: DB_ARN,
      },
    ]);
    assert.ok(
      b.one(T.selection).dependencies.includes(policy.urn),
      "the Deny exists before the selection uses the role",
    );
    assert.equal(await promiseOf(b.backup.roleArn), role.outputs.arn);
    assert.equal(b.backup.restoreRoleArn, undefined);
    const identities = await promiseOf(pulumi.output(b.backup.identities));
    assert.equal(identities.length, 1);
    assert.deepEqual(identities[0].trust, ["backup.amazonaws.com"]);
    const perms = identities[0].permissions as string[];
    assert.match(perms[0], /^duty: backups only .*explicit Deny of deleting, modifying/);
    assert.ok(perms.includes(`DENY rds:DeleteDBInstance on ${DB_ARN}`), perms.join("\n"));
    assert.match(perms[perms.length - 1], /AWSBackupServiceRolePolicyForBackup: AWS's description/);
    for (const r of b.children.filter(
      (c) => c.custom && [T.vault, T.plan, T.key, T.role].includes(c.type as never),
    )) {
      for (const [k, v] of Object.entries(TAGS)) assert.equal(inputsOf(r).tags[k], v, `${r.name} ${k}`);
    }
  });

  it("the Deny covers every selected resource; transforms reach the role and its policy", async () => {
    const other = "arn:aws:rds:us-east-1:123456789012:db:meridian-prod-replica";
    const b = await build("bk-two", {
      resourceArns: [DB_ARN, other],
      transform: {
        role: { maxSessionDuration: 7200 },
        rolePolicy: (args) => {
          args.name = "deny-protected";
        },
      },
    });
    const st = JSON.parse(inputsOf(b.one(T.rolePolicy)).policy).Statement;
    assert.deepEqual(st[0].Resource, [DB_ARN, other]);
    assert.equal(inputsOf(b.one(T.role)).maxSessionDuration, 7200);
    assert.equal(inputsOf(b.one(T.rolePolicy)).name, "deny-protected");
  });

  it("covers a Database component's instance ARN", async () => {
    const db = new suite.mod.database.Database("bk-db", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
      allowedSecurityGroupIds: ["sg-0a11ce0000000001"],
      tags: TAGS,
    });
    const b = await build("bk-with-db", { resourceArns: [db.instanceArn] });
    const instance = suite.session.resources.find((r) => r.type === T.instance && r.name === "bk-db")!;
    assert.deepEqual(inputsOf(b.one(T.selection)).resources, [instance.outputs.arn]);
  });

  it("optional copy to another vault and a given key", async () => {
    const copy = "arn:aws:backup:us-west-2:123456789012:backup-vault:dr";
    const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const b = await build("bk-copy", { copyToVaultArn: copy, copyRetentionDays: 90, kmsKeyArn: key });
    assert.equal(b.all(T.key).length, 0);
    assert.equal(inputsOf(b.one(T.vault)).kmsKeyArn, key);
    assert.deepEqual(inputsOf(b.one(T.plan)).rules[0].copyActions, [
      { destinationVaultArn: copy, lifecycle: { deleteAfter: 90 } },
    ]);
  });

  it("validation names the arg, the bad value and what is allowed", () => {
    const throwsSync = (args: Partial<BackupModule.BackupArgs>, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(
        () => new suite.mod.backup.Backup("bk-invalid", { resourceArns: [DB_ARN], tags: TAGS, ...args }),
        pattern,
      );
      assert.equal(suite.session.resources.length, before);
    };
    throwsSync({ resourceArns: [] }, /Backup "bk-invalid": resourceArns is \[\]; allowed: a non-empty list/);
    throwsSync(
      { resourceArns: ["meridian-db"] },
      /resourceArns contains "meridian-db"; allowed: resource ARNs/,
    );
    throwsSync({ scheduleHourUtc: 24 }, /scheduleHourUtc is 24; allowed: an integer from 0 to 23/);
    throwsSync({ retentionDays: 0 }, /retentionDays is 0; allowed: an integer from 1 to 36500/);
    throwsSync({ copyRetentionDays: 10 }, /copyRetentionDays is 10 without copyToVaultArn/);
    throwsSync({ copyToVaultArn: "dr-vault" }, /copyToVaultArn is "dr-vault"; allowed: a backup vault ARN/);
  });
});
