/**
 * Violating and clean resources of rules/k8s/*: Ingress TLS, pod security, limits, the service account
 * token, plaintext env secrets; the cases of the other Kubernetes rules (every workload kind) come from
 * ../k8s-fixtures.ts.
 */
import type { Case } from "./case";
import { K8S_CASES } from "../k8s-fixtures";

const dep = "kubernetes:apps/v1:Deployment";
const pod = (c: object, spec: object = {}) => ({
  spec: {
    template: {
      spec: {
        automountServiceAccountToken: false,
        containers: [
          {
            name: "api",
            image: "repo/api@sha256:" + "b".repeat(64),
            securityContext: {
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"] },
            },
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } },
            ...c,
          },
        ],
        ...spec,
      },
    },
  },
});

export const K8S_RULE_CASES: Case[] = [
  {
    rule: "k8s-ingress-tls",
    bad: {
      type: "kubernetes:networking.k8s.io/v1:Ingress",
      props: { spec: { rules: [{ host: "api.example.com" }] } },
    },
    good: {
      type: "kubernetes:networking.k8s.io/v1:Ingress",
      props: {
        spec: {
          rules: [{ host: "api.example.com" }],
          tls: [{ hosts: ["api.example.com"], secretName: "tls" }],
        },
      },
    },
  },
  {
    rule: "k8s-run-as-non-root",
    bad: {
      type: dep,
      props: pod({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }),
    },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-no-privileged",
    bad: {
      type: dep,
      props: pod({
        securityContext: { runAsNonRoot: true, privileged: true, capabilities: { drop: ["ALL"] } },
      }),
    },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-no-privilege-escalation",
    bad: {
      type: dep,
      props: pod({ securityContext: { runAsNonRoot: true, capabilities: { drop: ["ALL"] } } }),
    },
    good: { type: dep, props: pod({}) },
    says: "allowPrivilegeEscalation is not false",
  },
  {
    rule: "k8s-drop-capabilities",
    bad: {
      type: dep,
      props: pod({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } }),
    },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-resource-limits",
    bad: { type: dep, props: pod({ resources: {} }) },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-no-sa-token-automount",
    bad: { type: dep, props: pod({}, { automountServiceAccountToken: true }) },
    good: { type: dep, props: pod({}) },
  },
  {
    rule: "k8s-no-plaintext-env-secrets",
    bad: { type: dep, props: pod({ env: [{ name: "DB_PASSWORD", value: "hunter2" }] }) },
    good: {
      type: dep,
      props: pod({ env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "pw" } } }] }),
    },
    says: "DB_PASSWORD",
  },
  ...K8S_CASES,
];
