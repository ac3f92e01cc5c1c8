/**
 * A Kubernetes provider for a {@link GkeCluster}, built from its outputs: a kubeconfig that reaches the
 * control plane's DNS endpoint and authenticates with `gke-gcloud-auth-plugin` (Google's client-go credential
 * plugin: the caller's gcloud / Application Default Credentials, no static token or client certificate).
 * https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl (read 2026-11).
 *
 * Where `pulumi up` runs, `gke-gcloud-auth-plugin` must be on PATH
 * (`gcloud components install gke-gcloud-auth-plugin`, or the Debian package `google-cloud-cli-gke-gcloud-auth-plugin`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GkeCluster } from "./gke";

/** The kubeconfig (YAML-compatible JSON) for a cluster's DNS endpoint. Pure: tested without mocks. */
export function gkeKubeconfig(clusterName: string, dnsEndpoint: string): string {
  const context = `gke_${clusterName}`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: context, cluster: { server: `https://${dnsEndpoint}` } }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "gke-gcloud-auth-plugin",
            installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
            provideClusterInfo: true,
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}

/**
 * The provider every Kubernetes object of the GKE option uses. Server-side apply on, so objects another
 * controller also writes (e.g. the HPA's replicas) do not fight; `deleteUnreachable` lets `pulumi destroy`
 * finish after the cluster itself is gone.
 */
export function gkeProvider(
  name: string,
  cluster: GkeCluster,
  opts: pulumi.CustomResourceOptions = {},
): k8s.Provider {
  return new k8s.Provider(
    name,
    {
      kubeconfig: pulumi
        .all([cluster.clusterName, cluster.dnsEndpoint])
        .apply(([n, e]) => gkeKubeconfig(n, e)),
      enableServerSideApply: true,
      deleteUnreachable: true,
    },
    { parent: cluster, ...opts },
  );
}
