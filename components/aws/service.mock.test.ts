import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
  CapturedResource,
  componentSuite,
  inputsOf,
  promiseOf,
  TEST_TAGS,
} from "../../infra/offline/testing";
import { UNSCOPABLE_ACTIONS } from "./iam";
import type * as ServiceModule from "./service";

const T = {
  cluster: "aws:ecs/cluster:Cluster",
  capacity: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  rule: "aws:lb/listenerRule:ListenerRule",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  cert: "aws:acm/certificate:Certificate",
  certValidation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  password: "random:index/randomPassword:RandomPassword",
} as const;

/** Types that take no tags in the AWS API (or in the provider). */
const UNTAGGABLE = new Set<string>([
  T.rolePolicy,
  T.capacity,
  T.bucketPolicy,
  T.pab,
  T.sse,
  T.versioning,
  T.lifecycle,
  T.ownership,
  T.certValidation,
  T.record,
  T.scalingPolicy,
  T.secretVersion,
  T.password,
]);

const TAGS = TEST_TAGS;
const ACCOUNT = "123456789012";
const DIGEST = `sha256:${"ab".repeat(32)}`;
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/meridian-api@${DIGEST}`;
const REPO_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/meridian-api`;
const DB_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:meridian/db-url-AbCdEf`;
const REDIS_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:meridian/redis-XyZ123`;
const ZONE = "Z0123456789ABCDEFGHIJ";

const suite = componentSuite({ load: () => import("./service") });

type Args = Partial<ServiceModule.ServiceArgs>;
const BASE: ServiceModule.ServiceArgs = {
  vpcId: "vpc-0123456789abcdef0",
  publicSubnetIds: ["subnet-0pub0000000000a", "subnet-0pub0000000000b"],
  privateSubnetIds: ["subnet-0prv0000000000a", "subnet-0prv0000000000b"],
  image: IMAGE,
  tags: TAGS,
};

async function build(name: string, args: Args = {}) {
  const c = await suite.capture(new suite.mod.Service(name, { ...BASE, ...args }));
  const { children } = c;
  /** The child named `<component>-<suffix>`. */
  const byName = (suffix: string): CapturedResource => c.byName(`${name}-${suffix}`);
  const has = (suffix: string) => children.some((c) => c.name === `${name}-${suffix}`);
  const containers = (suffix = "task") =>
    JSON.parse(inputsOf(byName(suffix)).containerDefinitions) as Record<string, any>[];
  const policy = (suffix: string) => policyOf(inputsOf(byName(suffix)).policy);
  return { ...c, svc: c.component, byName, has, containers, policy };
}
type Built = Awaited<ReturnType<typeof build>>;

type Doc = { Statement: Record<string, any>[] };
const policyOf = (json: string) => JSON.parse(json) as Doc;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const bySid = (doc: Doc, sid: string) => {
  const st = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(st, `no statement ${sid}: ${JSON.stringify(doc)}`);
  return st;
};

/** Every inline policy: explicit actions only; Resource "*" only with actions AWS cannot scope. */
function assertLeastPrivilege(policies: CapturedResource[]): void {
  assert.ok(policies.length > 0);
  for (const p of policies) {
    for (const st of policyOf(inputsOf(p).policy).Statement) {
      const actions = asList(st.Action) as string[];
      for (const a of actions) {
        assert.match(a, /^[a-z0-9-]+:[A-Za-z0-9]+$/, `${p.name}: wildcard or malformed action ${a}`);
      }
      if (asList(st.Resource).includes("*")) {
        for (const a of actions) {
          assert.ok(UNSCOPABLE_ACTIONS.includes(a), `${p.name}: Resource "*" with scopable action ${a}`);
        }
      }
      assert.equal(st.NotAction, undefined);
      assert.equal(st.NotResource, undefined);
    }
  }
}

function ruleSummary(r: CapturedResource) {
  const i = inputsOf(r);
  return {
    sg: i.securityGroupId,
    port: [i.fromPort, i.toPort],
    proto: i.ipProtocol,
    cidr: i.cidrIpv4,
    ref: i.referencedSecurityGroupId,
    pl: i.prefixListId,
  };
}

describe("aws Service (mocks)", () => {
  describe("internet ingress with a domain and a Route 53 zone (prod-like)", () => {
    let b: Built;
    const name = "api-prod";
    before(async () => {
      b = await build(name, {
        requireDigest: true,
        repositoryArn: REPO_ARN,
        cpu: 1024,
        memoryMiB: 2048,
        minInstances: 2,
        maxInstances: 10,
        spot: true,
        requireOnDemandBase: true,
        environment: { NODE_ENV: "production", CORS_ORIGINS: "https://app.example.com" },
        secrets: { DATABASE_URL: DB_SECRET, REDIS_URL: `${REDIS_SECRET}:url::` },
        otelCollector: true,
        domain: "api.example.com",
        hostedZoneId: ZONE,
        deletionProtection: true,
      });
    });

    it("runs the task definition on Fargate linux/amd64, awsvpc, with the requested size and distinct roles", () => {
      const td = inputsOf(b.byName("task"));
      assert.deepEqual(td.requiresCompatibilities, ["FARGATE"]);
      assert.equal(td.networkMode, "awsvpc");
      assert.deepEqual(td.runtimePlatform, { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" });
      assert.equal(td.cpu, "1024");
      assert.equal(td.memory, "2048");
      const task = b.byName("task-role");
      const exec = b.byName("execution-role");
      assert.equal(td.taskRoleArn, task.outputs.arn);
      assert.equal(td.executionRoleArn, exec.outputs.arn);
      assert.notEqual(td.taskRoleArn, td.executionRoleArn, "task role and execution role are distinct");
      assert.deepEqual(td.volumes, [{ name: "tmp" }]);
    });

    it("hardens the app container: non-root, read-only root fs with a writable /tmp, no privileges, ALL dropped", () => {
      for (const c of b.containers()) {
        assert.notEqual(c.user, undefined, `${c.name} has no user`);
        assert.ok(!/^(0|root)(:|$)/.test(c.user), `${c.name} runs as root`);
        assert.equal(c.readonlyRootFilesystem, true, `${c.name} root fs`);
        assert.equal(c.privileged, false, `${c.name} privileged`);
        assert.deepEqual(c.linuxParameters.capabilities.drop, ["ALL"]);
        assert.equal(c.linuxParameters.capabilities.add, undefined);
        assert.equal(c.logConfiguration.logDriver, "awslogs");
        assert.equal(c.logConfiguration.options["awslogs-group"], `/meridian/${name}/service`);
        assert.equal(c.logConfiguration.options["awslogs-region"], "us-east-1");
      }
      const app = b.containers()[0];
      assert.equal(app.name, "api");
      assert.equal(app.image, IMAGE);
      assert.equal(app.user, "1000:1000");
      assert.deepEqual(app.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
      assert.deepEqual(app.portMappings, [{ containerPort: 8080, protocol: "tcp", name: "http" }]);
      assert.equal(app.stopTimeout, 30);
      assert.equal(app.essential, true);
      assert.match(app.healthCheck.command.join(" "), /http:\/\/127\.0\.0\.1:8080\/health\/live/);
    });

    it("injects secrets by reference (valueFrom) and never as plain environment values", () => {
      const app = b.containers()[0];
      assert.deepEqual(app.secrets, [
        { name: "DATABASE_URL", valueFrom: DB_SECRET },
        { name: "REDIS_URL", valueFrom: `${REDIS_SECRET}:url::` },
      ]);
      const env = Object.fromEntries(app.environment.map((e: any) => [e.name, e.value]));
      assert.deepEqual(env, {
        CORS_ORIGINS: "https://app.example.com",
        NODE_ENV: "production",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
        PORT: "8080",
      });
      const raw = inputsOf(b.byName("task")).containerDefinitions as string;
      for (const v of Object.values(env)) assert.ok(!/secret:/.test(v as string));
      assert.ok(!raw.includes('"DATABASE_URL","value"'));
    });

    it("runs the ADOT collector sidecar (pinned image) and orders the app after it", () => {
      const [app, otel] = b.containers();
      assert.equal(otel.name, "otel-collector");
      assert.match(otel.image, /^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/);
      assert.equal(otel.essential, false);
      const cfg = JSON.parse(otel.environment.find((e: any) => e.name === "AOT_CONFIG_CONTENT").value);
      assert.deepEqual(cfg.service.pipelines.traces.exporters, ["awsxray"]);
      assert.deepEqual(cfg.service.pipelines.metrics.exporters, ["awsemf"]);
      assert.equal(cfg.exporters.awsemf.namespace, "Meridian/Otel");
      assert.equal(cfg.receivers.otlp.protocols.http.endpoint, "127.0.0.1:4318");
      assert.deepEqual(app.dependsOn, [{ containerName: "otel-collector", condition: "START" }]);
    });

    it("execution role: own log group, exactly its repository, exactly the referenced secret ARNs", () => {
      const doc = b.policy("execution-role-policy");
      const lg = b.byName("logs").outputs.arn as string;
      assert.deepEqual(bySid(doc, "WriteOwnLogGroup").Resource, [lg, `${lg}:log-stream:*`]);
      assert.deepEqual(bySid(doc, "PullFromRepository"), {
        Sid: "PullFromRepository",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: REPO_ARN,
      });
      assert.deepEqual(bySid(doc, "RegistryLogin").Action, "ecr:GetAuthorizationToken");
      assert.equal(bySid(doc, "RegistryLogin").Resource, "*");
      const read = bySid(doc, "ReadReferencedSecrets");
      assert.equal(read.Action, "secretsmanager:GetSecretValue");
      assert.deepEqual(read.Resource, [DB_SECRET, REDIS_SECRET], "the ARNs without the :jsonKey:: suffix");
      assert.equal(doc.Statement.length, 4);
    });

    it("task role: X-Ray and PutMetricData (namespace-scoped) for the collector, nothing else", () => {
      const doc = b.policy("task-role-policy");
      const xray = bySid(doc, "XRayIngestAndSampling");
      assert.deepEqual([...xray.Action].sort(), [
        "xray:GetSamplingRules",
        "xray:GetSamplingStatisticSummaries",
        "xray:GetSamplingTargets",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
      ]);
      const metrics = bySid(doc, "PutMetricsInOwnNamespace");
      assert.equal(metrics.Action, "cloudwatch:PutMetricData");
      assert.deepEqual(metrics.Condition, { StringEquals: { "cloudwatch:namespace": "Meridian/Otel" } });
      const lg = b.byName("logs").outputs.arn as string;
      assert.deepEqual(bySid(doc, "EmfMetricsToOwnLogGroup").Resource, [lg, `${lg}:log-stream:*`]);
      assert.equal(doc.Statement.length, 3);
      assert.ok(!JSON.stringify(doc).includes("secretsmanager"), "the app role cannot read secrets");
    });

    it("both roles trust only ECS tasks of this account", () => {
      for (const r of ["task-role", "execution-role"]) {
        const st = policyOf(inputsOf(b.byName(r)).assumeRolePolicy).Statement[0];
        assert.deepEqual(st.Principal, { Service: "ecs-tasks.amazonaws.com" });
        assert.equal(st.Condition.StringEquals["aws:SourceAccount"], ACCOUNT);
        assert.equal(st.Condition.ArnLike["aws:SourceArn"], `arn:aws:ecs:us-east-1:${ACCOUNT}:*`);
      }
    });

    it("no IAM statement has a wildcard action; Resource * only with unscopable actions", () => {
      assertLeastPrivilege(b.all(T.rolePolicy));
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

    it("adds a migrate task definition: same image, roles, secrets and logs, the migrate command", () => {
      const td = inputsOf(b.byName("migrate-task"));
      const main = inputsOf(b.byName("task"));
      assert.equal(td.taskRoleArn, main.taskRoleArn);
      assert.equal(td.executionRoleArn, main.executionRoleArn);
      const [c, ...rest] = b.containers("migrate-task");
      assert.deepEqual(rest, [], "no sidecar in the one-off task");
      assert.deepEqual(c.command, ["node", "dist/cli.js", "migrate"]);
      assert.equal(c.image, IMAGE);
      assert.deepEqual(c.secrets, b.containers()[0].secrets);
      assert.equal(c.readonlyRootFilesystem, true);
      assert.equal(c.logConfiguration.options["awslogs-group"], `/meridian/${name}/service`);
      assert.equal(c.logConfiguration.options["awslogs-stream-prefix"], "migrate");
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
      b = await build(name, { spot: true, image: "public.ecr.aws/example/meridian-api:1.4.2" });
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

    it("posture and outputs say cloudfront-only", async () => {
      assert.deepEqual(b.svc.posture.publicEndpoints, [
        { name: "api-dev-alb", kind: "alb", tls: "cloudfront-only", waf: false },
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

    it("task policy statements and ECS Exec go to the task role only", async () => {
      const bucketArn = "arn:aws:s3:::meridian-uploads";
      const b = await build("api-perm", {
        taskPolicyStatements: [{ actions: ["s3:GetObject", "s3:PutObject"], resources: [`${bucketArn}/*`] }],
        enableExecuteCommand: true,
      });
      const task = b.policy("task-role-policy");
      assert.deepEqual(task.Statement[0].Action, ["s3:GetObject", "s3:PutObject"]);
      assert.equal(task.Statement[0].Resource, `${bucketArn}/*`);
      assert.deepEqual(asList(bySid(task, "EcsExecChannels").Action).length, 4);
      assert.ok(!JSON.stringify(b.policy("execution-role-policy")).includes("s3:"));
      assert.equal(inputsOf(b.one(T.service)).enableExecuteCommand, true);
      assertLeastPrivilege(b.all(T.rolePolicy));
    });

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

    it("a digest-pinned collector image replaces the default tag", async () => {
      const image = `public.ecr.aws/aws-observability/aws-otel-collector@${DIGEST}`;
      const b = await build("api-otel", {
        otelCollector: true,
        requireDigest: true,
        otelCollectorImage: image,
      });
      assert.equal(b.containers()[1].image, image);
    });

    it("an Output image is accepted and checked when it resolves", async () => {
      const b = await build("api-out", {
        image: pulumi.output(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/meridian-api:bootstrap`),
        minInstances: 0,
        maxInstances: 0,
      });
      assert.equal(
        b.containers()[0].image,
        `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/meridian-api:bootstrap`,
      );
      assert.equal(inputsOf(b.one(T.service)).desiredCount, 0);
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

  describe("pure helpers", () => {
    it("secretResourceArn strips the :jsonKey:stage:version suffix", () => {
      assert.equal(suite.mod.secretResourceArn(`${REDIS_SECRET}:url::`), REDIS_SECRET);
      assert.equal(suite.mod.secretResourceArn(DB_SECRET), DB_SECRET);
    });
    it("capacityStrategy", () => {
      assert.deepEqual(suite.mod.capacityStrategy(false, true), [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
      ]);
    });
  });
});
