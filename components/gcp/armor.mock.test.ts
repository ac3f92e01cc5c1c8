import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";
import type * as ArmorModule from "./armor";

const PROJECT = "meridian-test-1234";
const T = {
  policy: "gcp:compute/securityPolicy:SecurityPolicy",
  service: "gcp:projects/service:Service",
} as const;

const suite = componentSuite({
  load: () => import("./armor"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

async function build(name: string, args: Partial<ArmorModule.ArmorArgs> = {}) {
  const c = await suite.capture(new suite.mod.Armor(name, { project: PROJECT, ...args }));
  return { ...c, armor: c.component, policy: inputsOf(c.one(T.policy)) };
}

describe("gcp Armor (mocks)", () => {
  it("denies SQLi, XSS, LFI and RCE with the CRS 3.3 stable sets at sensitivity 1, before the throttle", async () => {
    const b = await build("armor-default", { labels: { env: "test" } });
    const p = b.policy;
    assert.equal(p.type, "CLOUD_ARMOR");
    assert.equal(p.project, PROJECT);
    const waf = p.rules.filter((r: any) => r.action === "deny(403)");
    assert.deepEqual(
      waf.map((r: any) => r.match.expr.expression),
      ["sqli", "xss", "lfi", "rce"].map(
        (id) => `evaluatePreconfiguredWaf('${id}-v33-stable', {'sensitivity': 1})`,
      ),
    );
    for (const r of waf) assert.equal(r.preview, false, "WAF rules enforce by default");
    const throttle = p.rules.find((r: any) => r.action === "throttle");
    for (const r of waf) assert.ok(r.priority < throttle.priority, "a WAF rule sits below the throttle");
    assert.deepEqual(p.labels, { env: "test" });
    assert.match(p.description, /^[\x20-\x7e]+$/);
  });

  it("throttles per client IP at 2000 requests per 300 s with 429, like the AWS rate rule", async () => {
    const b = await build("armor-rate");
    const r = b.policy.rules.find((x: any) => x.action === "throttle");
    assert.deepEqual(r.rateLimitOptions, {
      enforceOnKey: "IP",
      rateLimitThreshold: { count: 2000, intervalSec: 300 },
      conformAction: "allow",
      exceedAction: "deny(429)",
    });
    assert.deepEqual(r.match, { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } });
  });

  it("ends with the default allow at priority 2147483647 and has unique priorities", async () => {
    const b = await build("armor-default-rule");
    const last = b.policy.rules[b.policy.rules.length - 1];
    assert.equal(last.priority, 2147483647);
    assert.equal(last.action, "allow");
    const prios = b.policy.rules.map((r: any) => r.priority);
    assert.equal(new Set(prios).size, prios.length);
  });

  it("turns Adaptive Protection on by default and off when asked; normal logging, JSON parsing", async () => {
    const on = await build("armor-ap-on");
    assert.equal(on.policy.adaptiveProtectionConfig.layer7DdosDefenseConfig.enable, true);
    assert.deepEqual(on.policy.advancedOptionsConfig, { jsonParsing: "STANDARD", logLevel: "NORMAL" });
    const off = await build("armor-ap-off", { adaptiveProtection: false, verboseLogging: true });
    assert.equal(off.policy.adaptiveProtectionConfig.layer7DdosDefenseConfig.enable, false);
    assert.equal(off.policy.advancedOptionsConfig.logLevel, "VERBOSE");
  });

  it("applies config: rate limit, interval, sensitivity, extra rule sets, preview", async () => {
    const b = await build("armor-custom", {
      rateLimit: 500,
      rateLimitIntervalSec: 60,
      wafSensitivity: 2,
      extraWafRules: ["scannerdetection"],
      preview: true,
    });
    const waf = b.policy.rules.filter((r: any) => r.action === "deny(403)");
    assert.equal(waf.length, 5);
    assert.match(waf[4].match.expr.expression, /scannerdetection-v33-stable', \{'sensitivity': 2\}/);
    for (const r of waf) assert.equal(r.preview, true);
    const t = b.policy.rules.find((r: any) => r.action === "throttle");
    assert.deepEqual(t.rateLimitOptions.rateLimitThreshold, { count: 500, intervalSec: 60 });
    assert.equal(b.armor.ruleSummary.length, 7);
    assert.match(b.armor.ruleSummary[0], /^1000 deny\(403\) sqli-v33-stable sensitivity 2 \(preview\)$/);
  });

  it("enables compute.googleapis.com first and exposes the policy's self link, no grants", async () => {
    const b = await build("armor-out");
    const api = b.one(T.service);
    assert.equal(inputsOf(api).service, "compute.googleapis.com");
    assert.ok(b.one(T.policy).dependencies.includes(api.urn));
    assert.equal(
      await promiseOf(b.armor.policySelfLink),
      `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/securityPolicies/armor-out-policy`,
    );
    assert.deepEqual(b.armor.grants, []);
  });

  it("rejects bad args before registering anything, naming the arg", () => {
    const bad: [Partial<ArmorModule.ArmorArgs>, RegExp][] = [
      [{ wafSensitivity: 0 }, /Armor "x": wafSensitivity is 0; allowed: an integer from 1 to 4/],
      [{ rateLimit: 2_000_000 }, /rateLimit is 2000000; allowed: an integer from 1 to 1000000/],
      [{ rateLimitIntervalSec: 301 }, /rateLimitIntervalSec is 301; allowed: 10, 30/],
      [{ extraWafRules: ["sqli" as never] }, /extraWafRules\[0\] is "sqli"/],
      [{ adaptiveProtection: "yes" as never }, /adaptiveProtection is "yes"; allowed: true or false/],
      [{ labels: { Bad: "x" } }, /labels key "Bad" is invalid/],
    ];
    for (const [args, re] of bad) {
      assert.throws(() => new suite.mod.Armor("x", { project: PROJECT, ...args }), re);
    }
  });
});
