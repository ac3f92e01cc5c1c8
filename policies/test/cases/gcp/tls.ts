/**
 * Violating and clean resources of rules/gcp/tls.ts: Cloud SQL SSL mode, Memorystore in transit, the HTTPS
 * proxy's SSL policy, HTTP only redirects.
 */
import type { Case } from "../case";
import { UNKNOWN } from "../../harness";
import { sql } from "../builders";

export const GCP_TLS_CASES: Case[] = [
  {
    rule: "gcp-sql-ssl-mode",
    bad: { type: "gcp:sql/databaseInstance:DatabaseInstance", props: sql({ ipv4Enabled: false }) },
    good: {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      props: sql({ ipv4Enabled: false, sslMode: "ENCRYPTED_ONLY" }),
    },
  },
  {
    rule: "gcp-redis-transit-encryption",
    bad: { type: "gcp:redis/instance:Instance", props: { authEnabled: true } },
    good: {
      type: "gcp:redis/instance:Instance",
      props: { authEnabled: true, transitEncryptionMode: "SERVER_AUTHENTICATION" },
    },
  },
  {
    rule: "gcp-https-proxy-ssl-policy",
    bad: {
      stack: [
        {
          type: "gcp:compute/sSLPolicy:SSLPolicy",
          name: "tls",
          props: { minTlsVersion: "TLS_1_0", profile: "COMPATIBLE" },
        },
        {
          type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
          name: "p",
          props: { sslPolicy: UNKNOWN },
          deps: { sslPolicy: ["tls"] },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "gcp:compute/sSLPolicy:SSLPolicy",
          name: "tls",
          props: { minTlsVersion: "TLS_1_2", profile: "MODERN" },
        },
        {
          type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
          name: "p",
          props: { sslPolicy: UNKNOWN },
          deps: { sslPolicy: ["tls"] },
        },
        {
          type: "gcp:compute/uRLMap:URLMap",
          name: "redirect",
          props: { defaultUrlRedirect: { httpsRedirect: true } },
        },
        {
          type: "gcp:compute/targetHttpProxy:TargetHttpProxy",
          name: "h",
          props: { urlMap: UNKNOWN },
          deps: { urlMap: ["redirect"] },
        },
      ],
    },
  },
  {
    rule: "gcp-http-redirect-only",
    bad: {
      stack: [
        {
          type: "gcp:compute/uRLMap:URLMap",
          name: "web",
          props: { name: "web", defaultService: UNKNOWN },
        },
        {
          type: "gcp:compute/targetHttpProxy:TargetHttpProxy",
          name: "h",
          props: { urlMap: UNKNOWN },
          deps: { urlMap: ["web"] },
        },
      ],
    },
    good: {
      stack: [
        {
          type: "gcp:compute/uRLMap:URLMap",
          name: "redirect",
          props: { name: "redirect", defaultUrlRedirect: { httpsRedirect: true, stripQuery: false } },
        },
        {
          type: "gcp:compute/targetHttpProxy:TargetHttpProxy",
          name: "h",
          props: { urlMap: UNKNOWN },
          deps: { urlMap: ["redirect"] },
        },
      ],
    },
    says: "the default route sends traffic to a backend",
  },
];
