/**
 * The go-live checklist on small graphs: each item's pass, fail and "needs a human" on AWS and Google Cloud
 * resource shapes (plain state as a deployment stores it).
 */
import { strict as assert } from "node:assert";
import { CapturedResource, SIG } from "../offline/runtime";
import { goLiveChecklist } from "./checklist";

let n = 0;
function res(type: string, state: Record<string, unknown>, id?: string): CapturedResource {
  const name = `r${++n}`;
  return {
    urn: `urn:pulumi:prod::app::${type}::${name}`,
    type,
    name,
    custom: true,
    id,
    inputs: {},
    outputs: state,
    computed: [],
    dependencies: [],
    propertyDependencies: {},
    options: {},
  };
}
const item = (resources: CapturedResource[], id: string) => {
  const found = goLiveChecklist(resources).find((c) => c.id === id);
  assert.ok(found, id);
  return found;
};
const task = (
  env: { name: string; value: string }[],
  image = "repo/app@sha256:" + "a".repeat(64),
  secrets: object[] = [],
) =>
  res("aws:ecs/taskDefinition:TaskDefinition", {
    containerDefinitions: JSON.stringify([{ name: "app", image, environment: env, secrets }]),
  });
const cloudRun = (
  envs: object[],
  image: unknown = "europe-docker.pkg.dev/p/r/app@sha256:" + "b".repeat(64),
) => res("gcp:cloudrunv2/service:Service", { template: { containers: [{ image, envs }] } });

describe("go-live checklist", () => {
  it("CORS: https origins pass; * or http fail; nothing found or unknown needs a human", () => {
    assert.equal(
      item([task([{ name: "CORS_ALLOWED_ORIGINS", value: "https://a.example.com" }])], "cors-origins").status,
      "pass",
    );
    assert.equal(
      item([cloudRun([{ name: "CORS_ALLOWED_ORIGINS", value: "http://a.example.com" }])], "cors-origins")
        .status,
      "fail",
    );
    const bucket = res("aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2", {
      corsRules: [{ allowedOrigins: ["*"] }],
    });
    assert.equal(item([bucket], "cors-origins").status, "fail");
    assert.equal(item([task([])], "cors-origins").status, "human");
    const unknown = res("aws:ecs/taskDefinition:TaskDefinition", { containerDefinitions: SIG.unknown });
    assert.match(item([unknown], "cors-origins").why, /known only after deployment/);
  });

  it("HSTS: a year on every CloudFront behavior or GCP backend passes; shorter or missing fails", () => {
    const policy = (age: number) =>
      res(
        "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
        { securityHeadersConfig: { strictTransportSecurity: { accessControlMaxAgeSec: age } } },
        "rhp-1",
      );
    const dist = res("aws:cloudfront/distribution:Distribution", {
      defaultCacheBehavior: { responseHeadersPolicyId: "rhp-1", viewerProtocolPolicy: "redirect-to-https" },
      orderedCacheBehaviors: [{ responseHeadersPolicyId: "rhp-1", viewerProtocolPolicy: "https-only" }],
    });
    assert.equal(item([policy(63072000), dist], "hsts").status, "pass");
    assert.equal(item([policy(3600), dist], "hsts").status, "fail");
    const backend = (h: string[]) =>
      res("gcp:compute/backendService:BackendService", { customResponseHeaders: h, securityPolicy: "armor" });
    assert.equal(
      item([backend(["Strict-Transport-Security: max-age=63072000; includeSubDomains"])], "hsts").status,
      "pass",
    );
    assert.equal(item([backend([])], "hsts").status, "fail");
    assert.equal(item([], "hsts").status, "human");
  });

  it("secrets by reference: secret-looking literals or credentials in URLs fail; references pass", () => {
    const refs = [{ name: "DATABASE_URL", valueFrom: "arn:aws:secretsmanager:...:secret:db" }];
    assert.equal(
      item([task([{ name: "LOG_LEVEL", value: "info" }], undefined, refs)], "secrets-by-reference").status,
      "pass",
    );
    assert.equal(
      item([task([{ name: "STRIPE_API_KEY", value: "sk_live" }])], "secrets-by-reference").status,
      "fail",
    );
    assert.equal(
      item([task([{ name: "DATABASE_URL", value: "postgres://u:pw@db:5432/x" }])], "secrets-by-reference")
        .status,
      "fail",
    );
    const ref = cloudRun([
      { name: "ADMIN_TOKEN", valueSource: { secretKeyRef: { secret: "s", version: "1" } } },
    ]);
    assert.equal(item([ref], "secrets-by-reference").status, "pass");
    assert.equal(
      item([cloudRun([{ name: "ADMIN_TOKEN", value: "x" }])], "secrets-by-reference").status,
      "fail",
    );
    assert.equal(item([], "secrets-by-reference").status, "human");
  });

  it("TLS forced: HTTP listeners must redirect; behind CloudFront a human confirms; GCP needs the redirect map", () => {
    const lb = res("aws:lb/loadBalancer:LoadBalancer", { arn: "arn:lb", internal: false });
    const forward = res("aws:lb/listener:Listener", {
      loadBalancerArn: "arn:lb",
      protocol: "HTTP",
      defaultActions: [{ type: "forward" }],
    });
    const redirect = res("aws:lb/listener:Listener", {
      loadBalancerArn: "arn:lb",
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }],
    });
    assert.equal(item([lb, redirect], "tls-forced").status, "pass");
    assert.equal(item([lb, forward], "tls-forced").status, "fail");
    const dist = res("aws:cloudfront/distribution:Distribution", {
      defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
    });
    assert.equal(item([lb, forward, dist], "tls-forced").status, "human");
    const allowAll = res("aws:cloudfront/distribution:Distribution", {
      defaultCacheBehavior: { viewerProtocolPolicy: "allow-all" },
    });
    assert.equal(item([allowAll], "tls-forced").status, "fail");
    const map = res("gcp:compute/uRLMap:URLMap", {}, "m");
    const redirectMap = res(
      "gcp:compute/uRLMap:URLMap",
      { defaultUrlRedirect: { httpsRedirect: true } },
      "m",
    );
    const proxy = res("gcp:compute/targetHttpProxy:TargetHttpProxy", { urlMap: "m" });
    assert.equal(item([redirectMap, proxy], "tls-forced").status, "pass");
    assert.equal(item([map, proxy], "tls-forced").status, "fail");
  });

  it("dashboards and alarms: both needed, every alarm notifies, a subscriber or a human", () => {
    const dash = res("aws:cloudwatch/dashboard:Dashboard", {});
    const alarm = (actions: string[]) =>
      res("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmActions: actions });
    const sub = res("aws:sns/topicSubscription:TopicSubscription", {
      topic: "arn:aws:sns:r:1:alarms",
      protocol: "email",
    });
    assert.equal(item([dash, alarm(["arn:aws:sns:r:1:alarms"]), sub], "dashboards-alarms").status, "pass");
    assert.equal(item([dash, alarm(["arn:aws:sns:r:1:alarms"])], "dashboards-alarms").status, "human");
    assert.equal(item([dash, alarm([])], "dashboards-alarms").status, "fail");
    assert.equal(item([alarm(["arn:aws:sns:r:1:alarms"]), sub], "dashboards-alarms").status, "fail");
    const gdash = res("gcp:monitoring/dashboard:Dashboard", {});
    const policy = res("gcp:monitoring/alertPolicy:AlertPolicy", {
      notificationChannels: ["projects/p/notificationChannels/1"],
    });
    const channel = res("gcp:monitoring/notificationChannel:NotificationChannel", { type: "email" });
    assert.equal(item([gdash, policy, channel], "dashboards-alarms").status, "pass");
  });

  it("backups, PITR and deletion protection on RDS and Cloud SQL; no database needs a human", () => {
    const rds = (retention: number, protect: boolean) =>
      res("aws:rds/instance:Instance", { backupRetentionPeriod: retention, deletionProtection: protect });
    assert.equal(item([rds(7, true)], "backups-pitr").status, "pass");
    assert.match(
      item([rds(7, true)], "backups-pitr").why,
      /no restore testing plan: a restore test is still a human's job/,
    );
    const restoreTest = res("aws:backup/restoreTestingPlan:RestoreTestingPlan", {}, "weekly-restore");
    const tested = item([rds(7, true), restoreTest], "backups-pitr");
    assert.equal(tested.status, "pass");
    assert.match(tested.why, /restore testing plan .*restore-test\.md/);
    assert.equal(tested.resources.length, 2);
    assert.equal(item([rds(0, true)], "backups-pitr").status, "fail");
    assert.equal(item([rds(7, true)], "deletion-protection").status, "pass");
    assert.equal(item([rds(7, false)], "deletion-protection").status, "fail");
    const sql = (pitr: boolean, protect: boolean) =>
      res("gcp:sql/databaseInstance:DatabaseInstance", {
        deletionProtection: protect,
        settings: {
          backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: pitr },
          deletionProtectionEnabled: protect,
        },
      });
    assert.equal(item([sql(true, true)], "backups-pitr").status, "pass");
    assert.equal(item([sql(false, true)], "backups-pitr").status, "fail");
    assert.equal(item([sql(true, false)], "deletion-protection").status, "fail");
    const unknown = res("aws:rds/instance:Instance", {
      backupRetentionPeriod: SIG.unknown,
      deletionProtection: true,
    });
    assert.equal(item([unknown], "backups-pitr").status, "human");
    assert.equal(item([], "deletion-protection").status, "human");
  });

  it("images: digests pass, tags fail, unknown images need a human", () => {
    assert.equal(item([task([])], "image-pinned").status, "pass");
    assert.equal(item([task([], "nginx:1.27")], "image-pinned").status, "fail");
    assert.equal(item([cloudRun([], SIG.unknown)], "image-pinned").status, "human");
    assert.equal(
      item([cloudRun([], "us-docker.pkg.dev/cloudrun/container/hello")], "image-pinned").status,
      "fail",
    );
  });

  it("WAF: on CloudFront and every public ALB or GCP backend; an ALB behind CloudFront needs a human", () => {
    const lb = res("aws:lb/loadBalancer:LoadBalancer", {
      arn: "arn:lb",
      internal: false,
      loadBalancerType: "application",
    });
    const assoc = res("aws:wafv2/webAclAssociation:WebAclAssociation", { resourceArn: "arn:lb" });
    const dist = (acl?: string) =>
      res("aws:cloudfront/distribution:Distribution", acl ? { webAclId: acl } : {});
    assert.equal(item([lb, assoc, dist("arn:acl")], "waf").status, "pass");
    assert.equal(item([lb, dist("arn:acl")], "waf").status, "human");
    assert.equal(item([lb], "waf").status, "fail");
    assert.equal(item([dist()], "waf").status, "fail");
    const backend = (policy?: string) =>
      res("gcp:compute/backendService:BackendService", policy ? { securityPolicy: policy } : {});
    assert.equal(item([backend("armor")], "waf").status, "pass");
    assert.equal(item([backend()], "waf").status, "fail");
    assert.equal(item([], "waf").status, "human");
  });
});
