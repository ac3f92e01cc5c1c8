/**
 * GCP audit logging: a Data Access audit configuration exempts no principal from the audit trail.
 *
 * Decision (mandatory, not advisory): an exempted member's reads and writes are never written to the Data
 * Access log, so an exemption is invisible in exactly the record an auditor reads, and it is what someone
 * with IAM rights would add to hide their own access. An exemption on DATA_WRITE hides changes to data,
 * on ADMIN_READ reconnaissance of configuration; both are always violations. DATA_READ exemptions are the
 * usual lever against noise (a high-volume reader); they are violations too unless the stack's policy
 * config sets `allowDataReadExemptions` (and a single one can be waived with a reason and an expiry).
 * CIS Google Cloud Foundations 2.1: "there are no exempted users in any of the audit config sections".
 */
import { resourceRule } from "../../lib/rule";
import { show } from "../../lib/util";

/** The audit configuration types at each level of the resource hierarchy (@pulumi/gcp 9.x). */
const AUDIT_CONFIG_TYPES = [
  "gcp:projects/iAMAuditConfig:IAMAuditConfig",
  "gcp:folder/iamAuditConfig:IamAuditConfig",
  "gcp:organizations/iamAuditConfig:IamAuditConfig",
];

export const auditLogNoExemptions = resourceRule<{ allowDataReadExemptions: boolean }>({
  id: "gcp-audit-log-no-exemptions",
  description:
    "Data Access audit log configurations exempt no principal (an exempted member's access never reaches the audit log).",
  severity: "medium",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "logging",
  remediation:
    "Meridian: the GCP audit-log component (components/gcp/auditLogs.ts, `meridian:accountBaseline`) sets no `exemptedMembers`. Raw: remove `exemptedMembers` from every `auditLogConfigs` entry of `gcp.projects.IAMAuditConfig` (or the folder/organization one); to cut DATA_READ volume, set the rule's `allowDataReadExemptions` or waive one resource with a reason and an expiry.",
  references: ["CIS GCP 2.1"],
  types: AUDIT_CONFIG_TYPES,
  config: {
    allowDataReadExemptions: {
      type: "boolean",
      default: false,
      description:
        "Accept `exemptedMembers` on DATA_READ entries (noise reduction); DATA_WRITE and ADMIN_READ exemptions stay violations.",
    },
  },
  check(r, report, ctx) {
    const configs = r.props.auditLogConfigs;
    if (!Array.isArray(configs)) return;
    for (const c of configs) {
      const members = c?.exemptedMembers;
      if (!Array.isArray(members) || members.length === 0) continue;
      if (c.logType === "DATA_READ" && ctx.config.allowDataReadExemptions === true) continue;
      report(
        `service ${show(r.props.service)}: ${show(c.logType)} exempts ${members.map(show).join(", ")}: their ${
          c.logType === "DATA_WRITE"
            ? "writes of data"
            : c.logType === "ADMIN_READ"
              ? "reads of configuration"
              : "reads of data"
        } are never audited.`,
      );
    }
  },
});

export const gcpAuditLogRules = [auditLogNoExemptions];
