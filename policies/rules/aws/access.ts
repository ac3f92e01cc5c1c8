/**
 * Least privilege on AWS, in the order the pack reports them: IAM documents and attachments and trust
 * policies (iam.ts), network exposure (exposure.ts), ECS and Lambda (workloads.ts), EC2 instances
 * (ec2Instances.ts: IMDSv2, no public IP but on a NAT instance).
 */
import { ec2Imdsv2, ec2NoPublicIp } from "./ec2Instances";
import { iamNoAdminPolicies, iamNoWildcardActions, iamNoWildcardResources, iamTrustPolicy } from "./iam";
import { rdsNotPublic, s3PublicAccessBlock, sgNoPublicIngress } from "./exposure";
import {
  ecsContainerHardening,
  ecsNoPlaintextSecrets,
  ecsNoPublicIp,
  ecsTaskRoleSeparate,
  lambdaNoPlaintextSecrets,
} from "./workloads";

export { isUnscopable, isWildcardAction, UNSCOPABLE_ACTIONS } from "./iam";
export { SG_LB_TYPES, SG_TYPES } from "./exposure";

export const awsAccessRules = [
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamNoAdminPolicies,
  iamTrustPolicy,
  sgNoPublicIngress,
  rdsNotPublic,
  s3PublicAccessBlock,
  ecsContainerHardening,
  ecsNoPlaintextSecrets,
  lambdaNoPlaintextSecrets,
  ecsTaskRoleSeparate,
  ecsNoPublicIp,
  ec2Imdsv2,
  ec2NoPublicIp,
];
