/**
 * A WAFv2 web ACL for Meridian: AWS managed rule groups (common, known bad inputs, SQL injection, and
 * optionally the Amazon IP reputation list), a per-IP rate-based rule, metrics and sampled requests on
 * every rule, logging to a CloudWatch log group, and associations with regional resources (the ALB).
 *
 * A `CLOUDFRONT` ACL must be created in us-east-1: pass a us-east-1 provider in the component options
 * (`{ provider: usEast1 }`); the children (ACL, log group, logging configuration) inherit it. CloudFront
 * distributions attach it themselves (`webAclId` = `webAclArn`). See docs/components/aws-waf.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";
import { childKit } from "../shared/component";
import { applyTransform, Transform } from "../shared/transform";
import { bool, resolveArgs, show } from "../shared/validate";
import { LOG_RETENTION_DAYS } from "./network";

export const WAF_SCOPES = ["REGIONAL", "CLOUDFRONT"] as const;
export type WafScope = (typeof WAF_SCOPES)[number];

/** The AWS managed rule groups always on, in evaluation order after the reputation list and rate rule. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
] as const;
export const IP_REPUTATION_RULE_GROUP = "AWSManagedRulesAmazonIpReputationList";

/** Evaluation windows (seconds) WAF accepts for rate-based rules. */
export const RATE_WINDOWS = [60, 120, 300, 600] as const;

/** Headers never written to the WAF logs. */
export const REDACTED_HEADERS = ["authorization", "cookie", "x-origin-verify"] as const;

export interface WebAclTransforms {
  webAcl?: Transform<aws.wafv2.WebAclArgs>;
  logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  loggingConfiguration?: Transform<aws.wafv2.WebAclLoggingConfigurationArgs>;
  /** Every association (`<name>-assoc-<i>`). */
  association?: Transform<aws.wafv2.WebAclAssociationArgs>;
}

export interface WebAclArgs {
  /**
   * `"REGIONAL"` (ALB, API Gateway, ...) or `"CLOUDFRONT"` (must be created in us-east-1: pass a us-east-1
   * provider in the component options).
   * @default "REGIONAL"
   */
  scope?: WafScope;
  /**
   * Requests per IP in the evaluation window above which the IP is blocked (10-2,000,000,000).
   * @default 2000
   */
  rateLimit?: number;
  /**
   * The rate rule's evaluation window in seconds: 60, 120, 300 or 600.
   * @default 300
   */
  rateWindowSeconds?: number;
  /**
   * Add the AWS managed Amazon IP reputation list (known bots, scanners, malicious IPs), evaluated first.
   * Cost: $1/month (one more rule) + its share of request charges.
   * @default false
   */
  ipReputation?: boolean;
  /**
   * Log every request WAF evaluates to a CloudWatch log group `aws-waf-logs-<name>` (authorization, cookie
   * and x-origin-verify headers redacted).
   * Cost: vended logs ingestion $0.50/GB (less at volume), storage $0.03/GB-month.
   * @default true
   */
  logging?: boolean;
  /**
   * Days the WAF log group keeps records (a CloudWatch Logs value).
   * @default 30
   */
  logRetentionDays?: number;
  /**
   * ARNs of regional resources to protect (ALB ARNs). Only with `scope: "REGIONAL"`; a CloudFront
   * distribution references the ACL itself.
   * @default []
   */
  associateWith?: pulumi.Input<string>[];
  /** Tags for every taggable child (each also gets its `Name`). Pass the standard set (`awsTags(...)`). */
  tags: Record<string, string>;
  /** Patches any child's args or options (partial object or function). @default none */
  transform?: WebAclTransforms;
}

export const WEB_ACL_DEFAULTS = {
  scope: "REGIONAL",
  rateLimit: 2000,
  rateWindowSeconds: 300,
  ipReputation: false,
  logging: true,
  logRetentionDays: 30,
} as const;

export interface WebAclSettings {
  scope: WafScope;
  rateLimit: number;
  rateWindowSeconds: number;
  ipReputation: boolean;
  logging: boolean;
  logRetentionDays: number;
  associateWith: pulumi.Input<string>[];
  tags: Tags;
}

/** Validates every arg and applies defaults. Each error names the arg, the value and what is allowed. */
export function resolveWebAclArgs(args: WebAclArgs): WebAclSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const d = WEB_ACL_DEFAULTS;
  const scope = args.scope ?? d.scope;
  if (!(WAF_SCOPES as readonly string[]).includes(scope)) {
    throw new Error(`scope is ${show(scope)}; allowed: "REGIONAL", "CLOUDFRONT"`);
  }
  const rateLimit = args.rateLimit ?? d.rateLimit;
  if (
    typeof rateLimit !== "number" ||
    !Number.isInteger(rateLimit) ||
    rateLimit < 10 ||
    rateLimit > 2_000_000_000
  ) {
    throw new Error(
      `rateLimit is ${show(rateLimit)}; allowed: an integer from 10 to 2000000000 (requests per IP per window)`,
    );
  }
  const rateWindowSeconds = args.rateWindowSeconds ?? d.rateWindowSeconds;
  if (!(RATE_WINDOWS as readonly number[]).includes(rateWindowSeconds)) {
    throw new Error(`rateWindowSeconds is ${show(rateWindowSeconds)}; allowed: ${RATE_WINDOWS.join(", ")}`);
  }
  const logRetentionDays = args.logRetentionDays ?? d.logRetentionDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new Error(
      `logRetentionDays is ${show(logRetentionDays)}; allowed (CloudWatch Logs): ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  const associateWith = args.associateWith ?? [];
  if (!Array.isArray(associateWith)) {
    throw new Error(`associateWith is ${show(associateWith)}; allowed: a list of regional resource ARNs`);
  }
  if (associateWith.length > 0 && scope === "CLOUDFRONT") {
    throw new Error(
      `associateWith is set but scope is "CLOUDFRONT"; allowed: associateWith only with scope "REGIONAL" ` +
        `(a CloudFront distribution references a CLOUDFRONT ACL through its webAclId)`,
    );
  }
  for (const a of associateWith) {
    if (
      typeof a === "string" &&
      !/^arn:aws[a-z-]*:(elasticloadbalancing|apigateway|appsync|cognito-idp|apprunner|ec2):/.test(a)
    ) {
      throw new Error(
        `associateWith contains ${show(a)}; allowed: ARNs of regional resources (ALB, API Gateway stage, AppSync, ` +
          `Cognito user pool, App Runner, Verified Access)`,
      );
    }
  }
  const tags = args.tags as unknown;
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    throw new Error(`tags is ${show(tags)}; allowed: a map of strings (pass the standard set, awsTags(...))`);
  }
  return {
    scope: scope as WafScope,
    rateLimit,
    rateWindowSeconds,
    ipReputation: bool("ipReputation", args.ipReputation ?? d.ipReputation),
    logging: bool("logging", args.logging ?? d.logging),
    logRetentionDays,
    associateWith: [...associateWith],
    tags: { ...(tags as Tags) },
  };
}

/** A CloudWatch metric name for a rule (letters, digits, - and _). */
function metricName(...parts: string[]): string {
  return parts
    .join("-")
    .replace(/[^A-Za-z0-9_-]/g, "-")
    .slice(0, 128);
}

/** The ACL's rules: [ip reputation], per-IP rate limit, then the managed groups; metrics on every rule. */
export function webAclRules(
  baseName: string,
  s: Pick<WebAclSettings, "ipReputation" | "rateLimit" | "rateWindowSeconds">,
): aws.types.input.wafv2.WebAclRule[] {
  const visibility = (rule: string) => ({
    cloudwatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: metricName(baseName, rule),
  });
  const managed = (group: string) => ({
    name: group,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
    visibilityConfig: visibility(group),
  });
  const rules: Omit<aws.types.input.wafv2.WebAclRule, "priority">[] = [];
  if (s.ipReputation) rules.push(managed(IP_REPUTATION_RULE_GROUP));
  rules.push({
    name: "RateLimitPerIp",
    action: { block: {} },
    statement: {
      rateBasedStatement: {
        aggregateKeyType: "IP",
        limit: s.rateLimit,
        evaluationWindowSec: s.rateWindowSeconds,
      },
    },
    visibilityConfig: visibility("RateLimitPerIp"),
  });
  for (const g of MANAGED_RULE_GROUPS) rules.push(managed(g));
  return rules.map((r, i) => ({ ...r, priority: i }));
}

/**
 * A WAFv2 web ACL with AWS managed protections and per-IP rate limiting.
 *
 * Default action allow; rules block (the managed groups' own actions, the rate rule's block). Every rule and
 * the ACL publish CloudWatch metrics and keep sampled requests.
 *
 * @example
 * const waf = new WebAcl("meridian-prod-waf", { associateWith: [api.albArn], tags });
 * const usEast1 = new aws.Provider("us-east-1", { region: "us-east-1" });
 * const edgeWaf = new WebAcl("meridian-prod-edge-waf", { scope: "CLOUDFRONT", tags }, { provider: usEast1 });
 *
 * ## Cost (list prices)
 * $5/month per web ACL + $1/month per rule (rule groups count as one rule each: 4 rules = $4, 5 with the IP
 * reputation list) + $0.60 per million requests inspected. The AWS managed rule groups used here have no
 * subscription fee (Bot Control / ATP / ACFP would). Logging: CloudWatch vended logs $0.50/GB. A small
 * service: ≈ $9-10/month per ACL plus requests.
 */
export class WebAcl extends pulumi.ComponentResource {
  public readonly webAclArn: pulumi.Output<string>;
  public readonly webAclId: pulumi.Output<string>;
  /** The WAF log group, when logging is on. */
  public readonly logGroupName?: pulumi.Output<string>;
  /** Retention of the WAF log group by name (empty without logging), for the posture document. */
  public readonly logRetention: Record<string, number> = {};
  /** Rule names, in priority order. */
  public readonly ruleNames: string[];

  constructor(name: string, args: WebAclArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const s = resolveArgs("WebAcl", name, () => resolveWebAclArgs(args));
    super("meridian:aws:WebAcl", name, {}, opts);
    const t = args.transform ?? {};
    const { childOpts, tagsFor } = childKit(this, s.tags);

    const rules = webAclRules(name, s);
    this.ruleNames = rules.map((r) => r.name as string);
    const acl = new aws.wafv2.WebAcl(
      ...applyTransform(
        t.webAcl,
        `${name}-acl`,
        {
          name: physicalName("aws:ecs", name).slice(0, 128),
          description: asciiDescription(
            `Meridian ${s.scope.toLowerCase()} web ACL for ${name}: AWS managed rules and a per-IP rate limit`,
          ),
          scope: s.scope,
          defaultAction: { allow: {} },
          rules,
          visibilityConfig: {
            cloudwatchMetricsEnabled: true,
            sampledRequestsEnabled: true,
            metricName: metricName(name),
          },
          tags: tagsFor(`${name}-acl`),
        },
        childOpts(),
      ),
    );

    if (s.logging) {
      // WAF requires the log group name to start with aws-waf-logs-.
      const logGroupName = physicalName("aws:logGroup", `aws-waf-logs-${name}`);
      const logGroup = new aws.cloudwatch.LogGroup(
        ...applyTransform(
          t.logGroup,
          `${name}-logs`,
          { name: logGroupName, retentionInDays: s.logRetentionDays, tags: tagsFor(`${name}-logs`) },
          childOpts(),
        ),
      );
      new aws.wafv2.WebAclLoggingConfiguration(
        ...applyTransform(
          t.loggingConfiguration,
          `${name}-logging`,
          {
            resourceArn: acl.arn,
            logDestinationConfigs: [logGroup.arn],
            redactedFields: REDACTED_HEADERS.map((h) => ({ singleHeader: { name: h } })),
          },
          childOpts(),
        ),
      );
      this.logGroupName = logGroup.name;
      this.logRetention = { [logGroupName]: s.logRetentionDays };
    }

    s.associateWith.forEach((resourceArn, i) => {
      new aws.wafv2.WebAclAssociation(
        ...applyTransform(
          t.association,
          `${name}-assoc-${i}`,
          { resourceArn, webAclArn: acl.arn },
          childOpts(),
        ),
      );
    });

    this.webAclArn = acl.arn;
    this.webAclId = acl.id;
    this.registerOutputs({
      webAclArn: this.webAclArn,
      webAclId: this.webAclId,
      logGroupName: this.logGroupName,
      ruleNames: this.ruleNames,
    });
  }
}
