/**
 * The offline model of the global load balancer (compute.ts): ids, placeholder IPs, the serverless NEG,
 * managed certificates, SSL policy features.
 */
import { strict as assert } from "node:assert";
import { sslPolicyFeatures } from "./compute";
import { model, PROJECT } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("load balancer (compute)", () => {
    it("gives global LB resources their collection ids, numeric ids and fingerprints", () => {
      const cases: [string, string, string[]][] = [
        ["gcp:compute/globalForwardingRule:GlobalForwardingRule", "forwardingRules", ["forwardingRuleId"]],
        ["gcp:compute/targetHttpsProxy:TargetHttpsProxy", "targetHttpsProxies", ["proxyId", "fingerprint"]],
        ["gcp:compute/targetHttpProxy:TargetHttpProxy", "targetHttpProxies", ["proxyId", "fingerprint"]],
        ["gcp:compute/uRLMap:URLMap", "urlMaps", ["mapId", "fingerprint"]],
        ["gcp:compute/backendService:BackendService", "backendServices", ["generatedId", "fingerprint"]],
        ["gcp:compute/backendBucket:BackendBucket", "backendBuckets", ["creationTimestamp"]],
        ["gcp:compute/securityPolicy:SecurityPolicy", "securityPolicies", ["fingerprint"]],
        ["gcp:compute/sSLPolicy:SSLPolicy", "sslPolicies", ["fingerprint", "enabledFeatures"]],
      ];
      for (const [type, collection, outs] of cases) {
        const r = model(type, { name: "edge" });
        assert.equal(r.id, `projects/${PROJECT}/global/${collection}/edge`, type);
        assert.equal(r.s.selfLink, `https://www.googleapis.com/compute/v1/${r.id}`, type);
        for (const o of outs) assert.ok(r.computed.includes(o), `${type} computes ${o}`);
      }
      assert.equal(typeof model(cases[0][0], { name: "x" }).s.forwardingRuleId, "number");
    });

    it("gives a forwarding rule without an address a documentation-range placeholder IP, and says so", () => {
      const r = model("gcp:compute/globalForwardingRule:GlobalForwardingRule", {
        name: "https",
        loadBalancingScheme: "EXTERNAL_MANAGED",
      });
      assert.match(r.s.ipAddress, /^203\.0\.113\.\d+$/);
      assert.ok(r.notes.some((n) => /203\.0\.113\.0\/24.*placeholders/.test(n)));
      const fixed = model("gcp:compute/globalForwardingRule:GlobalForwardingRule", {
        name: "https",
        ipAddress: "projects/p/global/addresses/ip",
      });
      assert.equal(fixed.s.ipAddress, "projects/p/global/addresses/ip", "an explicit address is kept");
    });

    it("models the serverless NEG as regional and the managed certificate's SANs, leaving expireTime unknown", () => {
      const neg = model("gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup", {
        name: "api-neg",
        region: "us-central1",
      });
      assert.equal(neg.id, `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/api-neg`);
      const cert = model("gcp:compute/managedSslCertificate:ManagedSslCertificate", {
        name: "cert",
        managed: { domains: ["api.example.com"] },
      });
      assert.equal(cert.id, `projects/${PROJECT}/global/sslCertificates/cert`);
      assert.deepEqual(cert.s.subjectAlternativeNames, ["api.example.com"]);
      assert.equal(typeof cert.s.certificateId, "number");
      assert.ok(!("expireTime" in cert.s), "expireTime is known only once Google provisions the certificate");
      assert.ok(cert.notes.some((n) => /DNS points at the load balancer/.test(n)));
    });

    it("enables the SSL features of the policy's profile", () => {
      const modern = model("gcp:compute/sSLPolicy:SSLPolicy", {
        name: "tls",
        profile: "MODERN",
        minTlsVersion: "TLS_1_2",
      });
      assert.ok(modern.s.enabledFeatures.includes("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
      assert.ok(
        !modern.s.enabledFeatures.some((f: string) => f.startsWith("TLS_RSA_")),
        "no RSA key exchange",
      );
      const restricted = sslPolicyFeatures("RESTRICTED", undefined);
      assert.ok(
        restricted.every((f) => /_(GCM|POLY1305)_/.test(f)),
        restricted.join(),
      );
      assert.ok(sslPolicyFeatures(undefined, undefined).includes("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
      assert.deepEqual(sslPolicyFeatures("CUSTOM", ["B", "A"]), ["A", "B"]);
    });
  });
});
