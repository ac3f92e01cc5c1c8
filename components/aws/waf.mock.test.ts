import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as WafModule from "./waf";

const TAGS = TEST_TAGS;
const T = {
  acl: "aws:wafv2/webAcl:WebAcl",
  assoc: "aws:wafv2/webAclAssociation:WebAclAssociation",
  logging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;
const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/0123456789abcdef";

const suite = componentSuite({ load: () => import("./waf") });

async function build(name: string, args: Partial<WafModule.WebAclArgs> = {}, opts = {}) {
  const c = await suite.capture(new suite.mod.WebAcl(name, { tags: TAGS, ...args }, opts));
  return { ...c, waf: c.component };
}

describe("aws WebAcl (mocks)", () => {
  it("regional ACL: default allow, rate rule then the three managed groups, metrics on every rule", async () => {
    const b = await build("waf-alb", { associateWith: [ALB_ARN] });
    const acl = inputsOf(b.one(T.acl));
    assert.equal(acl.scope, "REGIONAL");
    assert.deepEqual(acl.defaultAction, { allow: {} });
    assert.deepEqual(acl.visibilityConfig, {
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: "waf-alb",
    });
    assert.deepEqual(
      acl.rules.map((r: any) => [r.priority, r.name]),
      [
        [0, "RateLimitPerIp"],
        [1, "AWSManagedRulesCommonRuleSet"],
        [2, "AWSManagedRulesKnownBadInputsRuleSet"],
        [3, "AWSManagedRulesSQLiRuleSet"],
      ],
    );
    for (const r of acl.rules) {
      assert.equal(r.visibilityConfig.cloudwatchMetricsEnabled, true, r.name);
      assert.equal(r.visibilityConfig.sampledRequestsEnabled, true, r.name);
      assert.match(r.visibilityConfig.metricName, /^[A-Za-z0-9_-]+$/);
      if (r.statement.managedRuleGroupStatement) {
        assert.deepEqual(r.statement.managedRuleGroupStatement, { vendorName: "AWS", name: r.name });
        assert.deepEqual(r.overrideAction, { none: {} }, "managed groups keep their blocking actions");
        assert.equal(r.action, undefined);
      }
    }
    const rate = acl.rules[0];
    assert.deepEqual(rate.action, { block: {} });
    assert.deepEqual(rate.statement.rateBasedStatement, {
      aggregateKeyType: "IP",
      limit: 2000,
      evaluationWindowSec: 300,
    });
    assert.match(acl.description, /^[\x20-\x7e]+$/);
    for (const [k, v] of Object.entries(TAGS)) assert.equal(acl.tags[k], v);
  });

  it("associates the ACL with each regional resource", async () => {
    const b = await build("waf-assoc", { associateWith: [ALB_ARN, `${ALB_ARN}2`] });
    const assoc = b.all(T.assoc).map(inputsOf);
    assert.deepEqual(
      assoc.map((a) => a.resourceArn),
      [ALB_ARN, `${ALB_ARN}2`],
    );
    for (const a of assoc) assert.equal(a.webAclArn, b.one(T.acl).outputs.arn);
    assert.equal(await promiseOf(b.waf.webAclArn), b.one(T.acl).outputs.arn);
    assert.equal(await promiseOf(b.waf.webAclId), b.one(T.acl).id);
  });

  it("logs to aws-waf-logs-<name> with retention, redacting credentials and the origin header", async () => {
    const b = await build("waf-logs", { logRetentionDays: 90 });
    const lg = b.one(T.logGroup);
    assert.equal(inputsOf(lg).name, "aws-waf-logs-waf-logs");
    assert.equal(inputsOf(lg).retentionInDays, 90);
    const cfg = inputsOf(b.one(T.logging));
    assert.equal(cfg.resourceArn, b.one(T.acl).outputs.arn);
    assert.deepEqual(cfg.logDestinationConfigs, [lg.outputs.arn]);
    assert.deepEqual(
      cfg.redactedFields.map((f: any) => f.singleHeader.name),
      ["authorization", "cookie", "x-origin-verify"],
    );
    assert.equal(await promiseOf(b.waf.logGroupName!), "aws-waf-logs-waf-logs");
  });

  it("CLOUDFRONT scope with a us-east-1 provider, IP reputation first, a custom limit, no logging", async () => {
    const usEast1 = new aws.Provider("use1", { region: "us-east-1" });
    const b = await build(
      "waf-edge",
      { scope: "CLOUDFRONT", ipReputation: true, rateLimit: 500, rateWindowSeconds: 60, logging: false },
      { provider: usEast1 },
    );
    const acl = b.one(T.acl);
    assert.equal(inputsOf(acl).scope, "CLOUDFRONT");
    assert.ok(acl.provider?.includes("use1"), "the ACL uses the us-east-1 provider");
    assert.match(acl.outputs.arn as string, /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\//);
    const rules = inputsOf(acl).rules;
    assert.equal(rules[0].name, "AWSManagedRulesAmazonIpReputationList");
    assert.deepEqual(rules[1].statement.rateBasedStatement, {
      aggregateKeyType: "IP",
      limit: 500,
      evaluationWindowSec: 60,
    });
    assert.equal(rules.length, 5);
    assert.equal(b.all(T.logging).length, 0);
    assert.equal(b.all(T.logGroup).length, 0);
    assert.equal(b.all(T.assoc).length, 0);
  });

  describe("validation (synchronous, before any resource)", () => {
    const throwsSync = (args: Partial<WafModule.WebAclArgs>, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.WebAcl("waf-invalid", { tags: TAGS, ...args }), pattern);
      assert.equal(suite.session.resources.length, before);
    };
    it("names the arg, the value and what is allowed", () => {
      throwsSync(
        { scope: "GLOBAL" as never },
        /WebAcl "waf-invalid": scope is "GLOBAL"; allowed: "REGIONAL", "CLOUDFRONT"/,
      );
      throwsSync({ rateLimit: 5 }, /rateLimit is 5; allowed: an integer from 10 to 2000000000/);
      throwsSync({ rateWindowSeconds: 30 }, /rateWindowSeconds is 30; allowed: 60, 120, 300, 600/);
      throwsSync({ logRetentionDays: 45 }, /logRetentionDays is 45; allowed \(CloudWatch Logs\)/);
      throwsSync(
        { scope: "CLOUDFRONT", associateWith: [ALB_ARN] },
        /associateWith is set but scope is "CLOUDFRONT"; allowed: associateWith only with scope "REGIONAL"/,
      );
      throwsSync(
        { associateWith: ["arn:aws:cloudfront::123456789012:distribution/E1"] },
        /associateWith contains "arn:aws:cloudfront::123456789012:distribution\/E1"; allowed: ARNs of regional/,
      );
      throwsSync({ tags: undefined as never }, /tags is undefined; allowed: a map of strings/);
    });
  });
});
