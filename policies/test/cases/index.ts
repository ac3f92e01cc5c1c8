/**
 * Every rule's violating and clean resources, one table per rule domain mirroring ../../rules/: the pack's
 * tests run them per cloud (rules-aws.test.ts, rules-gcp.test.ts, rules-k8s.test.ts, rules-common.test.ts)
 * and rules.test.ts checks that every rule has a case.
 */
import { AWS_DATA_CASES } from "./aws/data";
import { AWS_EC2_CASES } from "./aws/ec2";
import { AWS_ECS_SECRETS_CASES } from "./aws/ecsSecrets";
import { AWS_EXPOSURE_CASES } from "./aws/exposure";
import { AWS_IAM_CASES } from "./aws/iam";
import { AWS_OPERATIONS_CASES } from "./aws/operations";
import { AWS_TLS_CASES } from "./aws/tls";
import { AWS_WORKLOAD_CASES } from "./aws/workloads";
import type { Case } from "./case";
import { COMMON_CASES } from "./common";
import { GCP_ACCESS_CASES } from "./gcp/access";
import { GCP_AUDIT_LOG_CASES } from "./gcp/auditLogs";
import { GCP_EXPOSURE_CASES } from "./gcp/exposure";
import { GCP_OPERATIONS_CASES } from "./gcp/operations";
import { GCP_TLS_CASES } from "./gcp/tls";
import { K8S_RULE_CASES } from "./k8s";

export const AWS_CASES: Case[] = [
  ...AWS_TLS_CASES,
  ...AWS_IAM_CASES,
  ...AWS_EXPOSURE_CASES,
  ...AWS_WORKLOAD_CASES,
  ...AWS_OPERATIONS_CASES,
  ...AWS_DATA_CASES,
  ...AWS_ECS_SECRETS_CASES,
  ...AWS_EC2_CASES,
];
export const GCP_CASES: Case[] = [
  ...GCP_TLS_CASES,
  ...GCP_ACCESS_CASES,
  ...GCP_EXPOSURE_CASES,
  ...GCP_OPERATIONS_CASES,
  ...GCP_AUDIT_LOG_CASES,
];
export { COMMON_CASES, K8S_RULE_CASES };

/** All cases, every cloud. */
export const CASES: Case[] = [...AWS_CASES, ...GCP_CASES, ...K8S_RULE_CASES, ...COMMON_CASES];
