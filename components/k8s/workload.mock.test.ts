import { strict as assert } from "node:assert";
import { componentSuite, inputsOf } from "../../infra/offline/testing";
import type * as WorkloadModule from "./workload";
import type * as K8s from "@pulumi/kubernetes";

const T = {
  namespace: "kubernetes:core/v1:Namespace",
  sa: "kubernetes:core/v1:ServiceAccount",
  service: "kubernetes:core/v1:Service",
  deployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  job: "kubernetes:batch/v1:Job",
  cron: "kubernetes:batch/v1:CronJob",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  spc: "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass",
} as const;

const suite = componentSuite({
  load: async () => ({ w: await import("./workload"), k8s: await import("@pulumi/kubernetes") }),
  config: {},
});

let provider: K8s.Provider | undefined;
function theProvider(): K8s.Provider {
  provider ??= new suite.mod.k8s.Provider("test-k8s", { kubeconfig: "{}" });
  return provider;
}

const NETWORK = {
  ingressFrom: ["35.191.0.0/16", "130.211.0.0/22"],
  egress: [{ name: "database", cidrs: ["10.61.0.0/16"], ports: [5432] }],
};

async function build(name: string, args: Partial<WorkloadModule.WorkloadArgs> = {}) {
  const c = await suite.capture(
    new suite.mod.w.Workload(name, {
      provider: theProvider(),
      image: "europe-docker.pkg.dev/p/r/api@sha256:" + "a".repeat(64),
      environment: { NODE_ENV: "production" },
      secrets: {
        driver: "secrets-store-gke.csi.k8s.io",
        provider: "gke",
        env: [{ name: "DATABASE_URL", resourceName: "projects/p/secrets/db-url/versions/1" }],
        files: [{ path: "db-ca.pem", resourceName: "projects/p/secrets/db-ca/versions/2" }],
      },
      job: { name: "refresh-category-counts", schedule: "15 3 * * *" },
      network: NETWORK,
      ...args,
    }),
  );
  return c;
}

/** The Pod spec of a Deployment, Job or CronJob's inputs. */
function podOf(type: string, inputs: Record<string, any>): Record<string, any> {
  if (type === T.cron) return inputs.spec.jobTemplate.spec.template.spec;
  return inputs.spec.template.spec;
}

describe("k8s Workload (mocks)", () => {
  it("creates the namespace with Pod Security Admission restricted in enforce, audit and warn modes", async () => {
    const b = await build("wl-ns");
    const labels = inputsOf(b.one(T.namespace)).metadata.labels;
    assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
    assert.equal(labels["pod-security.kubernetes.io/audit"], "restricted");
    assert.equal(labels["pod-security.kubernetes.io/warn"], "restricted");
  });

  it("hardens every Pod (Deployment, migrate Job, CronJob) to the restricted standard with a read-only root", async () => {
    const b = await build("wl-pods");
    for (const type of [T.deployment, T.job, T.cron]) {
      const pod = podOf(type, inputsOf(b.one(type)));
      assert.equal(pod.automountServiceAccountToken, false, type);
      assert.equal(pod.securityContext.runAsNonRoot, true, type);
      assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault", type);
      const [c] = pod.containers;
      assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] }, type);
      assert.equal(c.securityContext.allowPrivilegeEscalation, false, type);
      assert.equal(c.securityContext.readOnlyRootFilesystem, true, type);
      assert.equal(c.securityContext.runAsUser, 1000, type);
      assert.deepEqual(c.resources, {
        requests: { cpu: "250m", memory: "512Mi" },
        limits: { cpu: "500m", memory: "1Gi" },
      });
      const tmp = pod.volumes.find((v: any) => v.name === "tmp");
      assert.ok(tmp.emptyDir, `${type}: /tmp is an emptyDir`);
      assert.ok(
        c.volumeMounts.some((m: any) => m.mountPath === "/tmp" && m.name === "tmp"),
        type,
      );
    }
  });

  it("probes the workload contract's paths, pauses in preStop and drains within the grace period", async () => {
    const b = await build("wl-probes");
    const d = inputsOf(b.one(T.deployment));
    const pod = d.spec.template.spec;
    const [c] = pod.containers;
    assert.equal(c.startupProbe.httpGet.path, "/health/ready");
    assert.equal(c.readinessProbe.httpGet.path, "/health/ready");
    assert.equal(c.livenessProbe.httpGet.path, "/health/live");
    assert.deepEqual(c.lifecycle.preStop.exec.command, ["/bin/sh", "-c", "sleep 10"]);
    const drainMs = Number(c.env.find((e: any) => e.name === "SHUTDOWN_TIMEOUT_MS").value);
    assert.ok(pod.terminationGracePeriodSeconds >= 10 + drainMs / 1000, "preStop + drain fit before SIGKILL");
    assert.deepEqual(d.spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });
    const zones = pod.topologySpreadConstraints.find(
      (t: any) => t.topologyKey === "topology.kubernetes.io/zone",
    );
    assert.equal(zones.maxSkew, 1);
  });

  it("mounts secrets from the CSI driver and never creates a Kubernetes Secret or a secret env value", async () => {
    const b = await build("wl-secrets");
    assert.equal(b.all("kubernetes:core/v1:Secret").length, 0);
    const spc = inputsOf(b.one(T.spc));
    assert.equal(spc.spec.provider, "gke");
    assert.deepEqual(JSON.parse(spc.spec.parameters.secrets), [
      { resourceName: "projects/p/secrets/db-url/versions/1", path: "DATABASE_URL" },
      { resourceName: "projects/p/secrets/db-ca/versions/2", path: "db-ca.pem" },
    ]);
    const pod = inputsOf(b.one(T.deployment)).spec.template.spec;
    const csi = pod.volumes.find((v: any) => v.csi).csi;
    assert.equal(csi.driver, "secrets-store-gke.csi.k8s.io");
    assert.equal(csi.volumeAttributes.secretProviderClass, spc.metadata.name);
    const [c] = pod.containers;
    assert.ok(!c.env.some((e: any) => e.name === "DATABASE_URL"), "the secret is not a plain env value");
    assert.match(c.command[2], /DATABASE_URL="\$\(cat \/var\/run\/secrets\/meridian\/DATABASE_URL\)"/);
    assert.deepEqual(c.args, ["node", "dist/server.js"]);
  });

  it("runs the migrate Job before the Deployment and the scheduled job as a CronJob that never overlaps", async () => {
    const b = await build("wl-jobs");
    const job = b.one(T.job);
    const deployment = b.one(T.deployment);
    assert.ok(deployment.dependencies.includes(job.urn), "the Deployment depends on the migrate Job");
    assert.deepEqual(inputsOf(job).spec.template.spec.containers[0].args, ["node", "dist/cli.js", "migrate"]);
    const cron = inputsOf(b.one(T.cron));
    assert.equal(cron.spec.concurrencyPolicy, "Forbid");
    assert.equal(cron.spec.schedule, "15 3 * * *");
    assert.deepEqual(cron.spec.jobTemplate.spec.template.spec.containers[0].args, [
      "node",
      "dist/cli.js",
      "job",
      "refresh-category-counts",
    ]);
  });

  it("rolls back by config (the image is the only input that changes) and keeps ReplicaSets for `rollout undo`", async () => {
    const previous = "europe-docker.pkg.dev/p/r/api@sha256:" + "b".repeat(64);
    const b = await build("wl-rollback", { image: previous });
    const d = b.one(T.deployment);
    assert.equal(inputsOf(d).spec.template.spec.containers[0].image, previous);
    assert.equal(inputsOf(b.one(T.job)).spec.template.spec.containers[0].image, previous);
    assert.equal(inputsOf(d).spec.revisionHistoryLimit, 5, "old ReplicaSets kept for kubectl rollout undo");
    // A new image replaces the fixed-name migrate Job: it must be deleted first.
    assert.equal(b.one(T.job).options.deleteBeforeReplace, true);
    // `pulumi up` waits for the whole deadline (1800 s), not the provider's 10-minute Job default.
    assert.equal(inputsOf(b.one(T.job)).spec.activeDeadlineSeconds, 1800);
    assert.deepEqual(b.one(T.job).options.customTimeouts, { create: "31m", update: "31m" });
  });

  it("paused (before the first release): 0 replicas, no autoscaler, no migrate Job, the CronJob suspended", async () => {
    const b = await build("wl-paused", { paused: true });
    assert.equal(inputsOf(b.one(T.deployment)).spec.replicas, 0);
    assert.equal(b.all(T.hpa).length, 0);
    assert.equal(b.all(T.job).length, 0);
    assert.equal(inputsOf(b.one(T.cron)).spec.suspend, true);
    assert.equal(b.all(T.service).length, 1, "the Service stays for the Gateway");
  });

  it("scales on CPU and memory, keeps one Pod per disruption, and exposes a ClusterIP Service only", async () => {
    const b = await build("wl-scale", { replicas: { min: 2, max: 6 } });
    const hpa = inputsOf(b.one(T.hpa));
    assert.deepEqual(
      hpa.spec.metrics.map((m: any) => m.resource.name),
      ["cpu", "memory"],
    );
    assert.equal(hpa.spec.minReplicas, 2);
    assert.equal(hpa.spec.maxReplicas, 6);
    assert.equal(inputsOf(b.one(T.pdb)).spec.maxUnavailable, 1);
    assert.equal(inputsOf(b.one(T.service)).spec.type, "ClusterIP");
  });

  it("denies all traffic by default, allows the app port only from the load balancer, and egress DNS + listed", async () => {
    const b = await build("wl-net");
    const byName = Object.fromEntries(
      b.all(T.netpol).map((r) => [inputsOf(r).metadata.name, inputsOf(r).spec]),
    );
    assert.deepEqual(byName["default-deny"], { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const ingress = byName["api-ingress-from-lb"].ingress[0];
    assert.deepEqual(
      ingress.from.map((f: any) => f.ipBlock.cidr),
      NETWORK.ingressFrom,
    );
    assert.deepEqual(ingress.ports, [{ protocol: "TCP", port: 8080 }]);
    assert.ok(byName["egress-dns"]);
    assert.deepEqual(byName["egress-database"].egress[0].ports, [{ protocol: "TCP", port: 5432 }]);
  });

  it("maps the ServiceAccount to the cloud identity by annotation and mounts no token", async () => {
    const b = await build("wl-sa", {
      serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": "rt@p.iam.gserviceaccount.com" },
    });
    const sa = inputsOf(b.one(T.sa));
    assert.equal(sa.automountServiceAccountToken, false);
    assert.equal(sa.metadata.annotations["iam.gke.io/gcp-service-account"], "rt@p.iam.gserviceaccount.com");
  });

  it("refuses bad args with the field and what is allowed", () => {
    const bad = (args: Partial<WorkloadModule.WorkloadArgs>, re: RegExp) =>
      assert.throws(
        () =>
          new suite.mod.w.Workload("wl-bad", {
            provider: theProvider(),
            image: "x",
            network: NETWORK,
            ...args,
          }),
        re,
      );
    bad(
      { namespace: "Meridian" },
      /Workload "wl-bad": namespace is "Meridian"; allowed: at most 63 lowercase/,
    );
    bad({ replicas: { min: 3, max: 2 } }, /minReplicas is 3, above maxReplicas = 2/);
    bad(
      { resources: { requests: { cpu: "2", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } } },
      /resources.requests.cpu is "2", above limits.cpu = "1"/,
    );
    bad(
      { network: { ingressFrom: [], egress: [] } },
      /network.ingressFrom is \[\]; allowed: the load balancer's CIDRs/,
    );
    bad({ job: { name: "nightly", schedule: "every day" } }, /job.schedule/);
  });
});
