// The AWS Service component: the ECS service, cluster and capacity, autoscaling, log group, tags, outputs and
// posture, transforms, and validation of its args (service.ts, ecsCluster.ts, autoscaling.ts, serviceSettings.ts).
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf, promiseOf } from "../../infra/offline/testing";
import {
  Args,
  assertLeastPrivilege,
  BASE,
  Built,
  DB_SECRET,
  DEV_LIKE,
  PROD_LIKE,
  REDIS_SECRET,
  serviceSuite,
  T,
  TAGS,
  UNTAGGABLE,
  ZONE,
} from "./service.testkit";

const { suite, build } = serviceSuite();

describe("aws Service (mocks)", () => {
  describe("internet ingress with a domain and a Route 53 zone (prod-like)", () => {
    let b: Built;
    const name = "api-prod";
    before(async () => {
      b = await build(name, PROD_LIKE);
    });

    it("runs the service in the private subnets, no public IP, circuit breaker with rollback, steady state", () => {
      const s = inputsOf(b.one(T.service));
      assert.deepEqual(s.networkConfiguration, {
        subnets: BASE.privateSubnetIds,
        securityGroups: [b.byName("task-sg").id],
        assignPublicIp: false,
      });
      assert.deepEqual(s.deploymentCircuitBreaker, { enable: true, rollback: true });
      assert.equal(s.waitForSteadyState, true);
      assert.equal(s.deploymentMinimumHealthyPercent, 100);
      assert.equal(s.deploymentMaximumPercent, 200);
      assert.equal(s.healthCheckGracePeriodSeconds, 60);
      assert.equal(s.enableExecuteCommand, false);
      assert.equal(s.propagateTags, "SERVICE");
      assert.equal(s.desiredCount, 2);
      assert.equal(s.launchType, undefined, "capacity providers, not a launch type");
      assert.equal(s.taskDefinition, b.byName("task").outputs.arn);
      assert.equal(s.cluster, b.one(T.cluster).outputs.arn);
      assert.deepEqual(s.loadBalancers, [
        { targetGroupArn: b.one(T.tg).outputs.arn, containerName: "api", containerPort: 8080 },
      ]);
      assert.deepEqual(b.one(T.service).options.ignoreChanges, ["desiredCount"]);
      for (const dep of [b.byName("https"), b.byName("http"), b.one(T.capacity)]) {
        assert.ok(b.one(T.service).dependencies.includes(dep.urn), `service waits for ${dep.name}`);
      }
    });

    it("spot with an on-demand base: FARGATE base 1, the rest on FARGATE_SPOT", () => {
      const expected = [
        { capacityProvider: "FARGATE", base: 1, weight: 0 },
        { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
      ];
      assert.deepEqual(inputsOf(b.one(T.service)).capacityProviderStrategies, expected);
      const cp = inputsOf(b.one(T.capacity));
      assert.deepEqual(cp.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
      assert.deepEqual(cp.defaultCapacityProviderStrategies, expected);
      assert.deepEqual(inputsOf(b.one(T.cluster)).settings, [
        { name: "containerInsights", value: "enhanced" },
      ]);
    });

    it("autoscales between min and max on CPU and on ALB requests per target", () => {
      const t = inputsOf(b.one(T.scalingTarget));
      assert.equal(t.minCapacity, 2);
      assert.equal(t.maxCapacity, 10);
      assert.equal(t.scalableDimension, "ecs:service:DesiredCount");
      assert.equal(t.resourceId, `service/${b.one(T.cluster).outputs.name}/${b.one(T.service).outputs.name}`);
      const specs = b
        .all(T.scalingPolicy)
        .map((p) => inputsOf(p).targetTrackingScalingPolicyConfiguration)
        .sort((x, y) => x.targetValue - y.targetValue);
      assert.deepEqual(specs[0].predefinedMetricSpecification, {
        predefinedMetricType: "ECSServiceAverageCPUUtilization",
      });
      assert.equal(specs[0].targetValue, 60);
      assert.deepEqual(specs[1].predefinedMetricSpecification, {
        predefinedMetricType: "ALBRequestCountPerTarget",
        resourceLabel: `${b.one(T.lb).outputs.arnSuffix}/${b.one(T.tg).outputs.arnSuffix}`,
      });
      assert.match(
        specs[1].predefinedMetricSpecification.resourceLabel,
        /^app\/[^/]+\/[0-9a-f]+\/targetgroup\//,
      );
    });

    it("keeps its own log group with the default 30 days", () => {
      const lg = inputsOf(b.byName("logs"));
      assert.equal(lg.name, `/meridian/${name}/service`);
      assert.equal(lg.retentionInDays, 30);
    });

    it("tags every taggable resource and parents every child to the component", () => {
      for (const r of b.children.filter((c) => c.custom)) {
        assert.equal(r.parent, b.urn, `${r.name} is not a direct child`);
        const tags = inputsOf(r).tags;
        if (UNTAGGABLE.has(r.type)) continue;
        assert.ok(tags, `${r.name} (${r.type}) has no tags`);
        for (const [k, v] of Object.entries(TAGS)) assert.equal(tags[k], v, `${r.name} tag ${k}`);
        assert.equal(tags.Name, r.name);
      }
    });

    it("exposes the outputs, identities and posture", async () => {
      const s = b.svc;
      assert.equal(await promiseOf(s.url), "https://api.example.com");
      assert.equal(await promiseOf(s.albDnsName), b.one(T.lb).outputs.dnsName);
      assert.equal(await promiseOf(s.albArnSuffix), b.one(T.lb).outputs.arnSuffix);
      assert.equal(await promiseOf(s.targetGroupArnSuffix), b.one(T.tg).outputs.arnSuffix);
      assert.equal(await promiseOf(s.taskSecurityGroupId), b.byName("task-sg").id);
      assert.equal(await promiseOf(s.albSecurityGroupId), b.byName("alb-sg").id);
      assert.equal(await promiseOf(s.clusterName), b.one(T.cluster).outputs.name);
      assert.equal(await promiseOf(s.taskDefinitionFamily), "api-prod");
      assert.equal(await promiseOf(s.migrateTaskDefinitionArn), b.byName("migrate-task").outputs.arn);
      assert.equal(await promiseOf(s.logGroupName), "/meridian/api-prod/service");
      assert.equal(await promiseOf(s.certificateArn!), b.one(T.cert).outputs.arn);
      assert.equal(s.originVerifyHeader, undefined);
      assert.equal(s.originProtocolPolicy, "https-only");
      assert.deepEqual(s.posture.publicEndpoints, [
        { name: "api-prod-alb", kind: "alb", tls: "ELBSecurityPolicy-TLS13-1-2-2021-06", waf: false },
      ]);
      assert.equal(s.posture.logRetentionDays["/meridian/api-prod/service"], 30);
      const ids = await promiseOf(pulumi.output(s.identities));
      assert.equal(ids.length, 2);
      assert.ok(ids[0].permissions.includes(`secretsmanager:GetSecretValue on ${DB_SECRET}`));
      const registered = suite.session.byUrn(b.urn)!.outputs;
      for (const k of ["url", "taskSecurityGroupId", "clusterArn", "identities", "posture"]) {
        assert.ok(k in registered, `registerOutputs lacks ${k}`);
      }
    });
  });

  describe("CloudFront-only ingress without a domain (dev-like)", () => {
    let b: Built;
    const name = "api-dev";
    before(async () => {
      b = await build(name, DEV_LIKE);
    });

    it("posture and outputs say http (the ALB listens on plain HTTP, admitted only from CloudFront)", async () => {
      assert.deepEqual(b.svc.posture.publicEndpoints, [
        { name: "api-dev-alb", kind: "alb", tls: "http", waf: false },
      ]);
      assert.equal(b.svc.originProtocolPolicy, "http-only");
      assert.equal(await promiseOf(b.svc.url), `http://${b.one(T.lb).outputs.dnsName}`);
      assert.equal(b.svc.certificateArn, undefined);
    });

    it("spot without an on-demand base, no ECR or secret permissions without a repository or secrets", () => {
      assert.deepEqual(inputsOf(b.one(T.service)).capacityProviderStrategies, [
        { capacityProvider: "FARGATE", base: 0, weight: 0 },
        { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
      ]);
      const doc = b.policy("execution-role-policy");
      assert.deepEqual(
        doc.Statement.map((s) => s.Sid),
        ["WriteOwnLogGroup"],
      );
      assert.ok(!b.has("task-role-policy"), "the task role has no permissions by default");
      assert.ok(b.has("task-role"));
      assertLeastPrivilege(b.all(T.rolePolicy));
      assert.equal(b.containers().length, 1, "no sidecar by default");
    });
  });

  describe("other options", () => {
    it("applies transforms in object and function form", async () => {
      const seen: string[] = [];
      const b = await build("api-tf", {
        transform: {
          loadBalancer: { idleTimeout: 120 },
          ingressRule: (_a, _o, n) => {
            seen.push(n);
          },
          service: (args) => {
            args.healthCheckGracePeriodSeconds = 120;
          },
        },
      });
      assert.equal(inputsOf(b.one(T.lb)).idleTimeout, 120);
      assert.equal(inputsOf(b.one(T.lb)).dropInvalidHeaderFields, true, "object form merges");
      assert.equal(inputsOf(b.one(T.service)).healthCheckGracePeriodSeconds, 120);
      assert.deepEqual(seen.sort(), ["api-tf-alb-in-cloudfront", "api-tf-task-in-alb"]);
    });
  });

  describe("validation (synchronous, before any resource)", () => {
    const throwsSync = (args: Args, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Service("api-invalid", { ...BASE, ...args }), pattern);
      assert.equal(suite.session.resources.length, before, "a failed validation registered resources");
    };

    it("privatePaths: path patterns only, at most 5", () => {
      throwsSync(
        { privatePaths: ["metrics"] },
        /privatePaths contains "metrics"; allowed: a path pattern starting with "\/"/,
      );
      throwsSync(
        { privatePaths: ["/a", "/b", "/c", "/d", "/e", "/f"] },
        /privatePaths is .*; allowed: a list of at most 5/,
      );
    });

    it("image: format, and digest pinning when required", () => {
      throwsSync(
        { image: "Meridian API:latest" },
        /Service "api-invalid": image is "Meridian API:latest"; allowed: an image reference/,
      );
      throwsSync(
        { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian-api:v1", requireDigest: true },
        /image is ".*:v1" but requireDigest is true; allowed: an image pinned by digest/,
      );
    });

    it("otelCollectorImage: format, and digest pinning with requireDigest", () => {
      throwsSync(
        {
          otelCollector: true,
          requireDigest: true,
          otelCollectorImage: "public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0",
        },
        /otelCollectorImage is ".*:v0\.47\.0" but requireDigest is true; allowed: an image pinned by digest/,
      );
      throwsSync(
        { otelCollectorImage: "not an image" },
        /otelCollectorImage is "not an image"; allowed: an image/,
      );
    });

    it("cpu/memory: Fargate combinations only", () => {
      throwsSync({ cpu: 300 }, /cpu is 300; allowed \(Fargate CPU units, 1024 = 1 vCPU\): 256, 512, 1024/);
      throwsSync(
        { cpu: 256, memoryMiB: 4096 },
        /memoryMiB is 4096, which Fargate does not offer with cpu 256; allowed: 512 to 2048/,
      );
      throwsSync(
        { cpu: 1024, memoryMiB: 1024 },
        /memoryMiB is 1024.*cpu 1024; allowed: 2048 to 8192 in steps of 1024/,
      );
    });

    it("min/max instances", () => {
      throwsSync(
        { minInstances: 3, maxInstances: 2 },
        /minInstances \(3\) is greater than maxInstances \(2\); allowed: minInstances <= maxInstances/,
      );
      throwsSync({ minInstances: 1.5 }, /minInstances is 1\.5; allowed: an integer from 0 to 1000/);
    });

    it("environment: secret-looking names point to secrets", () => {
      for (const k of ["DB_PASSWORD", "JWT_SECRET", "GITHUB_TOKEN", "STRIPE_API_KEY"]) {
        throwsSync(
          { environment: { [k]: "x" } },
          new RegExp(
            `environment\\.${k} looks like a secret .*pass its ARN in secrets: \\{ ${k}: <secret ARN> \\}`,
          ),
        );
      }
      throwsSync({ environment: { PORT: "9000" } }, /environment\.PORT is set by the component/);
      throwsSync(
        { environment: { "BAD-NAME": "x" } },
        /environment has the name "BAD-NAME"; allowed: letters/,
      );
    });

    it("secrets: Secrets Manager ARNs only, not also in environment", () => {
      throwsSync(
        { secrets: { DATABASE_URL: "postgres://user:pw@host/db" } },
        /secrets\.DATABASE_URL is "postgres:\/\/user:pw@host\/db"; allowed: a Secrets Manager secret ARN/,
      );
      throwsSync(
        { environment: { REDIS_URL: "redis://x" }, secrets: { REDIS_URL: REDIS_SECRET } },
        /REDIS_URL is in both environment and secrets/,
      );
    });

    it('ingress "internet" without a domain explains why', () => {
      throwsSync(
        { ingress: "internet" },
        /ingress is "internet" but domain is not set; without a domain there is no certificate.*ingress: "cloudfront"/,
      );
      throwsSync({ ingress: "public" as never }, /ingress is "public"; allowed: "internet", "cloudfront"/);
      throwsSync({ hostedZoneId: ZONE }, /hostedZoneId is set but domain is not/);
      throwsSync(
        { domain: "API.example.com" },
        /domain is "API\.example\.com"; allowed: a lowercase DNS name/,
      );
    });

    it("other options name the arg, the value and what is allowed", () => {
      throwsSync({ logRetentionDays: 45 }, /logRetentionDays is 45; allowed \(CloudWatch Logs\): 1, 3, 5/);
      throwsSync({ containerPort: 80 }, /containerPort is 80; allowed: an integer from 1024 to 65535/);
      throwsSync(
        { healthCheckPath: "health" },
        /healthCheckPath is "health"; allowed: a URL path starting with "\/"/,
      );
      throwsSync({ stopTimeoutSeconds: 300 }, /stopTimeoutSeconds is 300; allowed: an integer from 2 to 120/);
      throwsSync(
        { taskPolicyStatements: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::b/*"] }] },
        /taskPolicyStatements\[0\]: action "s3:\*" is not allowed/,
      );
      throwsSync(
        { taskPolicyStatements: [{ actions: ["s3:GetObject"], resources: ["*"] }] },
        /Resource "\*" is only allowed for actions AWS cannot scope/,
      );
      throwsSync(
        { taskEgress: [{ description: "db", port: 5432 }] },
        /taskEgress\[0\] has 0 destinations; allowed: exactly one of/,
      );
      throwsSync({ tags: undefined as never }, /tags is undefined; allowed: a map of strings/);
    });
  });
});
