/**
 * Issue #10 section 3, rules that judge real-world code correctly: the field cases' kinds (f05 classic ELB
 * exemption, f17 dashboard widget forms, f19b RDS engine versions, f21 secret names and values) and their
 * neighbours; Kubernetes effective securityContext and the privilege-escalation split; S3 versioning in
 * every spelling; ElastiCache at rest and AUTH on every resource type.
 */
import { strict as assert } from "node:assert";
import { secretReason } from "../lib/secrets";
import { rdsFamilyFor, rdsVersionProblem } from "../lib/rdsVersions";
import { analyze, analyzeStack, Diag, secret, StackInput } from "./harness";

const only = (ds: Diag[], policy: string) => ds.filter((d) => d.policy === policy);
const TD = "aws:ecs/taskDefinition:TaskDefinition";

describe("secret detection: names by tokens, values by shape", () => {
  // [name, value, is it a secret]
  const table: [string, string, boolean][] = [
    ["REGISTRY_API_TOKEN", "rt_live_3f9c2a7b1e", true],
    ["FEDERATION_ENCRYPTION_KEY", "yJ3kq0S7c1mA9vX2bR8tL5nW4pE6hZ0uQ1fG3dK7sM8=", true],
    ["DB_PASSWORD", "hunter2", true],
    ["dbPassword", "hunter2hunter2", true],
    ["STRIPE_KEY", "whsec_abc123def456", true],
    ["JWT_SIGNING_KEY", "change-me-please", true],
    ["API_KEY", "abc123", true],
    ["OPENAI_APIKEY", "k-1234567890", true],
    ["SESSION_SECRET", "s3cr3t-value", true],
    ["REDIS_AUTH", "p4ssw0rd-value", true],
    // secretlint-disable-next-line -- a made-up credential: this test is about it
    ["DATABASE_URL", "postgres://app:Sup3rS3cret@db.internal:5432/app", true],
    ["WEBHOOK_URL", "https://hooks.example.com/in?token=abcdef123456", true],
    ["GITHUB", "ghp_" + "a1B2c3D4e5".repeat(4), true],
    ["SIGNING_MATERIAL", "Zx8Kq2Lm9Pw4Rt7Yb3Nc6Vd1Hs5Jg0Fa", true], // neutral name, random value
    ["DB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-db-AbCdEf", false],
    ["OAUTH_CALLBACK_URL", "https://registry.example.org/oauth/callback", false],
    ["TOKEN_TTL_SECONDS", "3600", false],
    ["ELASTIC_CLOUD_ID", "search:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyQ=", false],
    ["AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", false],
    ["JWT_PUBLIC_KEY_URL", "https://auth.example.org/.well-known/jwks.json", false],
    ["PASSWORD_MIN_LENGTH", "12", false],
    ["SECRET_NAME", "prod/registry/db", false],
    ["TOKEN_ENDPOINT", "https://auth.example.org/token", false],
    ["AUTH_ENABLED", "true", false],
    ["DB_PASSWORD_FILE", "/run/secrets/db", false],
    ["PARTITION_KEY", "tenant_id", false],
    ["KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/0000", false],
    ["GIT_SHA", "3f9c2a7b1e3f9c2a7b1e3f9c2a7b1e3f9c2a7b1e", false],
    ["LOG_LEVEL", "info", false],
    ["PUBLIC_URL", "https://registry.example.org", false],
    ["API_SECRET_PARAM", "/prod/api/secret", false],
    // Glued and short spellings real programs use (found by a reviewer): PGPASSWORD, DB_PASS.
    ["PGPASSWORD", "changeme", true],
    ["DB_PASS", "letmein123", true],
    ["GITHUBTOKEN", "abc", true],
    ["MYAPISECRET", "abc", true],
    ["PASSWORDLESS_LOGIN", "true", false],
    ["PGPASSWORD_FILE", "/run/secrets/pg", false],
    ["TOKENIZER_MODEL", "bert-base", false],
    ["PASSPORT_STRATEGY", "jwt", false],
  ];
  for (const [name, value, isSecret] of table) {
    it(`${name}=${value.slice(0, 24)} is ${isSecret ? "" : "not "}a secret`, () => {
      assert.equal(secretReason(name, value) !== undefined, isSecret, secretReason(name, value));
    });
  }

  it("the ECS rule reports the field case f21 exactly (tokens and ENCRYPTION_KEY, not ARN/URL/TTL/ID)", async () => {
    const env = table.slice(0, 2).concat(table.slice(14, 18));
    const ds = only(
      await analyze(TD, {
        containerDefinitions: JSON.stringify([
          { name: "registry", environment: env.map(([name, value]) => ({ name, value })) },
        ]),
      }),
      "aws-ecs-no-plaintext-secrets",
    );
    const named = ds.map((d) => /variable (\S+)/.exec(d.message)?.[1]).sort();
    assert.deepEqual(named, ["FEDERATION_ENCRYPTION_KEY", "REGISTRY_API_TOKEN"]);
  });

  it("a secret-wrapped value is judged like a plain one", async () => {
    const ds = await analyze(TD, {
      containerDefinitions: secret(
        JSON.stringify([
          // secretlint-disable-next-line -- a made-up credential: this test is about it
          { name: "a", environment: [{ name: "DATABASE_URL", value: "postgres://u:p4ss@h/db" }] },
        ]),
      ),
    });
    assert.match(only(ds, "aws-ecs-no-plaintext-secrets")[0].message, /DATABASE_URL embeds credentials/);
  });
});

describe("security group exemption for every load balancer type (f05)", () => {
  const sg = (ingress: object[]): StackInput => ({
    type: "aws:ec2/securityGroup:SecurityGroup",
    name: "sg",
    props: { ingress },
  });
  const web = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] };
  for (const lbType of [
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elb/loadBalancer:LoadBalancer",
  ]) {
    it(`${lbType}: 443 is accepted, a 80-443 range and all traffic are not`, async () => {
      const lb = {
        type: lbType,
        name: "lb",
        props: { securityGroups: ["sg-1"] },
        deps: { securityGroups: ["sg"] },
      };
      assert.deepEqual(only(await analyzeStack([sg([web]), lb]), "aws-sg-no-public-ingress"), []);
      const wide = [
        web,
        { ...web, fromPort: 80 },
        { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
      ];
      const ds = only(await analyzeStack([sg(wide), lb]), "aws-sg-no-public-ingress");
      assert.deepEqual(
        ds.map((d) => /ingress\[\d\]/.exec(d.message)?.[0]),
        ["ingress[1]", "ingress[2]"],
      );
    });
  }
  it("without a load balancer, 443 from anywhere is a violation", async () => {
    assert.equal(only(await analyzeStack([sg([web])]), "aws-sg-no-public-ingress").length, 1);
  });
});

describe("dashboard widgets as PutDashboard validates them (f17)", () => {
  const dash = (widgets: object[]) =>
    analyze("aws:cloudwatch/dashboard:Dashboard", { dashboardBody: JSON.stringify({ widgets }) }).then((ds) =>
      only(ds, "aws-dashboard-widgets"),
    );
  const base = { region: "eu-west-1", view: "timeSeries", period: 60 };
  it("accepts metrics arrays, expressions (metric math, Metrics Insights) and alarm annotations", async () => {
    assert.deepEqual(
      await dash([
        { type: "metric", properties: { ...base, metrics: [["AWS/ECS", "CPUUtilization"]] } },
        {
          type: "metric",
          properties: {
            ...base,
            metrics: [[{ expression: 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2")' }]],
          },
        },
        {
          type: "metric",
          properties: { ...base, annotations: { alarms: ["arn:aws:cloudwatch:eu-west-1:1:alarm:x"] } },
        },
        { type: "text", properties: { markdown: "# ok" } },
      ]),
      [],
    );
  });
  it("reports every missing field of each widget, PromQL data.queries included", async () => {
    const ds = await dash([
      { type: "metric", properties: { view: "timeSeries", period: 300 } },
      { type: "metric", properties: { ...base, data: { queries: [{ expr: "up" }] } } },
      { type: "log", properties: { title: "errors" } },
    ]);
    assert.equal(ds.length, 3);
    assert.match(ds[0].message, /widgets\[0\].*lacks metrics, region\./);
    assert.match(ds[1].message, /widgets\[1\].*lacks metrics \(data is not a form CloudWatch accepts/);
    assert.match(ds[2].message, /widgets\[2\].*lacks region, query\./);
  });
});

describe("RDS engine versions from the shared table (f19b)", () => {
  it("refuses deprecated minors of every known major, accepts current ones and bare majors", () => {
    assert.match(rdsVersionProblem("postgres", "16.5") ?? "", /accepts no new instances.*16\.9 or later/);
    assert.match(rdsVersionProblem("postgres", "17.4") ?? "", /17\.5 or later/);
    for (const ok of ["16.11", "16.9", "17.7", "16", "17"])
      assert.equal(rdsVersionProblem("postgres", ok), undefined, ok);
    assert.equal(rdsVersionProblem("mysql", "8.0.28"), undefined, "no verdict without data");
    assert.equal(rdsFamilyFor("aurora-postgresql", "16.6"), "aurora-postgresql16");
  });
  it("reports a parameter group of another family, on instances and Aurora clusters", async () => {
    const inst: StackInput[] = [
      {
        type: "aws:rds/parameterGroup:ParameterGroup",
        name: "pg",
        props: { family: "postgres15", name: "pg" },
      },
      {
        type: "aws:rds/instance:Instance",
        name: "db",
        props: { engine: "postgres", engineVersion: "16.11", parameterGroupName: "pg" },
        deps: { parameterGroupName: ["pg"] },
      },
    ];
    assert.match(
      only(await analyzeStack(inst), "aws-rds-engine-version")[0].message,
      /family postgres15.*needs postgres16/,
    );
    const cluster: StackInput[] = [
      {
        type: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
        name: "cpg",
        props: { family: "aurora-postgresql16", name: "cpg" },
      },
      {
        type: "aws:rds/cluster:Cluster",
        name: "c",
        props: { engine: "aurora-postgresql", engineVersion: "16.6", dbClusterParameterGroupName: "cpg" },
      },
    ];
    assert.deepEqual(only(await analyzeStack(cluster), "aws-rds-engine-version"), []);
  });
});

describe("Kubernetes: effective securityContext and precise rules", () => {
  const dep = "kubernetes:apps/v1:Deployment";
  const workload = (containerSc: object, podSc?: object) => ({
    spec: {
      template: {
        spec: {
          ...(podSc ? { securityContext: podSc } : {}),
          containers: [{ name: "c", image: "r/i@sha256:" + "e".repeat(64), securityContext: containerSc }],
        },
      },
    },
  });
  it("pod-level runAsNonRoot / runAsUser are inherited; a container's value overrides the pod's", async () => {
    const rule = "k8s-run-as-non-root";
    assert.deepEqual(only(await analyze(dep, workload({}, { runAsNonRoot: true })), rule), []);
    assert.deepEqual(only(await analyze(dep, workload({}, { runAsUser: 1000 })), rule), []);
    assert.deepEqual(only(await analyze(dep, workload({ runAsUser: 1001 })), rule), []);
    assert.equal(
      only(await analyze(dep, workload({ runAsNonRoot: false }, { runAsNonRoot: true })), rule).length,
      1,
    );
    assert.match(
      only(await analyze(dep, workload({ runAsUser: 0 }, { runAsNonRoot: true })), rule)[0].message,
      /runAsUser is 0/,
    );
    assert.equal(only(await analyze(dep, workload({})), rule).length, 1);
  });
  it("capability names are case-insensitive", async () => {
    for (const drop of [["ALL"], ["all"], ["All"]])
      assert.deepEqual(
        only(await analyze(dep, workload({ capabilities: { drop } })), "k8s-drop-capabilities"),
        [],
        String(drop),
      );
    assert.equal(
      only(await analyze(dep, workload({ capabilities: { drop: ["NET_RAW"] } })), "k8s-drop-capabilities")
        .length,
      1,
    );
  });
  it("privileged and privilege escalation are separate rules with their own severity", async () => {
    const ds = await analyze(dep, workload({ runAsNonRoot: true }));
    assert.deepEqual(only(ds, "k8s-no-privileged"), [], "not privileged: no 'privileged' finding");
    assert.equal(only(ds, "k8s-no-privilege-escalation").length, 1);
    const priv = await analyze(dep, workload({ privileged: true, allowPrivilegeEscalation: false }));
    assert.match(only(priv, "k8s-no-privileged")[0].message, /privileged is true/);
    assert.deepEqual(only(priv, "k8s-no-privilege-escalation"), []);
  });
});

describe("S3 versioning in every spelling", () => {
  const b = (type: string, props: object = {}): StackInput => ({
    type,
    name: "b",
    props: { bucket: "b", ...props },
  });
  const v = (type: string, status: string): StackInput => ({
    type,
    name: "v",
    props: { bucket: "b", versioningConfiguration: { status } },
    deps: { bucket: ["b"] },
  });
  const rule = "aws-s3-versioning";
  for (const bucketType of ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"])
    for (const vType of [
      "aws:s3/bucketVersioning:BucketVersioning",
      "aws:s3/bucketVersioningV2:BucketVersioningV2",
    ])
      it(`${bucketType} + ${vType}: Enabled passes, Suspended and absent are reported`, async () => {
        assert.deepEqual(only(await analyzeStack([b(bucketType), v(vType, "Enabled")]), rule), []);
        assert.match(
          only(await analyzeStack([b(bucketType), v(vType, "Suspended")]), rule)[0].message,
          /Suspended/,
        );
        assert.match(
          only(await analyzeStack([b(bucketType)]), rule)[0].message,
          /no versioning configuration/,
        );
      });
  it("inline versioning (Bucket.versioning, BucketV2.versionings) counts", async () => {
    assert.deepEqual(
      only(await analyzeStack([b("aws:s3/bucket:Bucket", { versioning: { enabled: true } })]), rule),
      [],
    );
    assert.deepEqual(
      only(await analyzeStack([b("aws:s3/bucketV2:BucketV2", { versionings: [{ enabled: true }] })]), rule),
      [],
    );
    assert.equal(
      only(await analyzeStack([b("aws:s3/bucket:Bucket", { versioning: { enabled: false } })]), rule).length,
      1,
    );
  });
});

describe("ElastiCache at rest and AUTH on every resource type", () => {
  const G = "aws:elasticache/replicationGroup:ReplicationGroup";
  const C = "aws:elasticache/cluster:Cluster";
  const S = "aws:elasticache/serverlessCache:ServerlessCache";
  const rules = (ds: Diag[]) =>
    ds
      .filter(
        (d) => d.policy.startsWith("aws-elasticache-") && d.policy !== "aws-elasticache-transit-encryption",
      )
      .map((d) => d.policy)
      .sort();
  it("replication groups: atRestEncryptionEnabled (provider default per engine) and authToken or user groups", async () => {
    assert.deepEqual(
      rules(
        await analyze(G, {
          engine: "redis",
          atRestEncryptionEnabled: true,
          authToken: secret("t".repeat(20)),
        }),
      ),
      [],
    );
    assert.deepEqual(
      rules(await analyze(G, { engine: "valkey", userGroupIds: ["ug"] })),
      [],
      "valkey defaults to encrypted",
    );
    assert.deepEqual(rules(await analyze(G, { engine: "redis" })), [
      "aws-elasticache-auth",
      "aws-elasticache-encrypted-at-rest",
    ]);
    assert.deepEqual(
      rules(await analyze(G, { engine: "redis", globalReplicationGroupId: "g" })),
      [],
      "secondary of a global datastore",
    );
  });
  it("standalone cache clusters are reported; clusters of a replication group are judged on the group", async () => {
    assert.deepEqual(rules(await analyze(C, { engine: "redis" })), [
      "aws-elasticache-auth",
      "aws-elasticache-encrypted-at-rest",
    ]);
    assert.deepEqual(rules(await analyze(C, { replicationGroupId: "rg" })), []);
  });
  it("serverless caches are encrypted at rest; redis/valkey need a user group", async () => {
    assert.deepEqual(rules(await analyze(S, { engine: "valkey" })), ["aws-elasticache-auth"]);
    assert.deepEqual(rules(await analyze(S, { engine: "valkey", userGroupId: "ug" })), []);
  });
});
