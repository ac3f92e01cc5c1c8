import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { componentSuite, inputsOf } from "../../infra/offline/testing";
import type * as ServiceModule from "./service";

const T = {
  service: "gcp:cloudrunv2/service:Service",
  projectMember: "gcp:projects/iAMMember:IAMMember",
  api: "gcp:projects/service:Service",
} as const;

const PROJECT = "meridian-test-1234";
const DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const IMAGE = `us-central1-docker.pkg.dev/${PROJECT}/meridian/api@sha256:${DIGEST}`;

const suite = componentSuite({
  load: () => import("./service"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

const runtime = {
  account: undefined as never,
  accountId: "meridian-test-runtime",
  email: pulumi.output(`meridian-test-runtime@${PROJECT}.iam.gserviceaccount.com`),
  member: pulumi.output(`serviceAccount:meridian-test-runtime@${PROJECT}.iam.gserviceaccount.com`),
};
const vpcAccess = {
  egress: "PRIVATE_RANGES_ONLY" as const,
  networkInterfaces: [{ network: "net-vpc", subnetwork: "net-subnet" }],
};

type Args = Partial<ServiceModule.ServiceArgs>;
function args(extra: Args = {}): ServiceModule.ServiceArgs {
  return {
    project: PROJECT,
    region: "us-central1",
    serviceAccount: runtime,
    vpcAccess,
    labels: { app: "meridian", environment: "test" },
    ...extra,
  };
}

async function build(name: string, extra: Args = {}) {
  const c = await suite.capture(new suite.mod.Service(name, args(extra)));
  const svc = inputsOf(c.one(T.service));
  const app = svc.template.containers[0];
  const env = Object.fromEntries(app.envs.map((e: { name: string }) => [e.name, e]));
  return { ...c, svc, app, env };
}

describe("gcp Service (mocks)", () => {
  describe("prod-like: pinned image, secrets, CA file, collector", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
      b = await build("api-prod", {
        image: IMAGE,
        requireDigest: true,
        minInstances: 2,
        maxInstances: 10,
        deletionProtection: true,
        otelCollector: true,
        environment: {
          DATABASE_SSL_CA_FILE: "/secrets/db-ca/ca.pem",
          CORS_ALLOWED_ORIGINS: "https://x.example",
        },
        secrets: { DATABASE_URL: { secretId: "meridian-db-url", version: "3" } },
        secretFiles: { "/secrets/db-ca/ca.pem": { secretId: "meridian-db-ca", version: "1" } },
      });
    });

    it("takes traffic only from the load balancer, with no public invoker binding", () => {
      assert.equal(b.svc.ingress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
      assert.equal(b.svc.invokerIamDisabled, true);
      assert.equal(b.all("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").length, 0);
      assert.equal(b.all("gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding").length, 0);
      assert.deepEqual(b.component.posture.publicEndpoints, []);
      assert.equal(b.component.posture.ingress.runAppUrlPublic, false);
    });

    it("runs gen2 as the runtime account, with VPC egress to private ranges", () => {
      assert.equal(b.svc.template.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN2");
      assert.equal(b.svc.template.serviceAccount, `meridian-test-runtime@${PROJECT}.iam.gserviceaccount.com`);
      assert.deepEqual(b.svc.template.vpcAccess, vpcAccess);
      assert.equal(b.svc.deletionProtection, true);
      assert.deepEqual(b.svc.template.scaling, { minInstanceCount: 2, maxInstanceCount: 10 });
      assert.equal(b.svc.template.maxInstanceRequestConcurrency, 80);
      assert.equal(b.svc.template.timeout, "30s");
      assert.equal(b.svc.name, "api-prod");
      assert.deepEqual(b.svc.labels, { app: "meridian", environment: "test" });
    });

    it("runs the pinned image on 8080 with the contract's probes and shutdown budget", () => {
      assert.equal(b.app.image, IMAGE);
      assert.deepEqual(b.app.ports, { containerPort: 8080, name: "http1" });
      assert.equal(b.app.startupProbe.httpGet.path, "/health/ready");
      assert.equal(b.app.livenessProbe.httpGet.path, "/health/live");
      assert.equal(b.env.SHUTDOWN_TIMEOUT_MS.value, "8000");
      assert.equal(b.env.PORT, undefined, "Cloud Run sets PORT itself");
      assert.deepEqual(b.app.resources.limits, { cpu: "1", memory: "512Mi" });
      assert.equal(b.component.placeholder, false);
    });

    it("injects secrets by reference pinned to a version, and the CA as a read-only file", () => {
      assert.deepEqual(b.env.DATABASE_URL.valueSource, {
        secretKeyRef: { secret: "meridian-db-url", version: "3" },
      });
      assert.equal(b.env.DATABASE_URL.value, undefined);
      assert.equal(b.env.DATABASE_SSL_CA_FILE.value, "/secrets/db-ca/ca.pem");
      const vol = b.svc.template.volumes[0];
      assert.equal(vol.secret.secret, "meridian-db-ca");
      assert.deepEqual(vol.secret.items, [{ path: "ca.pem", version: "1", mode: 0o444 }]);
      assert.deepEqual(b.app.volumeMounts, [{ name: vol.name, mountPath: "/secrets/db-ca" }]);
    });

    it("adds the pinned collector sidecar and points the app at it", () => {
      const sidecar = b.svc.template.containers[1];
      assert.equal(sidecar.name, "otel-collector");
      assert.match(sidecar.image, /otelcol-google:\d+\.\d+\.\d+$/);
      assert.equal(sidecar.ports, undefined, "only the ingress container has a port");
      assert.equal(b.env.OTEL_EXPORTER_OTLP_ENDPOINT.value, "http://localhost:4318");
      assert.deepEqual(b.app.dependsOns, ["otel-collector"]);
      const config = JSON.parse(sidecar.envs[0].value);
      assert.deepEqual(config.service.pipelines.traces.exporters, ["googlecloud"]);
    });

    it("grants exactly the telemetry roles on the project, recorded in grants", () => {
      const members = b.all(T.projectMember).map(inputsOf);
      assert.deepEqual(members.map((m) => m.role).sort(), [
        "roles/cloudtrace.agent",
        "roles/logging.logWriter",
        "roles/monitoring.metricWriter",
      ]);
      for (const m of members)
        assert.equal(m.member, `serviceAccount:meridian-test-runtime@${PROJECT}.iam.gserviceaccount.com`);
      assert.deepEqual(
        b.component.grants.map((g) => `${g.principal} ${g.role} ${g.on}`).sort(),
        members.map((m) => `meridian-test-runtime ${m.role} project ${PROJECT}`).sort(),
      );
    });

    it("enables the Cloud Run and Cloud Trace APIs", () => {
      assert.deepEqual(
        b
          .all(T.api)
          .map((a) => inputsOf(a).service)
          .sort(),
        ["cloudtrace.googleapis.com", "run.googleapis.com"],
      );
    });
  });

  describe("before an image is released", () => {
    it("deploys Google's placeholder with 0-1 instances and says so", async () => {
      const b = await build("api-boot", { minInstances: 2, maxInstances: 5 });
      assert.equal(b.app.image, "us-docker.pkg.dev/cloudrun/container/hello");
      assert.deepEqual(b.svc.template.scaling, { minInstanceCount: 0, maxInstanceCount: 1 });
      assert.equal(b.component.placeholder, true);
      assert.match(b.component.deployment, /placeholder/);
      assert.equal(b.svc.deletionProtection, false);
      assert.equal(b.svc.template.containers.length, 1);
    });
  });

  describe("validation (before anything is registered)", () => {
    const bad = (extra: Args, re: RegExp) =>
      assert.throws(() => new suite.mod.Service("bad", args(extra)), re);

    it("requires a digest when asked", () =>
      bad(
        { image: "us-docker.pkg.dev/p/r/api:1.0", requireDigest: true },
        /Service "bad": image is .* requireDigest is true/,
      ));
    it("refuses secrets in plain environment", () => {
      bad({ environment: { JWT_SECRET: "x" } }, /environment\.JWT_SECRET looks like a secret/);
      bad(
        { environment: { DATABASE_URL: "postgres://u:pw@10.0.0.3/db" } },
        /environment\.DATABASE_URL is a URL with credentials/,
      );
    });
    it("refuses a secret version that is not pinned", () =>
      bad(
        { secrets: { REDIS_URL: { secretId: "r", version: "latest" } } },
        /secrets\.REDIS_URL\.version is "latest"/,
      ));
    it("refuses sizes Cloud Run does not run", () =>
      bad({ cpu: 2, memoryMiB: 256 }, /memoryMiB 256: Cloud Run with 2 vCPU/));
    it("names min/max and concurrency errors", () => {
      bad({ minInstances: 3, maxInstances: 2 }, /minInstances \(3\) is greater than maxInstances \(2\)/);
      bad({ concurrency: 0 }, /concurrency is 0; allowed: an integer from 1 to 1000/);
      bad({ requestTimeoutSeconds: 7200 }, /requestTimeoutSeconds is 7200/);
    });
    it("requires the VPC access and the runtime account", () => {
      bad({ vpcAccess: undefined }, /vpcAccess is undefined/);
      bad({ serviceAccount: undefined }, /serviceAccount is undefined/);
    });
    it("refuses a secret file over a system directory", () =>
      bad(
        { secretFiles: { "/etc/ca.pem": { secretId: "c", version: "1" } } },
        /secretFiles path "\/etc\/ca.pem" would hide \/etc/,
      ));
  });
});
