/**
 * Every Kubernetes object Meridian's GKE option produces — the cloud-neutral Workload (components/k8s/)
 * and the Gateway API edge (components/gcp/gkeEdge.ts) — captured with Pulumi mocks and validated against
 * the Kubernetes v1.36 OpenAPI schemas and the Gateway API / GKE CRD schemas (./testing/schema.ts), fully
 * offline. The inputs Pulumi sends are the manifests the provider applies (apiVersion and kind included).
 * The Secrets Store CSI driver's SecretProviderClass has no schema in any npm package: it is checked here
 * only for its required fields. (A `.mock.test.ts` file: Pulumi mocks are process-global, so this suite
 * runs in a mocha process of its own.)
 */
import { strict as assert } from "node:assert";
import type * as K8s from "@pulumi/kubernetes";
import { componentSuite, inputsOf, type CapturedResource } from "../../infra/offline/testing";
import { SCHEMA_KUBERNETES_VERSION, validateManifests } from "./testing/schema";

const PROJECT = "meridian-test-1234";
const SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass";

const suite = componentSuite({
  load: async () => ({
    w: await import("./workload"),
    e: await import("../gcp/gkeEdge"),
    k8s: await import("@pulumi/kubernetes"),
  }),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

/** The Kubernetes objects (not providers, not components) among captured resources. */
const objects = (rs: CapturedResource[]) => rs.filter((r) => r.custom && r.type.startsWith("kubernetes:"));

describe(`Meridian's Kubernetes manifests are valid Kubernetes v${SCHEMA_KUBERNETES_VERSION} objects`, () => {
  let captured: CapturedResource[] = [];
  before(async () => {
    const provider: K8s.Provider = new suite.mod.k8s.Provider("schema-k8s", { kubeconfig: "{}" });
    const workload = await suite.capture(
      new suite.mod.w.Workload("schema", {
        provider,
        image: "europe-docker.pkg.dev/p/r/api@sha256:" + "a".repeat(64),
        environment: { NODE_ENV: "production" },
        secrets: {
          driver: "secrets-store-gke.csi.k8s.io",
          provider: "gke",
          env: [{ name: "DATABASE_URL", resourceName: "projects/p/secrets/db-url/versions/1" }],
          files: [{ path: "db-ca.pem", resourceName: "projects/p/secrets/db-ca/versions/2" }],
        },
        serviceAccountAnnotations: {
          "iam.gke.io/gcp-service-account": `api@${PROJECT}.iam.gserviceaccount.com`,
        },
        job: { name: "refresh-category-counts", schedule: "15 3 * * *" },
        network: {
          ingressFrom: ["35.191.0.0/16", "130.211.0.0/22"],
          egress: [{ name: "database", cidrs: ["10.61.0.0/16"], ports: [5432] }],
        },
      }),
    );
    const edge = await suite.capture(
      new suite.mod.e.GkeEdge("schema-edge", {
        project: PROJECT,
        provider,
        namespace: workload.component.namespace,
        serviceName: workload.component.serviceName,
        securityPolicyName: "meridian-armor",
        domain: "api.example.com",
      }),
    );
    captured = [...objects(workload.children), ...objects(edge.children)];
  });

  it("captures the objects issue #12 asks for", () => {
    const types = new Set(captured.map((r) => r.type));
    for (const t of [
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "kubernetes:policy/v1:PodDisruptionBudget",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:batch/v1:Job",
      "kubernetes:batch/v1:CronJob",
      "kubernetes:gateway.networking.k8s.io/v1:Gateway",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      "kubernetes:networking.gke.io/v1:GCPBackendPolicy",
      SPC,
    ])
      assert.ok(types.has(t), `no ${t} among ${[...types].join(", ")}`);
  });

  it("every object with a published schema validates against it", async () => {
    const withSchema = captured.filter((r) => r.type !== SPC);
    const manifests = withSchema.map((r) => inputsOf(r));
    const problems = await validateManifests(manifests);
    const failures = withSchema.flatMap((r, i) => problems[i].map((p) => `${r.type} ${r.name}: ${p}`));
    assert.deepEqual(failures, []);
    assert.ok(withSchema.length >= 12, `only ${withSchema.length} objects validated`);
  });

  it("every manifest carries apiVersion and kind matching its Pulumi type", () => {
    for (const r of captured) {
      const m = inputsOf(r);
      const [, mod, kind] = r.type.split(":");
      assert.equal(m.apiVersion, mod.replace(/^core\//, ""), r.name);
      assert.equal(m.kind, kind, r.name);
    }
  });

  it("the SecretProviderClass (no published schema) has the fields the CSI driver requires", () => {
    for (const r of captured.filter((x) => x.type === SPC)) {
      const m = inputsOf(r);
      assert.equal(typeof m.spec?.provider, "string", r.name);
      assert.ok(m.spec?.parameters && typeof m.spec.parameters === "object", `${r.name}: spec.parameters`);
    }
  });
});
