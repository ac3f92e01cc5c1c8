/**
 * The GCP identity rules beyond one violating and one clean resource: every way Pulumi lets a program
 * write an IAM grant (member, binding, policy; Cloud Run v1 and v2; bucket, project, folder, organization;
 * kinds the rules do not list by name), legacy Cloud Storage ACLs, Memorystore AUTH on every kind, and
 * what a preview cannot show (a policy rendered by getIAMPolicy, unknown members) - never a silent pass.
 */
import { strict as assert } from "node:assert";
import { typeMatcher } from "../lib/rule";
import { analyze, Diag, secret, UNKNOWN } from "./harness";

const only = (ds: Diag[], policy: string) => ds.filter((d) => d.policy === policy);
const mandatory = (ds: Diag[]) => ds.filter((d) => d.enforcement === "mandatory");
const cannotCheck = (ds: Diag[]) =>
  ds.filter((d) => d.enforcement === "advisory" && /^cannot check during preview: /.test(d.message));
const run = (type: string, props: Record<string, unknown>, rule: string) =>
  analyze(type, props).then((ds) => only(ds, rule));

const SA = "serviceAccount:api@p.iam.gserviceaccount.com";
const policy = (role: string, members: string[]) => JSON.stringify({ bindings: [{ role, members }] });

/** [type, props granting `role` to `member`] for every spelling the rules must see. */
function spellings(role: string, member: string): [string, Record<string, unknown>][] {
  const forms = (base: string, where: Record<string, unknown>, iam: "IAM" | "Iam") => {
    const [mod, kind] = base.split(":");
    const lower = kind[0].toLowerCase() + kind.slice(1);
    return [
      [`gcp:${mod}/${lower}${iam}Member:${kind}${iam}Member`, { ...where, role, member }],
      [`gcp:${mod}/${lower}${iam}Binding:${kind}${iam}Binding`, { ...where, role, members: [member] }],
      [
        `gcp:${mod}/${lower}${iam}Policy:${kind}${iam}Policy`,
        { ...where, policyData: policy(role, [member]) },
      ],
    ] as [string, Record<string, unknown>][];
  };
  const run = { name: "api", location: "europe-west1" };
  return [
    ...forms("cloudrunv2:Service", run, "Iam"),
    ["gcp:cloudrun/iamMember:IamMember", { service: "api", location: "europe-west1", role, member }],
    [
      "gcp:cloudrun/iamBinding:IamBinding",
      { service: "api", location: "europe-west1", role, members: [member] },
    ],
    [
      "gcp:cloudrun/iamPolicy:IamPolicy",
      { service: "api", location: "x", policyData: policy(role, [member]) },
    ],
    ...forms("storage:Bucket", { bucket: "assets" }, "IAM"),
    ["gcp:projects/iAMMember:IAMMember", { project: "p", role, member }],
    ["gcp:projects/iAMBinding:IAMBinding", { project: "p", role, members: [member] }],
    ["gcp:projects/iAMPolicy:IAMPolicy", { project: "p", policyData: policy(role, [member]) }],
    ["gcp:folder/iAMMember:IAMMember", { folder: "folders/1", role, member }],
    ["gcp:organizations/iAMBinding:IAMBinding", { orgId: "1", role, members: [member] }],
    ["gcp:organizations/iAMPolicy:IAMPolicy", { orgId: "1", policyData: policy(role, [member]) }],
    // Not listed by name in the rules' types: matched by the IAM globs.
    ["gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember", { cloudFunction: "f", role, member }],
    ["gcp:pubsub/topicIAMMember:TopicIAMMember", { topic: "events", role, member }],
    ["gcp:cloudrunv2/jobIamBinding:JobIamBinding", { name: "migrate", role, members: [member] }],
    ["gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy", { policyData: policy(role, [member]) }],
  ];
}

describe("gcp-no-public-members and gcp-no-basic-roles: every spelling of a grant", () => {
  for (const [type, props] of spellings("roles/run.invoker", "allUsers"))
    it(`${type}: allUsers is a mandatory violation; a service account passes`, async () => {
      const bad = await run(type, props, "gcp-no-public-members");
      assert.equal(mandatory(bad).length, 1, JSON.stringify(bad));
      assert.match(bad[0].message, /grants roles\/run\.invoker to allUsers\./);
      const good = spellings("roles/run.invoker", SA).find(([t]) => t === type)![1];
      assert.deepEqual(await run(type, good, "gcp-no-public-members"), []);
    });

  for (const [type, props] of spellings("roles/editor", "group:platform@example.org"))
    it(`${type}: roles/editor is a mandatory violation`, async () => {
      const bad = await run(type, props, "gcp-no-basic-roles");
      assert.equal(mandatory(bad).length, 1, JSON.stringify(bad));
      assert.match(bad[0].message, /grants roles\/editor to group:platform@example\.org\./);
    });

  it("allAuthenticatedUsers among other members of a binding, and in one binding of a larger policy", async () => {
    const b = await run(
      "gcp:storage/bucketIAMBinding:BucketIAMBinding",
      { bucket: "x", role: "roles/storage.objectViewer", members: [SA, "allAuthenticatedUsers"] },
      "gcp-no-public-members",
    );
    assert.match(mandatory(b)[0].message, /grants roles\/storage\.objectViewer to allAuthenticatedUsers\.$/);
    const data = JSON.stringify({
      bindings: [
        { role: "roles/run.invoker", members: [SA] },
        { role: "roles/viewer", members: ["allUsers"], condition: { title: "t", expression: "true" } },
      ],
    });
    const ds = await analyze("gcp:projects/iAMPolicy:IAMPolicy", { project: "p", policyData: data });
    assert.equal(mandatory(only(ds, "gcp-no-public-members")).length, 1);
    assert.match(only(ds, "gcp-no-basic-roles")[0].message, /grants roles\/viewer to allUsers/);
  });

  it("a secret role or member is judged like a plain one", async () => {
    const ds = await analyze("gcp:projects/iAMMember:IAMMember", {
      project: "p",
      role: secret("roles/owner"),
      member: secret("allUsers"),
    });
    assert.equal(mandatory(only(ds, "gcp-no-basic-roles")).length, 1, JSON.stringify(ds));
    assert.equal(mandatory(only(ds, "gcp-no-public-members")).length, 1, JSON.stringify(ds));
  });

  it("a policy whose policyData the preview did not resolve (getIAMPolicy) is 'cannot check', never a pass", async () => {
    for (const props of [{ project: "p" }, { project: "p", policyData: UNKNOWN }]) {
      const ds = await analyze("gcp:projects/iAMPolicy:IAMPolicy", props);
      for (const rule of ["gcp-no-public-members", "gcp-no-basic-roles", "gcp-secret-access-per-secret"]) {
        const got = only(ds, rule);
        assert.equal(cannotCheck(got).length, 1, `${rule} ${JSON.stringify(props)}: ${JSON.stringify(got)}`);
      }
    }
    const missing = only(
      await analyze("gcp:projects/iAMPolicy:IAMPolicy", { project: "p" }),
      "gcp-no-basic-roles",
    );
    assert.match(
      missing[0].message,
      /policyData is not set \(typically rendered by gcp\.organizations\.getIAMPolicy/,
    );
  });

  it("an unknown or missing member is 'cannot check'; a policy that is not JSON too", async () => {
    const type = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
    for (const props of [{ role: "roles/run.invoker", member: UNKNOWN }, { role: "roles/run.invoker" }])
      assert.equal(
        cannotCheck(await run(type, props, "gcp-no-public-members")).length,
        1,
        JSON.stringify(props),
      );
    const ds = await run(
      "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
      { policyData: "not json" },
      "gcp-no-public-members",
    );
    assert.equal(cannotCheck(ds).length, 1, JSON.stringify(ds));
  });

  it("IamMemberRemove (it removes a grant) is not judged as a grant", async () => {
    const ds = await analyze("gcp:projects/iamMemberRemove:IamMemberRemove", {
      project: "p",
      role: "roles/editor",
      member: "allUsers",
    });
    assert.deepEqual(only(ds, "gcp-no-basic-roles"), []);
    assert.deepEqual(only(ds, "gcp-no-public-members"), []);
  });
});

describe("gcp-secret-access-per-secret", () => {
  const rule = "gcp-secret-access-per-secret";
  it("flags secretAccessor and admin on a project, folder or organization, in every spelling", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "gcp:projects/iAMMember:IAMMember",
        { role: "roles/secretmanager.secretAccessor", member: SA },
        /whole project/,
      ],
      [
        "gcp:projects/iAMBinding:IAMBinding",
        { role: "roles/secretmanager.admin", members: [SA] },
        /whole project/,
      ],
      [
        "gcp:folder/iAMMember:IAMMember",
        { role: "roles/secretmanager.secretAccessor", member: SA },
        /whole folder/,
      ],
      [
        "gcp:organizations/iAMPolicy:IAMPolicy",
        { policyData: policy("roles/secretmanager.secretAccessor", [SA]) },
        /whole organization/,
      ],
      [
        "gcp:folder/iAMPolicy:IAMPolicy",
        { policyData: policy("roles/secretmanager.admin", [SA]) },
        /roles\/secretmanager\.admin on the whole folder/,
      ],
    ];
    for (const [type, props, says] of cases) {
      const ds = await run(type, props, rule);
      assert.equal(mandatory(ds).length, 1, `${type}: ${JSON.stringify(ds)}`);
      assert.match(ds[0].message, says);
    }
  });

  it("passes the per-secret grant and other project roles (the PROJECT_ONLY_ROLES)", async () => {
    for (const t of ["SecretIamMember", "SecretIamBinding"]) {
      const type = `gcp:secretmanager/secret${t.slice("Secret".length)}:${t}`;
      const ds = await analyze(type, {
        secretId: "db-url",
        role: "roles/secretmanager.secretAccessor",
        member: SA,
        members: [SA],
      });
      assert.deepEqual(only(ds, rule), [], type);
    }
    for (const role of ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/cloudtrace.agent"])
      assert.deepEqual(
        await run("gcp:projects/iAMMember:IAMMember", { project: "p", role, member: SA }, rule),
        [],
      );
    assert.deepEqual(
      await run("gcp:projects/iAMMember:IAMMember", { role: "roles/secretmanager.viewer", member: SA }, rule),
      [],
    );
  });
});

describe("gcp-storage-no-public-acl: legacy ACL resources", () => {
  const rule = "gcp-storage-no-public-acl";
  it("flags allUsers / allAuthenticatedUsers entities and public predefined ACLs", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "gcp:storage/bucketACL:BucketACL",
        { bucket: "b", roleEntities: ["OWNER:project-owners-1", "READER:allUsers"] },
        /roleEntities grant READER:allUsers/,
      ],
      [
        "gcp:storage/bucketACL:BucketACL",
        { bucket: "b", predefinedAcl: "publicRead" },
        /predefinedAcl is publicRead/,
      ],
      [
        "gcp:storage/bucketACL:BucketACL",
        { bucket: "b", defaultAcl: "publicRead" },
        /defaultAcl is publicRead/,
      ],
      [
        "gcp:storage/defaultObjectACL:DefaultObjectACL",
        { bucket: "b", roleEntities: ["READER:allAuthenticatedUsers"] },
        /allAuthenticatedUsers/,
      ],
      [
        "gcp:storage/objectACL:ObjectACL",
        { bucket: "b", object: "o", predefinedAcl: "authenticatedRead" },
        /authenticatedRead/,
      ],
      [
        "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
        { bucket: "b", entity: "allUsers", role: "READER" },
        /entity allUsers gets READER/,
      ],
      [
        "gcp:storage/objectAccessControl:ObjectAccessControl",
        { bucket: "b", object: "o", entity: "allAuthenticatedUsers", role: "OWNER" },
        /entity allAuthenticatedUsers gets OWNER/,
      ],
    ];
    for (const [type, props, says] of cases) {
      const ds = await run(type, props, rule);
      assert.equal(mandatory(ds).length, 1, `${type}: ${JSON.stringify(ds)}`);
      assert.match(ds[0].message, says);
    }
  });

  it("passes private ACLs; an unknown entity is 'cannot check'", async () => {
    assert.deepEqual(
      await run(
        "gcp:storage/bucketACL:BucketACL",
        { bucket: "b", predefinedAcl: "projectPrivate", roleEntities: ["READER:group-ops@example.org"] },
        rule,
      ),
      [],
    );
    const ds = await run(
      "gcp:storage/bucketAccessControl:BucketAccessControl",
      { bucket: "b", entity: UNKNOWN, role: "READER" },
      rule,
    );
    assert.equal(cannotCheck(ds).length, 1, JSON.stringify(ds));
  });
});

describe("gcp-redis-auth and gcp-redis-transit-encryption on every Memorystore kind", () => {
  const kinds: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      "gcp:redis/instance:Instance",
      { authEnabled: true },
      { transitEncryptionMode: "SERVER_AUTHENTICATION" },
    ],
    [
      "gcp:redis/cluster:Cluster",
      { authorizationMode: "AUTH_MODE_IAM_AUTH" },
      { transitEncryptionMode: "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION" },
    ],
    [
      "gcp:memorystore/instance:Instance",
      { authorizationMode: "IAM_AUTH" },
      { transitEncryptionMode: "SERVER_AUTHENTICATION" },
    ],
  ];
  for (const [type, auth, transit] of kinds)
    it(`${type}: each setting is its own finding; both set passes`, async () => {
      const noAuth = await analyze(type, transit);
      assert.equal(mandatory(only(noAuth, "gcp-redis-auth")).length, 1, JSON.stringify(noAuth));
      assert.deepEqual(only(noAuth, "gcp-redis-transit-encryption"), []);
      const noTls = await analyze(type, auth);
      assert.equal(mandatory(only(noTls, "gcp-redis-transit-encryption")).length, 1);
      assert.deepEqual(only(noTls, "gcp-redis-auth"), []);
      const both = await analyze(type, { ...auth, ...transit });
      assert.deepEqual([...only(both, "gcp-redis-auth"), ...only(both, "gcp-redis-transit-encryption")], []);
    });

  it("AUTH disabled explicitly names the value; unknown is 'cannot check'", async () => {
    const off = await run(
      "gcp:redis/cluster:Cluster",
      { authorizationMode: "AUTH_MODE_DISABLED" },
      "gcp-redis-auth",
    );
    assert.match(
      off[0].message,
      /authorizationMode is AUTH_MODE_DISABLED; any client on the network can connect/,
    );
    const unknown = await run("gcp:redis/instance:Instance", { authEnabled: UNKNOWN }, "gcp-redis-auth");
    assert.equal(cannotCheck(unknown).length, 1, JSON.stringify(unknown));
  });
});

describe("gcp-dedicated-service-account: Cloud Run jobs", () => {
  it("a job on the default compute account fails; on its own account passes", async () => {
    const type = "gcp:cloudrunv2/job:Job";
    const bad = await run(
      type,
      { template: { template: { serviceAccount: "1-compute@developer.gserviceaccount.com" } } },
      "gcp-dedicated-service-account",
    );
    assert.equal(mandatory(bad).length, 1);
    const none = await run(type, { template: { template: {} } }, "gcp-dedicated-service-account");
    assert.match(none[0].message, /no service account set/);
    assert.deepEqual(
      await run(
        type,
        { template: { template: { serviceAccount: "migrate@p.iam.gserviceaccount.com" } } },
        "gcp-dedicated-service-account",
      ),
      [],
    );
  });
});

describe("type globs", () => {
  it("matches exact tokens and globs, nothing else", () => {
    const m = typeMatcher(["gcp:storage/bucket:Bucket", "gcp:*:*IamMember"]);
    assert.ok(m("gcp:storage/bucket:Bucket"));
    assert.ok(m("gcp:cloudrunv2/serviceIamMember:ServiceIamMember"));
    assert.ok(!m("gcp:projects/iamMemberRemove:IamMemberRemove"));
    assert.ok(!m("aws:iam/rolePolicy:RolePolicy"));
    assert.ok(!m("gcp:storage/bucketObject:BucketObject"));
  });
});
