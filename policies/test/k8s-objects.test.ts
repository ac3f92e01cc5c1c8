/**
 * Kubernetes rules about objects other than pods: plain Secrets written by the program, LoadBalancer
 * Services and their stated reason, the namespace's Pod Security Admission label; and probes on bare
 * Pods, which depend on the Pod's restartPolicy.
 */
import { strict as assert } from "node:assert";
import { analyze, Diag, secret, UNKNOWN } from "./harness";
import { container, podSpec, without } from "./k8s-fixtures";

const only = (ds: Diag[], policy: string) => ds.filter((d) => d.policy === policy);
const SECRET = "kubernetes:core/v1:Secret";

describe("k8s-no-plain-secret", () => {
  const rule = "k8s-no-plain-secret";
  it("data, stringData, secret-wrapped and unknown values written by the program are violations", async () => {
    for (const props of [
      { data: { password: "aHVudGVyMg==" } },
      { stringData: { DATABASE_URL: "postgres://app:pw@db/app" } },
      { stringData: secret({ token: "abc" }) },
      { data: UNKNOWN }, // an output of another resource: still written by the program
    ]) {
      const ds = only(await analyze(SECRET, props), rule);
      assert.equal(ds.length, 1, JSON.stringify(props));
      assert.equal(ds[0].enforcement, "mandatory");
      assert.doesNotMatch(ds[0].message, /cannot check/);
    }
    const both = only(await analyze(SECRET, { data: { a: "YQ==" }, stringData: { b: "b" } }), rule);
    assert.match(both[0].message, /data and stringData are set by the program/);
    const patch = only(await analyze("kubernetes:core/v1:SecretPatch", { stringData: { k: "v" } }), rule);
    assert.equal(patch.length, 1);
  });
  it("a Secret the cluster fills, or with empty data, passes", async () => {
    assert.deepEqual(only(await analyze(SECRET, { type: "kubernetes.io/service-account-token" }), rule), []);
    assert.deepEqual(only(await analyze(SECRET, { data: {}, stringData: {} }), rule), []);
  });
});

describe("k8s-no-loadbalancer-service", () => {
  const rule = "k8s-no-loadbalancer-service";
  const svc = (type: string, annotations?: Record<string, string>) => ({
    metadata: annotations ? { annotations } : {},
    spec: { type, ports: [{ port: 443 }] },
  });
  it("a LoadBalancer Service without a stated reason is a violation; a too-short reason too", async () => {
    const [d] = only(await analyze("kubernetes:core/v1:Service", svc("LoadBalancer")), rule);
    assert.equal(d.enforcement, "mandatory");
    assert.match(d.message, /meridian\.dev\/load-balancer-reason is not set/);
    const short = only(
      await analyze(
        "kubernetes:core/v1:Service",
        svc("LoadBalancer", { "meridian.dev/load-balancer-reason": "yes" }),
      ),
      rule,
    );
    assert.match(short[0].message, /too short/);
    assert.equal(only(await analyze("kubernetes:core/v1:ServicePatch", svc("LoadBalancer")), rule).length, 1);
  });
  it("ClusterIP, NodePort and a LoadBalancer with its reason pass", async () => {
    for (const props of [
      svc("ClusterIP"),
      svc("NodePort"),
      svc("LoadBalancer", { "meridian.dev/load-balancer-reason": "TCP syslog intake from on-prem" }),
    ])
      assert.deepEqual(only(await analyze("kubernetes:core/v1:Service", props), rule), []);
  });
});

describe("k8s-namespace-psa-restricted", () => {
  const rule = "k8s-namespace-psa-restricted";
  const ns = (labels?: Record<string, string>) => ({ metadata: labels ? { labels } : {} });
  it("a namespace without the enforce label, or at a weaker level, is a violation", async () => {
    const [none] = only(await analyze("kubernetes:core/v1:Namespace", ns()), rule);
    assert.match(none.message, /pod-security\.kubernetes\.io\/enforce is not set/);
    const [audit] = only(
      await analyze(
        "kubernetes:core/v1:Namespace",
        ns({
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/enforce": "privileged",
        }),
      ),
      rule,
    );
    assert.match(audit.message, /is privileged, not restricted/);
  });
  it("enforce: restricted passes", async () => {
    assert.deepEqual(
      only(
        await analyze(
          "kubernetes:core/v1:Namespace",
          ns({ "pod-security.kubernetes.io/enforce": "restricted" }),
        ),
        rule,
      ),
      [],
    );
  });
});

describe("k8s-probes on bare Pods", () => {
  const noProbes = { ...podSpec({}, without(container(), "readinessProbe", "livenessProbe")) };
  it("a run-once Pod (restartPolicy Never or OnFailure) needs no probes; a restarting Pod does", async () => {
    for (const restartPolicy of ["Never", "OnFailure"])
      assert.deepEqual(
        only(await analyze("kubernetes:core/v1:Pod", { spec: { ...noProbes, restartPolicy } }), "k8s-probes"),
        [],
        restartPolicy,
      );
    for (const spec of [noProbes, { ...noProbes, restartPolicy: "Always" }])
      assert.equal(only(await analyze("kubernetes:core/v1:Pod", { spec }), "k8s-probes").length, 1);
  });
});
