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

  it("backup role: trusted by backup.amazonaws.com of this account, AWS managed backup/restore policies only", async () => {
    const b = await build("bk-role");
    const trust = JSON.parse(inputsOf(b.one(T.role)).assumeRolePolicy);
    assert.deepEqual(trust.Statement[0].Principal, { Service: "backup.amazonaws.com" });
    assert.equal(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"], "123456789012");
    assert.equal(b.all(T.rolePolicy).length, 0, "no inline policy (no hand-written wildcards)");
    assert.deepEqual(
      b
        .all(T.attachment)
        .map((a) => inputsOf(a).policyArn)
        .sort(),
      [
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      ],
    );
    const identities = await promiseOf(pulumi.output(b.backup.identities));
    assert.equal(identities.length, 1);
    assert.deepEqual(identities[0].trust, ["backup.amazonaws.com"]);
    assert.equal(identities[0].permissions.length, 2);
    for (const r of b.children.filter(
      (c) => c.custom && [T.vault, T.plan, T.key, T.role].includes(c.type as never),
    )) {
      for (const [k, v] of Object.entries(TAGS)) assert.equal(inputsOf(r).tags[k], v, `${r.name} ${k}`);
    }
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
