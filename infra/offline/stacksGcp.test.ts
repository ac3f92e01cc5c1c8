/**
 * The GCP option of Meridian's stacks through the offline engine: every part in the graph, dev vs prod,
 * IAM and posture.identities, labels, a released image, and meridian:runtime=gke.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { checkOutputsContract } from "../../components/shared/contracts";
import { preview } from "./test/cli";
import { compareShapes, count, Doc, graph, stackDoc } from "./test/stackGraphs";

describe("Meridian stacks through the offline engine", function () {
  this.timeout(180_000);

  it("meridian:runtime=gke: dev and prod preview the cluster and the workload, pass the pack and keep the contract", () => {
    // prod with a released image (the whole workload), dev before the first release (paused: 0 replicas, no migrate).
    const image = `us-central1-docker.pkg.dev/meridian-prod-4821/meridian-prod-api/api@sha256:${"0".repeat(64)}`;
    for (const stack of ["dev", "prod"]) {
      const released = stack === "prod";
      const r = preview([
        "--stack",
        stack,
        "--cloud",
        "gcp",
        "--config",
        "meridian:runtime=gke",
        ...(released ? ["--config", `meridian:image=${image}`] : []),
        "--format",
        "json",
        "-q",
      ]);
      assert.equal(r.code, 0, `preview ${stack}/gcp gke failed:\n${r.stderr}`);
      const doc = JSON.parse(r.stdout);
      assert.deepEqual(checkOutputsContract(doc.outputs), [], `${stack}/gke: missing contract paths`);
      const shape = compareShapes(graph(stack, "gcp").outputs, doc.outputs);
      assert.deepEqual(
        shape,
        { differ: [], onlyA: [], onlyB: [] },
        `${stack}: gke outputs differ from Cloud Run's`,
      );
      for (const type of [
        "gcp:container/cluster:Cluster",
        "kubernetes:core/v1:Namespace",
        "kubernetes:apps/v1:Deployment",
        "kubernetes:batch/v1:CronJob",
        "kubernetes:policy/v1:PodDisruptionBudget",
        "kubernetes:gateway.networking.k8s.io/v1:Gateway",
        "kubernetes:networking.gke.io/v1:GCPBackendPolicy",
      ])
        assert.equal(count(doc, type), 1, `${stack}/gke: ${type}`);
      for (const type of ["kubernetes:batch/v1:Job", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"])
        assert.equal(count(doc, type), released ? 1 : 0, `${stack}/gke: ${type}`);
      assert.equal(count(doc, "gcp:cloudrunv2/service:Service"), 0, "no Cloud Run service on gke");
      assert.equal(count(doc, "kubernetes:core/v1:Secret"), 0, "no plain Kubernetes Secret");
      assert.equal(doc.outputs.release.migrate.name, "meridian-api-migrate");
      const syntax = spawnSync("bash", ["-n", "-c", doc.outputs.release.migrate.command], {
        encoding: "utf8",
      });
      assert.equal(syntax.status, 0, syntax.stderr);
    }
  });

  it("GCP: the whole option is in the graph, and prod differs from dev where it should", () => {
    const all = (doc: Doc, type: string) => doc.resources.filter((r: Doc) => r.type === type);
    const has = (doc: Doc, type: string, min = 1) =>
      assert.ok(count(doc, type) >= min, `${doc.stack}: expected ${min}+ ${type}, found ${count(doc, type)}`);
    const one = (doc: Doc, type: string) => {
      const found = all(doc, type);
      assert.equal(found.length, 1, `${doc.stack}: expected one ${type}, found ${found.length}`);
      return found[0].inputs;
    };
    for (const stack of ["dev", "prod"]) {
      const doc = graph(stack, "gcp");
      for (const type of [
        "gcp:cloudscheduler/job:Job",
        "gcp:artifactregistry/repository:Repository",
        "gcp:compute/uRLMap:URLMap",
        "gcp:compute/backendBucket:BackendBucket",
        "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
        "gcp:monitoring/dashboard:Dashboard",
      ])
        has(doc, type);
      has(doc, "gcp:cloudrunv2/job:Job", 2); // migrate and the scheduled job
      has(doc, "gcp:compute/globalForwardingRule:GlobalForwardingRule", 2); // 443 and the 80 redirect
      has(doc, "gcp:secretmanager/secret:Secret", 4);
      has(doc, "gcp:monitoring/alertPolicy:AlertPolicy", 8);

      const run = one(doc, "gcp:cloudrunv2/service:Service");
      assert.equal(run.ingress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
      assert.equal(run.template.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN2");
      // Secrets reach the service as pinned Secret Manager references, never as plain values.
      const env = run.template.containers[0].envs as Doc[];
      for (const name of ["DATABASE_URL", "ADMIN_API_KEY"]) {
        const e = env.find((x: Doc) => x.name === name);
        assert.ok(e?.valueSource?.secretKeyRef, `${stack}: ${name} is not a secret reference`);
        assert.notEqual(e.valueSource.secretKeyRef.version, "latest", `${stack}: ${name} is not pinned`);
        assert.equal(e.value, undefined);
      }

      const neg = one(doc, "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup");
      assert.equal(neg.networkEndpointType, "SERVERLESS");
      const backend = one(doc, "gcp:compute/backendService:BackendService");
      assert.equal(backend.loadBalancingScheme, "EXTERNAL_MANAGED");
      assert.ok(backend.securityPolicy, `${stack}: the API backend has no Cloud Armor policy`);
      has(doc, "gcp:compute/securityPolicy:SecurityPolicy");
      const proxy = one(doc, "gcp:compute/targetHttpsProxy:TargetHttpsProxy");
      assert.ok(proxy.sslPolicy, `${stack}: the HTTPS proxy has no SSL policy`);
      const ssl = one(doc, "gcp:compute/sSLPolicy:SSLPolicy");
      assert.ok(["MODERN", "RESTRICTED"].includes(ssl.profile), ssl.profile);
      assert.equal(ssl.minTlsVersion, "TLS_1_2");
      // Port 80 only redirects: its URL map has a default redirect to HTTPS and no backend.
      const httpProxy = one(doc, "gcp:compute/targetHttpProxy:TargetHttpProxy");
      const redirectMap = doc.resources.find((r: Doc) =>
        r.urn.endsWith(`::${httpProxy.urlMap.split("/").pop()}`),
      );
      const maps = all(doc, "gcp:compute/uRLMap:URLMap").map((r: Doc) => r.inputs);
      assert.ok(
        maps.some((m: Doc) => m.defaultUrlRedirect?.httpsRedirect === true && !m.defaultService),
        `${stack}: no redirect-only URL map (${redirectMap?.urn ?? "?"})`,
      );
      const cdnBucket = one(doc, "gcp:compute/backendBucket:BackendBucket");
      assert.equal(cdnBucket.enableCdn, true);

      const buckets = all(doc, "gcp:storage/bucket:Bucket").map((r: Doc) => r.inputs);
      assert.ok(buckets.length >= 1);
      for (const b of buckets) {
        assert.equal(b.uniformBucketLevelAccess, true, `${stack}: bucket ${b.name} without UBLA`);
        assert.equal(b.publicAccessPrevention, "enforced", `${stack}: bucket ${b.name} without PAP`);
      }

      const sql = one(doc, "gcp:sql/databaseInstance:DatabaseInstance");
      assert.match(sql.databaseVersion, /^POSTGRES_(1[6-9])$/);
      assert.equal(sql.settings.ipConfiguration.ipv4Enabled, false);
      assert.ok(!sql.settings.ipConfiguration.authorizedNetworks?.length, "authorized networks");
      assert.ok(
        ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"].includes(
          sql.settings.ipConfiguration.sslMode,
        ),
      );
      assert.equal(sql.settings.backupConfiguration.enabled, true);
      assert.equal(sql.settings.backupConfiguration.pointInTimeRecoveryEnabled, true);

      const redis = one(doc, "gcp:redis/instance:Instance");
      assert.equal(redis.transitEncryptionMode, "SERVER_AUTHENTICATION");
      assert.equal(redis.authEnabled, true);

      // Every secret has its own accessor binding; nothing grants secretAccessor on the project.
      const secrets = all(doc, "gcp:secretmanager/secret:Secret");
      const accessors = all(doc, "gcp:secretmanager/secretIamMember:SecretIamMember").map(
        (r: Doc) => r.inputs,
      );
      for (const sec of secrets) {
        assert.ok(
          accessors.some((a: Doc) => a.secretId === sec.inputs.secretId || a.secretId === sec.id),
          `${stack}: secret ${sec.inputs.secretId} has no per-secret accessor binding`,
        );
      }
    }
    const dev = graph("dev", "gcp");
    const prod = graph("prod", "gcp");
    const sql = (doc: Doc) => one(doc, "gcp:sql/databaseInstance:DatabaseInstance");
    assert.deepEqual([sql(dev).settings.availabilityType, sql(dev).deletionProtection], ["ZONAL", false]);
    assert.deepEqual(
      [
        sql(prod).settings.availabilityType,
        sql(prod).deletionProtection,
        sql(prod).settings.deletionProtectionEnabled,
      ],
      ["REGIONAL", true, true],
    );
    const redis = (doc: Doc) => one(doc, "gcp:redis/instance:Instance");
    assert.equal(redis(dev).tier, "BASIC");
    assert.equal(redis(prod).tier, "STANDARD_HA");
    assert.equal(redis(prod).readReplicasMode, "READ_REPLICAS_ENABLED");
    assert.equal(redis(prod).persistenceConfig?.persistenceMode, "RDB");
    const armor = (doc: Doc) => one(doc, "gcp:compute/securityPolicy:SecurityPolicy");
    assert.equal(armor(prod).adaptiveProtectionConfig?.layer7DdosDefenseConfig?.enable, true);
    assert.equal(prod.outputs.apiUrl, "https://api.meridian.example.com");
    for (const doc of [dev, prod]) {
      assert.match(String(doc.outputs.apiUrl), /^https:\/\//);
      assert.match(String(doc.outputs.cdnUrl), /^https:\/\//);
      assert.equal(doc.outputs.posture.edge.waf, true);
      assert.equal(doc.outputs.posture.edge.httpRedirect, true);
      assert.equal(doc.outputs.posture.database.clientVerification, "verify-full");
    }
  });

  it("GCP prod with a released image: the service runs at least 2 instances of exactly that digest", () => {
    const image = `us-central1-docker.pkg.dev/meridian-prod-4821/meridian-prod-api/api@sha256:${"ab".repeat(32)}`;
    const doc = stackDoc("prod", "gcp", [`meridian:image=${image}`]);
    const run = doc.resources.find((x: Doc) => x.type === "gcp:cloudrunv2/service:Service").inputs;
    assert.equal(run.template.containers[0].image, image);
    assert.ok(run.template.scaling.minInstanceCount >= 2, JSON.stringify(run.template.scaling));
    assert.equal(doc.outputs.image, image);
    assert.equal(doc.policy.mandatory, 0);
  });

  it("GCP: no basic role and no public member anywhere; every grant appears in posture.identities", () => {
    const IAM = /(Iam|IAM)(Member|Binding|Policy)$/;
    for (const stack of ["dev", "prod"]) {
      const doc = graph(stack, "gcp");
      const iam = doc.resources.filter((r: Doc) => r.custom && IAM.test(r.type));
      assert.ok(iam.length >= 6, `${stack}: only ${iam.length} IAM resources`);
      const identities: Doc[] = doc.outputs.posture.identities;
      for (const r of iam) {
        const bindings: { role: string; members: string[] }[] = r.type.endsWith("Policy")
          ? JSON.parse(r.inputs.policyData).bindings
          : [{ role: r.inputs.role, members: r.inputs.members ?? [r.inputs.member] }];
        for (const b of bindings) {
          assert.ok(!["roles/owner", "roles/editor", "roles/viewer"].includes(b.role), `${r.urn}: ${b.role}`);
          for (const m of b.members) {
            assert.ok(!["allUsers", "allAuthenticatedUsers"].includes(m), `${r.urn}: public member ${m}`);
            const principal = /^serviceAccount:([^@]+)@/.exec(m)?.[1];
            if (!principal || !m.endsWith(".iam.gserviceaccount.com")) continue;
            // Google-managed agents (service-<n>@gcp-sa-..., cloud-cdn-fill) are listed under their own label.
            const entry = identities.find((i: Doc) => i.name === principal || m.includes(i.name));
            assert.ok(entry, `${stack}: ${m} (${b.role}) is not in posture.identities`);
            assert.ok(
              entry.permissions.some((p: string) => p.startsWith(`${b.role} on `)),
              `${stack}: posture for ${principal} lacks ${b.role}: ${entry.permissions.join("; ")}`,
            );
          }
        }
        if (r.type === "gcp:projects/iAMMember:IAMMember") {
          assert.ok(
            ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/cloudtrace.agent"].includes(
              r.inputs.role,
            ),
            `${r.urn}: project-level ${r.inputs.role}`,
          );
        }
      }
    }
  });

  it("labels every labellable GCP resource with the standard set", () => {
    for (const stack of ["dev", "prod"]) {
      const doc = graph(stack, "gcp");
      // Monitoring resources carry resource labels in `userLabels` (a channel's `labels` are its settings).
      const labelsOf = (r: Doc) =>
        r.type.startsWith("gcp:monitoring/") ? r.inputs.userLabels : r.inputs.labels;
      const labelled = doc.resources.filter((r: Doc) => r.custom && labelsOf(r));
      assert.ok(labelled.length >= 8, `${stack}: only ${labelled.length} labelled resources`);
      for (const r of labelled) {
        for (const k of ["app", "environment", "owner", "cost-center", "managed-by"]) {
          assert.ok(k in labelsOf(r), `${r.urn} lacks label ${k}`);
        }
      }
    }
  });
});
