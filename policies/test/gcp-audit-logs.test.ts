/**
 * gcp-audit-log-no-exemptions (policies/rules/gcp/auditLogs.ts): an audit configuration that exempts a
 * member from DATA_WRITE / ADMIN_READ is a mandatory violation; DATA_READ exemptions only pass when the
 * stack's policy config allows them; unknown members cannot be judged in a preview.
 */
import { strict as assert } from "node:assert";
import { analyze, Diag, UNKNOWN } from "./harness";

const RULE = "gcp-audit-log-no-exemptions";
const PROJECT_AUDIT = "gcp:projects/iAMAuditConfig:IAMAuditConfig";
const only = (ds: Diag[]) => ds.filter((d) => d.policy === RULE);
const config = (logType: string, exemptedMembers?: unknown) => ({
  project: "p",
  service: "storage.googleapis.com",
  auditLogConfigs: [
    { logType: "ADMIN_READ" },
    exemptedMembers === undefined ? { logType } : { logType, exemptedMembers },
  ],
});

describe(RULE, () => {
  it("no exempted members (Meridian's AuditLogs) passes, an empty list too", async () => {
    assert.deepEqual(only(await analyze(PROJECT_AUDIT, config("DATA_READ"))), []);
    assert.deepEqual(only(await analyze(PROJECT_AUDIT, config("DATA_WRITE", []))), []);
  });

  it("an exemption from DATA_WRITE or ADMIN_READ is a mandatory violation naming the service and members", async () => {
    const w = only(await analyze(PROJECT_AUDIT, config("DATA_WRITE", ["user:mallory@example.com"])));
    assert.equal(w.length, 1);
    assert.equal(w[0].enforcement, "mandatory");
    assert.match(
      w[0].message,
      /service storage\.googleapis\.com: DATA_WRITE exempts user:mallory@example\.com: their writes of data are never audited/,
    );
    const a = only(
      await analyze(PROJECT_AUDIT, config("ADMIN_READ", ["serviceAccount:x@p.iam.gserviceaccount.com"])),
    );
    assert.match(a[0].message, /ADMIN_READ exempts .*reads of configuration/);
  });

  it("DATA_READ exemptions are violations by default; folder and organization configs are judged too", async () => {
    const ds = only(await analyze(PROJECT_AUDIT, config("DATA_READ", ["group:readers@example.com"])));
    assert.match(ds[0].message, /DATA_READ exempts group:readers@example\.com: their reads of data/);
    for (const type of [
      "gcp:folder/iamAuditConfig:IamAuditConfig",
      "gcp:organizations/iamAuditConfig:IamAuditConfig",
    ]) {
      assert.equal(only(await analyze(type, config("DATA_WRITE", ["domain:example.com"]))).length, 1, type);
    }
  });

  it("members not known during a preview cannot be checked (advisory), never pass silently", async () => {
    const ds = only(await analyze(PROJECT_AUDIT, config("DATA_WRITE", UNKNOWN)));
    assert.equal(ds.length, 1);
    assert.equal(ds[0].enforcement, "advisory");
    assert.match(ds[0].message, /^cannot check during preview/);
  });
});
