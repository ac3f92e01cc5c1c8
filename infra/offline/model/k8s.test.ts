/**
 * The Kubernetes model as pure functions: autonames, the provider's default namespace, managed-by label,
 * apiVersion/kind from the type token, and ids, as pulumi-kubernetes' Check/Create compute them.
 */
import { strict as assert } from "node:assert";
import { modelResource, ModelEnv, ModelNote, ResourceCall } from "./index";
import { AUTONAMED_ANNOTATION, k8sResource, typeMeta } from "./k8s";

function env(provider?: Record<string, unknown>): ModelEnv & { notes: ModelNote[] } {
  const notes: ModelNote[] = [];
  return { config: {}, providerInputs: () => provider, note: (n) => notes.push(n), notes };
}
const call = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  provider?: string,
): ResourceCall => ({
  type,
  name,
  inputs,
  custom: true,
  provider,
});
type Meta = {
  name?: string;
  namespace?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
};
const metaOf = (state: Record<string, unknown>) => state.metadata as Meta;

describe("offline Kubernetes model", () => {
  it("autonames an unnamed object `<name>-<8 hex>` with the pulumi.com/autonamed annotation, deterministically", () => {
    const e = env();
    const ns = modelResource(
      call("kubernetes:core/v1:Namespace", "api", { apiVersion: "v1", kind: "Namespace" }),
      e,
    );
    const m = metaOf(ns.state);
    assert.match(m.name!, /^api-[0-9a-f]{8}$/);
    assert.equal(m.annotations![AUTONAMED_ANNOTATION], "true");
    assert.equal(ns.id, m.name, "cluster-scoped: the id is the name");
    assert.ok(ns.computed.includes("metadata"));
    const again = modelResource(call("kubernetes:core/v1:Namespace", "api", {}), e);
    assert.equal(metaOf(again.state).name, m.name);
    const other = modelResource(call("kubernetes:core/v1:Namespace", "web", {}), e);
    assert.notEqual(metaOf(other.state).name, m.name);
    assert.equal(e.notes.length, 3);
    assert.match(e.notes[0].message, /status and server-defaulted fields are unknown/);
  });

  it("keeps a given name or generateName, and never autonames a Patch resource", () => {
    const named = k8sResource(
      call("kubernetes:apps/v1:Deployment", "d", { metadata: { name: "api", namespace: "prod" } }),
      env(),
    );
    assert.deepEqual(named.state.metadata, { name: "api", namespace: "prod" });
    assert.equal(named.id, "prod/api");
    assert.deepEqual(named.computed, ["apiVersion", "kind"]);
    const gen = k8sResource(
      call("kubernetes:core/v1:Pod", "p", { metadata: { generateName: "job-" } }),
      env(),
    );
    assert.equal(metaOf(gen.state).name, undefined);
    assert.equal(gen.id, undefined);
    const patch = k8sResource(call("kubernetes:apps/v1:DeploymentPatch", "p", { metadata: {} }), env());
    assert.equal(metaOf(patch.state).name, undefined);
    assert.equal(patch.state.kind, "Deployment");
  });

  it("applies the provider's namespace to namespaced kinds only, and the managed-by label in client-side apply", () => {
    const p = { namespace: "team", enableServerSideApply: "false" };
    const dep = k8sResource(call("kubernetes:apps/v1:Deployment", "d", {}, "urn::p"), env(p));
    assert.equal(metaOf(dep.state).namespace, "team");
    assert.match(dep.id!, /^team\/d-[0-9a-f]{8}$/);
    assert.equal(metaOf(dep.state).labels!["app.kubernetes.io/managed-by"], "pulumi");
    const role = k8sResource(
      call("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "r", {}, "urn::p"),
      env(p),
    );
    assert.equal(metaOf(role.state).namespace, undefined);
    const cr = k8sResource(
      call("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "h", {}, "urn::p"),
      env(p),
    );
    assert.equal(metaOf(cr.state).namespace, "team", "an unknown kind is assumed namespaced");
    const ssa = k8sResource(call("kubernetes:apps/v1:Deployment", "d", {}), env({ namespace: "team" }));
    assert.equal(metaOf(ssa.state).labels, undefined, "server-side apply (the default) adds no label");
  });

  it("derives apiVersion and kind from the type token", () => {
    assert.deepEqual(typeMeta("kubernetes:core/v1:Service"), {
      apiVersion: "v1",
      kind: "Service",
      patch: false,
    });
    assert.deepEqual(typeMeta("kubernetes:networking.k8s.io/v1:NetworkPolicy"), {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      patch: false,
    });
    assert.deepEqual(typeMeta("kubernetes:core/v1:SecretPatch"), {
      apiVersion: "v1",
      kind: "Secret",
      patch: true,
    });
  });
});
