// The AWS service's edge: security groups, ALB and target group, access logs, certificate and DNS, listeners,
// origin-verify secret (serviceSecurityGroups.ts, loadBalancer.ts, accessLogs.ts, certificate.ts, listeners.ts,
// originSecret.ts).
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf, promiseOf } from "../../infra/offline/testing";
import {
  ACCOUNT,
  BASE,
  Built,
  bySid,
  DEV_LIKE,
  policyOf,
  PROD_LIKE,
  ruleSummary,
  serviceSuite,
  T,
  ZONE,
} from "./service.testkit";

const { build } = serviceSuite();

describe("aws Service: load balancer and ingress (mocks)", () => {
  describe("internet ingress with a domain and a Route 53 zone (prod-like)", () => {
    let b: Built;
    const name = "api-prod";
    before(async () => {
      b = await build(name, PROD_LIKE);
    });

    it("chains the security groups: internet -> ALB 443/80, ALB -> tasks on the container port only", () => {
      const alb = b.byName("alb-sg").id;
      const task = b.byName("task-sg").id;
      for (const sg of b.all(T.sg)) {
        assert.equal(inputsOf(sg).ingress, undefined, `${sg.name} has inline ingress`);
        assert.equal(inputsOf(sg).egress, undefined, `${sg.name} has inline egress`);
        assert.match(inputsOf(sg).description, /^[\x20-\x7e]+$/);
      }
      const ingress = b.all(T.ingress).map(ruleSummary);
      assert.deepEqual(
        ingress.filter((r) => r.sg === alb),
        [
          { sg: alb, port: [443, 443], proto: "tcp", cidr: "0.0.0.0/0", ref: undefined, pl: undefined },
          { sg: alb, port: [80, 80], proto: "tcp", cidr: "0.0.0.0/0", ref: undefined, pl: undefined },
        ],
      );
      assert.deepEqual(
        ingress.filter((r) => r.sg === task),
        [{ sg: task, port: [8080, 8080], proto: "tcp", cidr: undefined, ref: alb, pl: undefined }],
      );
      const egress = b.all(T.egress).map(ruleSummary);
      assert.deepEqual(
        egress.filter((r) => r.sg === alb),
        [{ sg: alb, port: [8080, 8080], proto: "tcp", cidr: undefined, ref: task, pl: undefined }],
      );
      assert.deepEqual(
        egress.filter((r) => r.sg === task),
        [{ sg: task, port: [443, 443], proto: "tcp", cidr: "0.0.0.0/0", ref: undefined, pl: undefined }],
      );
    });

    it("ALB: internet-facing in the public subnets, drops invalid headers, deletion protection, access logs", () => {
      const lb = inputsOf(b.one(T.lb));
      assert.equal(lb.internal, false);
      assert.deepEqual(lb.subnets, BASE.publicSubnetIds);
      assert.deepEqual(lb.securityGroups, [b.byName("alb-sg").id]);
      assert.equal(lb.dropInvalidHeaderFields, true);
      assert.equal(lb.enableDeletionProtection, true);
      assert.equal(lb.idleTimeout, 60);
      assert.deepEqual(lb.accessLogs, {
        bucket: b.one(T.bucket).outputs.bucket,
        prefix: "alb",
        enabled: true,
      });
      assert.ok(
        b.one(T.lb).dependencies.includes(b.one(T.bucketPolicy).urn),
        "logs writable before enabling",
      );
    });

    it("HTTPS listener with the TLS 1.3/1.2 policy and the validated certificate; HTTP only redirects", () => {
      const https = inputsOf(b.byName("https"));
      assert.equal(https.port, 443);
      assert.equal(https.protocol, "HTTPS");
      assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
      assert.equal(https.certificateArn, b.one(T.cert).outputs.arn);
      assert.deepEqual(https.defaultActions, [{ type: "forward", targetGroupArn: b.one(T.tg).outputs.arn }]);
      const http = inputsOf(b.byName("http"));
      assert.equal(http.port, 80);
      assert.equal(http.protocol, "HTTP");
      assert.deepEqual(http.defaultActions, [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ]);
      assert.equal(b.all(T.listener).length, 2);
      // The only rule: /metrics (unauthenticated) answers 404 from outside, before any forward.
      const rule = inputsOf(b.one(T.rule));
      assert.equal(rule.listenerArn, b.byName("https").outputs.arn);
      assert.equal(rule.priority, 1);
      assert.deepEqual(rule.conditions, [{ pathPattern: { values: ["/metrics", "/metrics/*"] } }]);
      assert.equal(rule.actions[0].fixedResponse.statusCode, "404");
    });

    it("validates the certificate through Route 53 and points the domain at the ALB", () => {
      const cert = inputsOf(b.one(T.cert));
      assert.equal(cert.domainName, "api.example.com");
      assert.equal(cert.validationMethod, "DNS");
      const records = b.all(T.record);
      assert.equal(records.length, 2);
      const v = records.find((r) => r.name === `${name}-cert-validation`)!;
      const opts = b.one(T.cert).outputs.domainValidationOptions as any[];
      assert.equal(inputsOf(v).name, opts[0].resourceRecordName);
      assert.deepEqual(inputsOf(v).records, [opts[0].resourceRecordValue]);
      assert.equal(inputsOf(v).zoneId, ZONE);
      const alias = inputsOf(records.find((r) => r.name === `${name}-alias`)!);
      assert.equal(alias.type, "A");
      assert.equal(alias.name, "api.example.com");
      assert.deepEqual(alias.aliases, [
        { name: b.one(T.lb).outputs.dnsName, zoneId: b.one(T.lb).outputs.zoneId, evaluateTargetHealth: true },
      ]);
      assert.equal(inputsOf(b.one(T.certValidation)).certificateArn, b.one(T.cert).outputs.arn);
    });

    it("target group: ip targets, health check on /health/ready with 200, deregistration delay 30", () => {
      const tg = inputsOf(b.one(T.tg));
      assert.equal(tg.targetType, "ip");
      assert.equal(tg.port, 8080);
      assert.equal(tg.vpcId, BASE.vpcId);
      assert.equal(tg.deregistrationDelay, 30);
      assert.equal(tg.healthCheck.path, "/health/ready");
      assert.equal(tg.healthCheck.matcher, "200");
    });

    it("access logs bucket: private, SSE-S3, versioned, expiring, TLS-only, ELB log delivery only", () => {
      const bucket = b.one(T.bucket);
      assert.deepEqual(
        { ...inputsOf(b.one(T.pab)), bucket: undefined },
        {
          bucket: undefined,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
      );
      assert.equal(inputsOf(b.one(T.pab)).bucket, bucket.id);
      assert.deepEqual(inputsOf(b.one(T.sse)).rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ]);
      assert.equal(inputsOf(b.one(T.versioning)).versioningConfiguration.status, "Enabled");
      assert.equal(inputsOf(b.one(T.lifecycle)).rules[0].expiration.days, 90);
      assert.equal(inputsOf(b.one(T.ownership)).rule.objectOwnership, "BucketOwnerEnforced");
      const doc = policyOf(inputsOf(b.one(T.bucketPolicy)).policy);
      const arn = bucket.outputs.arn as string;
      assert.deepEqual(bySid(doc, "ElbLogDelivery"), {
        Sid: "ElbLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${arn}/alb/AWSLogs/${ACCOUNT}/*`,
      });
      const deny = bySid(doc, "DenyInsecureTransport");
      assert.equal(deny.Effect, "Deny");
      assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
      assert.deepEqual(deny.Resource, [arn, `${arn}/*`]);
    });
  });

  describe("CloudFront-only ingress without a domain (dev-like)", () => {
    let b: Built;
    const name = "api-dev";
    before(async () => {
      b = await build(name, DEV_LIKE);
    });

    it("defaults to cloudfront ingress: no certificate, no HTTPS, one HTTP listener denying by default", () => {
      assert.equal(b.all(T.cert).length, 0);
      const listeners = b.all(T.listener);
      assert.equal(listeners.length, 1);
      const http = inputsOf(listeners[0]);
      assert.equal(http.port, 80);
      assert.deepEqual(http.defaultActions, [
        {
          type: "fixed-response",
          fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" },
        },
      ]);
    });

    it("forwards only requests carrying the secret X-Origin-Verify header", async () => {
      const ruleNamed = (suffix: string) => inputsOf(b.all(T.rule).find((r) => r.name.endsWith(suffix))!);
      const rule = ruleNamed("-origin-verify");
      assert.ok(rule.priority > ruleNamed("-private-paths").priority, "private paths are checked first");
      const secret = inputsOf(b.one(T.password));
      assert.equal(secret.length, 48);
      const value = b.one(T.password).outputs.result as unknown;
      const header = await promiseOf(b.svc.originVerifyHeader!.value);
      assert.equal(rule.listenerArn, b.one(T.listener).outputs.arn);
      assert.deepEqual(rule.actions, [{ type: "forward", targetGroupArn: b.one(T.tg).outputs.arn }]);
      assert.deepEqual(rule.conditions, [
        { httpHeader: { httpHeaderName: "X-Origin-Verify", values: [header] } },
      ]);
      assert.ok(header.length >= 32);
      assert.ok(value !== undefined);
      assert.equal(b.svc.originVerifyHeader!.name, "X-Origin-Verify");
      assert.equal(
        await pulumi.isSecret(b.svc.originVerifyHeader!.value),
        true,
        "the header value is secret",
      );
    });

    it("stores the header value in Secrets Manager", async () => {
      const secret = b.one(T.secret);
      assert.equal(inputsOf(secret).name, "meridian/api-dev/origin-verify");
      const version = inputsOf(b.one(T.secretVersion));
      assert.equal(version.secretId, secret.id);
      assert.equal(version.secretString, await promiseOf(b.svc.originVerifyHeader!.value));
      assert.deepEqual(b.svc.posture.secrets, ["meridian/api-dev/origin-verify"]);
    });

    it("admits only CloudFront's origin-facing prefix list, on port 80 only (one rule)", () => {
      const alb = b.byName("alb-sg").id;
      const albIngress = b.all(T.ingress).filter((r) => inputsOf(r).securityGroupId === alb);
      assert.equal(albIngress.length, 1);
      const r = inputsOf(albIngress[0]);
      assert.equal(r.fromPort, 80);
      assert.equal(r.toPort, 80);
      assert.equal(r.cidrIpv4, undefined);
      // Looked up by name (com.amazonaws.global.cloudfront.origin-facing); the offline model answers a pl- id.
      assert.match(r.prefixListId, /^pl-[0-9a-f]+$/);
      assert.equal(r.referencedSecurityGroupId, undefined);
      assert.equal(b.all(T.record).length, 0);
    });
  });

  describe("other options", () => {
    it("cloudfront ingress with a certificate: HTTPS only from the prefix list (443), no redirect listener", async () => {
      const b = await build("api-cf-tls", {
        domain: "api.example.org",
        ingress: "cloudfront",
        cloudFrontPrefixListId: "pl-3b927c52",
      });
      const alb = b.byName("alb-sg").id;
      const albIngress = b.all(T.ingress).filter((r) => inputsOf(r).securityGroupId === alb);
      assert.deepEqual(albIngress.map(ruleSummary), [
        { sg: alb, port: [443, 443], proto: "tcp", cidr: undefined, ref: undefined, pl: "pl-3b927c52" },
      ]);
      const listeners = b.all(T.listener);
      assert.equal(listeners.length, 1);
      assert.equal(inputsOf(listeners[0]).protocol, "HTTPS");
      assert.equal(inputsOf(listeners[0]).defaultActions[0].type, "fixed-response");
      const verify = b.all(T.rule).find((r) => r.name.endsWith("-origin-verify"))!;
      assert.equal(inputsOf(verify).listenerArn, listeners[0].outputs.arn);
      assert.equal(b.svc.originProtocolPolicy, "https-only");
      assert.equal(b.svc.posture.publicEndpoints[0].tls, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    });

    it("domain without a zone: no DNS records; the validation records are an output", async () => {
      const b = await build("api-nozone", { domain: "api.example.net" });
      assert.equal(b.all(T.record).length, 0);
      assert.equal(inputsOf(b.one(T.certValidation)).validationRecordFqdns, undefined);
      const records = await promiseOf(b.svc.certificateValidationRecords!);
      assert.equal(records.length, 1);
      assert.equal(records[0].type, "CNAME");
      assert.match(records[0].name, /api\.example\.net\.$/);
    });
  });
});
