/**
 * Violating and clean resources of rules/gcp/exposure.ts: private Cloud SQL, Cloud Run ingress, uniform
 * bucket access, public firewall ingress, Cloud Armor.
 */
import type { Case } from "../case";
import { UNKNOWN } from "../../harness";
import { sql } from "../builders";

export const GCP_EXPOSURE_CASES: Case[] = [
  {
    rule: "gcp-sql-private",
    bad: {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      props: sql({ authorizedNetworks: [{ value: "0.0.0.0/0" }] }),
    },
    good: {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      props: sql({ ipv4Enabled: false, privateNetwork: "projects/p/global/networks/n" }),
    },
  },
  {
    rule: "gcp-cloud-run-ingress",
    bad: { type: "gcp:cloudrunv2/service:Service", props: { ingress: "INGRESS_TRAFFIC_ALL" } },
    good: {
      type: "gcp:cloudrunv2/service:Service",
      props: { ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" },
    },
  },
  {
    rule: "gcp-bucket-uniform-access",
    bad: { type: "gcp:storage/bucket:Bucket", props: { uniformBucketLevelAccess: false } },
    good: {
      type: "gcp:storage/bucket:Bucket",
      props: { uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" },
    },
  },
  {
    rule: "gcp-firewall-no-public-ingress",
    bad: {
      type: "gcp:compute/firewall:Firewall",
      props: {
        network: "n",
        allows: [{ protocol: "tcp", ports: ["22"] }],
        sourceRanges: ["0.0.0.0/0"],
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      },
    },
    good: {
      type: "gcp:compute/firewall:Firewall",
      props: {
        network: "n",
        direction: "INGRESS",
        allows: [{ protocol: "tcp", ports: ["8080"] }],
        sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"],
        targetTags: ["lb-backend"],
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      },
    },
    says: "allows tcp:22 from 0.0.0.0/0",
  },
  {
    rule: "gcp-cloud-armor",
    bad: {
      stack: [
        {
          type: "gcp:compute/backendService:BackendService",
          name: "api",
          props: { loadBalancingScheme: "EXTERNAL_MANAGED" },
        },
      ],
    },
    good: {
      stack: [
        { type: "gcp:compute/securityPolicy:SecurityPolicy", name: "armor", props: { type: "CLOUD_ARMOR" } },
        {
          type: "gcp:compute/backendService:BackendService",
          name: "api",
          props: { loadBalancingScheme: "EXTERNAL_MANAGED", securityPolicy: UNKNOWN },
          deps: { securityPolicy: ["armor"] },
        },
      ],
    },
    says: "no securityPolicy",
  },
];
