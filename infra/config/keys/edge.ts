/** Config keys — The edge: DNS zone, Cloud Armor Adaptive Protection, the WAF rate limit. See keys/index.ts for how the table is used. */
import { type KeyDef, pp } from "../types";

export const EDGE_KEYS = {
  hostedZoneId: {
    kind: "string",
    pattern: /^Z[A-Z0-9]{1,31}$/,
    patternHint: "a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ",
    cloud: "aws",
    description:
      "Route 53 public hosted zone of `domain` (optional). With it the certificates are DNS-validated and the alias records created automatically; without it the validation records are exported for whoever runs the DNS.",
  },
  adaptiveProtection: {
    kind: "boolean",
    default: pp(false, true),
    cloud: "gcp",
    description:
      "Cloud Armor Adaptive Protection (layer 7 DDoS detection) on the API's security policy. Cost: no charge on Cloud Armor Standard, which gives attack alerts; suggested rules and auto-deploy need Cloud Armor Enterprise (pay-as-you-go ~$200/month per project, cloud.google.com/armor/pricing, 2026-11).",
  },
  wafRateLimit: {
    kind: "integer",
    default: 2000,
    min: 100,
    max: 2000000000,
    cloud: "both",
    description:
      "Requests per 5 minutes one client IP may send before the WAF (AWS WAF / Cloud Armor) blocks it; Cloud Armor counts at most 1,000,000 (larger values are an error on GCP). Cost: AWS WAF bills $1/month per rule and $0.60 per million requests whatever the limit; Cloud Armor $1/month per rule and $0.75 per million requests.",
  },
} satisfies Record<string, KeyDef>;
