/**
 * Meridian's own stacks through the offline engine, as a platform team and CI run them:
 * dev and prod on both clouds, the outputs contract, and config errors.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { checkOutputsContract } from "../../components/shared/contracts";
import { preview } from "./test/cli";

type Doc = any;
const graphs = new Map<string, Doc>();

function graph(stack: string, cloud: string): Doc {
  const key = `${stack}/${cloud}`;
  if (!graphs.has(key)) {
    const r = preview(["--stack", stack, "--cloud", cloud, "--format", "json", "-q"]);
    assert.equal(r.code, 0, `preview ${key} failed:\n${r.stderr}`);
    graphs.set(key, JSON.parse(r.stdout));
  }
  return graphs.get(key);
}

/** Objects keyed by names that differ per cloud by design (CIDR names, log destinations). */
const MAPS = new Set(["cidrs", "logRetentionDays"]);
/** Fields the contract types `string | null`: null on one side is the same shape. */
const NULLABLE = new Set(["image", "posture.alarms.destination"]);

/**
 * Compares the shapes (keys and value kinds, not values) of two JSON values. Returns the paths whose kinds
 * differ and the paths only one side has.
 */
function compareShapes(
  a: unknown,
  b: unknown,
  at = "",
): { differ: string[]; onlyA: string[]; onlyB: string[] } {
  const kind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);
  const out = { differ: [] as string[], onlyA: [] as string[], onlyB: [] as string[] };
  if (kind(a) !== kind(b) && !(NULLABLE.has(at) && (a === null || b === null))) {
    out.differ.push(`${at || "(root)"}: ${kind(a)} vs ${kind(b)}`);
    return out;
  }
  if (kind(a) !== "object" || MAPS.has(at.split(".").pop() ?? "")) return out;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    const p = at ? `${at}.${k}` : k;
    if (!(k in y)) out.onlyA.push(p);
    else if (!(k in x)) out.onlyB.push(p);
    else {
      const r = compareShapes(x[k], y[k], p);
      out.differ.push(...r.differ);
      out.onlyA.push(...r.onlyA);
      out.onlyB.push(...r.onlyB);
    }
  }
  return out;
}

const count = (doc: Doc, type: string) => doc.resources.filter((r: Doc) => r.type === type).length;

describe("Meridian stacks through the offline engine", function () {
  this.timeout(180_000);

  for (const stack of ["dev", "prod"]) {
    for (const cloud of ["aws", "gcp"]) {
      it(`${stack}/${cloud}: previews a full network and satisfies the outputs contract`, () => {
        const doc = graph(stack, cloud);
        assert.equal(doc.stack, stack);
        assert.equal(doc.outputs.cloud, cloud);
        assert.equal(doc.outputs.profile, stack);
        assert.deepEqual(checkOutputsContract(doc.outputs), [], "missing contract paths");
        assert.equal(count(doc, `meridian:${cloud}:Network`), 1);
        assert.ok(doc.summary.custom >= 10, `only ${doc.summary.custom} cloud resources`);
        // Every resource created by our own code carries a source position inside the repository.
        for (const r of doc.resources.filter((x: Doc) => x.custom)) {
          assert.ok(r.sourcePosition, `${r.urn} has no source position`);
          assert.doesNotMatch(
            r.sourcePosition.file,
            /^\//,
            `${r.urn}: ${r.sourcePosition.file} is not in the repo`,
          );
        }
      });
    }
  }

  it("both clouds return the same outputs shape", () => {
    for (const stack of ["dev", "prod"]) {
      const r = compareShapes(graph(stack, "aws").outputs, graph(stack, "gcp").outputs);
      assert.deepEqual(r.differ, [], `${stack}: fields whose kind differs between clouds`);
      assert.deepEqual(r.onlyB, [], `${stack}: fields only GCP has`);
      assert.deepEqual(r.onlyA, [], `${stack}: fields only AWS has`);
    }
  });

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

  it("release outputs tell an app developer where to push and how to migrate, on both clouds", () => {
    for (const stack of ["dev", "prod"]) {
      const aws = graph(stack, "aws").outputs.release;
      assert.match(aws.imageRepository, /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/meridian-/);
      assert.equal(aws.registryHost, aws.imageRepository.split("/")[0]);
      assert.ok(aws.service.scope && aws.service.name, "ECS cluster and service");
      assert.ok(aws.migrate.command.includes(`--cluster ${aws.service.scope} `));
      assert.match(
        aws.migrate.command,
        /aws ecs --region \S+ run-task --cluster \S+ --task-definition arn:aws:ecs:[^ ]+:task-definition\/[^ ]+:\d+ /,
      );
      assert.match(
        aws.migrate.command,
        /subnets=\[subnet-[0-9a-f]+(,subnet-[0-9a-f]+)*\],securityGroups=\[sg-[0-9a-f]+\],assignPublicIp=DISABLED/,
      );
      assert.match(aws.migrate.command, /wait tasks-stopped/);
      const gcp = graph(stack, "gcp").outputs.release;
      assert.match(gcp.imageRepository, /^[a-z0-9-]+-docker\.pkg\.dev\/[^/]+\/[^/]+\/api$/);
      assert.equal(gcp.registryHost, gcp.imageRepository.split("/")[0]);
      assert.match(gcp.service.scope, /^projects\/[^/]+\/locations\/[a-z0-9-]+$/);
      assert.match(gcp.migrate.command, /^gcloud run jobs execute \S+ --region \S+ --project \S+ --wait$/);
      // The commands are valid shell (the CLIs themselves are not installed here).
      for (const cmd of [aws.migrate.command, gcp.migrate.command]) {
        const r = spawnSync("bash", ["-n", "-c", cmd], { encoding: "utf8" });
        assert.equal(r.status, 0, `${cmd}\n${r.stderr}`);
      }
    }
  });

  it("meridian:buildImage: the stack builds app/ with awsx ecr.Image and deploys that digest (unknown in a preview)", () => {
    const r = preview([
      "--stack",
      "dev",
      "--cloud",
      "aws",
      "-c",
      "meridian:buildImage=true",
      "--format",
      "json",
      "-q",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const image = doc.resources.find((x: Doc) => x.type === "awsx:ecr:Image");
    const repo = doc.resources.find((x: Doc) => x.type === "aws:ecr/repository:Repository");
    assert.deepEqual(image.inputs, {
      context: ".",
      dockerfile: "app/Dockerfile",
      platform: "linux/amd64",
      repositoryUrl: repo.outputs.repositoryUrl,
    });
    // What a real preview shows too: the digest exists only after the build at `pulumi up`.
    assert.equal(doc.outputs.image, "[unknown]");
    const svc = doc.resources.find((x: Doc) => x.type === "aws:ecs/service:Service");
    assert.ok(svc.inputs.desiredCount > 0, "tasks run: an image is coming");
    assert.match(
      doc.notes.map((n: Doc) => n.message).join("\n"),
      /awsx:ecr:Image is a remote component .* not in the graph .* known only at `pulumi up`/s,
    );
    assert.equal(doc.policy.mandatory, 0);
  });

  it("the app gets what the workload needs on both clouds: Redis, the client-IP trust model, object storage", () => {
    for (const stack of ["dev", "prod"]) {
      const aws = graph(stack, "aws");
      const td = aws.resources.find(
        (x: Doc) => x.type === "aws:ecs/taskDefinition:TaskDefinition" && !x.name.includes("migrate"),
      );
      const api = JSON.parse(td.inputs.containerDefinitions)[0];
      const env = Object.fromEntries(api.environment.map((e: Doc) => [e.name, e.value]));
      const secrets = api.secrets.map((x: Doc) => x.name);
      assert.ok(secrets.includes("REDIS_URL"), `${stack}/aws: REDIS_URL from Secrets Manager`);
      assert.ok(!("REDIS_URL" in env), "never a plain value");
      // dev: CloudFront -> ALB (2 hops); prod with a domain: the ALB faces the internet (1 hop).
      assert.equal(env.SECURITY_TRUST_PROXY, stack === "prod" ? "1" : "2");
      assert.equal(env.STORAGE_BACKEND, "s3");
      const gcp = graph(stack, "gcp");
      const svc = gcp.resources.find((x: Doc) => x.type === "gcp:cloudrunv2/service:Service");
      const envs = svc.inputs.template.containers[0].envs;
      const value = (n: string) => envs.find((e: Doc) => e.name === n);
      assert.ok(value("REDIS_URL").valueSource.secretKeyRef, `${stack}/gcp: REDIS_URL from Secret Manager`);
      assert.ok(value("REDIS_CA_FILE").value);
      assert.equal(value("SECURITY_TRUST_PROXY").value, "google");
      assert.equal(value("STORAGE_BACKEND").value, "gcs");
    }
  });

  it("meridian:webhooks: each webhook secret in the cloud's secret store, injected by reference, readable by the API only", () => {
    const secret = "not-a-real-meta-secret-8841";
    for (const cloud of ["aws", "gcp"]) {
      const r = preview([
        ...["--stack", "dev", "--cloud", cloud, "-c", "meridian:webhooks=whatsapp,telegram"],
        ...["--secret", `meridian:whatsappAppSecret=${secret}`, "--format", "json", "-q"],
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(secret), `${cloud}: the app secret never appears in the report`);
      const doc = JSON.parse(r.stdout);
      const names = ["whatsapp-app-secret", "whatsapp-verify-token", "telegram-webhook-secret"];
      for (const n of names)
        assert.ok(
          doc.outputs.posture.secrets.includes(`meridian-dev-${n}`),
          `${cloud}: ${n} in posture.secrets`,
        );
      const envs = ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "TELEGRAM_WEBHOOK_SECRET"];
      if (cloud === "aws") {
        const td = doc.resources.find(
          (x: Doc) => x.type === "aws:ecs/taskDefinition:TaskDefinition" && !x.name.includes("migrate"),
        );
        const api = JSON.parse(td.inputs.containerDefinitions)[0];
        for (const e of envs) {
          assert.ok(
            api.secrets.some((x: Doc) => x.name === e && /^arn:aws:secretsmanager:/.test(x.valueFrom)),
            e,
          );
          assert.ok(!api.environment.some((x: Doc) => x.name === e), `${e} is never a plain value`);
        }
      } else {
        const svc = doc.resources.find((x: Doc) => x.type === "gcp:cloudrunv2/service:Service");
        for (const e of envs) {
          const env = svc.inputs.template.containers[0].envs.find((x: Doc) => x.name === e);
          assert.ok(env?.valueSource?.secretKeyRef?.version, `${e}: a pinned Secret Manager reference`);
        }
        const accessors = doc.resources.filter(
          (x: Doc) =>
            x.type === "gcp:secretmanager/secretIamMember:SecretIamMember" &&
            /whatsapp|telegram/.test(x.name),
        );
        assert.equal(accessors.length, 3, "one accessor grant per secret, for the runtime identity");
      }
      assert.equal(doc.policy.mandatory, 0);
    }
  });

  it("the outputs contract fails loudly when a section is missing", () => {
    const doc = structuredClone(graph("dev", "gcp").outputs);
    delete doc.posture.database.pointInTimeRecovery;
    delete doc.cdnUrl;
    assert.deepEqual(checkOutputsContract(doc).sort(), ["cdnUrl", "posture.database.pointInTimeRecovery"]);
  });

  it("dev and prod differ where the profile says: AZs and NAT gateways on AWS", () => {
    const dev = graph("dev", "aws");
    const prod = graph("prod", "aws");
    assert.equal(count(dev, "aws:ec2/natGateway:NatGateway"), 1);
    assert.equal(count(prod, "aws:ec2/natGateway:NatGateway"), 3);
    assert.equal(count(dev, "aws:ec2/subnet:Subnet"), 6);
    assert.equal(count(prod, "aws:ec2/subnet:Subnet"), 9);
    assert.equal(prod.outputs.network.egress.strategy, "perAz");
    assert.equal(prod.outputs.posture.network.flowLogs.retentionDays, 90);
  });

  it("AWS: the whole option is in the graph, and prod differs from dev where it should", () => {
    const has = (doc: Doc, type: string, min = 1) =>
      assert.ok(count(doc, type) >= min, `${doc.stack}: expected ${min}+ ${type}, found ${count(doc, type)}`);
    const one = (doc: Doc, type: string) => doc.resources.find((r: Doc) => r.type === type);
    for (const stack of ["dev", "prod"]) {
      const doc = graph(stack, "aws");
      for (const type of [
        "aws:ecs/service:Service",
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:rds/instance:Instance",
        "aws:rds/parameterGroup:ParameterGroup",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws:cloudfront/distribution:Distribution",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:wafv2/webAcl:WebAcl",
        "aws:cloudwatch/dashboard:Dashboard",
        "aws:scheduler/schedule:Schedule",
        "aws:ecr/repository:Repository",
      ])
        has(doc, type);
      has(doc, "aws:ecs/taskDefinition:TaskDefinition", 2); // the service's and the migrate task
      has(doc, "aws:secretsmanager/secret:Secret", 4);
      has(doc, "aws:cloudwatch/metricAlarm:MetricAlarm", 8);
      const db = one(doc, "aws:rds/instance:Instance").inputs;
      assert.equal(db.engine, "postgres");
      assert.equal(db.storageEncrypted, true);
      assert.equal(db.publiclyAccessible, false);
      const params = one(doc, "aws:rds/parameterGroup:ParameterGroup").inputs.parameters;
      assert.ok(
        params.some((p: Doc) => p.name === "rds.force_ssl" && p.value === "1"),
        "force_ssl",
      );
      const redis = one(doc, "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
      assert.equal(redis.transitEncryptionEnabled, true);
      assert.equal(redis.atRestEncryptionEnabled, true);
    }
    const dev = graph("dev", "aws");
    const prod = graph("prod", "aws");
    const db = (doc: Doc) => one(doc, "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db(dev).multiAz, db(dev).deletionProtection], [false, false]);
    assert.deepEqual([db(prod).multiAz, db(prod).deletionProtection], [true, true]);
    const nodes = (doc: Doc) =>
      one(doc, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.numCacheClusters;
    assert.deepEqual([nodes(dev), nodes(prod)], [1, 2]);
    assert.equal(count(dev, "aws:backup/plan:Plan"), 0);
    assert.equal(count(prod, "aws:backup/plan:Plan"), 1);
    assert.equal(count(dev, "aws:rds/proxy:Proxy"), 0);
    assert.equal(count(prod, "aws:rds/proxy:Proxy"), 1);
    // dev has no domain: one listener on 80 that only CloudFront can use; prod: HTTPS plus an HTTP redirect.
    const listeners = (doc: Doc) => doc.resources.filter((r: Doc) => r.type === "aws:lb/listener:Listener");
    assert.deepEqual(
      listeners(dev).map((l: Doc) => l.inputs.protocol),
      ["HTTP"],
    );
    const prodListeners = listeners(prod).map((l: Doc) => l.inputs);
    const https = prodListeners.find((l: Doc) => l.protocol === "HTTPS");
    const http = prodListeners.find((l: Doc) => l.protocol === "HTTP");
    assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert.deepEqual(
      http.defaultActions.map((a: Doc) => [a.type, a.redirect?.protocol]),
      [["redirect", "HTTPS"]],
    );
    assert.equal(count(prod, "aws:wafv2/webAclAssociation:WebAclAssociation"), 1);
    assert.equal(prod.outputs.apiUrl, "https://api.meridian.example.com");
    assert.equal(prod.outputs.posture.edge.minTlsVersion, "TLSv1.2_2021");
  });

  it("AWS: no IAM statement allows a wildcard action; Resource * only for actions AWS cannot scope", () => {
    const { UNSCOPABLE_ACTIONS } =
      require("../../components/aws/iam") as typeof import("../../components/aws/iam");
    for (const stack of ["dev", "prod"]) {
      const docs = graph(stack, "aws").resources.filter((r: Doc) =>
        ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"].includes(r.type),
      );
      assert.ok(docs.length >= 3, `${stack}: only ${docs.length} IAM policies`);
      for (const r of docs) {
        for (const st of JSON.parse(r.inputs.policy).Statement) {
          const actions: string[] = [st.Action].flat();
          const resources: string[] = [st.Resource].flat();
          for (const a of actions) assert.doesNotMatch(a, /\*/, `${r.urn}: action ${a}`);
          if (resources.includes("*"))
            for (const a of actions) assert.ok(UNSCOPABLE_ACTIONS.includes(a), `${r.urn}: ${a} on *`);
        }
      }
    }
  });

  it("AWS prod with a released image: tasks run, the job is scheduled, nothing is waived", () => {
    const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/meridian-prod-api@sha256:${"ab".repeat(32)}`;
    const r = preview([
      "--stack",
      "prod",
      "--cloud",
      "aws",
      "-c",
      `meridian:image=${image}`,
      "--format",
      "json",
      "-q",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const svc = doc.resources.find((x: Doc) => x.type === "aws:ecs/service:Service").inputs;
    assert.ok(svc.desiredCount >= 2, `desiredCount ${svc.desiredCount}`);
    const task = doc.resources.find((x: Doc) => x.name === "meridian-prod-api-task").inputs;
    assert.equal(JSON.parse(task.containerDefinitions)[0].image, image);
    assert.equal(
      doc.resources.find((x: Doc) => x.type === "aws:scheduler/schedule:Schedule").inputs.state,
      "ENABLED",
    );
    assert.equal(doc.outputs.image, image);
    assert.deepEqual(
      doc.policy.findings.filter((f: Doc) => f.status !== "violation" || f.enforcement === "mandatory"),
      [],
      "prod with a pinned image needs no waiver and has no mandatory violation",
    );
    assert.equal(doc.policy.mandatory, 0);
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
    const r = preview([
      "--stack",
      "prod",
      "--cloud",
      "gcp",
      "-c",
      `meridian:image=${image}`,
      "--format",
      "json",
      "-q",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
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

  it("tags every taggable AWS resource with the standard set", () => {
    const doc = graph("prod", "aws");
    const tagged = doc.resources.filter((r: Doc) => r.custom && r.inputs.tags);
    assert.ok(tagged.length >= 15);
    for (const r of tagged) {
      for (const k of ["app", "environment", "owner", "cost-center", "managed-by"]) {
        assert.ok(k in r.inputs.tags, `${r.urn} lacks tag ${k}`);
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

  it("loads only the selected cloud's stack", () => {
    const aws = graph("dev", "aws");
    assert.equal(aws.resources.filter((r: Doc) => r.type.startsWith("gcp:")).length, 0);
    const gcp = graph("dev", "gcp");
    assert.equal(gcp.resources.filter((r: Doc) => r.type.startsWith("aws:")).length, 0);
  });

  it("meridian:cloud=azure fails before any resource, naming the allowed clouds", () => {
    const r = preview(["--stack", "dev", "--config", "meridian:cloud=azure"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /meridian:cloud/);
    assert.match(r.stderr, /azure/);
    assert.match(r.stderr, /aws, gcp/);
    assert.match(r.stderr, /before registering any cloud resource/);
    assert.doesNotMatch(r.stderr, /at Object\.|node:internal/);
  });

  it("reports several config problems at once", () => {
    const r = preview([
      "--stack",
      "prod",
      "--cloud",
      "aws",
      "-c",
      "meridian:vpcCidr=10.40.1.0/33",
      "-c",
      "meridian:minInstances=5",
      "-c",
      "meridian:maxInstances=3",
      "-c",
      "meridian:image=ghcr.io/acme/api:latest",
    ]);
    assert.equal(r.code, 1);
    for (const key of ["meridian:vpcCidr", "meridian:minInstances", "meridian:image"])
      assert.match(r.stderr, new RegExp(key));
  });
});
