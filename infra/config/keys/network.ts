/** Config keys — The network: AWS VPC and NAT, GCP subnet, private services and serverless egress ranges. See keys/index.ts for how the table is used. */
import { type KeyDef, pp } from "../types";

export const NETWORK_KEYS = {
  vpcCidr: {
    kind: "string",
    default: "10.40.0.0/16",
    cidr: { minPrefix: 16, maxPrefix: 22 },
    cloud: "aws",
    description: "The VPC's IPv4 range; the subnets are carved from it.",
  },
  azCount: {
    kind: "integer",
    default: pp(2, 3),
    min: 2,
    max: 4,
    cloud: "aws",
    description:
      "Availability zones the VPC spans. Cost: with natStrategy perAz every AZ adds a NAT gateway (~$33/month + $0.045/GB).",
  },
  natStrategy: {
    kind: "string",
    allowed: ["none", "single", "perAz", "instance"],
    default: pp("single", "perAz"),
    cloud: "aws",
    description:
      "NAT for the private subnets: none (no internet egress; AWS APIs through VPC endpoints only), single (one shared gateway; an AZ outage cuts egress), perAz (one per AZ), instance (dev only: one t4g.nano EC2 NAT instance running Amazon Linux 2023, forwarding HTTPS only; no SLA, burstable bandwidth, you patch it by replacing it; refused in prod; docs/components/aws-network.md). Cost: ~$33/month per gateway + $0.045/GB processed; the NAT instance ~$3.71/month (instance + 8 GB gp3) and no per-GB fee; each has a public IPv4 at $3.65/month.",
  },
  natInstanceAmi: {
    kind: "string",
    pattern: /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/,
    patternHint: "an AMI id: ami- and 8 or 17 hex digits",
    activeWhen: { key: "natStrategy", equals: "instance" },
    cloud: "aws",
    description:
      "Pins the NAT instance's AMI (an arm64 Amazon Linux 2023 image id in the stack's region). Unset: the newest Amazon Linux 2023 arm64 AMI from AWS's public SSM parameter, read at every deploy, so a new AMI shows as a replacement of the NAT instance in `pulumi preview` (a minute or two without egress). Pinned: the image changes only when this value does.",
  },
  subnetCidr: {
    kind: "string",
    default: "10.60.0.0/20",
    cidr: { minPrefix: 16, maxPrefix: 24 },
    cloud: "gcp",
    description: "Primary range of the regional subnet (Cloud Run's Direct VPC egress takes its IPs here).",
  },
  privateServicesCidr: {
    kind: "string",
    default: "10.61.0.0/16",
    cidr: { minPrefix: 16, maxPrefix: 24 },
    cloud: "gcp",
    description:
      "Range allocated to private services access (Cloud SQL, Memorystore). Must not overlap subnetCidr or connectorCidr.",
  },
  serverlessEgress: {
    kind: "string",
    allowed: ["direct", "connector"],
    default: "direct",
    cloud: "gcp",
    description:
      "How Cloud Run reaches private IPs: direct (Direct VPC egress; no fixed cost) or connector (Serverless VPC Access; at least 2 always-on e2-micro instances, ~$12/month and up).",
  },
  connectorCidr: {
    kind: "string",
    default: "10.62.0.0/28",
    cidr: { minPrefix: 28, maxPrefix: 28 },
    activeWhen: { key: "serverlessEgress", equals: "connector" },
    cloud: "gcp",
    description: "The range of the Serverless VPC Access connector.",
  },
} satisfies Record<string, KeyDef>;
