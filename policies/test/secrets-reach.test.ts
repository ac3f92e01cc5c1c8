/**
 * Issue #10 section 3: an ECS task's execution role can read every secret the task references
 * (aws-ecs-execution-role-reads-secrets), and secret detection in container environments beyond ECS
 * (Lambda, Cloud Run v1/v2 and Cloud Functions, Kubernetes workloads).
 */
import { strict as assert } from "node:assert";
import { analyze, analyzeStack, Diag, secret, StackInput, UNKNOWN } from "./harness";

const only = (ds: Diag[], policy: string) => ds.filter((d) => d.policy === policy);
const mandatory = (ds: Diag[]) => ds.filter((d) => d.enforcement === "mandatory");
const cannot = (ds: Diag[]) => ds.filter((d) => /^cannot check during preview/.test(d.message));
const doc = (...st: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: st });

const RULE = "aws-ecs-execution-role-reads-secrets";
const ACCT = "arn:aws:secretsmanager:eu-west-1:123456789012:secret";
const DB = `${ACCT}:prod/db-AbCdEf`;
const PARAM = "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api/token";
const ROLE_ARN = "arn:aws:iam::123456789012:role/exec";

const task = (secrets: object[], extra: object = {}, c: object = {}): StackInput => ({
  type: "aws:ecs/taskDefinition:TaskDefinition",
  name: "task",
  props: {
    executionRoleArn: ROLE_ARN,
    containerDefinitions: JSON.stringify([{ name: "api", image: "i", secrets, ...c }]),
    ...extra,
  },
  deps: { executionRoleArn: ["exec"] },
});
const role = (props: object = {}): StackInput => ({
  type: "aws:iam/role:Role",
  name: "exec",
  props: { name: "exec", arn: ROLE_ARN, ...props },
});
const rolePolicy = (policy: unknown, name = "rp"): StackInput => ({
  type: "aws:iam/rolePolicy:RolePolicy",
  name,
  props: { role: "exec", policy },
  deps: { role: ["exec"] },
});
const attach = (policyArn: unknown, deps: string[] = []): StackInput => ({
  type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  name: `att-${deps.join("") || String(policyArn).split("/").pop()}`,
  props: { role: "exec", policyArn },
  deps: { role: ["exec"], ...(deps.length ? { policyArn: deps } : {}) },
});
const allow = (action: string, resource: string | string[]) => ({
  Effect: "Allow",
  Action: action,
  Resource: resource,
});
const EXEC_MANAGED = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const run = async (...rs: StackInput[]) => only(await analyzeStack(rs), RULE);

describe("aws-ecs-execution-role-reads-secrets", () => {
  it("flags a role with only AmazonECSTaskExecutionRolePolicy (it grants no secret read)", async () => {
    const ds = await run(task([{ name: "DATABASE_URL", valueFrom: DB }]), role(), attach(EXEC_MANAGED));
    assert.equal(mandatory(ds).length, 1, JSON.stringify(ds));
    assert.match(
      ds[0].message,
      /secret DATABASE_URL: execution role exec cannot secretsmanager:GetSecretValue/,
    );
    assert.deepEqual(cannot(ds), []);
  });

  it("passes an inline RolePolicy granting the secret's ARN, with a :jsonKey:stage:version suffix in valueFrom", async () => {
    const ds = await run(
      task([{ name: "DB_PASSWORD", valueFrom: `${DB}:password:AWSCURRENT:` }]),
      role(),
      attach(EXEC_MANAGED),
      rolePolicy(doc(allow("secretsmanager:GetSecretValue", DB))),
    );
    assert.deepEqual(ds, []);
  });

  it("wildcards: name-* and ?????? suffixes, service:Get* and case-insensitive actions match; another secret does not", async () => {
    for (const [res, action, ok] of [
      [`${ACCT}:prod/db-*`, "secretsmanager:GetSecretValue", true],
      [`${ACCT}:prod/db-??????`, "SecretsManager:getsecretvalue", true],
      [`${ACCT}:prod/*`, "secretsmanager:Get*", true],
      ["*", "secretsmanager:*", true],
      [`${ACCT}:prod/cache-*`, "secretsmanager:GetSecretValue", false],
      [DB, "secretsmanager:DescribeSecret", false],
      [DB.replace("eu-west-1", "us-east-1"), "secretsmanager:GetSecretValue", false],
    ] as const) {
      const ds = await run(task([{ name: "S", valueFrom: DB }]), role(), rolePolicy(doc(allow(action, res))));
      assert.equal(ds.length === 0, ok, `${action} on ${res}: ${JSON.stringify(ds)}`);
    }
  });

  it("SSM parameters by ARN and by name need ssm:GetParameters (GetParameter is not enough)", async () => {
    const byName = "/prod/api/token";
    for (const [valueFrom, st, ok] of [
      [PARAM, allow("ssm:GetParameters", PARAM), true],
      [PARAM, allow("ssm:GetParameter", PARAM), false],
      [byName, allow("ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api/*"), true],
      [byName, allow("ssm:GetParameters", "arn:aws:ssm:*:*:parameter/prod/other"), false],
      ["plain-name", allow("ssm:Get*", "arn:aws:ssm:*:*:parameter/plain-name"), true],
    ] as const) {
      const ds = await run(task([{ name: "T", valueFrom }]), role(), rolePolicy(doc(st)));
      assert.equal(ds.length === 0, ok, `${valueFrom} with ${JSON.stringify(st)}: ${JSON.stringify(ds)}`);
      if (!ok) assert.match(ds[0].message, /cannot ssm:GetParameters/);
    }
  });

  it("reads the role's inlinePolicies, managedPolicyArns, attached customer Policy resources and PolicyAttachment", async () => {
    const grant = doc(allow("secretsmanager:GetSecretValue", DB));
    const s = [{ name: "S", valueFrom: DB }];
    assert.deepEqual(await run(task(s), role({ inlinePolicies: [{ name: "secrets", policy: grant }] })), []);
    assert.deepEqual(
      await run(task(s), role({ managedPolicyArns: ["arn:aws:iam::aws:policy/SecretsManagerReadWrite"] })),
      [],
    );
    const pol: StackInput = {
      type: "aws:iam/policy:Policy",
      name: "pol",
      props: { arn: "arn:aws:iam::123456789012:policy/pol", policy: grant },
    };
    assert.deepEqual(
      await run(task(s), role(), pol, attach("arn:aws:iam::123456789012:policy/pol", ["pol"])),
      [],
    );
    assert.deepEqual(await run(task(s), role(), pol, attach("arn:aws:iam::123456789012:policy/pol")), []);
    const pa: StackInput = {
      type: "aws:iam/policyAttachment:PolicyAttachment",
      name: "pa",
      props: { roles: ["exec"], policyArn: "arn:aws:iam::123456789012:policy/pol" },
      deps: { policyArn: ["pol"] },
    };
    assert.deepEqual(await run(task(s), role(), pol, pa), []);
    // A policy on another role does not count.
    const other = { ...rolePolicy(grant), props: { role: "other", policy: grant }, deps: {} };
    assert.equal(mandatory(await run(task(s), role(), other)).length, 1);
  });

  it("reports every unreadable reference: secrets, logConfiguration.secretOptions, repositoryCredentials", async () => {
    const ds = await run(
      task(
        [
          { name: "A", valueFrom: DB },
          { name: "B", valueFrom: `${ACCT}:prod/other-ZzZzZz` },
        ],
        {},
        {
          logConfiguration: {
            logDriver: "splunk",
            secretOptions: [{ name: "splunk-token", valueFrom: PARAM }],
          },
          repositoryCredentials: { credentialsParameter: `${ACCT}:registry-QqQqQq` },
        },
      ),
      role(),
      rolePolicy(doc(allow("secretsmanager:GetSecretValue", DB))),
    );
    assert.deepEqual(ds.map((d) => /^(container api [^:]+):/m.exec(d.message)?.[1]).sort(), [
      "container api logConfiguration secret splunk-token",
      "container api repositoryCredentials",
      "container api secret B",
    ]);
  });

  it("an explicit Deny wins; a permissions boundary must allow too", async () => {
    const ds = await run(
      task([{ name: "S", valueFrom: DB }]),
      role(),
      rolePolicy(
        doc(allow("secretsmanager:*", "*"), {
          Effect: "Deny",
          Action: "secretsmanager:GetSecretValue",
          Resource: DB,
        }),
      ),
    );
    assert.match(ds[0].message, /explicit Deny/);
    const bounded = await run(
      task([{ name: "S", valueFrom: DB }]),
      role({ permissionsBoundary: "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess" }),
      rolePolicy(doc(allow("secretsmanager:GetSecretValue", DB))),
    );
    assert.match(bounded[0].message, /permissions boundary/);
  });

  it("a task with secrets and no executionRoleArn is a violation; a task without secrets is not checked", async () => {
    const t = task([{ name: "S", valueFrom: DB }]);
    const noRole = { ...t, props: { containerDefinitions: t.props.containerDefinitions }, deps: {} };
    assert.match(mandatory(await run(noRole))[0].message, /no executionRoleArn/);
    assert.deepEqual(await run(task([]), role()), []);
  });

  it("cannot check (advisory, never a pass): role outside the stack, unknown role ARN, unknown document, unknown policy", async () => {
    const s = [{ name: "S", valueFrom: DB }];
    const outside = { ...task(s), deps: {} };
    const cases: [string, StackInput[], RegExp][] = [
      [
        "role outside the stack",
        [outside],
        /execution role arn:aws:iam::123456789012:role\/exec is not in the stack/,
      ],
      [
        "unknown executionRoleArn",
        [{ ...outside, props: { ...outside.props, executionRoleArn: UNKNOWN } }],
        /executionRoleArn is unknown/,
      ],
      ["unknown inline document", [task(s), role(), rolePolicy(UNKNOWN)], /RolePolicy rp is unknown/],
      [
        "customer policy outside the stack",
        [task(s), role(), attach("arn:aws:iam::123456789012:policy/elsewhere")],
        /policy arn:aws:iam::123456789012:policy\/elsewhere is not in the stack/,
      ],
      [
        "AWS managed policy not in the table",
        [task(s), role(), attach("arn:aws:iam::aws:policy/ReadOnlyAccess")],
        /ReadOnlyAccess is not in the rule's table/,
      ],
      [
        "unknown containerDefinitions",
        [{ ...task(s), props: { ...task(s).props, containerDefinitions: UNKNOWN } }, role()],
        /containerDefinitions/,
      ],
    ];
    for (const [what, stack, says] of cases) {
      const ds = await run(...stack);
      assert.equal(ds.length, 1, `${what}: ${JSON.stringify(ds)}`);
      assert.equal(ds[0].enforcement, "advisory", `${what}: ${JSON.stringify(ds)}`);
      assert.match(ds[0].message, /^cannot check during preview/, what);
      assert.match(ds[0].message, says, what);
    }
    // A known grant decides even when something else is unknown.
    assert.deepEqual(
      await run(
        task(s),
        role(),
        rolePolicy(UNKNOWN, "u"),
        rolePolicy(doc(allow("secretsmanager:GetSecretValue", DB))),
      ),
      [],
    );
  });

  it("secret-wrapped container definitions are read", async () => {
    const t = task([{ name: "S", valueFrom: DB }]);
    const ds = await run(
      { ...t, props: { ...t.props, containerDefinitions: secret(t.props.containerDefinitions) } },
      role(),
    );
    assert.equal(mandatory(ds).length, 1);
  });
});

describe("secret detection in container environments beyond ECS", () => {
  const LEAK = { name: "STRIPE_API_KEY", value: "sk_live_" + "a1B2c3D4e5".repeat(2) };
  const FINE = [
    { name: "DB_SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
    { name: "TOKEN_TTL_SECONDS", value: "3600" },
    { name: "OAUTH_CALLBACK_URL", value: "https://example.org/oauth/callback" },
  ];
  const names = (ds: Diag[]) => ds.map((d) => /variable (\S+)/.exec(d.message)?.[1]).sort();

  it("aws-lambda-no-plaintext-secrets: judges environment.variables by name and shape", async () => {
    const vars = Object.fromEntries(
      [...FINE, LEAK, { name: "DATABASE_URL", value: "postgres://u:pw@h/db" }].map((e) => [e.name, e.value]),
    );
    const ds = only(
      await analyze("aws:lambda/function:Function", { environment: { variables: vars } }),
      "aws-lambda-no-plaintext-secrets",
    );
    assert.deepEqual(names(ds), ["DATABASE_URL", "STRIPE_API_KEY"]);
    assert.ok(ds.every((d) => d.enforcement === "mandatory"));
    const fine = Object.fromEntries(FINE.map((e) => [e.name, e.value]));
    assert.deepEqual(
      only(
        await analyze("aws:lambda/function:Function", { environment: { variables: fine } }),
        "aws-lambda-no-plaintext-secrets",
      ),
      [],
    );
    assert.deepEqual(
      only(await analyze("aws:lambda/function:Function", {}), "aws-lambda-no-plaintext-secrets"),
      [],
    );
  });

  it("an unknown value under a secret name is 'cannot check'; under a neutral name it is judged by name", async () => {
    const ds = only(
      await analyze("aws:lambda/function:Function", {
        environment: { variables: { DB_PASSWORD: UNKNOWN, DB_HOST: UNKNOWN } },
      }),
      "aws-lambda-no-plaintext-secrets",
    );
    assert.equal(ds.length, 1);
    assert.equal(ds[0].enforcement, "advisory");
    assert.match(
      ds[0].message,
      /^cannot check during preview: the value of environment.variables: DB_PASSWORD/,
    );
  });

  const GCP = "gcp-no-plaintext-env-secrets";
  const runV2 = (envs: object[]) => ({ template: { containers: [{ name: "api", image: "i", envs }] } });
  const gcpCases: [string, (envs: object[]) => Record<string, unknown>][] = [
    ["gcp:cloudrunv2/service:Service", runV2],
    ["gcp:cloudrunv2/workerPool:WorkerPool", runV2],
    [
      "gcp:cloudrunv2/job:Job",
      (envs) => ({ template: { template: { containers: [{ image: "i", envs }] } } }),
    ],
    [
      "gcp:cloudrun/service:Service",
      (envs) => ({ template: { spec: { containers: [{ image: "i", envs }] } } }),
    ],
  ];
  for (const [type, props] of gcpCases) {
    it(`${GCP}: ${type} plain values fire, secretKeyRef references never do`, async () => {
      const ref =
        type === "gcp:cloudrun/service:Service"
          ? { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "latest" } } }
          : { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db", version: "3" } } };
      const ds = only(
        await analyze(type, props([...FINE, LEAK, ref, { name: "SESSION_SECRET", value: "s3cr3t-value" }])),
        GCP,
      );
      assert.deepEqual(names(ds), ["SESSION_SECRET", "STRIPE_API_KEY"], JSON.stringify(ds));
      assert.deepEqual(only(await analyze(type, props([...FINE, ref])), GCP), []);
    });
  }
  it(`${GCP}: Cloud Functions v1 and v2 environment maps (build-time too)`, async () => {
    const v1 = only(
      await analyze("gcp:cloudfunctions/function:Function", {
        environmentVariables: { API_TOKEN: "abc123def", LOG_LEVEL: "info" },
        buildEnvironmentVariables: { NPM_TOKEN: "npm_abcdefgh12345" },
      }),
      GCP,
    );
    assert.deepEqual(names(v1), ["API_TOKEN", "NPM_TOKEN"]);
    const v2 = only(
      await analyze("gcp:cloudfunctionsv2/function:Function", {
        serviceConfig: {
          environmentVariables: { REDIS_AUTH: "p4ssw0rd-value", PUBLIC_URL: "https://x.example" },
        },
      }),
      GCP,
    );
    assert.deepEqual(names(v2), ["REDIS_AUTH"]);
    assert.deepEqual(
      only(
        await analyze("gcp:cloudfunctionsv2/function:Function", {
          serviceConfig: { secretEnvironmentVariables: [{ key: "REDIS_AUTH", secret: "s", version: "1" }] },
        }),
        GCP,
      ),
      [],
    );
  });

  const K8S = "k8s-no-plaintext-env-secrets";
  const container = (env: object[]) => ({ name: "api", image: "i", env });
  const k8sCases: [string, (c: object) => Record<string, unknown>][] = [
    ["kubernetes:apps/v1:Deployment", (c) => ({ spec: { template: { spec: { containers: [c] } } } })],
    ["kubernetes:apps/v1:StatefulSet", (c) => ({ spec: { template: { spec: { containers: [c] } } } })],
    ["kubernetes:apps/v1:DaemonSet", (c) => ({ spec: { template: { spec: { initContainers: [c] } } } })],
    ["kubernetes:batch/v1:Job", (c) => ({ spec: { template: { spec: { containers: [c] } } } })],
    [
      "kubernetes:batch/v1:CronJob",
      (c) => ({ spec: { jobTemplate: { spec: { template: { spec: { containers: [c] } } } } } }),
    ],
    ["kubernetes:core/v1:Pod", (c) => ({ spec: { containers: [c] } })],
  ];
  for (const [type, props] of k8sCases) {
    it(`${K8S}: ${type} plain values fire, valueFrom never does`, async () => {
      const ref = { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } };
      const ds = only(
        await analyze(
          type,
          props(container([...FINE, LEAK, ref, { name: "dbPassword", value: "hunter2hunter2" }])),
        ),
        K8S,
      );
      assert.deepEqual(names(ds), ["STRIPE_API_KEY", "dbPassword"], JSON.stringify(ds));
      assert.ok(ds.every((d) => d.enforcement === "mandatory" && /container api/.test(d.message)));
      assert.deepEqual(only(await analyze(type, props(container([...FINE, ref]))), K8S), []);
    });
  }
  it(`${K8S}: a secret-wrapped value is judged like a plain one`, async () => {
    const ds = only(
      await analyze("kubernetes:core/v1:Pod", {
        spec: {
          // secretlint-disable-next-line -- a made-up credential: this test is about it
          containers: [container([{ name: "DATABASE_URL", value: secret("postgres://u:p4ss@h/db") }])],
        },
      }),
      K8S,
    );
    assert.match(ds[0].message, /DATABASE_URL embeds credentials/);
  });
});
