/**
 * validateManifest against the pinned Kubernetes v1.36 / Gateway API v1.5.1 / GKE CRD schemas: the policy
 * pack's Kubernetes fixtures are objects the API server accepts, and typical mistakes are reported with
 * the field's JSON pointer.
 */
import { strict as assert } from "node:assert";
import { container, denyAll, KINDS, podSpec } from "../../../policies/test/k8s-fixtures";
import {
  loadSchemas,
  modelFor,
  SCHEMA_KUBERNETES_VERSION,
  validateManifest,
  validateManifests,
} from "./schema";

type Obj = Record<string, unknown>;

/** A Pulumi type token's apiVersion and kind (`kubernetes:apps/v1:Deployment` -> apps/v1, Deployment). */
function typeMeta(type: string): { apiVersion: string; kind: string } {
  const [, mod, kind] = type.split(":");
  return { apiVersion: mod.replace(/^core\//, ""), kind };
}
const manifest = (type: string, props: Obj) => ({ ...typeMeta(type), metadata: { name: "api" }, ...props });

describe(`Kubernetes schema validation (v${SCHEMA_KUBERNETES_VERSION}, offline)`, () => {
  before(() => loadSchemas());

  it("validateManifests loads what it needs; an unloaded apiVersion is a programming error, not a problem", async () => {
    assert.throws(
      () => validateManifest({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass" }),
      /not loaded/,
    );
    const [sc] = await validateManifests([
      { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "s" } },
    ]);
    assert.deepEqual(sc, ["(root) must have required property provisioner"]);
  });

  for (const [type, wrap] of KINDS)
    it(`the pack's compliant ${type.split(":")[2]} fixture is valid`, () => {
      const props = wrap(podSpec());
      const m = manifest(type, props);
      if (type === "kubernetes:core/v1:Pod") Object.assign(m.metadata, props.metadata);
      assert.deepEqual(validateManifest(m), []);
    });

  it("the NetworkPolicy, Namespace, Service and HPA fixtures are valid", () => {
    const np = denyAll("api");
    assert.deepEqual(validateManifest(manifest(np.type, np.props)), []);
    assert.deepEqual(
      validateManifest({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "api", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
      }),
      [],
    );
    assert.deepEqual(
      validateManifest({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "api" },
        spec: { type: "ClusterIP", selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] },
      }),
      [],
    );
    assert.deepEqual(
      validateManifest({
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "api" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [
            {
              type: "Resource",
              resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
            },
          ],
        },
      }),
      [],
    );
  });

  it("reports wrong types, bad quantities and missing required fields with their path", () => {
    const [type, wrap] = KINDS[1];
    const bad = manifest(
      type,
      wrap(
        podSpec(
          {},
          container({ ports: [{ containerPort: "8080" }], resources: { limits: { cpu: "1 core" } } }),
        ),
      ),
    );
    const problems = validateManifest(bad);
    assert.ok(
      problems.includes("/spec/template/spec/containers/0/ports/0/containerPort must be integer"),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) =>
        /^\/spec\/template\/spec\/containers\/0\/resources\/limits\/cpu must match format "quantity"/.test(p),
      ),
    );
    const noContainers = validateManifest({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {},
    });
    assert.deepEqual(noContainers, ["/spec must have required property containers"]);
    assert.deepEqual(validateManifest({ kind: "Pod" }), ["(root) must have apiVersion and kind strings"]);
  });

  it("validates Gateway API and GKE CRDs; says when no package has a schema", () => {
    assert.deepEqual(
      validateManifest({
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "api" },
        spec: { parentRefs: [{ name: "external" }], rules: [{ backendRefs: [{ name: "api", port: 80 }] }] },
      }),
      [],
    );
    assert.ok(
      validateManifest({
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "external" },
        spec: { listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] },
      }).some((p) => /gatewayClassName/.test(p)),
      "Gateway without gatewayClassName",
    );
    assert.deepEqual(
      validateManifest({
        apiVersion: "networking.gke.io/v1",
        kind: "GCPBackendPolicy",
        metadata: { name: "api" },
        spec: {
          default: { securityPolicy: "armor-policy" },
          targetRef: { group: "", kind: "Service", name: "api" },
        },
      }),
      [],
    );
    assert.ok(modelFor("networking.gke.io/v1", "HealthCheckPolicy"));
    assert.match(
      validateManifest({ apiVersion: "secrets-store.csi.x-k8s.io/v1", kind: "SecretProviderClass" })[0],
      /no schema for secrets-store.csi.x-k8s.io\/v1 SecretProviderClass/,
    );
  });
});
