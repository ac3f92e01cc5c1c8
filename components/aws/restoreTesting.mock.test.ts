import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as BackupModule from "./backup";

const T = {
  vault: "aws:backup/vault:Vault",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  backupSelection: "aws:backup/selection:Selection",
  plan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
  selection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
} as const;

const DB_ARN = "arn:aws:rds:us-east-1:123456789012:db:meridian-prod-db";
const RT = { dbSubnetGroupName: "meridian-prod-db-subnets", securityGroupIds: ["sg-0a11ce0000000001"] };

const suite = componentSuite({
  load: async () => ({ backup: await import("./backup"), rt: await import("./restoreTesting") }),
});

async function build(name: string, args: Partial<BackupModule.BackupArgs> = {}) {
  return suite.capture(
    new suite.mod.backup.Backup(name, {
      resourceArns: [DB_ARN],
      tags: TEST_TAGS,
      restoreTesting: RT,
      ...args,
    }),
  );
}

describe("aws Backup restore testing (mocks)", () => {
  it("weekly plan on the vault's latest snapshot; the DB restored into its own subnets and group, deleted after 4 h", async () => {
    const b = await build("rt");
    const plan = inputsOf(b.one(T.plan));
    assert.equal(plan.name, "rt_restore_test");
    assert.equal(plan.scheduleExpression, "cron(0 9 ? * TUE *)");
    assert.equal(plan.scheduleExpressionTimezone, "Etc/UTC");
    assert.deepEqual(plan.recoveryPointSelection, {
      algorithm: "LATEST_WITHIN_WINDOW",
      includeVaults: [b.one(T.vault).outputs.arn],
      recoveryPointTypes: ["SNAPSHOT"],
      selectionWindowDays: 7,
    });
    assert.equal(plan.tags.environment, TEST_TAGS.environment);
    const sel = inputsOf(b.one(T.selection));
    assert.equal(sel.restoreTestingPlanName, b.one(T.plan).outputs.name);
    assert.equal(sel.protectedResourceType, "RDS");
    assert.deepEqual(sel.protectedResourceArns, [DB_ARN]);
    const restoreRole = b.byName("rt-restore-role");
    assert.equal(sel.iamRoleArn, restoreRole.outputs.arn, "the restore role, not the backup role");
    assert.equal(await promiseOf(b.component.restoreRoleArn!), restoreRole.outputs.arn);
    assert.equal(sel.validationWindowHours, 4);
    assert.deepEqual(sel.restoreMetadataOverrides, {
      dbsubnetgroupname: "meridian-prod-db-subnets",
      vpcsecuritygroupids: '["sg-0a11ce0000000001"]',
    });
    assert.ok(/^[A-Za-z0-9_]{1,50}$/.test(sel.name), sel.name);
    const rt = b.component.restoreTesting!;
    assert.equal(rt.validationWindowHours, 4);
    assert.match(rt.cleanup, /deletes the restored instance after the 4-hour validation window/);
    assert.equal(await promiseOf(rt.planName), "rt_restore_test");
  });

  it("one role per duty: restores get ForRestores and a Deny on the source; backups never restore", async () => {
    const b = await build("rt-roles");
    const backupRole = b.byName("rt-roles-backup-role");
    const restoreRole = b.byName("rt-roles-restore-role");
    assert.equal(b.all(T.role).length, 2);
    const attached = (role: typeof backupRole) =>
      b
        .all(T.attachment)
        .filter((a) => inputsOf(a).role === role.outputs.name)
        .map((a) => inputsOf(a).policyArn);
    assert.deepEqual(attached(backupRole), [
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    ]);
    assert.deepEqual(attached(restoreRole), [
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    const trust = JSON.parse(inputsOf(restoreRole).assumeRolePolicy).Statement[0];
    assert.deepEqual(trust.Principal, { Service: "backup.amazonaws.com" });
    assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    const deny = b.all(T.rolePolicy).find((p) => inputsOf(p).role === restoreRole.outputs.name)!;
    const st = JSON.parse(inputsOf(deny).policy).Statement;
    assert.equal(st.length, 1);
    assert.equal(st[0].Effect, "Deny");
    assert.equal(st[0].Resource, DB_ARN, "the source only: restored copies (other ARNs) stay deletable");
    assert.ok(st[0].Action.includes("rds:DeleteDBInstance") && st[0].Action.includes("rds:ModifyDBInstance"));
    assert.ok(b.one(T.selection).dependencies.includes(deny.urn), "the Deny exists before the first test");
    assert.equal(inputsOf(b.one(T.backupSelection)).iamRoleArn, backupRole.outputs.arn);
    const ids = await promiseOf(pulumi.output(b.component.identities));
    assert.deepEqual(
      ids.map((i) => (i.permissions as string[])[0].replace(/;.*/, "")),
      ["duty: backups only (the plan's selection)", "duty: restores and restore testing only"],
    );
    assert.ok((ids[1].permissions as string[]).includes(`DENY rds:DeleteDBInstance on ${DB_ARN}`));
  });

  it("options: schedule, windows, algorithm; none without restoreTesting", async () => {
    const b = await build("rt-opts", {
      restoreTesting: {
        ...RT,
        scheduleExpression: "rate(14 days)",
        startWindowHours: 2,
        validationWindowHours: 12,
        algorithm: "RANDOM_WITHIN_WINDOW",
        selectionWindowDays: 30,
      },
    });
    const plan = inputsOf(b.one(T.plan));
    assert.equal(plan.scheduleExpression, "rate(14 days)");
    assert.equal(plan.startWindowHours, 2);
    assert.equal(plan.recoveryPointSelection.algorithm, "RANDOM_WITHIN_WINDOW");
    assert.equal(plan.recoveryPointSelection.selectionWindowDays, 30);
    assert.equal(inputsOf(b.one(T.selection)).validationWindowHours, 12);
    const none = await build("rt-none", { restoreTesting: undefined });
    assert.equal(none.all(T.plan).length, 0);
    assert.equal(none.all(T.selection).length, 0);
    assert.equal(none.component.restoreTesting, undefined);
  });

  it("validation names the field, the value and what is allowed", () => {
    const bad = (over: object, re: RegExp) =>
      assert.throws(() => suite.mod.rt.resolveRestoreTestingArgs({ ...RT, ...over } as never), re);
    bad({ dbSubnetGroupName: "" }, /restoreTesting.dbSubnetGroupName is ""; allowed: a DB subnet group name/);
    bad({ securityGroupIds: [] }, /restoreTesting.securityGroupIds is \[\]; allowed: a non-empty list/);
    bad(
      { scheduleExpression: "weekly" },
      /restoreTesting.scheduleExpression is "weekly"; allowed: an EventBridge/,
    );
    bad(
      { validationWindowHours: 169 },
      /restoreTesting.validationWindowHours is 169; allowed: an integer from 1 to 168/,
    );
    bad({ startWindowHours: 0 }, /restoreTesting.startWindowHours is 0; allowed: an integer from 1 to 168/);
    bad({ algorithm: "OLDEST" }, /restoreTesting.algorithm is "OLDEST"; allowed: "LATEST_WITHIN_WINDOW"/);
    bad(
      { selectionWindowDays: 366 },
      /restoreTesting.selectionWindowDays is 366; allowed: an integer from 1 to 365/,
    );
    assert.throws(
      () =>
        new suite.mod.backup.Backup("rt-bad", {
          resourceArns: [DB_ARN],
          tags: TEST_TAGS,
          restoreTesting: { ...RT, validationWindowHours: 0 },
        }),
      /Backup "rt-bad": restoreTesting.validationWindowHours is 0/,
    );
  });

  it("names: letters, digits and underscores, at most 50", () => {
    assert.equal(
      suite.mod.rt.restoreTestingName("meridian-prod-backup", "restore_test"),
      "meridian_prod_backup_restore_test",
    );
    const long = suite.mod.rt.restoreTestingName("x".repeat(60), "database");
    assert.ok(long.length <= 50 && /^[A-Za-z0-9_]+$/.test(long), long);
  });
});
