/**
 * The workload's namespace, with Pod Security Admission enforcing the `restricted` standard (and auditing and
 * warning on it): a Pod that is not non-root, seccomp RuntimeDefault, capability-free and without privilege
 * escalation is refused by the API server. https://kubernetes.io/docs/concepts/security/pod-security-admission/
 * (read 2026-11).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { standardLabels } from "./common";

/** The Pod Security Admission labels for `restricted` at the latest version, in all three modes. */
export const PSA_RESTRICTED_LABELS = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
} as const;

export function createNamespace(
  name: string,
  args: { namespace: string; app: string; labels?: Record<string, string> },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.core.v1.NamespaceArgs>,
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    ...applyTransform(
      transform,
      name,
      {
        metadata: {
          name: args.namespace,
          labels: { ...standardLabels(args.app, "namespace", args.labels), ...PSA_RESTRICTED_LABELS },
        },
      },
      opts,
    ),
  );
}
