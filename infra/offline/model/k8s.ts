/**
 * Offline model of Kubernetes objects (@pulumi/kubernetes 4.x): what the provider computes when it
 * previews an object without a reachable cluster, read from pulumi-kubernetes' provider source
 * (provider/pkg/provider/provider.go `Check` and `Create`, provider/pkg/metadata/naming.go, kinds.go):
 *
 * - `Check` autonames an object without `metadata.name` or `metadata.generateName`: `<logical name>-`
 *   plus 8 characters of `[0-9a-f]` (`resource.NewUniqueName(seed, urn.Name()+"-", 0, 0, nil)`), and
 *   marks it with the annotation `pulumi.com/autonamed: "true"`. Patch resources are never autonamed.
 * - `Check` sets `metadata.namespace` from the provider's `namespace` setting when it is unset, for every
 *   kind except the known cluster-scoped ones (kinds.go `Namespaced()`; an unknown kind is assumed
 *   namespaced when the cluster cannot be asked). Without that setting the namespace stays unset here and
 *   the API server later puts the object in the kubeconfig context's namespace (usually `default`).
 * - `Check` adds the label `app.kubernetes.io/managed-by: pulumi` only in client-side-apply mode
 *   (provider `enableServerSideApply: false`; server-side apply is the default since v4).
 * - `Create` in preview, when the cluster is unreachable or the kind unknown, returns the checked inputs
 *   as-is with an empty id: `status` and server-defaulted fields (uid, resourceVersion, clusterIP, ...)
 *   are not in the state, so the program and the policies see them as unknown.
 *
 * `apiVersion` and `kind` are set by the SDK's constructors; the model fills them from the type token
 * when a program registers an object without them. The id is what `Create` returns after deployment
 * (`namespace/name`, or `name` for a cluster-scoped object); the real preview reports it unknown.
 */
import { hex, ModelEnv, ModelResult, ResourceCall, seedOf } from "./context";

/** The annotation the provider puts on objects it autonamed. */
export const AUTONAMED_ANNOTATION = "pulumi.com/autonamed";
/** The label the provider adds in client-side-apply mode. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

/** Kinds the provider knows to be cluster-scoped (pulumi-kubernetes provider/pkg/kinds/kinds.go). */
export const CLUSTER_SCOPED_KINDS = new Set([
  "APIService",
  "CertificateSigningRequest",
  "ClusterRole",
  "ClusterRoleBinding",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "FlowSchema",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PodSecurityPolicy",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "RuntimeClass",
  "StorageClass",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
]);

type Obj = Record<string, unknown>;

/** `kubernetes:apps/v1:Deployment` -> apps/v1 and Deployment (`core/v1` is `v1`); Patch types name their object. */
export function typeMeta(type: string): { apiVersion: string; kind: string; patch: boolean } {
  const [, mod = "", member = ""] = type.split(":");
  const patch = member.endsWith("Patch");
  return { apiVersion: mod.replace(/^core\//, ""), kind: patch ? member.slice(0, -5) : member, patch };
}

/** The name the provider generates for an unnamed object: `<name>-` and 8 lowercase hex characters. */
export function k8sAutoName(call: ResourceCall): string {
  return `${call.name}-${hex(`${seedOf(call)}::k8s`, 8)}`;
}

const isFalse = (v: unknown) => v === false || v === "false";

/** Computes the preview state of a Kubernetes object. */
export function k8sResource(call: ResourceCall, env: ModelEnv): ModelResult {
  const meta = typeMeta(call.type);
  const provider = env.providerInputs(call.provider) ?? {};
  const computed: string[] = [];
  const state: Obj = { ...call.inputs };
  for (const key of ["apiVersion", "kind"] as const)
    if (state[key] === undefined) {
      state[key] = meta[key];
      computed.push(key);
    }

  const metadata: Obj = { ...((call.inputs.metadata as Obj | undefined) ?? {}) };
  let changed = false;
  if (!meta.patch && metadata.name === undefined && metadata.generateName === undefined) {
    metadata.name = k8sAutoName(call);
    metadata.annotations = {
      ...((metadata.annotations as Obj | undefined) ?? {}),
      [AUTONAMED_ANNOTATION]: "true",
    };
    changed = true;
  }
  const defaultNs =
    typeof provider.namespace === "string" && provider.namespace !== "" ? provider.namespace : undefined;
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(meta.kind.replace(/List$/, ""));
  if (defaultNs && !clusterScoped && metadata.namespace === undefined) {
    metadata.namespace = defaultNs;
    changed = true;
  }
  if (isFalse(provider.enableServerSideApply)) {
    metadata.labels = { ...((metadata.labels as Obj | undefined) ?? {}), [MANAGED_BY_LABEL]: "pulumi" };
    changed = true;
  }
  if (changed || call.inputs.metadata === undefined) {
    state.metadata = metadata;
    computed.push("metadata");
  }

  env.note({
    level: "info",
    message:
      "Kubernetes objects: previewed as the provider does without a reachable cluster (checked inputs, autonamed metadata.name); status and server-defaulted fields are unknown until deployment",
  });
  const name = typeof metadata.name === "string" ? metadata.name : undefined;
  const ns = typeof metadata.namespace === "string" ? metadata.namespace : undefined;
  const id = name === undefined ? undefined : ns && !clusterScoped ? `${ns}/${name}` : name;
  return { id, state, computed };
}
