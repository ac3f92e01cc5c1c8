import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as BackupModule from "./backup";

const T = {
  vault: "aws:backup/vault:Vault",
  role: "aws:iam/role:Role",
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
    assert.equal(
      sel.iamRoleArn,
      b.one(T.role).outputs.arn,
      "the backup role (AWSBackupServiceRolePolicyForRestores)",
    );
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
