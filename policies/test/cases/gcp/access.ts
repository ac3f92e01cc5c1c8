/**
 * Violating and clean resources of rules/gcp/access.ts: basic roles, public members, per-secret access,
 * dedicated service accounts, public ACLs, Redis AUTH, plaintext env secrets.
 */
import type { Case } from "../case";

export const GCP_ACCESS_CASES: Case[] = [
  {
    rule: "gcp-no-basic-roles",
    bad: {
      type: "gcp:projects/iAMMember:IAMMember",
      props: { role: "roles/editor", member: "serviceAccount:x@p.iam.gserviceaccount.com" },
    },
    good: {
      type: "gcp:projects/iAMMember:IAMMember",
      props: { role: "roles/cloudsql.client", member: "serviceAccount:x@p.iam.gserviceaccount.com" },
    },
  },
  {
    rule: "gcp-no-public-members",
    bad: {
      type: "gcp:storage/bucketIAMMember:BucketIAMMember",
      props: { role: "roles/storage.objectViewer", member: "allUsers" },
    },
    good: {
      type: "gcp:storage/bucketIAMMember:BucketIAMMember",
      props: { role: "roles/storage.objectViewer", member: "serviceAccount:cdn@p.iam.gserviceaccount.com" },
    },
  },
  {
    rule: "gcp-secret-access-per-secret",
    bad: {
      type: "gcp:projects/iAMMember:IAMMember",
      props: { role: "roles/secretmanager.secretAccessor", member: "serviceAccount:x" },
    },
    good: {
      type: "gcp:projects/iAMMember:IAMMember",
      props: { role: "roles/logging.logWriter", member: "serviceAccount:x" },
    },
  },
  {
    rule: "gcp-dedicated-service-account",
    bad: {
      type: "gcp:cloudrunv2/service:Service",
      props: { template: { serviceAccount: "123-compute@developer.gserviceaccount.com" } },
    },
    good: {
      type: "gcp:cloudrunv2/service:Service",
      props: { template: { serviceAccount: "api@p.iam.gserviceaccount.com" } },
    },
  },
  {
    rule: "gcp-storage-no-public-acl",
    bad: {
      type: "gcp:storage/bucketAccessControl:BucketAccessControl",
      props: { bucket: "b", entity: "allUsers", role: "READER" },
    },
    good: {
      type: "gcp:storage/bucketAccessControl:BucketAccessControl",
      props: { bucket: "b", entity: "group-ops@example.org", role: "READER" },
    },
    says: "entity allUsers gets READER",
  },
  {
    rule: "gcp-redis-auth",
    bad: {
      type: "gcp:redis/instance:Instance",
      props: { transitEncryptionMode: "SERVER_AUTHENTICATION" },
    },
    good: {
      type: "gcp:redis/instance:Instance",
      props: { authEnabled: true, transitEncryptionMode: "SERVER_AUTHENTICATION" },
    },
    says: "authEnabled is unset (false)",
  },
  {
    rule: "gcp-no-plaintext-env-secrets",
    bad: {
      type: "gcp:cloudrunv2/service:Service",
      props: {
        template: { containers: [{ image: "i", envs: [{ name: "API_TOKEN", value: "abc123def" }] }] },
      },
    },
    good: {
      type: "gcp:cloudrunv2/service:Service",
      props: {
        template: {
          containers: [
            {
              image: "i",
              envs: [{ name: "API_TOKEN", valueSource: { secretKeyRef: { secret: "t", version: "1" } } }],
            },
          ],
        },
      },
    },
    says: "API_TOKEN",
  },
];
