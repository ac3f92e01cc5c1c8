/** Rules across keys (or a key and the cloud/profile), each reporting on one key and naming the others. */
import { parseSqlTier } from "../../components/gcp/sqlTiers";
import {
  CLOUD_RUN_MEMORY,
  FARGATE_MEMORY,
  type ImageReference,
  cidrsOverlap,
  describeMemory,
  isDigestPinned,
  parseImageReference,
} from "./findings";
import { KEY_NAMES, type KeyName, PROVIDER_KEYS } from "./keys";
import type { Resolved } from "./resolve";
import { GCP_MAX_LOG_RETENTION_DAYS, NS, full } from "./types";

/** A rule that involves several keys (or a key and the cloud/profile). */
export type CrossRule = (r: Resolved) => void;

export const num = (r: Resolved, name: KeyName): number => Number(r.get(name));
export const str = (r: Resolved, name: KeyName): string | undefined => {
  const v = r.get(name);
  return v === undefined ? undefined : String(v);
};

/**
 * The GCP ranges (connectorCidr only with a connector) must not overlap. The problem is reported on
 * the key the stack set (the later one when both are set) and names the other key and its value.
 */
const gcpRangesDisjoint: CrossRule = (r) => {
  const names: KeyName[] = ["subnetCidr", "privateServicesCidr"];
  if (r.get("serverlessEgress") === "connector") names.push("connectorCidr");
  const isSet = (n: KeyName) => r.values[full(n)] !== undefined;
  const checked = names.filter((n) => r.valid(n) && (r.cloud === "gcp" || isSet(n)));
  for (let i = 0; i < checked.length; i++) {
    for (let j = i + 1; j < checked.length; j++) {
      const [target, other] = isSet(checked[j]) ? [checked[j], checked[i]] : [checked[i], checked[j]];
      const [targetCidr, otherCidr] = [str(r, target) ?? "", str(r, other) ?? ""];
      if (!cidrsOverlap(targetCidr, otherCidr)) continue;
      r.problems.add(
        full(target),
        `overlaps ${full(other)} = ${r.problems.show(full(other), otherCidr)}; the GCP ranges (subnetCidr, privateServicesCidr, connectorCidr) must not overlap`,
        targetCidr,
      );
    }
  }
};

/** cpu and memoryMiB must be a combination the selected cloud runs. */
const serviceSizeFitsCloud: CrossRule = (r) => {
  if (!r.valid("cpu", "memoryMiB") || r.cloud === undefined) return;
  const cpu = num(r, "cpu");
  const memory = num(r, "memoryMiB");
  const cpuShown = r.problems.show(full("cpu"), cpu);
  const addMemory = (message: string) => r.problems.add(full("memoryMiB"), message, String(memory));
  if (r.cloud === "aws") {
    const allowed = FARGATE_MEMORY.get(cpu);
    if (!allowed) {
      r.problems.add(full("cpu"), "Fargate runs 0.25, 0.5, 1, 2, 4, 8 or 16 vCPU", String(cpu));
    } else if (!allowed.includes(memory)) {
      addMemory(`Fargate with meridian:cpu = ${cpuShown} allows ${describeMemory(allowed)}`);
    }
    return;
  }
  const range = CLOUD_RUN_MEMORY.get(cpu);
  if (!range) {
    r.problems.add(
      full("cpu"),
      cpu < 1
        ? "Cloud Run allows less than 1 vCPU only with concurrency 1, which Meridian does not use; allowed: 1, 2, 4, 6, 8"
        : "Cloud Run runs 1, 2, 4, 6 or 8 vCPU",
      String(cpu),
    );
  } else if (memory < range.min || memory > range.max) {
    addMemory(`Cloud Run with meridian:cpu = ${cpuShown} allows ${range.min}-${range.max} MiB`);
  }
};

/** minInstances <= maxInstances. */
const instancesOrdered: CrossRule = (r) => {
  if (!r.valid("minInstances", "maxInstances")) return;
  const [min, max] = [num(r, "minInstances"), num(r, "maxInstances")];
  if (min > max) {
    r.problems.add(
      full("minInstances"),
      `is greater than meridian:maxInstances = ${r.problems.show(full("maxInstances"), max)}; minInstances must be <= maxInstances`,
      String(min),
    );
  }
};

/** dbMaxStorageGb >= dbStorageGb. */
const storageOrdered: CrossRule = (r) => {
  if (!r.valid("dbStorageGb", "dbMaxStorageGb")) return;
  const [initial, ceiling] = [num(r, "dbStorageGb"), num(r, "dbMaxStorageGb")];
  if (ceiling < initial) {
    r.problems.add(
      full("dbMaxStorageGb"),
      `is less than meridian:dbStorageGb = ${r.problems.show(full("dbStorageGb"), initial)}; the autoscaling ceiling must be >= the initial storage`,
      String(ceiling),
    );
  }
};

/** Spot capacity exists only on AWS. */
const spotOnlyOnAws: CrossRule = (r) => {
  if (r.cloud === "gcp" && r.valid("spot") && r.get("spot") === true)
    r.problems.add(full("spot"), "Cloud Run has no spot capacity; remove meridian:spot");
};

/** A NAT instance is one EC2 instance with no SLA: dev only. */
const natInstanceNotInProd: CrossRule = (r) => {
  if (r.profile !== "prod" || !r.valid("natStrategy") || r.get("natStrategy") !== "instance") return;
  r.problems.add(
    full("natStrategy"),
    "must not be instance in prod: one EC2 instance with no SLA would be the only way to the internet (an instance or AZ failure stops all egress until it is recovered or replaced); allowed in prod: none, single, perAz",
    "instance",
  );
};

/** meridian:runtime picks how the GCP option runs the API; AWS always runs ECS Fargate. */
const runtimeOnlyOnGcp: CrossRule = (r) => {
  if (r.cloud !== "aws" || r.values[full("runtime")] === undefined || !r.valid("runtime")) return;
  r.problems.add(
    full("runtime"),
    "selects the GCP runtime (cloudrun or gke); the AWS option always runs ECS Fargate: remove meridian:runtime or set meridian:cloud = gcp",
    String(r.get("runtime")),
  );
};

/** The image comes from one place: built by the stack, or set by the app developer. */
const buildImageOrImage: CrossRule = (r) => {
  if (!r.valid("buildImage") || r.get("buildImage") !== true) return;
  if (r.cloud === "gcp")
    r.problems.add(
      full("buildImage"),
      "building the image inside `pulumi up` is supported on AWS only; on GCP push with the delivery workflow or Cloud Build and set meridian:image (docs/gcp.md)",
    );
  else if (str(r, "image") !== undefined)
    r.problems.add(
      full("buildImage"),
      "is true and meridian:image is set: choose one (remove meridian:image to deploy the image the stack builds, or set meridian:buildImage false)",
    );
};

/** The WhatsApp webhook needs Meta's app secret, and only ever as a Pulumi secret. */
const whatsappAppSecret: CrossRule = (r) => {
  if (!r.valid("webhooks")) return;
  const wanted = String(r.get("webhooks")).split(",").includes("whatsapp");
  const set = r.values[full("whatsappAppSecret")] !== undefined;
  if (wanted && !set)
    r.problems.add(
      full("whatsappAppSecret"),
      "is required when meridian:webhooks includes whatsapp: set Meta's app secret with `pulumi config set --secret meridian:whatsappAppSecret <secret>`",
    );
  else if (set && !r.problems.isSecret(full("whatsappAppSecret")))
    // A credential, even one given in plain text, is never echoed.
    r.problems.list.push({
      key: full("whatsappAppSecret"),
      value: "[secret]",
      secret: true,
      message:
        "holds a credential in plain text: set it with `pulumi config set --secret meridian:whatsappAppSecret <secret>` (encrypted in the stack file)",
    });
};

/** In prod the image must be pinned by digest. */
const prodImagePinned: CrossRule = (r) => {
  const image = str(r, "image");
  if (r.profile !== "prod" || image === undefined || !r.valid("image") || isDigestPinned(image)) return;
  const ref = parseImageReference(image) as ImageReference;
  const repo = r.problems.isSecret(full("image"))
    ? "<repository>"
    : `${ref.registry ? `${ref.registry}/` : ""}${ref.repository}`;
  const what = ref.tag === undefined || ref.tag === "latest" ? "a :latest (or untagged) image" : "a tag";
  r.problems.add(
    full("image"),
    `${what} can be moved to other content, so prod requires an image pinned by digest: get the digest of the pushed image with \`docker buildx imagetools inspect IMAGE\` or \`crane digest IMAGE\`, then set meridian:image to ${repo}@sha256:<digest>`,
  );
};

/** Cloud Logging buckets keep logs at most 3650 days (CloudWatch's longest period is 3653). */
const gcpLogRetention: CrossRule = (r) => {
  if (r.cloud !== "gcp" || !r.valid("logRetentionDays")) return;
  const days = num(r, "logRetentionDays");
  if (days > GCP_MAX_LOG_RETENTION_DAYS)
    r.problems.add(
      full("logRetentionDays"),
      `Cloud Logging keeps logs at most ${GCP_MAX_LOG_RETENTION_DAYS} days; use 3288 or less`,
    );
};

/** The smallest Memorystore for Redis instance that may have read replicas, in GB. */
const MEMORYSTORE_MIN_GB_WITH_REPLICAS = 5;

/**
 * GCP data stores: Memorystore read replicas need a 5 GB instance; Cloud SQL keeps at least 7 days of
 * backups (its point-in-time recovery window is at most 7 days on Enterprise); prod runs no shared-core tier.
 */
const gcpDataStores: CrossRule = (r) => {
  if (r.cloud !== "gcp") return;
  if (r.valid("cacheReplicas", "cacheMemoryGb") && num(r, "cacheReplicas") > 0) {
    const gb = num(r, "cacheMemoryGb");
    if (gb < MEMORYSTORE_MIN_GB_WITH_REPLICAS)
      r.problems.add(
        full("cacheMemoryGb"),
        `Memorystore read replicas (meridian:cacheReplicas = ${num(r, "cacheReplicas")}) need an instance of at least ${MEMORYSTORE_MIN_GB_WITH_REPLICAS} GB; raise cacheMemoryGb or set cacheReplicas to 0`,
        String(gb),
      );
  }
  if (r.valid("dbBackupRetentionDays") && num(r, "dbBackupRetentionDays") < 7)
    r.problems.add(
      full("dbBackupRetentionDays"),
      "on GCP keep at least 7 days of Cloud SQL backups (the point-in-time recovery window is up to 7 days); allowed: 7-35",
      String(num(r, "dbBackupRetentionDays")),
    );
  if (r.profile === "prod" && r.valid("dbTier") && parseSqlTier("dbTier", String(r.get("dbTier"))).sharedCore)
    r.problems.add(
      full("dbTier"),
      "shared-core tiers (db-f1-micro, db-g1-small) have no SLA and about 25 connections; prod needs db-custom-* or db-perf-optimized-N-*",
      String(r.get("dbTier")),
    );
};

/** The largest rate-based threshold count Cloud Armor accepts (`rateLimitOptions.rateLimitThreshold.count`). */
const CLOUD_ARMOR_MAX_RATE_LIMIT = 1_000_000;

/** Cloud Armor's throttle counts up to 1,000,000 requests per interval (AWS WAF allows far more). */
const gcpWafRateLimit: CrossRule = (r) => {
  if (r.cloud !== "gcp" || !r.valid("wafRateLimit")) return;
  if (num(r, "wafRateLimit") > CLOUD_ARMOR_MAX_RATE_LIMIT)
    r.problems.add(
      full("wafRateLimit"),
      `Cloud Armor's rate-based rule counts at most ${CLOUD_ARMOR_MAX_RATE_LIMIT} requests per interval; use 100-${CLOUD_ARMOR_MAX_RATE_LIMIT} on GCP`,
    );
};

/** The selected cloud's provider keys are required; any provider key that is set must look right. */
const providerKeys: CrossRule = (r) => {
  for (const p of PROVIDER_KEYS) {
    const value = r.values[p.key];
    if (value === undefined || value === "") {
      if (p.cloud === r.cloud)
        r.problems.add(
          p.key,
          `is required when meridian:cloud is ${p.cloud}; set it with \`pulumi config set ${p.key} ${p.example}\``,
        );
    } else if (!p.pattern.test(value)) {
      r.problems.add(p.key, `not ${p.what}`);
    }
  }
};

/** Unknown keys in the meridian namespace are most likely typos. */
const noUnknownKeys: CrossRule = (r) => {
  for (const key of Object.keys(r.values)) {
    if (!key.startsWith(`${NS}:`)) continue;
    const name = key.slice(NS.length + 1);
    if ((KEY_NAMES as string[]).includes(name)) continue;
    const guess = closestKey(name);
    r.problems.add(
      key,
      guess
        ? `unknown key; did you mean ${full(guess)}? (docs/config.md lists every key)`
        : `unknown key; Meridian reads only the keys in docs/config.md (remove it with \`pulumi config rm ${key}\`)`,
    );
  }
};

/** Every rule that involves more than one key, in reporting order. */
export const CROSS_RULES: readonly CrossRule[] = [
  gcpRangesDisjoint,
  serviceSizeFitsCloud,
  instancesOrdered,
  storageOrdered,
  spotOnlyOnAws,
  natInstanceNotInProd,
  runtimeOnlyOnGcp,
  buildImageOrImage,
  whatsappAppSecret,
  prodImagePinned,
  gcpLogRetention,
  gcpWafRateLimit,
  gcpDataStores,
  providerKeys,
  noUnknownKeys,
];

/** The known key closest to a typo (case-insensitive edit distance <= 3), if any. */
export function closestKey(name: string): KeyName | undefined {
  let best: KeyName | undefined;
  let bestDistance = 4;
  for (const k of KEY_NAMES) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
