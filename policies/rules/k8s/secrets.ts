/**
 * Kubernetes secrets: no secret value in a container's plain `env`, and no Kubernetes Secret whose data
 * the program writes. A Secret built from config puts the value in the Pulumi state, in the Kubernetes API
 * (base64) within reach of every identity that may read Secrets in the namespace;
 * the secret belongs in Secret Manager, mounted by the Secret Manager CSI driver (GKE's Secret Manager
 * add-on: a `SecretProviderClass` and a `csi` volume) or synced by External Secrets.
 */
import { resourceRule } from "../../lib/rule";
import { judgeEnv } from "../../lib/secrets";
import { asArray } from "../../lib/util";
import { everyContainer, Obj, podSpec, WORKLOAD_TYPES } from "./workloads";

export const k8sNoPlaintextEnvSecrets = resourceRule({
  id: "k8s-no-plaintext-env-secrets",
  description:
    "Workload containers' `env` holds no secret-looking plain `value`; secrets come from a Secret by reference (valueFrom.secretKeyRef).",
  severity: "high",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "least-privilege",
  remediation:
    "Meridian: components/k8s/podSpec.ts and components/k8s/secretProviderClass.ts mount Secret Manager versions as files of a CSI volume and export them before the command starts; no value is in `env`. Raw: mount the secret from Secret Manager with the Secrets Store CSI driver (a `SecretProviderClass` and a `csi` volume), or sync it with External Secrets, and use `env: [{ name, valueFrom: { secretKeyRef: { name, key } } }]` (or `envFrom: [{ secretRef: { name } }]`) instead of `value`.",
  references: [],
  types: WORKLOAD_TYPES,
  check(r, report, ctx) {
    const spec = podSpec(r);
    if (!spec) return;
    judgeEnv(
      everyContainer(spec).flatMap(({ c, where }) =>
        asArray(c.env as Obj[])
          .filter((e) => e.valueFrom === undefined)
          .map((e) => ({ where, name: String(e.name ?? ""), holder: e, key: "value" })),
      ),
      report,
      ctx.cannotCheck,
      "use valueFrom.secretKeyRef",
    );
  },
});

/** Secret types whose data the program writes (a Secret, or a server-side-apply patch of one). */
export const SECRET_TYPES = ["kubernetes:core/v1:Secret", "kubernetes:core/v1:SecretPatch"];

/** Whether a property is present with content; an unknown value (an output of another resource) counts. */
function written(props: Obj, key: string): boolean {
  if (!(key in props)) return false; // `in` is not intercepted by the unknown-checking proxy
  let v: unknown;
  try {
    v = props[key];
  } catch (e) {
    if ((e as Error).constructor?.name === "UnknownValueError") return true;
    throw e;
  }
  if (v === undefined || v === null) return false;
  return typeof v !== "object" || Object.keys(v as object).length > 0;
}

export const k8sNoPlainSecret = resourceRule({
  id: "k8s-no-plain-secret",
  description:
    "The program writes no Kubernetes Secret data (data/stringData): secrets come from Secret Manager through the Secrets Store CSI driver or External Secrets.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "kubernetes",
  area: "least-privilege",
  remediation:
    "Meridian: components/k8s/secretProviderClass.ts reads Secret Manager through GKE's add-on and creates no Kubernetes Secret. Raw: keep the value in Secret Manager (`gcp.secretmanager.Secret`) and mount it with the Secrets Store CSI driver (GKE's Secret Manager add-on: a `secrets-store.csi.x-k8s.io/v1` `SecretProviderClass` and a `csi` volume with `driver: secrets-store-gke.csi.k8s.io`), or sync it with an External Secrets `ExternalSecret`; then delete the Secret's `data`/`stringData`. A Secret the cluster fills itself (type `kubernetes.io/service-account-token`) has no data and passes.",
  references: ["CIS Kubernetes 5.4.2"],
  types: SECRET_TYPES,
  check(r, report) {
    const set = ["data", "stringData"].filter((k) => written(r.props, k));
    if (set.length)
      report(
        `${set.join(" and ")} ${set.length > 1 ? "are" : "is"} set by the program: the value lives in the Pulumi state and, base64-encoded, in the Kubernetes API for anyone who may read Secrets in the namespace.`,
      );
  },
});

/** Secret rules, in the order the analyzer runs them. */
export const k8sSecretRules = [k8sNoPlaintextEnvSecrets, k8sNoPlainSecret];
