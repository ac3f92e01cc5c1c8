/**
 * The GCP HTTP-redirect and firewall rules beyond one violating and one clean resource: how an HTTP proxy
 * finds its URL map (dependency graph, self link, id, name), what counts as serving content, and what a
 * preview cannot show. Also pins down that the Kubernetes "no privilege escalation" and image pinning
 * requirements are covered by k8s-no-privilege-escalation and image-pinned-by-digest on every workload kind.
 */
import { strict as assert } from "node:assert";
import { analyze, analyzeStack, Diag, StackInput, UNKNOWN } from "./harness";

const URL_MAP = "gcp:compute/uRLMap:URLMap";
const HTTP_PROXY = "gcp:compute/targetHttpProxy:TargetHttpProxy";
const FIREWALL = "gcp:compute/firewall:Firewall";
const REDIRECT = { httpsRedirect: true, stripQuery: false };

const only = (ds: Diag[], policy: string) => ds.filter((d) => d.policy === policy);
const mandatory = (ds: Diag[]) => ds.filter((d) => d.enforcement === "mandatory");
const cannotCheck = (ds: Diag[]) =>
  ds.filter((d) => d.enforcement === "advisory" && /^cannot check during preview: /.test(d.message));

function urlMap(props: Record<string, unknown>, name = "m"): StackInput {
  return { type: URL_MAP, name, props: { name, project: "p", ...props } };
}
function proxy(urlMapRef: unknown, deps?: string[], type = HTTP_PROXY): StackInput {
  return { type, name: "h", props: { urlMap: urlMapRef }, ...(deps ? { deps: { urlMap: deps } } : {}) };
}
const redirectOnly = (stack: StackInput[]) =>
  analyzeStack(stack).then((ds) => only(ds, "gcp-http-redirect-only"));

describe("gcp-http-redirect-only", () => {
  it("finds the URL map through the dependency graph while its self link is unknown", async () => {
    assert.deepEqual(
      await redirectOnly([urlMap({ defaultUrlRedirect: REDIRECT }), proxy(UNKNOWN, ["m"])]),
      [],
    );
  });

  for (const [how, ref] of [
    ["self link", "https://www.googleapis.com/compute/v1/projects/p/global/urlMaps/m"],
    ["id", "projects/p/global/urlMaps/m"],
    ["name", "m"],
  ]) {
    it(`finds the URL map by its ${how} output when there is no dependency`, async () => {
      const outputs = {
        selfLink: "https://www.googleapis.com/compute/v1/projects/p/global/urlMaps/m",
        id: "projects/p/global/urlMaps/m",
      };
      assert.deepEqual(
        await redirectOnly([urlMap({ ...outputs, defaultUrlRedirect: REDIRECT }), proxy(ref)]),
        [],
      );
      const bad = await redirectOnly([urlMap({ ...outputs, defaultService: "backend" }), proxy(ref)]);
      assert.equal(mandatory(bad).length, 1, JSON.stringify(bad));
      assert.match(bad[0].message, /URL map m serves plain HTTP/);
    });
  }

  it("a URL map that is not in the stack is 'cannot check during preview', never a pass", async () => {
    const ds = await redirectOnly([
      urlMap({ defaultUrlRedirect: REDIRECT }, "other"),
      proxy("projects/p/global/urlMaps/elsewhere"),
    ]);
    assert.equal(ds.length, 1);
    assert.equal(cannotCheck(ds).length, 1, JSON.stringify(ds));
    assert.match(
      ds[0].message,
      /urlMap projects\/p\/global\/urlMaps\/elsewhere is not a URL map in this stack/,
    );
    assert.match(ds[0].urn!, /TargetHttpProxy::h$/);
  });

  it("an unknown urlMap with no URL map dependency is 'cannot check during preview'", async () => {
    const ds = await redirectOnly([proxy(UNKNOWN)]);
    assert.equal(cannotCheck(ds).length, 1, JSON.stringify(ds));
    assert.match(ds[0].message, /urlMap is unknown and depends on no URL map in this stack/);
  });

  it("an unknown redirect on the URL map is 'cannot check during preview'", async () => {
    const ds = await redirectOnly([urlMap({ defaultUrlRedirect: UNKNOWN }), proxy(UNKNOWN, ["m"])]);
    assert.equal(cannotCheck(ds).length, 1, JSON.stringify(ds));
    assert.match(ds[0].message, /defaultUrlRedirect can't be known during preview/);
  });

  it("an unknown backend is still a backend: a mandatory violation, not 'cannot check'", async () => {
    const ds = await redirectOnly([
      urlMap({ defaultUrlRedirect: REDIRECT, pathMatchers: [{ name: "api", defaultService: UNKNOWN }] }),
      proxy(UNKNOWN, ["m"]),
    ]);
    assert.equal(mandatory(ds).length, 1, JSON.stringify(ds));
    assert.match(ds[0].message, /pathMatchers\[0\] \(api\) sends its default route to a backend/);
  });

  it("path matchers may redirect to HTTPS; routing a path to a backend or redirecting to HTTP is a violation", async () => {
    const pm = (pathRules: object[]) => ({
      name: "pm",
      defaultUrlRedirect: REDIRECT,
      pathRules,
    });
    const map = (pathRules: object[]) =>
      urlMap({
        defaultUrlRedirect: REDIRECT,
        hostRules: [{ hosts: ["*"], pathMatcher: "pm" }],
        pathMatchers: [pm(pathRules)],
      });
    assert.deepEqual(
      await redirectOnly([
        map([{ paths: ["/old"], urlRedirect: { ...REDIRECT, pathRedirect: "/new" } }]),
        proxy(UNKNOWN, ["m"]),
      ]),
      [],
    );
    const toBackend = await redirectOnly([
      map([{ paths: ["/api/*"], service: "backend" }]),
      proxy(UNKNOWN, ["m"]),
    ]);
    assert.match(
      mandatory(toBackend)[0].message,
      /pathMatchers\[0\] \(pm\)\.pathRules\[0\] sends traffic to a backend/,
    );
    const toHttp = await redirectOnly([
      map([{ paths: ["/x"], urlRedirect: { hostRedirect: "example.com" } }]),
      proxy(UNKNOWN, ["m"]),
    ]);
    assert.match(mandatory(toHttp)[0].message, /pathRules\[0\]\.urlRedirect\.httpsRedirect is not true/);
    const routeRule = await redirectOnly([
      urlMap({
        defaultUrlRedirect: REDIRECT,
        pathMatchers: [
          { name: "pm", defaultUrlRedirect: REDIRECT, routeRules: [{ priority: 1, service: "b" }] },
        ],
      }),
      proxy(UNKNOWN, ["m"]),
    ]);
    assert.match(mandatory(routeRule)[0].message, /routeRules\[0\] sends traffic to a backend/);
  });

  it("a redirect that keeps HTTP is a violation", async () => {
    const ds = await redirectOnly([
      urlMap({ defaultUrlRedirect: { hostRedirect: "x.example" } }),
      proxy(UNKNOWN, ["m"]),
    ]);
    assert.match(mandatory(ds)[0].message, /defaultUrlRedirect\.httpsRedirect is not true/);
  });

  it("checks regional HTTP proxies and URL maps too", async () => {
    const map: StackInput = {
      type: "gcp:compute/regionUrlMap:RegionUrlMap",
      name: "m",
      props: { name: "m", region: "europe-west1", defaultService: UNKNOWN },
    };
    const ds = await redirectOnly([
      map,
      proxy(UNKNOWN, ["m"], "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy"),
    ]);
    assert.equal(mandatory(ds).length, 1, JSON.stringify(ds));
  });

  it("gcp-https-proxy-ssl-policy no longer judges HTTP proxies (one finding, not two)", async () => {
    const ds = await analyzeStack([urlMap({ defaultService: "b" }), proxy(UNKNOWN, ["m"])]);
    assert.deepEqual(
      ds.filter((d) => d.urn?.includes("TargetHttpProxy")).map((d) => d.policy),
      ["gcp-http-redirect-only"],
    );
  });
});

const fw = (props: Record<string, unknown>) =>
  analyze(FIREWALL, { network: "n", logConfig: { metadata: "INCLUDE_ALL_METADATA" }, ...props });

describe("gcp-firewall-no-public-ingress and gcp-firewall-logging", () => {
  const open = (ds: Diag[]) => only(ds, "gcp-firewall-no-public-ingress");

  it("flags ::/0 and any other /0 range, with the allowed protocols and ports", async () => {
    const ds = open(
      await fw({
        allows: [{ protocol: "tcp", ports: ["443"] }, { protocol: "icmp" }],
        sourceRanges: ["10.0.0.0/8", "::/0"],
      }),
    );
    assert.equal(mandatory(ds).length, 1);
    assert.match(ds[0].message, /allows tcp:443, icmp \(all ports\) from ::\/0\./);
  });

  it("an allow rule naming no source at all is a violation", async () => {
    const ds = open(await fw({ allows: [{ protocol: "all" }] }));
    assert.match(mandatory(ds)[0].message, /from no named source/);
    assert.deepEqual(open(await fw({ allows: [{ protocol: "all" }], sourceTags: ["bastion"] })), []);
  });

  it("passes deny rules and egress rules from or to 0.0.0.0/0 (Meridian's deny-all rule)", async () => {
    assert.deepEqual(
      open(
        await fw({
          direction: "INGRESS",
          priority: 65534,
          denies: [{ protocol: "all" }],
          sourceRanges: ["0.0.0.0/0"],
        }),
      ),
      [],
    );
    assert.deepEqual(
      open(
        await fw({
          direction: "EGRESS",
          allows: [{ protocol: "tcp", ports: ["443"] }],
          destinationRanges: ["0.0.0.0/0"],
        }),
      ),
      [],
    );
  });

  it("an unknown sourceRanges is 'cannot check during preview'", async () => {
    const ds = open(await fw({ allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: UNKNOWN }));
    assert.equal(cannotCheck(ds).length, 1, JSON.stringify(ds));
  });

  it("Meridian's network component rules pass both rules", async () => {
    const rules = [
      { direction: "INGRESS", priority: 65534, denies: [{ protocol: "all" }], sourceRanges: ["0.0.0.0/0"] },
      {
        direction: "INGRESS",
        priority: 1000,
        allows: [{ protocol: "tcp", ports: ["8080"] }],
        sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"],
        targetTags: ["lb-backend"],
      },
    ];
    for (const r of rules) {
      const ds = await fw(r);
      assert.deepEqual(only(ds, "gcp-firewall-no-public-ingress"), []);
      assert.deepEqual(only(ds, "gcp-firewall-logging"), []);
    }
  });

  it("logging: only allow rules need logConfig; an unknown logConfig is 'cannot check during preview'", async () => {
    const log = (props: Record<string, unknown>) =>
      analyze(FIREWALL, { network: "n", sourceRanges: ["10.0.0.0/8"], ...props }).then((ds) =>
        only(ds, "gcp-firewall-logging"),
      );
    assert.deepEqual(await log({ denies: [{ protocol: "all" }] }), []);
    const bad = await log({ allows: [{ protocol: "tcp" }] });
    assert.equal(bad.length, 1);
    assert.equal(bad[0].enforcement, "advisory");
    assert.equal(cannotCheck(bad).length, 0);
    const unknown = await log({ allows: [{ protocol: "tcp" }], logConfig: UNKNOWN });
    assert.equal(cannotCheck(unknown).length, 1, JSON.stringify(unknown));
  });
});

describe("Kubernetes: no privilege escalation and image pinning are covered on every workload kind", () => {
  const container = (extra: object = {}) => ({
    name: "c",
    image: "repo/app@sha256:" + "d".repeat(64),
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    resources: { limits: { cpu: "1", memory: "1Gi" } },
    ...extra,
  });
  const spec = (init: object) => ({
    automountServiceAccountToken: false,
    initContainers: [init],
    containers: [container()],
  });
  const template = (init: object) => ({ template: { spec: spec(init) } });
  const kinds: [string, (init: object) => Record<string, unknown>][] = [
    ["kubernetes:core/v1:Pod", (i) => ({ spec: spec(i) })],
    ["kubernetes:apps/v1:Deployment", (i) => ({ spec: template(i) })],
    ["kubernetes:apps/v1:StatefulSet", (i) => ({ spec: template(i) })],
    ["kubernetes:apps/v1:DaemonSet", (i) => ({ spec: template(i) })],
    ["kubernetes:batch/v1:Job", (i) => ({ spec: template(i) })],
    ["kubernetes:batch/v1:CronJob", (i) => ({ spec: { jobTemplate: { spec: template(i) } } })],
  ];
  for (const [type, props] of kinds) {
    it(`${type}: an init container without allowPrivilegeEscalation: false is a k8s-no-privilege-escalation violation (not k8s-no-privileged)`, async () => {
      const noEscalation = container({
        name: "init",
        securityContext: { runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
      });
      const ds = only(await analyze(type, props(noEscalation)), "k8s-no-privilege-escalation");
      assert.equal(mandatory(ds).length, 1, JSON.stringify(ds));
      assert.match(ds[0].message, /container init: allowPrivilegeEscalation is not false/);
      // A container that only escalates is not "privileged": that rule stays silent.
      assert.deepEqual(only(await analyze(type, props(noEscalation)), "k8s-no-privileged"), []);
      assert.deepEqual(
        only(await analyze(type, props(container({ name: "init" }))), "k8s-no-privilege-escalation"),
        [],
      );
      const latest = only(
        await analyze(type, props(container({ name: "init", image: "repo/app:latest" }))),
        "image-pinned-by-digest",
      );
      assert.match(latest[0].message, /container init: image repo\/app:latest uses the mutable tag :latest/);
    });
  }

  it("allowPrivilegeEscalation: true and an unknown value", async () => {
    const [type, props] = kinds[1];
    const escalates = container({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: true } });
    assert.equal(
      mandatory(only(await analyze(type, props(escalates)), "k8s-no-privilege-escalation")).length,
      1,
    );
    const unknown = container({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: UNKNOWN } });
    assert.equal(
      cannotCheck(only(await analyze(type, props(unknown)), "k8s-no-privilege-escalation")).length,
      1,
    );
  });
});
