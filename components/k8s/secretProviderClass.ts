/**
 * Secrets as files from the cloud's secret manager through the Secrets Store CSI driver: a SecretProviderClass
 * listing each pinned secret version and the file it becomes. No Kubernetes Secret is created (the GKE add-on
 * cannot sync to one; the open-source driver's `secretObjects` is deliberately not used).
 * GKE: https://cloud.google.com/secret-manager/docs/secret-manager-managed-csi-component (read 2026-11):
 * driver `secrets-store-gke.csi.k8s.io`, `provider: gke`, `parameters.secrets` a YAML list of
 * `{resourceName, path}`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { show } from "../shared/validate";
import { standardLabels } from "./common";

/** The GKE Secret Manager add-on's CSI driver and provider name. */
export const GKE_SECRETS_DRIVER = "secrets-store-gke.csi.k8s.io";
export const GKE_SECRETS_PROVIDER = "gke";

/** One file: the secret version's full resource name and the file name in the volume. */
export interface SecretFile {
  /** e.g. `projects/P/secrets/S/versions/3` (pinned, never `latest`). */
  resourceName: pulumi.Input<string>;
  /** File name in the volume (no `/`). */
  path: string;
}

/** `parameters.secrets`: the YAML list the provider reads (JSON is valid YAML). Pure. */
export function secretsParameter(files: { resourceName: string; path: string }[]): string {
  for (const f of files) {
    if (
      /\/versions\/latest$/.test(f.resourceName) ||
      !/^projects\/[^/]+\/secrets\/[^/]+\/versions\/\d+$/.test(f.resourceName)
    ) {
      throw new Error(
        `secret ${show(f.resourceName)}; allowed: projects/P/secrets/S/versions/<number> (pinned, never latest)`,
      );
    }
    if (!/^[A-Za-z0-9._-]+$/.test(f.path)) {
      throw new Error(
        `secret file path ${show(f.path)}; allowed: a file name of letters, digits, '.', '_', '-'`,
      );
    }
  }
  return JSON.stringify(files.map((f) => ({ resourceName: f.resourceName, path: f.path })));
}

export function createSecretProviderClass(
  name: string,
  args: {
    namespace: pulumi.Input<string>;
    className: string;
    app: string;
    provider: string;
    files: SecretFile[];
    labels?: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.apiextensions.CustomResourceArgs>,
): k8s.apiextensions.CustomResource {
  const secrets = pulumi
    .all(args.files.map((f) => pulumi.all([f.resourceName, f.path])))
    .apply((fs) => secretsParameter(fs.map(([resourceName, path]) => ({ resourceName, path }))));
  return new k8s.apiextensions.CustomResource(
    ...applyTransform(
      transform,
      name,
      {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: {
          name: args.className,
          namespace: args.namespace,
          labels: standardLabels(args.app, "secrets", args.labels),
        },
        spec: { provider: args.provider, parameters: { secrets } },
      },
      opts,
    ),
  );
}
