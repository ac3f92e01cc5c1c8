/**
 * GCP rules, by domain: TLS in transit (tls.ts), identities and IAM (access.ts), network exposure
 * (exposure.ts), backups, labels, logging and supply chain (operations.ts), audit-log exemptions
 * (auditLogs.ts). How IAM grants are read whatever their spelling is in iam.ts; how one resource finds
 * another in refs.ts.
 */
import { gcpAccessRules } from "./access";
import { gcpAuditLogRules } from "./auditLogs";
import { gcpExposureRules } from "./exposure";
import { gcpOperationsRules } from "./operations";
import { gcpTlsRules } from "./tls";

export { GCP_IAM_TYPES } from "./iam";
export { LABELLED } from "./operations";

/** Every GCP rule, in the order the analyzer runs them. */
export const gcpRules = [
  ...gcpTlsRules,
  ...gcpAccessRules,
  ...gcpExposureRules,
  ...gcpOperationsRules,
  ...gcpAuditLogRules,
];
