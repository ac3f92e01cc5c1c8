/**
 * The workload's Kubernetes ServiceAccount, mapped to a cloud identity by annotation (GKE Workload Identity:
 * `iam.gke.io/gcp-service-account`; EKS IRSA would use `eks.amazonaws.com/role-arn`). Its API token is not
 * mounted: the app never calls the Kubernetes API, and Workload Identity uses the metadata server.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { standardLabels } from "./common";

export function createServiceAccount(
  name: string,
  args: {
    namespace: pulumi.Input<string>;
    serviceAccountName: string;
    app: string;
    /** Cloud identity annotations, e.g. `{ "iam.gke.io/gcp-service-account": email }`. */
    annotations?: Record<string, pulumi.Input<string>>;
    labels?: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.core.v1.ServiceAccountArgs>,
): k8s.core.v1.ServiceAccount {
  return new k8s.core.v1.ServiceAccount(
    ...applyTransform(
      transform,
      name,
      {
        metadata: {
          name: args.serviceAccountName,
          namespace: args.namespace,
          labels: standardLabels(args.app, "identity", args.labels),
          annotations: args.annotations ?? {},
        },
        automountServiceAccountToken: false,
      },
      opts,
    ),
  );
}
