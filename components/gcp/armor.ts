/**
 * Cloud Armor for Meridian's API: a `CLOUD_ARMOR` security policy attached to the load balancer's backend
 * service. Preconfigured WAF rules (OWASP CRS 3.3: SQLi, XSS, LFI, RCE, plus any opted in) deny with 403,
 * a per-client-IP throttle answers 429 above the configured rate, the default rule allows, Adaptive
 * Protection watches for layer 7 DDoS. Rules are built by the pure {@link armorRules}. See
 * docs/components/gcp-armor.md.
 *
 * Sources (2026-11): rule names and sensitivity levels, cloud.google.com/armor/docs/waf-rules and
 * /armor/docs/rule-tuning ("sensitivity between 0 and 4 ... lower is higher confidence"); throttle limits,
 * /armor/docs/rate-limiting-overview (count 1 to 1,000,000).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { bool, intIn, oneOf, resolveArgs, show } from "../shared/validate";
import { enableServices } from "./apis";
import type { IamGrant } from "./iam";
import { validateLabels } from "./network";

/** The CRS 3.3 rule sets always evaluated (`<id>-v33-stable`). */
export const CORE_WAF_RULES = ["sqli", "xss", "lfi", "rce"] as const;
/** Further CRS 3.3 rule sets that can be opted in with `extraWafRules`. */
export const EXTRA_WAF_RULES = [
  "rfi",
  "methodenforcement",
  "scannerdetection",
  "protocolattack",
  "sessionfixation",
  "nodejs",
] as const;
export type ExtraWafRule = (typeof EXTRA_WAF_RULES)[number];

/** Throttle intervals (seconds) Cloud Armor accepts. */
export const RATE_INTERVALS = [10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600] as const;

/** Priority of the default rule (the lowest; Cloud Armor reserves it for the default). */
export const DEFAULT_RULE_PRIORITY = 2147483647;
/** WAF rules start here (evaluated first). */
export const WAF_PRIORITY_BASE = 1000;
/**
 * The throttle comes after the WAF rules: a throttle rule whose conform action is `allow` ends evaluation
 * for conforming requests, so any deny rule placed below it would never see them.
 */
export const RATE_LIMIT_PRIORITY = 2000;

export interface ArmorArgs {
  /** The project of the policy. */
  project: pulumi.Input<string>;
  /**
   * WAF sensitivity 1-4 (OWASP paranoia level): signatures at or below it are enabled. 1 has the fewest
   * false positives; raise it after watching the logs (`preview: true`).
   * @default 1
   */
  wafSensitivity?: number;
  /**
   * More CRS 3.3 rule sets on top of SQLi, XSS, LFI and RCE, e.g. `["scannerdetection", "protocolattack"]`.
   * Cost: each rule counts towards Cloud Armor Standard's $1/rule-month (cloud.google.com/armor/pricing, 2026-11).
   * @default []
   */
  extraWafRules?: ExtraWafRule[];
  /** Run the WAF rules in preview (log only, no deny) while tuning. @default false */
  preview?: boolean;
  /**
   * Requests one client IP may send per `rateLimitIntervalSec` before it gets 429 (1 to 1,000,000). The stack
   * passes `meridian:wafRateLimit`, the same number AWS WAF uses per 5 minutes.
   * @default 2000
   */
  rateLimit?: number;
  /** The throttle's window in seconds (a value Cloud Armor accepts). @default 300 */
  rateLimitIntervalSec?: number;
  /**
   * Adaptive Protection: layer 7 DDoS detection from traffic baselines, with alerts.
   * Cost: alerts are included in Cloud Armor Standard; suggested rules need Cloud Armor Enterprise
   * (~$200/month per project pay-as-you-go, cloud.google.com/armor/pricing, 2026-11).
   * @default true
   */
  adaptiveProtection?: boolean;
  /**
   * `VERBOSE` request logging: the matched field and value of each WAF match (useful while tuning; the log
   * can hold request data). Cost: Cloud Logging ingestion $0.50/GiB after 50 GiB/month.
   * @default false
   */
  verboseLogging?: boolean;
  /** Enable compute.googleapis.com. @default true */
  enableApis?: boolean;
  /** Labels of the policy. @default {} */
  labels?: Record<string, string>;
  /** Patches the policy or the API enablement. @default none */
  transform?: {
    policy?: Transform<gcp.compute.SecurityPolicyArgs>;
    service?: Transform<gcp.projects.ServiceArgs>;
  };
}

export interface ArmorSettings {
  wafSensitivity: number;
  extraWafRules: ExtraWafRule[];
  preview: boolean;
  rateLimit: number;
  rateLimitIntervalSec: number;
  adaptiveProtection: boolean;
  verboseLogging: boolean;
  enableApis: boolean;
  labels: Record<string, string>;
}

/** Validates every arg and applies defaults; errors name the arg, the value and what is allowed. */
export function resolveArmorArgs(args: ArmorArgs): ArmorSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  if (args.project === undefined || args.project === "") {
    throw new Error(`project is ${show(args.project)}; allowed: a GCP project id`);
  }
  const extra = args.extraWafRules ?? [];
  if (!Array.isArray(extra)) throw new Error(`extraWafRules is ${show(extra)}; allowed: a list`);
  const extraWafRules = extra.map((r, i) => oneOf(`extraWafRules[${i}]`, r, EXTRA_WAF_RULES));
  if (new Set(extraWafRules).size !== extraWafRules.length) {
    throw new Error(`extraWafRules ${show(extra)} has duplicates`);
  }
  return {
    wafSensitivity: intIn(
      "wafSensitivity",
      args.wafSensitivity ?? 1,
      1,
      4,
      " (0 would disable every signature)",
    ),
    extraWafRules,
    preview: bool("preview", args.preview ?? false),
    rateLimit: intIn(
      "rateLimit",
      args.rateLimit ?? 2000,
      1,
      1_000_000,
      " requests per client IP and interval",
    ),
    rateLimitIntervalSec: oneOf("rateLimitIntervalSec", args.rateLimitIntervalSec ?? 300, RATE_INTERVALS),
    adaptiveProtection: bool("adaptiveProtection", args.adaptiveProtection ?? true),
    verboseLogging: bool("verboseLogging", args.verboseLogging ?? false),
    enableApis: bool("enableApis", args.enableApis ?? true),
    labels: validateLabels(args.labels),
  };
}

/** The preconfigured WAF expression for a CRS 3.3 rule set at a sensitivity. */
export function wafExpression(rule: string, sensitivity: number): string {
  return `evaluatePreconfiguredWaf('${rule}-v33-stable', {'sensitivity': ${sensitivity}})`;
}

/** The policy's rules: WAF denies (403), then the per-IP throttle (429), then the default allow. */
export function armorRules(s: ArmorSettings): gcp.types.input.compute.SecurityPolicyRule[] {
  const waf = [...CORE_WAF_RULES, ...s.extraWafRules].map((rule, i) => ({
    action: "deny(403)",
    priority: WAF_PRIORITY_BASE + i,
    preview: s.preview,
    description: `OWASP CRS 3.3 ${rule} at sensitivity ${s.wafSensitivity}`,
    match: { expr: { expression: wafExpression(rule, s.wafSensitivity) } },
  }));
  return [
    ...waf,
    {
      action: "throttle",
      priority: RATE_LIMIT_PRIORITY,
      description: `Per client IP: ${s.rateLimit} requests per ${s.rateLimitIntervalSec}s, then 429`,
      match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
      rateLimitOptions: {
        enforceOnKey: "IP",
        rateLimitThreshold: { count: s.rateLimit, intervalSec: s.rateLimitIntervalSec },
        conformAction: "allow",
        exceedAction: "deny(429)",
      },
    },
    {
      action: "allow",
      priority: DEFAULT_RULE_PRIORITY,
      description: "Default: allow what no rule above denied",
      match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
    },
  ];
}

/** One line per rule for the posture and reviews, e.g. `1000 deny(403) sqli-v33-stable sensitivity 1`. */
export function ruleSummary(s: ArmorSettings): string[] {
  return [
    ...[...CORE_WAF_RULES, ...s.extraWafRules].map(
      (r, i) =>
        `${WAF_PRIORITY_BASE + i} deny(403) ${r}-v33-stable sensitivity ${s.wafSensitivity}${s.preview ? " (preview)" : ""}`,
    ),
    `${RATE_LIMIT_PRIORITY} throttle per IP ${s.rateLimit}/${s.rateLimitIntervalSec}s deny(429)`,
    `${DEFAULT_RULE_PRIORITY} allow (default)`,
  ];
}

/**
 * A Cloud Armor backend security policy for the API's backend service.
 *
 * @example
 * const armor = new Armor("meridian-prod-armor", { project, rateLimit: config.wafRateLimit, labels });
 * new LoadBalancer("meridian-prod-edge", { securityPolicy: armor.policySelfLink, ... });
 *
 * ## Cost (Cloud Armor Standard list prices, cloud.google.com/armor/pricing, 2026-11)
 * $5/month per policy + $1/month per rule (6 rules ≈ $6) + $0.75 per million requests evaluated.
 * A small service: ≈ $12-15/month. Adaptive Protection alerts are included; Enterprise is opt-in outside Meridian.
 */
export class Armor extends pulumi.ComponentResource {
  public readonly policyId: pulumi.Output<string>;
  public readonly policySelfLink: pulumi.Output<string>;
  public readonly policyName: pulumi.Output<string>;
  /** One line per rule, in priority order. */
  public readonly ruleSummary: string[];
  /** Armor creates no IAM bindings. */
  public readonly grants: IamGrant[] = [];
  public readonly settings: ArmorSettings;

  constructor(name: string, args: ArmorArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("Armor", name, () => resolveArmorArgs(args));
    super("meridian:gcp:Armor", name, {}, opts);
    this.settings = s;
    const t = args.transform ?? {};
    const apis = s.enableApis
      ? enableServices(name, args.project, ["compute.googleapis.com"], { parent: this }, t.service)
      : [];

    const policy = new gcp.compute.SecurityPolicy(
      ...applyTransform(
        t.policy,
        `${name}-policy`,
        {
          project: args.project,
          name: physicalName("gcp:resource", name, "policy"),
          description: asciiDescription(`Meridian API WAF and per-IP rate limit (${name})`),
          type: "CLOUD_ARMOR",
          rules: armorRules(s),
          adaptiveProtectionConfig: {
            layer7DdosDefenseConfig: { enable: s.adaptiveProtection, ruleVisibility: "STANDARD" },
          },
          // STANDARD JSON parsing lets the WAF inspect JSON bodies field by field (fewer false positives on an API).
          advancedOptionsConfig: {
            jsonParsing: "STANDARD",
            logLevel: s.verboseLogging ? "VERBOSE" : "NORMAL",
          },
          labels: s.labels,
        },
        { parent: this, dependsOn: apis },
      ),
    );

    this.policyId = policy.id;
    this.policySelfLink = policy.selfLink;
    this.policyName = policy.name;
    this.ruleSummary = ruleSummary(s);
    this.registerOutputs({
      policyId: this.policyId,
      policySelfLink: this.policySelfLink,
      policyName: this.policyName,
      ruleSummary: this.ruleSummary,
      grants: this.grants,
    });
  }
}
