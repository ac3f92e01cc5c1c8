import { strict as assert } from "node:assert";
import { componentSuite, inputsOf } from "../../infra/offline/testing";
import type * as EdgeModule from "./gkeEdge";
import type * as K8s from "@pulumi/kubernetes";

const PROJECT = "meridian-test-1234";
const T = {
  cert: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
  ssl: "gcp:compute/sSLPolicy:SSLPolicy",
  ip: "gcp:compute/globalAddress:GlobalAddress",
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  route: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  gatewayPolicy: "kubernetes:networking.gke.io/v1:GCPGatewayPolicy",
  backendPolicy: "kubernetes:networking.gke.io/v1:GCPBackendPolicy",
  health: "kubernetes:networking.gke.io/v1:HealthCheckPolicy",
} as const;

const suite = componentSuite({
  load: async () => ({ e: await import("./gkeEdge"), k8s: await import("@pulumi/kubernetes") }),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});
let provider: K8s.Provider | undefined;

async function build(name: string, args: Partial<EdgeModule.GkeEdgeArgs> = {}) {
  provider ??= new suite.mod.k8s.Provider("edge-k8s", { kubeconfig: "{}" });
  const c = await suite.capture(
    new suite.mod.e.GkeEdge(name, {
      project: PROJECT,
      provider,
      namespace: "meridian",
      serviceName: "meridian-api",
      securityPolicyName: "meridian-armor",
      ...args,
    }),
  );
  return c;
}

describe("gcp GkeEdge (mocks)", () => {
  it("serves HTTPS on GKE's global external managed Gateway with a Google-managed certificate for the domain", async () => {
    const b = await build("edge-https", { domain: "api.example.com" });
    assert.deepEqual(inputsOf(b.one(T.cert)).managed.domains, ["api.example.com"]);
    const gw = inputsOf(b.one(T.gateway));
    assert.equal(gw.spec.gatewayClassName, "gke-l7-global-external-managed");
    const https = gw.spec.listeners.find((l: any) => l.name === "https");
    assert.equal(https.port, 443);
    assert.equal(https.tls.options["networking.gke.io/pre-shared-certs"], inputsOf(b.one(T.cert)).name);
    assert.deepEqual(gw.spec.addresses, [{ type: "NamedAddress", value: inputsOf(b.one(T.ip)).name }]);
  });

  it("enforces TLS 1.2+ with the SSL policy attached to the Gateway", async () => {
    const b = await build("edge-tls");
    const ssl = inputsOf(b.one(T.ssl));
    assert.equal(ssl.minTlsVersion, "TLS_1_2");
    assert.equal(ssl.profile, "MODERN");
    assert.equal(inputsOf(b.one(T.gatewayPolicy)).spec.default.sslPolicy, ssl.name);
  });

  it("answers port 80 only with a 301 to HTTPS", async () => {
    const b = await build("edge-redirect");
    const redirect = b
      .all(T.route)
      .map(inputsOf)
      .find((r) => r.spec.parentRefs[0].sectionName === "http");
    assert.ok(redirect, "a route on the http listener");
    assert.deepEqual(redirect.spec.rules, [
      { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
    ]);
    assert.equal(redirect.spec.rules[0].backendRefs, undefined, "port 80 reaches no backend");
  });

  it("puts the Cloud Armor policy and the /health/ready check on the API's backend", async () => {
    const b = await build("edge-armor");
    const bp = inputsOf(b.one(T.backendPolicy)).spec;
    assert.equal(bp.default.securityPolicy, "meridian-armor");
    assert.deepEqual(bp.targetRef, { group: "", kind: "Service", name: "meridian-api" });
    const hc = inputsOf(b.one(T.health)).spec.default.config.httpHealthCheck;
    assert.deepEqual(hc, { port: 8080, requestPath: "/health/ready" });
  });

  it("refuses to serve the API without Cloud Armor", () => {
    assert.throws(
      () =>
        new suite.mod.e.GkeEdge("edge-bad", {
          project: PROJECT,
          provider: provider!,
          namespace: "meridian",
          serviceName: "meridian-api",
          securityPolicyName: "",
        }),
      /GkeEdge "edge-bad": securityPolicyName is ""; it is required/,
    );
  });
});
