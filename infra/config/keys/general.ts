/** Config keys — The stack as a whole: cloud, profile, names and tags, the image, the domain, alerts, log retention. See keys/index.ts for how the table is used. */
import { appNameFinding, domainFinding, emailFinding, imageFinding, tagValueFinding } from "../findings";
import { type KeyDef, LOG_RETENTION_DAYS, pp } from "../types";

export const GENERAL_KEYS = {
  cloud: {
    kind: "string",
    allowed: ["aws", "gcp"],
    required: true,
    noun: "a supported cloud",
    cloud: "both",
    description: "Which cloud the stack deploys to. No default: every stack must choose.",
  },
  profile: {
    kind: "string",
    allowed: ["dev", "prod"],
    cloud: "both",
    description:
      'Sizing and safety profile: picks the defaults of the other keys and turns on the prod rules. Default: "prod" when the stack is named prod, prod-* or production*, else "dev".',
  },
  appName: {
    kind: "string",
    check: appNameFinding,
    cloud: "both",
    description:
      "Application name: the `app` tag/label and the prefix of every physical name (`<appName>-<stack>`). Default: the project name (`meridian`). 1-20 characters: lowercase letters, digits, hyphens; starts with a letter.",
  },
  owner: {
    kind: "string",
    default: "platform",
    check: tagValueFinding,
    cloud: "both",
    description: "Owning team: the `owner` tag/label. 1-63 printable ASCII characters.",
  },
  costCenter: {
    kind: "string",
    default: "meridian",
    check: tagValueFinding,
    cloud: "both",
    description: "Cost center for chargeback: the `cost-center` tag/label. 1-63 printable ASCII characters.",
  },
  image: {
    kind: "string",
    check: imageFinding,
    cloud: "both",
    description:
      "Container image of the API, `[registry/]repository[:tag][@sha256:<64 hex>]` (lowercase repository). Set by the app developer after pushing; in prod it must be pinned by digest (`repository@sha256:...`; get it with `docker buildx imagetools inspect IMAGE` or `crane digest IMAGE`). Unset before the first release: the AWS service runs 0 tasks, the GCP service runs Google's placeholder image at 0-1 instances, and both warn.",
  },
  domain: {
    kind: "string",
    check: domainFinding,
    cloud: "both",
    description:
      "Public DNS name of the API (optional); a certificate and the HTTP->HTTPS redirect follow. Without it, AWS serves through CloudFront's own name and GCP through `<load balancer IP>.sslip.io`, both with trusted certificates. Lowercase ASCII (punycode `xn--` for international names), at least two labels.",
  },
  alertEmail: {
    kind: "string",
    check: emailFinding,
    cloud: "both",
    description:
      "Email address that receives alarms: the SNS topic's subscription (AWS) or the Cloud Monitoring email channel (GCP). Set it in prod (the stack warns when a prod stack has none): without it alarms notify nobody on GCP, and only the topic exists on AWS.",
  },
  logRetentionDays: {
    kind: "integer",
    default: pp(30, 90),
    oneOf: LOG_RETENTION_DAYS,
    prod: { min: 30, why: "prod keeps a month of logs for incident review" },
    cloud: "both",
    description:
      "Retention of every log group/bucket, in days (on GCP at most 3650). Cost: CloudWatch stores logs for ~$0.03/GB-month (ingestion, ~$0.50/GB, dominates); Cloud Logging charges storage beyond 30 days.",
  },
  accountBaseline: {
    kind: "boolean",
    default: false,
    cloud: "both",
    description:
      "Create the baseline auditors expect. AWS (docs/components/aws-baseline.md): a multi-region CloudTrail trail with log file validation, KMS-encrypted, into a locked-down bucket; a GuardDuty detector; an AWS Config recorder and delivery channel; an IAM Access Analyzer; once per account and region: turn it on in one stack only (these are account-wide, and GuardDuty and Config allow one detector/recorder per region). Cost: ~$10-25/month for a small account (trail storage and KMS key ~$2, GuardDuty by events analysed, Config $0.003 per configuration item recorded). GCP (docs/components/gcp-audit-logs.md): Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE, no exempted members) for exactly the services the stack uses, routed to a log bucket of their own kept 400 days (locked in prod); project-wide: one stack per project. Cost: Cloud Logging ingestion $0.50/GiB beyond the project's free 50 GiB/month plus $0.01/GiB-month beyond 30 days: ~$1-2/month for a small service (assumed 2 GiB/month), more on GKE.",
  },
} satisfies Record<string, KeyDef>;
