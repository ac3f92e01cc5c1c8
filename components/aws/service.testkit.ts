/**
 * What the AWS service's component suites share (service, loadBalancer, taskDefinition and serviceIam
 * `*.mock.test.ts`): the type tokens of its children, the test values, the prod-like and dev-like args, a
 * `build` that registers a `Service` under the offline runtime and indexes its children, and the IAM and
 * security-group assertions. Not a test file itself: each suite calls {@link serviceSuite} once at top level.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- test fixture: captured inputs are loose JSON, as in *.test.ts */
import { strict as assert } from "node:assert";
import { CapturedResource, componentSuite, inputsOf, TEST_TAGS } from "../../infra/offline/testing";
import { UNSCOPABLE_ACTIONS } from "./iam";
import type * as ServiceModule from "./service";

export const T = {
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
export const UNTAGGABLE = new Set<string>([
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

export const TAGS = TEST_TAGS;
export const ACCOUNT = "123456789012";
export const DIGEST = `sha256:${"ab".repeat(32)}`;
export const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/meridian-api@${DIGEST}`;
export const REPO_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/meridian-api`;
export const DB_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:meridian/db-url-AbCdEf`;
export const REDIS_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:meridian/redis-XyZ123`;
export const ZONE = "Z0123456789ABCDEFGHIJ";

export type Args = Partial<ServiceModule.ServiceArgs>;
export const BASE: ServiceModule.ServiceArgs = {
  vpcId: "vpc-0123456789abcdef0",
  publicSubnetIds: ["subnet-0pub0000000000a", "subnet-0pub0000000000b"],
  privateSubnetIds: ["subnet-0prv0000000000a", "subnet-0prv0000000000b"],
  image: IMAGE,
  tags: TAGS,
};

/** Internet ingress with a domain and a Route 53 zone, Spot with an on-demand base, the collector (prod-like). */
export const PROD_LIKE: Args = {
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
};

/** CloudFront-only ingress without a domain, Spot, a public image by tag (dev-like). */
export const DEV_LIKE: Args = { spot: true, image: "public.ecr.aws/example/meridian-api:1.4.2" };

/**
 * Starts the offline runtime for this test file (a root `before` hook) and returns `build`, which registers
 * a `Service` named `name` with `BASE` and `args`, and captures its children.
 */
export function serviceSuite() {
  const suite = componentSuite({ load: () => import("./service") });
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
  return { suite, build };
}
export type Built = Awaited<ReturnType<ReturnType<typeof serviceSuite>["build"]>>;

export type Doc = { Statement: Record<string, any>[] };
export const policyOf = (json: string) => JSON.parse(json) as Doc;
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
export const bySid = (doc: Doc, sid: string) => {
  const st = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(st, `no statement ${sid}: ${JSON.stringify(doc)}`);
  return st;
};

/** Every inline policy: explicit actions only; Resource "*" only with actions AWS cannot scope. */
export function assertLeastPrivilege(policies: CapturedResource[]): void {
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

/** A security-group rule as one comparable object. */
export function ruleSummary(r: CapturedResource) {
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
