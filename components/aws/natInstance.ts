/**
 * The AWS network's NAT instance (`natStrategy: "instance"`, dev only): one Graviton EC2 instance running
 * Amazon Linux 2023 in the first public subnet, forwarding and masquerading the private subnets' HTTPS,
 * reached by the private route tables' default routes through its network interface. The cheap
 * alternative to a NAT gateway ($3.07 against $32.85 a month before data, us-east-1), with what that trades:
 * one instance, no SLA, burstable bandwidth, an OS to patch (docs/components/aws-network.md).
 *
 * Pure parts: {@link resolveNatInstance} (validation, defaults) and {@link natInstanceUserData} (the boot
 * script). Tested in natInstance.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../shared/contracts";
import { asciiDescription } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { intIn, show } from "../shared/validate";
import type { AwsEnvironment } from "./environment";
import { createServiceRole } from "./iam";
import type { PartKit } from "./partKit";
import { createRoute, type PlannedSubnet, type RouteTransforms } from "./subnets";

/**
 * AWS's public SSM parameter holding the id of the newest Amazon Linux 2023 AMI for arm64 (the default
 * kernel). Read at every `pulumi up` unless the AMI is pinned ({@link NatInstanceOptions.ami}).
 */
export const NAT_INSTANCE_AMI_PARAMETER =
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/** The tag that marks the instance as a NAT instance (the policy pack's exceptions read it with sourceDestCheck). */
export const NAT_INSTANCE_TAG = { key: "meridian-role", value: "nat-instance" } as const;

/** The AWS managed policy the instance role gets: exactly what the SSM agent needs (Session Manager). */
export const NAT_INSTANCE_MANAGED_POLICY = "AmazonSSMManagedInstanceCore";

/** The only port forwarded (and the only egress): the tasks' egress is HTTPS only (serviceArgs.ts `taskEgress`). */
export const NAT_INSTANCE_PORT = 443;

/** Options of the NAT instance (`natStrategy: "instance"`). */
export interface NatInstanceOptions {
  /**
   * The EC2 instance type: a Graviton (arm64) type, because the AMI is Amazon Linux 2023 for arm64.
   * `t4g.nano` (2 burstable vCPUs, 0.5 GiB; AWS lists its network as "up to 5 Gigabit", a burst above a
   * much lower baseline) suits dev traffic; CPU credits are `standard`, so sustained load is throttled to
   * the baseline instead of billed as surplus credits.
   * Cost: t4g.nano $0.0042/h ≈ $3.07/month (us-east-1, unverified; infra/cost/prices.yaml `aws.ec2.t4g.nano`).
   * @default "t4g.nano"
   * @example "t4g.micro"
   */
  instanceType?: string;
  /**
   * Pin the AMI (`ami-` + 8 or 17 hex digits): the instance then runs exactly this image until the pin
   * changes, and a change is a reviewed diff that replaces the instance. Unpinned, the instance uses the
   * newest Amazon Linux 2023 arm64 AMI from {@link NAT_INSTANCE_AMI_PARAMETER}, read at every deploy: a
   * new AMI from AWS shows as a replacement in `pulumi preview` (a minute or two without egress), which is
   * how the OS gets patched.
   * @default the SSM parameter's current value
   * @example "ami-0123456789abcdef0"
   */
  ami?: string;
  /**
   * Root volume size in GiB (gp3, encrypted, deleted with the instance). The AL2023 AMI's snapshot is 8 GiB.
   * Cost: gp3 $0.08/GB-month (us-east-1, unverified): 8 GiB ≈ $0.64/month.
   * @default 8
   */
  rootVolumeGb?: number;
}

/** The validated NAT instance options with defaults applied. */
export interface NatInstanceSettings {
  instanceType: string;
  ami?: string;
  rootVolumeGb: number;
}

export const NAT_INSTANCE_DEFAULTS = { instanceType: "t4g.nano", rootVolumeGb: 8 } as const;

/** Per-child `transform` hooks of the NAT instance. */
export interface NatInstanceTransforms extends RouteTransforms {
  natInstance?: Transform<aws.ec2.InstanceArgs>;
  natInstanceSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  natInstanceRole?: Transform<aws.iam.RoleArgs>;
  natInstanceProfile?: Transform<aws.iam.InstanceProfileArgs>;
  /** The instance's Elastic IP. */
  natInstanceEip?: Transform<aws.ec2.EipArgs>;
}

/** A Graviton type: family letters, generation digit(s), `g` (optionally more letters), a size. */
const GRAVITON = /^[a-z]+\d+g[a-z]*\.(nano|micro|small|medium|large|\d*xlarge|metal)$/;
const AMI = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * Validates the NAT instance options (only meaningful with `natStrategy: "instance"`) and applies
 * defaults. Throws naming `natInstance.<field>`, the value and what is allowed.
 */
export function resolveNatInstance(o: NatInstanceOptions = {}): NatInstanceSettings {
  if (o === null || typeof o !== "object") throw new Error(`natInstance is ${show(o)}; expected an object`);
  const instanceType = o.instanceType ?? NAT_INSTANCE_DEFAULTS.instanceType;
  if (typeof instanceType !== "string" || !GRAVITON.test(instanceType))
    throw new Error(
      `natInstance.instanceType is ${show(instanceType)}; allowed: a Graviton (arm64) type such as "t4g.nano", "t4g.micro" or "c7gn.medium" (the AMI is Amazon Linux 2023 for arm64)`,
    );
  if (o.ami !== undefined && (typeof o.ami !== "string" || !AMI.test(o.ami)))
    throw new Error(`natInstance.ami is ${show(o.ami)}; allowed: an AMI id, "ami-" and 8 or 17 hex digits`);
  const rootVolumeGb = intIn(
    "natInstance.rootVolumeGb",
    o.rootVolumeGb ?? NAT_INSTANCE_DEFAULTS.rootVolumeGb,
    8,
    64,
    " GiB (the AMI's snapshot is 8 GiB)",
  );
  return { instanceType, ami: o.ami, rootVolumeGb };
}

/**
 * The boot script (cloud-init user data, run once at first boot): IPv4 forwarding on, ICMP redirects off,
 * and an nftables table that forwards only new TCP connections to port 443 from `privateCidrs` (plus
 * replies) and masquerades them behind the instance's address. nftables comes from the AL2023 repositories
 * when the image lacks it (retried for 10 minutes: egress starts once the Elastic IP is attached).
 */
export function natInstanceUserData(privateCidrs: string[]): string {
  if (privateCidrs.length === 0) throw new Error("natInstanceUserData: no private CIDRs to forward");
  const set = privateCidrs.join(", ");
  return [
    "#!/bin/bash",
    "# Meridian NAT instance (components/aws/natInstance.ts): forward and masquerade the private subnets' HTTPS.",
    "set -euo pipefail",
    "cat > /etc/sysctl.d/90-meridian-nat.conf <<'EOF'",
    "net.ipv4.ip_forward = 1",
    "net.ipv4.conf.all.send_redirects = 0",
    "EOF",
    "sysctl --system",
    "for i in $(seq 60); do rpm -q nftables >/dev/null && break; dnf install -y nftables || sleep 10; done",
    "rpm -q nftables",
    `IFACE="$(ip -4 route show default | awk '{print $5; exit}')"`,
    "cat > /etc/sysconfig/nftables.conf <<EOF",
    "table inet meridian_nat {",
    `  set private { type ipv4_addr; flags interval; elements = { ${set} } }`,
    "  chain forward {",
    "    type filter hook forward priority filter; policy drop;",
    "    ct state established,related accept",
    `    iifname "$IFACE" ip saddr @private tcp dport ${NAT_INSTANCE_PORT} ct state new accept`,
    "  }",
    "  chain postrouting {",
    "    type nat hook postrouting priority srcnat; policy accept;",
    '    oifname "$IFACE" ip saddr @private masquerade',
    "  }",
    "}",
    "EOF",
    "systemctl enable --now nftables",
    "",
  ].join("\n");
}

/** What the NAT instance builder needs from the Network component. */
export interface NatInstanceParts {
  vpc: aws.ec2.Vpc;
  igw: aws.ec2.InternetGateway;
  /** The public subnet the instance lives in (the first zone's). */
  publicSubnet: PlannedSubnet;
  /** The private subnets' CIDRs: the only sources admitted and forwarded. */
  privateCidrs: string[];
  /** The private route tables, each getting a default route to the instance, with their zone letters. */
  privateRoutes: { table: aws.ec2.RouteTable; letter: string }[];
  env: AwsEnvironment;
}

/** The NAT instance's resources. */
export interface NatInstance {
  instance: aws.ec2.Instance;
  eip: aws.ec2.Eip;
  securityGroup: aws.ec2.SecurityGroup;
  role: aws.iam.Role;
  /** The instance role with what it may do (for the posture document). */
  identity: Posture["identities"][number];
}

/**
 * The NAT instance, its security group, role and instance profile, its Elastic IP and the private
 * subnets' default routes to its network interface.
 */
export function createNatInstance(
  kit: PartKit<NatInstanceTransforms>,
  s: NatInstanceSettings,
  p: NatInstanceParts,
): NatInstance {
  const name = `${kit.name}-nat-instance`;
  const securityGroup = new aws.ec2.SecurityGroup(
    ...applyTransform(
      kit.t.natInstanceSecurityGroup,
      `${name}-sg`,
      {
        vpcId: p.vpc.id,
        description: asciiDescription(`NAT instance of ${kit.name}: HTTPS from the private subnets only`),
        ingress: [
          {
            protocol: "tcp",
            fromPort: NAT_INSTANCE_PORT,
            toPort: NAT_INSTANCE_PORT,
            cidrBlocks: p.privateCidrs,
            description: "HTTPS from the private subnets, to forward",
          },
        ],
        egress: [
          {
            protocol: "tcp",
            fromPort: NAT_INSTANCE_PORT,
            toPort: NAT_INSTANCE_PORT,
            cidrBlocks: ["0.0.0.0/0"],
            description: "HTTPS out: forwarded traffic, SSM agent, dnf",
          },
        ],
        tags: kit.tagsFor(`${name}-sg`),
      },
      kit.childOpts(),
    ),
  );

  // Plain EC2 trust: aws:SourceAccount is not documented as set when EC2 assumes an instance role.
  const policyArn = pulumi.interpolate`arn:${p.env.partition}:iam::aws:policy/${NAT_INSTANCE_MANAGED_POLICY}`;
  const { role, attachments, identity } = createServiceRole(
    {
      name: `${name}-role`,
      service: "ec2.amazonaws.com",
      description: `NAT instance of ${kit.name}: SSM Session Manager access only`,
      account: undefined,
      managedPolicyArns: [policyArn],
      tags: kit.tagsFor(`${name}-role`),
      transform: { role: kit.t.natInstanceRole },
    },
    kit.childOpts(),
  );
  const profile = new aws.iam.InstanceProfile(
    ...applyTransform(
      kit.t.natInstanceProfile,
      `${name}-profile`,
      { role: role.name, tags: kit.tagsFor(`${name}-profile`) },
      kit.childOpts(),
    ),
  );

  const ami =
    s.ami ??
    aws.ssm.getParameterOutput({ name: NAT_INSTANCE_AMI_PARAMETER }, { parent: kit.parent }).insecureValue;
  const instance = new aws.ec2.Instance(
    ...applyTransform(
      kit.t.natInstance,
      name,
      {
        ami,
        instanceType: s.instanceType,
        subnetId: p.publicSubnet.subnet.id,
        vpcSecurityGroupIds: [securityGroup.id],
        // The Elastic IP below is the public address: stable across replacements, listed in natPublicIps.
        associatePublicIpAddress: false,
        sourceDestCheck: false,
        iamInstanceProfile: profile.name,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
        rootBlockDevice: {
          volumeType: "gp3",
          volumeSize: s.rootVolumeGb,
          encrypted: true,
          deleteOnTermination: true,
        },
        // Simplified automatic recovery (the default on T4g): a system status check failure moves the
        // instance to new hardware with its id, addresses and EBS volume (docs/components/aws-network.md).
        maintenanceOptions: { autoRecovery: "default" },
        creditSpecification: { cpuCredits: "standard" },
        userData: natInstanceUserData(p.privateCidrs),
        userDataReplaceOnChange: true,
        volumeTags: kit.tagsFor(`${name}-root`),
        tags: kit.tagsFor(name, { [NAT_INSTANCE_TAG.key]: NAT_INSTANCE_TAG.value }),
      },
      // The role must carry its policy before the agent first registers.
      kit.childOpts({ dependsOn: [...attachments, p.igw] }),
    ),
  );
  const eip = new aws.ec2.Eip(
    ...applyTransform(
      kit.t.natInstanceEip,
      `${name}-eip`,
      {
        domain: "vpc",
        networkInterface: instance.primaryNetworkInterfaceId,
        tags: kit.tagsFor(`${name}-eip`),
      },
      kit.childOpts({ dependsOn: [p.igw] }),
    ),
  );
  // Named like the NAT gateways' routes: switching strategy changes the target, not the route.
  for (const { table, letter } of p.privateRoutes) {
    createRoute(kit, `${kit.name}-private-${letter}-egress`, {
      routeTableId: table.id,
      destinationCidrBlock: "0.0.0.0/0",
      networkInterfaceId: instance.primaryNetworkInterfaceId,
    });
  }
  return { instance, eip, securityGroup, role, identity };
}
