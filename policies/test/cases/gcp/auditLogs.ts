/** Violating and clean resources of rules/gcp/auditLogs.ts: Data Access audit configs exempt no one. */
import type { Case } from "../case";

const AUDIT = "gcp:projects/iAMAuditConfig:IAMAuditConfig";

export const GCP_AUDIT_LOG_CASES: Case[] = [
  {
    rule: "gcp-audit-log-no-exemptions",
    bad: {
      type: AUDIT,
      props: {
        project: "p",
        service: "secretmanager.googleapis.com",
        auditLogConfigs: [{ logType: "DATA_WRITE", exemptedMembers: ["user:ops@example.com"] }],
      },
    },
    good: {
      type: AUDIT,
      props: {
        project: "p",
        service: "secretmanager.googleapis.com",
        auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }],
      },
    },
  },
];
