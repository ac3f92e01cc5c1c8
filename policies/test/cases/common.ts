/** Violating and clean resources of rules/common/index.ts: images pinned by digest. */
import type { Case } from "./case";

export const COMMON_CASES: Case[] = [
  {
    rule: "image-pinned-by-digest",
    bad: {
      type: "gcp:cloudrunv2/service:Service",
      props: { template: { containers: [{ image: "ghcr.io/acme/api:latest" }] } },
    },
    good: {
      type: "gcp:cloudrunv2/service:Service",
      props: { template: { containers: [{ image: "ghcr.io/acme/api@sha256:" + "c".repeat(64) }] } },
    },
  },
];
