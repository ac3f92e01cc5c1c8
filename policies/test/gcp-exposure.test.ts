/**
 * The GCP exposure, TLS and operations rules beyond one violating and one clean resource: Cloud Run
 * ingress (v1 annotations, v2 `ingress`, invoker IAM disabled), Cloud SQL addresses, SSL and backups
 * (`sslMode` and the older `requireSsl`), SSL policies on global and regional HTTPS and SSL proxies,
 * Cloud Armor on external backend services (serverless NEG backends included), bucket public access
 * prevention, Artifact Registry tags, and what a preview cannot show.
 */
import { strict as assert } from "node:assert";
import { analyze, analyzeStack, Diag, secret, StackInput, UNKNOWN } from "./harness";

const only = (ds: Diag[], policy: string) => ds.filter((d) => d.policy === policy);
const mandatory = (ds: Diag[]) => ds.filter((d) => d.enforcement === "mandatory");
const cannotCheck = (ds: Diag[]) =>
  ds.filter((d) => d.enforcement === "advisory" && /^cannot check during preview: /.test(d.message));
const run = (type: string, props: Record<string, unknown>, rule: string) =>
  analyze(type, props).then((ds) => only(ds, rule));

const RUN_V2 = "gcp:cloudrunv2/service:Service";
const RUN_V1 = "gcp:cloudrun/service:Service";
const SQL = "gcp:sql/databaseInstance:DatabaseInstance";

describe("gcp-cloud-run-ingress", () => {
  const rule = "gcp-cloud-run-ingress";
  it("v2: only the internal load balancer and internal-only ingress pass; unset means ALL", async () => {
    for (const ingress of ["INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_INTERNAL_ONLY"])
      assert.deepEqual(await run(RUN_V2, { ingress }, rule), [], ingress);
    for (const props of [
      {},
      { ingress: "INGRESS_TRAFFIC_ALL" },
      { ingress: "INGRESS_TRAFFIC_UNSPECIFIED" },
    ]) {
      const ds = await run(RUN_V2, props, rule);
      assert.equal(mandatory(ds).length, 1, JSON.stringify(props));
      assert.match(ds[0].message, /the run\.app URL bypasses the load balancer and Cloud Armor/);
    }
  });

  it("v2: invokerIamDisabled with ALL ingress says anyone can call it; behind the load balancer it passes", async () => {
    const open = await run(RUN_V2, { ingress: "INGRESS_TRAFFIC_ALL", invokerIamDisabled: true }, rule);
    assert.match(mandatory(open)[0].message, /invokerIamDisabled is true: anyone on the internet can call/);
    assert.deepEqual(
      await run(
        RUN_V2,
        { ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", invokerIamDisabled: true },
        rule,
      ),
      [],
    );
  });

  it("v1: the run.googleapis.com/ingress annotation, unset meaning all", async () => {
    const ann = (v?: string) => ({ metadata: { annotations: v ? { "run.googleapis.com/ingress": v } : {} } });
    for (const v of ["internal-and-cloud-load-balancing", "internal"])
      assert.deepEqual(await run(RUN_V1, ann(v), rule), [], v);
    for (const props of [ann("all"), ann(), {}]) {
      const ds = await run(RUN_V1, props, rule);
      assert.equal(mandatory(ds).length, 1, JSON.stringify(props));
      assert.match(ds[0].message, /run\.googleapis\.com\/ingress"\] is "?all"?/);
    }
  });

  it("unknown ingress is 'cannot check'; a secret value is judged", async () => {
    assert.equal(cannotCheck(await run(RUN_V2, { ingress: UNKNOWN }, rule)).length, 1);
    assert.equal(mandatory(await run(RUN_V2, { ingress: secret("INGRESS_TRAFFIC_ALL") }, rule)).length, 1);
  });
});

const sql = (ip: object, backup: object = { enabled: true, pointInTimeRecoveryEnabled: true }) => ({
  databaseVersion: "POSTGRES_16",
  settings: { ipConfiguration: ip, backupConfiguration: backup },
});

describe("Cloud SQL: gcp-sql-private, gcp-sql-ssl-mode, gcp-sql-backups", () => {
  it("gcp-sql-private: a public IP fails even beside a private network; 0.0.0.0/0 and ::/0 are named", async () => {
    const both = await run(SQL, sql({ ipv4Enabled: true, privateNetwork: "n" }), "gcp-sql-private");
    assert.match(
      mandatory(both)[0].message,
      /ipv4Enabled is true: .*public IPv4 address besides its private IP/,
    );
    const unset = await run(SQL, sql({ privateNetwork: "n" }), "gcp-sql-private");
    assert.match(unset[0].message, /ipv4Enabled is unset \(true\)/);
    const world = await run(
      SQL,
      sql({ ipv4Enabled: true, authorizedNetworks: [{ value: "10.0.0.0/8" }, { value: "::/0" }] }),
      "gcp-sql-private",
    );
    assert.ok(
      world.some((d) => /an authorized network allows ::\/0/.test(d.message)),
      JSON.stringify(world),
    );
    assert.deepEqual(await run(SQL, sql({ ipv4Enabled: false, privateNetwork: "n" }), "gcp-sql-private"), []);
  });

  it("gcp-sql-ssl-mode: sslMode wins over the older requireSsl; requireSsl alone passes", async () => {
    const rule = "gcp-sql-ssl-mode";
    for (const mode of ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"])
      assert.deepEqual(await run(SQL, sql({ ipv4Enabled: false, sslMode: mode }), rule), [], mode);
    assert.deepEqual(await run(SQL, sql({ ipv4Enabled: false, requireSsl: true }), rule), []);
    const allow = await run(SQL, sql({ sslMode: "ALLOW_UNENCRYPTED_AND_ENCRYPTED", requireSsl: true }), rule);
    assert.match(mandatory(allow)[0].message, /sslMode is ALLOW_UNENCRYPTED_AND_ENCRYPTED/);
    assert.equal(mandatory(await run(SQL, sql({ requireSsl: false }), rule)).length, 1);
    assert.equal(cannotCheck(await run(SQL, { settings: UNKNOWN }, rule)).length, 1);
    assert.equal(cannotCheck(await run(SQL, sql({ sslMode: UNKNOWN }), rule)).length, 1);
  });

  it("gcp-sql-backups: PITR, retained backups (config minRetainedBackups), deletion protection", async () => {
    const rule = "gcp-sql-backups";
    assert.match(
      (await run(SQL, sql({}, { enabled: true }), rule))[0].message,
      /point-in-time recovery is off/,
    );
    const few = await run(
      SQL,
      sql(
        {},
        { enabled: true, pointInTimeRecoveryEnabled: true, backupRetentionSettings: { retainedBackups: 3 } },
      ),
      rule,
    );
    assert.match(few[0].message, /retainedBackups is 3; at least 7 required/);
    assert.equal(few[0].enforcement, "advisory");
    const ok = {
      enabled: true,
      pointInTimeRecoveryEnabled: true,
      backupRetentionSettings: { retainedBackups: 14 },
    };
    assert.deepEqual(await run(SQL, sql({}, ok), rule), []);
    const unprotected = await run(SQL, { ...sql({}, ok), deletionProtection: false }, rule);
    assert.match(unprotected[0].message, /deletionProtection is false/);
    const mysql = { ...sql({}, { enabled: true }), databaseVersion: "MYSQL_8_0" };
    assert.deepEqual(await run(SQL, mysql, rule), []);
  });
});

const HTTPS_PROXY = "gcp:compute/targetHttpsProxy:TargetHttpsProxy";
const sslPolicy = (props: object, name = "tls", type = "gcp:compute/sSLPolicy:SSLPolicy"): StackInput => ({
  type,
  name,
  props: { name, ...props },
});
const proxy = (props: Record<string, unknown>, deps?: string[], type = HTTPS_PROXY): StackInput => ({
  type,
  name: "p",
  props,
  ...(deps ? { deps: { sslPolicy: deps } } : {}),
});
const sslRule = (stack: StackInput[]) =>
  analyzeStack(stack).then((ds) => only(ds, "gcp-https-proxy-ssl-policy"));

describe("gcp-https-proxy-ssl-policy", () => {
  it("MODERN or RESTRICTED with TLS 1.2+ pass; COMPATIBLE, TLS 1.0/1.1 and the defaults fail", async () => {
    for (const ok of [
      { minTlsVersion: "TLS_1_2", profile: "MODERN" },
      { minTlsVersion: "TLS_1_2", profile: "RESTRICTED" },
      { minTlsVersion: "TLS_1_3", profile: "RESTRICTED" },
    ])
      assert.deepEqual(
        await sslRule([sslPolicy(ok), proxy({ sslPolicy: UNKNOWN }, ["tls"])]),
        [],
        JSON.stringify(ok),
      );
    for (const [bad, says] of [
      [{ minTlsVersion: "TLS_1_2", profile: "COMPATIBLE" }, /profile COMPATIBLE/],
      [{ minTlsVersion: "TLS_1_1", profile: "MODERN" }, /minTlsVersion TLS_1_1/],
      [{ minTlsVersion: "TLS_1_0", profile: "RESTRICTED" }, /minTlsVersion TLS_1_0/],
      [{}, /minTlsVersion TLS_1_0 and profile COMPATIBLE/],
      [
        { minTlsVersion: "TLS_1_2", profile: "CUSTOM", customFeatures: ["TLS_AES_128_GCM_SHA256"] },
        /profile CUSTOM/,
      ],
    ] as const) {
      const ds = await sslRule([sslPolicy(bad), proxy({ sslPolicy: UNKNOWN }, ["tls"])]);
      assert.equal(mandatory(ds).length, 1, JSON.stringify(bad));
      assert.match(ds[0].message, says);
    }
  });

  it("a proxy without a policy fails, on global and regional HTTPS proxies and SSL proxies", async () => {
    for (const type of [
      HTTPS_PROXY,
      "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
      "gcp:compute/targetSSLProxy:TargetSSLProxy",
    ]) {
      const ds = await sslRule([proxy({ urlMap: "m" }, undefined, type)]);
      assert.equal(mandatory(ds).length, 1, type);
      assert.match(ds[0].message, /no sslPolicy: Google's default policy \(COMPATIBLE\) accepts TLS 1\.0/);
    }
  });

  it("a regional proxy with a RegionSslPolicy is judged through the graph", async () => {
    const regional = "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy";
    const pol = (profile: string) =>
      sslPolicy({ minTlsVersion: "TLS_1_2", profile }, "tls", "gcp:compute/regionSslPolicy:RegionSslPolicy");
    assert.deepEqual(
      await sslRule([pol("RESTRICTED"), proxy({ sslPolicy: UNKNOWN }, ["tls"], regional)]),
      [],
    );
    assert.equal(
      mandatory(await sslRule([pol("COMPATIBLE"), proxy({ sslPolicy: UNKNOWN }, ["tls"], regional)])).length,
      1,
    );
  });

  it("found by self link with or without the API prefix; a policy not in the stack is 'cannot check', not a pass", async () => {
    const link = "https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/tls";
    const bad = sslPolicy({ minTlsVersion: "TLS_1_0", selfLink: link });
    assert.equal(mandatory(await sslRule([bad, proxy({ sslPolicy: link })])).length, 1);
    assert.equal(
      mandatory(await sslRule([bad, proxy({ sslPolicy: "projects/p/global/sslPolicies/tls" })])).length,
      1,
    );
    const elsewhere = await sslRule([proxy({ sslPolicy: "projects/p/global/sslPolicies/shared" })]);
    assert.equal(cannotCheck(elsewhere).length, 1, JSON.stringify(elsewhere));
    assert.match(elsewhere[0].message, /is not an SSL policy in this stack/);
    const unknown = await sslRule([proxy({ sslPolicy: UNKNOWN })]);
    assert.match(cannotCheck(unknown)[0].message, /sslPolicy is unknown and depends on no SSL policy/);
  });
});

const BACKEND = "gcp:compute/backendService:BackendService";
const armor = (stack: StackInput[]) => analyzeStack(stack).then((ds) => only(ds, "gcp-cloud-armor"));
const neg: StackInput = {
  type: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
  name: "neg",
  props: { networkEndpointType: "SERVERLESS", region: "europe-west1", cloudRun: { service: "api" } },
};
const policyRes: StackInput = { type: "gcp:compute/securityPolicy:SecurityPolicy", name: "armor", props: {} };

describe("gcp-cloud-armor", () => {
  const backend = (
    props: object,
    deps: Record<string, string[]> = { backends: ["neg"] },
    type = BACKEND,
  ) => ({
    type,
    name: "api",
    props: { backends: [{ group: UNKNOWN }], ...props },
    deps,
  });

  it("an external backend service with a serverless NEG and no policy fails (EXTERNAL is the default scheme)", async () => {
    for (const scheme of [
      {},
      { loadBalancingScheme: "EXTERNAL" },
      { loadBalancingScheme: "EXTERNAL_MANAGED" },
    ]) {
      const ds = await armor([neg, backend(scheme)]);
      assert.equal(ds.length, 1, JSON.stringify(scheme));
      assert.match(ds[0].message, /with no securityPolicy \(Cloud Armor\)/);
    }
  });

  it("passes with a policy in the graph, a literal policy elsewhere, and internal backends", async () => {
    assert.deepEqual(
      await armor([
        neg,
        policyRes,
        backend(
          { loadBalancingScheme: "EXTERNAL_MANAGED", securityPolicy: UNKNOWN },
          { backends: ["neg"], securityPolicy: ["armor"] },
        ),
      ]),
      [],
    );
    assert.deepEqual(
      await armor([neg, backend({ securityPolicy: "projects/p/global/securityPolicies/shared" })]),
      [],
    );
    assert.deepEqual(await armor([neg, backend({ loadBalancingScheme: "INTERNAL_MANAGED" })]), []);
  });

  it("regional external managed backend services are checked; regional defaults to INTERNAL", async () => {
    const regional = "gcp:compute/regionBackendService:RegionBackendService";
    assert.equal(
      (await armor([neg, backend({ loadBalancingScheme: "EXTERNAL_MANAGED" }, undefined, regional)])).length,
      1,
    );
    assert.deepEqual(await armor([neg, backend({}, undefined, regional)]), []);
  });

  it("an unknown securityPolicy that depends on no policy, or an unknown scheme, is 'cannot check'", async () => {
    const ds = await armor([neg, backend({ securityPolicy: UNKNOWN })]);
    assert.equal(cannotCheck(ds).length, 1, JSON.stringify(ds));
    assert.equal(cannotCheck(await armor([neg, backend({ loadBalancingScheme: UNKNOWN })])).length, 1);
  });
});

describe("gcp-bucket-uniform-access and gcp-artifact-registry-immutable-tags", () => {
  it("public access prevention inherited or unspecified fails; enforced with UBLA passes", async () => {
    const rule = "gcp-bucket-uniform-access";
    const type = "gcp:storage/bucket:Bucket";
    for (const pap of [undefined, "inherited", "unspecified"]) {
      const props = pap === undefined ? {} : { publicAccessPrevention: pap };
      const ds = await run(type, { uniformBucketLevelAccess: true, ...props }, rule);
      assert.equal(mandatory(ds).length, 1, String(pap));
      assert.match(ds[0].message, /publicAccessPrevention is/);
    }
    assert.deepEqual(
      await run(type, { uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" }, rule),
      [],
    );
    assert.equal(
      cannotCheck(await run(type, { uniformBucketLevelAccess: true, publicAccessPrevention: UNKNOWN }, rule))
        .length,
      1,
    );
  });

  it("only standard Docker repositories need immutable tags", async () => {
    const rule = "gcp-artifact-registry-immutable-tags";
    const type = "gcp:artifactregistry/repository:Repository";
    const off = await run(type, { format: "DOCKER", dockerConfig: { immutableTags: false } }, rule);
    assert.equal(off[0].enforcement, "advisory");
    assert.match(off[0].message, /dockerConfig\.immutableTags is false/);
    assert.deepEqual(await run(type, { format: "MAVEN" }, rule), []);
    assert.deepEqual(await run(type, { format: "DOCKER", mode: "REMOTE_REPOSITORY" }, rule), []);
    assert.equal(cannotCheck(await run(type, { format: "DOCKER", dockerConfig: UNKNOWN }, rule)).length, 1);
  });
});
