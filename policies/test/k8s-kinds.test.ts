/**
 * Every Kubernetes pod rule on every workload kind (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * Job, CronJob, ReplicationController): the compliant pod passes every rule, each violation is reported by its rule alone, in
 * app, init and ephemeral containers, with the pod-level securityContext inherited where Kubernetes
 * inherits it. Driven through @pulumi/policy's analyzer handlers (./harness). And an audit against the
 * @pulumi/kubernetes SDK: every class of a workload kind, in any API version, is judged.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { WORKLOAD_TYPES } from "../rules/k8s";
import { analyze, analyzeStack, Diag, UNKNOWN } from "./harness";
import { container, denyAll, KINDS, podSpec, RUN_TO_COMPLETION, without } from "./k8s-fixtures";

type Obj = Record<string, unknown>;
const only = (ds: Diag[], policy: string) => ds.filter((d) => d.policy === policy);
const k8sFindings = (ds: Diag[]) => ds.filter((d) => /^(k8s-|image-)/.test(d.policy));
const sc = (extra: Obj) => ({ ...(container().securityContext as Obj), ...extra });

/** One violation: the pod spec that has it, the rule that must report it and words of the message. */
interface Violation {
  rule: string;
  what: string;
  spec: Obj;
  says: RegExp;
}

const app = (extra: Obj): Obj => podSpec({}, container(extra));
const VIOLATIONS: Violation[] = [
  {
    rule: "k8s-run-as-non-root",
    what: "runAsNonRoot false",
    spec: app({ securityContext: sc({ runAsNonRoot: false }) }),
    says: /container api: runAsNonRoot is false/,
  },
  {
    rule: "k8s-no-privileged",
    what: "privileged",
    spec: app({ securityContext: sc({ privileged: true }) }),
    says: /container api: privileged is true/,
  },
  {
    rule: "k8s-no-privilege-escalation",
    what: "allowPrivilegeEscalation true",
    spec: app({ securityContext: sc({ allowPrivilegeEscalation: true }) }),
    says: /container api: allowPrivilegeEscalation is not false/,
  },
  {
    rule: "k8s-drop-capabilities",
    what: "capabilities not dropped",
    spec: app({ securityContext: sc({ capabilities: { drop: ["NET_RAW"] } }) }),
    says: /capabilities.drop does not include "ALL"/,
  },
  {
    rule: "k8s-seccomp-profile",
    what: "no seccomp profile anywhere",
    spec: podSpec({ securityContext: {} }),
    says: /container api: no seccompProfile on the container or the pod/,
  },
  {
    rule: "k8s-seccomp-profile",
    what: "a container Unconfined under a RuntimeDefault pod",
    spec: app({ securityContext: sc({ seccompProfile: { type: "Unconfined" } }) }),
    says: /seccompProfile.type is Unconfined; allowed: RuntimeDefault, Localhost/,
  },
  {
    rule: "k8s-read-only-root-fs",
    what: "writable root filesystem",
    spec: app({ securityContext: without(sc({}), "readOnlyRootFilesystem") }),
    says: /container api: readOnlyRootFilesystem is not true/,
  },
  {
    rule: "k8s-no-sa-token-automount",
    what: "token auto-mounted",
    spec: podSpec({ automountServiceAccountToken: true }),
    says: /automountServiceAccountToken is not false/,
  },
  {
    rule: "k8s-resource-limits",
    what: "no requests",
    spec: app({ resources: { limits: { cpu: "1", memory: "512Mi" } } }),
    says: /container api: no cpu\/memory request/,
  },
  {
    rule: "k8s-resource-limits",
    what: "no memory limit",
    spec: app({ resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1" } } }),
    says: /container api: no memory limit/,
  },
  {
    rule: "k8s-no-plaintext-env-secrets",
    what: "a password in env",
    spec: app({ env: [{ name: "DB_PASSWORD", value: "hunter2-hunter2" }] }),
    says: /DB_PASSWORD/,
  },
];

/** Probe violations: reported on long-running kinds only. */
const PROBES: Violation[] = [
  {
    rule: "k8s-probes",
    what: "no readiness probe",
    spec: podSpec({}, without(container(), "readinessProbe")),
    says: /container api: no readinessProbe \(traffic reaches pods before they are ready/,
  },
  {
    rule: "k8s-probes",
    what: "no probes at all",
    spec: podSpec({}, without(container(), "readinessProbe", "livenessProbe")),
    says: /container api: no readinessProbe and no livenessProbe/,
  },
];

/** A violation moved into an init container (and, for securityContext, an ephemeral container). */
const initOf = (spec: Obj, c: Obj): Obj => ({ ...spec, initContainers: [{ ...c, name: "migrate" }] });
const ephemeralOf = (spec: Obj, c: Obj): Obj => ({
  ...spec,
  ephemeralContainers: [without({ ...c, name: "debug" }, "resources", "readinessProbe", "livenessProbe")],
});

for (const [type, wrap] of KINDS) {
  describe(`Kubernetes rules on ${type}`, () => {
    it("the compliant pod passes every rule (resource and stack)", async () => {
      assert.deepEqual(k8sFindings(await analyze(type, wrap(podSpec()))), []);
      const stack = await analyzeStack([{ type, name: "w", props: wrap(podSpec()) }, denyAll()]);
      assert.deepEqual(k8sFindings(stack), []);
    });

    for (const v of VIOLATIONS)
      it(`${v.rule}: ${v.what} is reported, mandatory, by that rule`, async () => {
        const ds = k8sFindings(await analyze(type, wrap(v.spec)));
        const mine = only(ds, v.rule);
        assert.equal(mine.length, 1, JSON.stringify(ds));
        assert.equal(mine[0].enforcement, "mandatory");
        assert.match(mine[0].message, v.says);
        // The privileged case also breaks nothing else; escalation is its own rule.
        assert.deepEqual(
          ds.filter((d) => d.policy !== v.rule),
          [],
        );
      });

    for (const v of PROBES)
      it(`${v.rule}: ${v.what} is ${RUN_TO_COMPLETION.includes(type) ? "not required" : "reported"}`, async () => {
        const ds = only(await analyze(type, wrap(v.spec)), v.rule);
        if (RUN_TO_COMPLETION.includes(type)) assert.deepEqual(ds, []);
        else {
          assert.equal(ds.length, 1, JSON.stringify(ds));
          assert.match(ds[0].message, v.says);
        }
      });

    it("pod security rules see init and ephemeral containers", async () => {
      const bad = container({
        securityContext: { privileged: true, allowPrivilegeEscalation: true, runAsUser: 0 },
      });
      for (const [where, spec] of [
        ["init container migrate", initOf(podSpec(), bad)],
        ["ephemeral container debug", ephemeralOf(podSpec(), bad)],
      ] as const) {
        const ds = await analyze(type, wrap(spec));
        for (const rule of [
          "k8s-run-as-non-root",
          "k8s-no-privileged",
          "k8s-no-privilege-escalation",
          "k8s-drop-capabilities",
          "k8s-read-only-root-fs",
        ]) {
          const mine = only(ds, rule);
          assert.equal(mine.length, 1, `${rule} ${where}: ${JSON.stringify(ds)}`);
          assert.ok(mine[0].message.includes(`${where}: `), mine[0].message);
        }
      }
      const noLimits = initOf(podSpec(), without(container(), "resources"));
      assert.match(
        only(await analyze(type, wrap(noLimits)), "k8s-resource-limits")[0].message,
        /init container/,
      );
    });

    it("the pod's runAsNonRoot and seccompProfile are inherited; a container's own value wins", async () => {
      const noOwn = container({ securityContext: without(sc({}), "runAsNonRoot") });
      const inherits = podSpec(
        { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } },
        noOwn,
      );
      assert.deepEqual(k8sFindings(await analyze(type, wrap(inherits))), []);
      const unconfinedPod = podSpec(
        { securityContext: { seccompProfile: { type: "Unconfined" } } },
        container({
          securityContext: sc({ seccompProfile: { type: "Localhost", localhostProfile: "p.json" } }),
        }),
      );
      assert.deepEqual(only(await analyze(type, wrap(unconfinedPod)), "k8s-seccomp-profile"), []);
      const overridden = podSpec(
        { securityContext: { runAsNonRoot: true } },
        container({ securityContext: sc({ runAsNonRoot: false }) }),
      );
      assert.equal(only(await analyze(type, wrap(overridden)), "k8s-run-as-non-root").length, 1);
    });

    it("k8s-network-policy: needs a policy in the workload's namespace selecting its pods, both directions", async () => {
      const w = (ns?: string) => {
        const props = wrap(podSpec());
        const metadata = { ...((props.metadata ?? {}) as Obj), ...(ns ? { namespace: ns } : {}) };
        return { type, name: "w", props: { ...props, metadata } };
      };
      const np = async (...stack: Parameters<typeof analyzeStack>[0]) =>
        only(await analyzeStack(stack), "k8s-network-policy");
      assert.match(
        (await np(w("api"), denyAll("other")))[0].message,
        /no NetworkPolicy selects its pods .* in namespace api/,
      );
      assert.deepEqual(await np(w("api"), denyAll("api")), []);
      const other = denyAll("api", { podSelector: { matchLabels: { app: "worker" } } });
      assert.equal((await np(w("api"), other)).length, 1);
      const expr = denyAll("api", {
        podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["api", "web"] }] },
      });
      assert.deepEqual(await np(w("api"), expr), []);
      const ingressOnly = denyAll("api", { policyTypes: undefined });
      delete (ingressOnly.props.spec as Obj).policyTypes;
      assert.match(
        (await np(w("api"), ingressOnly))[0].message,
        /restrict Ingress only; nothing restricts Egress/,
      );
      const unknownSelector = denyAll("api", { podSelector: UNKNOWN });
      const undecided = await np(w("api"), unknownSelector);
      assert.equal(undecided[0].enforcement, "advisory");
      assert.match(undecided[0].message, /cannot check during preview/);
    });
  });
}

describe("coverage audit: workload classes of @pulumi/kubernetes", () => {
  const root = path.resolve(__dirname, "..", "..", "node_modules", "@pulumi", "kubernetes");
  const KIND =
    /^kubernetes:[\w.]+\/\w+:(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob)$/;
  const sdk: string[] = [];
  for (const group of fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()))
    for (const version of fs.readdirSync(path.join(root, group.name), { withFileTypes: true })) {
      if (!version.isDirectory()) continue;
      for (const f of fs
        .readdirSync(path.join(root, group.name, version.name))
        .filter((x) => x.endsWith(".js"))) {
        const m = /__pulumiType = '([^']+)'/.exec(
          fs.readFileSync(path.join(root, group.name, version.name, f), "utf8"),
        );
        if (m && KIND.test(m[1])) sdk.push(m[1]);
      }
    }
  it("every workload class in the SDK (current and removed API versions) is a workload type of the rules", () => {
    assert.ok(sdk.length >= 19, `only ${sdk.length} workload classes found: ${sdk.join(", ")}`);
    assert.deepEqual([...sdk].sort(), [...WORKLOAD_TYPES].sort());
  });
  it("a removed API version is judged like the current one", async () => {
    const bad = podSpec({}, container({ securityContext: sc({ privileged: true }) }));
    const ds = await analyze("kubernetes:extensions/v1beta1:Deployment", {
      spec: { template: { spec: bad } },
    });
    assert.equal(only(ds, "k8s-no-privileged").length, 1);
    const cron = await analyze("kubernetes:batch/v1beta1:CronJob", {
      spec: {
        jobTemplate: { spec: { template: { spec: podSpec({}, without(container(), "readinessProbe")) } } },
      },
    });
    assert.deepEqual(only(cron, "k8s-probes"), [], "a CronJob needs no probes in any version");
  });
});
