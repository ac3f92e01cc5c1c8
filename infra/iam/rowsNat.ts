/**
 * The IAM proof's row for the NAT instance role (`meridian:natStrategy=instance`,
 * components/aws/natInstance.ts): EC2 assumes it for the instance, and its only policy is AWS's
 * AmazonSSMManagedInstanceCore (what the SSM agent needs for Session Manager). That policy's `Resource: *`
 * statements are the row's accepted breadth (docs/iam-proof.md); everything Meridian keeps (secrets, keys,
 * buckets, routes, other roles) must stay denied.
 *
 * The trust has no `aws:SourceAccount` condition: EC2 is not documented to send it when it assumes an
 * instance role, and EC2 cannot be a confused deputy for another account here, because an instance
 * profile is only usable from its own account by a principal allowed `iam:PassRole` on the role (IAM
 * User Guide, "Use an IAM role to grant permissions to applications running on Amazon EC2 instances").
 * The row says so with `trustAnyAccount`.
 */
import { NAT_INSTANCE_TAG } from "../../components/aws/natInstance";
import type { PreviewGraph } from "../cost/graph";
import * as f from "./facts";
import { known, ofType } from "./roles";
import type { Check, Row } from "./rows";

const c = (action: string, resource: string, why: string): Check => ({ action, resource, why });

/** The NAT instances of the graph (tagged by the component). */
const natInstances = (g: PreviewGraph) =>
  ofType(g, "aws:ec2/instance:Instance").filter(
    (i) =>
      (i.inputs.tags as Record<string, string> | undefined)?.[NAT_INSTANCE_TAG.key] ===
      NAT_INSTANCE_TAG.value,
  );

/** A NAT instance's role ARN, through its instance profile. */
function roleOf(g: PreviewGraph, instance: ReturnType<typeof natInstances>[number]): string {
  const profileName = known(instance, "iamInstanceProfile");
  const profile = ofType(g, "aws:iam/instanceProfile:InstanceProfile").find(
    (p) => known(p, "name") === profileName,
  );
  if (!profile) throw new Error(`${instance.name}: instance profile ${profileName} is not in the graph`);
  const roleName = known(profile, "role");
  const role = ofType(g, "aws:iam/role:Role").find((r) => known(r, "name") === roleName);
  if (!role) throw new Error(`${profile.name}: role ${roleName} is not in the graph`);
  return known(role, "arn");
}

export const natInstanceRow: Row = {
  id: "NAT instance role (SSM Session Manager)",
  service: "ec2.amazonaws.com",
  trustAnyAccount:
    "EC2 instance roles: an instance profile is usable only from its own account, by a principal allowed iam:PassRole",
  roles: (g) => [...new Set(natInstances(g).map((i) => roleOf(g, i)))],
  checks(g, _role, account) {
    const region = f.region(g);
    const instance = `arn:aws:ec2:${region}:${account}:instance/i-0123456789abcdef0`;
    const tables = f.arnsOf(g, "aws:ec2/routeTable:RouteTable");
    return {
      allow: [
        c("ssm:UpdateInstanceInformation", instance, "register the instance with Systems Manager"),
        c("ssmmessages:CreateControlChannel", "*", "Session Manager: the agent's control channel"),
        c("ssmmessages:OpenDataChannel", "*", "Session Manager: a session's data channel"),
        c("ec2messages:GetMessages", "*", "receive Systems Manager commands"),
      ],
      deny: [
        ...f
          .arnsOf(g, "aws:secretsmanager/secret:Secret")
          .map((s) => c("secretsmanager:GetSecretValue", s, "read the stack's secrets")),
        ...f.arnsOf(g, "aws:kms/key:Key").map((k) => c("kms:Decrypt", k, "decrypt with the stack's keys")),
        ...f
          .arnsOf(g, "aws:s3/bucket:Bucket", "bucket")
          .map((b) => c("s3:GetObject", `arn:aws:s3:::${b}/any-key`, "read bucket objects")),
        ...tables.map((t) => c("ec2:ReplaceRoute", t, "re-route the VPC")),
        c("ec2:ModifyInstanceAttribute", instance, "change an instance (e.g. its security groups)"),
        c(
          "ec2:AuthorizeSecurityGroupIngress",
          `arn:aws:ec2:${region}:${account}:security-group/sg-1`,
          "open a security group",
        ),
        c("ssm:SendCommand", instance, "run commands on instances"),
        c("ssm:StartSession", instance, "open sessions itself (people do, with their own permissions)"),
        c("ssm:PutParameter", `arn:aws:ssm:${region}:${account}:parameter/any`, "write parameters"),
        c("iam:CreateRole", `arn:aws:iam::${account}:role/escalate`, "create roles"),
      ],
      broad: [
        c(
          "ssm:GetParameter",
          `arn:aws:ssm:${region}:${account}:parameter/any`,
          "read any SSM parameter of the account (AmazonSSMManagedInstanceCore: Resource *); Meridian keeps no parameters",
        ),
        c(
          "ssm:GetDocument",
          `arn:aws:ssm:${region}:${account}:document/any`,
          "read any SSM document (AmazonSSMManagedInstanceCore: Resource *)",
        ),
      ],
    };
  },
};
