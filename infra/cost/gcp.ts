/**
 * Monthly pricing rules for the billed GCP types Meridian creates (prices: infra/cost/prices.yaml,
 * us-central1).
 */
import { get, num } from "./graph";
import { parseCpu, parseGib, priced, Rule, runningCount, Unpriceable } from "./pricing";

/** Memorystore for Redis capacity tiers by provisioned GB (M1 1-4, M2 5-10; larger ones are not in the catalogue). */
function redisCapacityTier(gb: number): string {
  if (gb <= 4) return "m1";
  if (gb <= 10) return "m2";
  throw new Unpriceable(`Memorystore capacity tier for ${gb} GB is not in the catalogue`);
}

/** Cloud SQL shared-core tiers (no SLA; refused in prod by the config) and their catalogue prices. */
const SQL_SHARED_CORE: Record<string, string> = {
  "db-f1-micro": "gcp.sql.shared.f1-micro",
  "db-g1-small": "gcp.sql.shared.g1-small",
};

export const GCP_RULES: Record<string, Rule> = {
  "gcp:cloudrunv2/service:Service": (r, ctx) => {
    const notes: string[] = [];
    const min = runningCount(num(get(r.inputs, "template", "scaling", "minInstanceCount")), ctx, notes);
    const res = get(r.inputs, "template", "containers", 0, "resources");
    const cpu = parseCpu(get(res, "limits", "cpu"));
    const gib = parseGib(get(res, "limits", "memory"));
    if (cpu === undefined || gib === undefined) throw new Unpriceable("cpu/memory limits unknown");
    const requestBased = get(res, "cpuIdle") !== false;
    const seconds = min * ctx.a.hoursPerMonth * 3600;
    const rate = requestBased ? "gcp.run.idle" : "gcp.run.instance";
    const items = [
      ctx.item(
        `${min} min instance(s): ${cpu} vCPU, ${requestBased ? "idle" : "always on"}`,
        cpu * seconds,
        `${rate}.vcpu`,
      ),
      ctx.item(
        `${min} min instance(s): ${gib} GiB, ${requestBased ? "idle" : "always on"}`,
        gib * seconds,
        `${rate}.gib`,
      ),
    ];
    if (requestBased) {
      items.push(ctx.item("requests (assumed)", ctx.a.edgeRequestsPerMonth / 1e6, "gcp.run.requests"));
      notes.push("CPU and memory while serving requests are usage (not estimated)");
    }
    return priced(items, notes, `min ${min} x ${cpu} vCPU`);
  },
  "gcp:cloudrunv2/job:Job": (r, ctx) => {
    if (/migrate/.test(r.name))
      return {
        kind: "usage",
        reason: ctx.catalogue.usageOnly["gcp:cloudrunv2/job:Job#migrate"] ?? "runs per release",
      };
    const res = get(r.inputs, "template", "template", "containers", 0, "resources", "limits");
    const cpu = parseCpu(get(res, "cpu")) ?? 1;
    const gib = parseGib(get(res, "memory")) ?? 0.5;
    const seconds = ctx.a.jobRunsPerMonth * ctx.a.jobMinutesPerRun * 60;
    return priced([
      ctx.item(`job runs (assumed): ${cpu} vCPU`, cpu * seconds, "gcp.run.instance.vcpu"),
      ctx.item(`job runs (assumed): ${gib} GiB`, gib * seconds, "gcp.run.instance.gib"),
    ]);
  },
  "gcp:cloudscheduler/job:Job": (_r, ctx) => priced([ctx.item("scheduler job", 1, "gcp.scheduler.job")]),
  "gcp:sql/databaseInstance:DatabaseInstance": (r, ctx) => {
    const tier = String(get(r.inputs, "settings", "tier"));
    const m = /^db-custom-(\d+)-(\d+)$/.exec(tier);
    // Shared-core tiers are priced per instance-hour, not per vCPU and GB (Cloud SQL pricing page).
    const shared = SQL_SHARED_CORE[tier];
    if (!m && !shared)
      throw new Unpriceable(
        `tier ${tier} is neither a db-custom-<vCPUs>-<MB> tier nor a shared-core tier in the catalogue (${Object.keys(SQL_SHARED_CORE).join(", ")})`,
      );
    const ha = get(r.inputs, "settings", "availabilityType") === "REGIONAL";
    const copies = ha ? 2 : 1;
    const disk = num(get(r.inputs, "settings", "diskSize")) ?? 10;
    const diskType = get(r.inputs, "settings", "diskType") ?? "PD_SSD";
    if (diskType !== "PD_SSD") throw new Unpriceable(`disk type ${String(diskType)} is not in the catalogue`);
    const h = ctx.a.hoursPerMonth;
    const compute = m
      ? [
          ctx.item(
            `${Number(m[1])} vCPU x hours${ha ? " (regional HA: x2)" : ""}`,
            copies * Number(m[1]) * h,
            "gcp.sql.vcpu",
          ),
          ctx.item(
            `${Number(m[2]) / 1024} GB memory x hours${ha ? " (x2)" : ""}`,
            copies * (Number(m[2]) / 1024) * h,
            "gcp.sql.memory",
          ),
        ]
      : [ctx.item(`${tier} instance x hours${ha ? " (regional HA: x2)" : ""}`, copies * h, shared!)];
    return priced(
      [
        ...compute,
        ctx.item(`${disk} GB SSD${ha ? " (x2)" : ""}`, copies * disk, "gcp.sql.ssd.gb"),
        ctx.item("backups (assumed: disk size)", disk * ctx.a.backupStoredGbFactor, "gcp.sql.backup.gb"),
      ],
      undefined,
      `${tier}${ha ? " HA" : ""}, ${disk} GB`,
    );
  },
  "gcp:redis/instance:Instance": (r, ctx) => {
    const gb = num(r.inputs.memorySizeGb) ?? 1;
    const standard = r.inputs.tier === "STANDARD_HA";
    const key = `gcp.redis.${standard ? "standard" : "basic"}.${redisCapacityTier(gb)}`;
    const replicas = num(r.inputs.replicaCount) ?? 0;
    const notes =
      replicas > 1 ? [`${replicas} read replicas: replicas beyond the first are not estimated`] : [];
    return priced(
      [
        ctx.item(
          `${gb} GB x hours (${standard ? "Standard, replica included" : "Basic"})`,
          gb * ctx.a.hoursPerMonth,
          key,
        ),
      ],
      notes,
      `${standard ? "Standard" : "Basic"} ${gb} GB`,
    );
  },
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": (r, ctx) => {
    const rules = ctx
      .ofType(r.type)
      .map((x) => x.urn)
      .sort();
    const index = rules.indexOf(r.urn);
    if (index === 0)
      return priced(
        [ctx.item("first 5 rules (flat), hours", ctx.a.hoursPerMonth, "gcp.lb.rules.first5")],
        [`covers the stack's first ${Math.min(5, rules.length)} forwarding rules`],
      );
    if (index < 5)
      return { kind: "free", reason: "within the first 5 forwarding rules (priced on the first)" };
    return priced([ctx.item("forwarding rule hours", ctx.a.hoursPerMonth, "gcp.lb.rules.extra")]);
  },
  "gcp:compute/securityPolicy:SecurityPolicy": (r, ctx) => {
    const rules = Array.isArray(r.inputs.rules) ? r.inputs.rules.length : 0;
    const adaptive = get(r.inputs, "adaptiveProtectionConfig", "layer7DdosDefenseConfig", "enable") === true;
    return priced(
      [
        ctx.item("security policy", 1, "gcp.armor.policy"),
        ctx.item(`${rules} rules`, rules, "gcp.armor.rule"),
        ctx.item("requests (assumed)", ctx.a.edgeRequestsPerMonth / 1e6, "gcp.armor.requests"),
      ],
      adaptive
        ? ["Adaptive Protection on: its full use is a Cloud Armor Enterprise feature (not estimated)"]
        : [],
      `${rules} rules`,
    );
  },
  "gcp:compute/routerNat:RouterNat": (_r, ctx) =>
    priced([ctx.item("data processed (assumed)", ctx.a.natProcessedGbPerGateway, "gcp.nat.gb")]),
  "gcp:compute/backendBucket:BackendBucket": (r, ctx) => {
    if (r.inputs.enableCdn !== true)
      return { kind: "free", reason: "no CDN: bucket reads are priced on the bucket" };
    return priced([
      ctx.item("cache egress (assumed)", ctx.a.cdnEgressGbPerMonth, "gcp.cdn.gb"),
      ctx.item("cache lookups (assumed)", ctx.a.edgeRequestsPerMonth / 10_000, "gcp.cdn.lookups"),
    ]);
  },
  "gcp:secretmanager/secretVersion:SecretVersion": (_r, ctx) =>
    priced([ctx.item("active version (automatic replication)", 1, "gcp.secretmanager.version")]),
  "gcp:artifactregistry/repository:Repository": (_r, ctx) =>
    priced([ctx.item("images stored (assumed)", ctx.a.imageStorageGb, "gcp.artifactregistry.gb")]),
  "gcp:storage/bucket:Bucket": (_r, ctx) =>
    priced([ctx.item("stored (assumed)", ctx.a.objectStorageGbPerBucket, "gcp.storage.gb")]),
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": (r, ctx) => {
    // The Data Access audit log bucket (components/gcp/auditLogs.ts, `<base>-audit-logs`): its own volume,
    // and its long retention (GiB-months beyond the 30 included days, once the bucket is full).
    if (/-audit-logs$/.test(r.name)) {
      const days = num(r.inputs.retentionDays) ?? 30;
      const gib = ctx.a.auditLogIngestGbPerMonth;
      return priced(
        [
          ctx.item("Data Access entries ingested (assumed; 30 days included)", gib, "gcp.logging.ingest.gb"),
          ctx.item(
            `kept ${days} days: GiB-months beyond 30 days (steady state)`,
            (gib * Math.max(0, days - 30)) / 30,
            "gcp.logging.retention.gb",
          ),
        ],
        [
          `Data Access audit logs kept ${days} days; the project's first 50 GiB a month of ingestion are free (not applied)`,
        ],
      );
    }
    return priced([
      ctx.item("ingested (assumed; 30 days included)", ctx.a.logIngestGbPerGroup, "gcp.logging.ingest.gb"),
    ]);
  },
};
