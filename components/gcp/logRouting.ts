/**
 * Routes a set of log entries to a Cloud Logging bucket of their own, with their own retention, and keeps
 * them out of the project's `_Default` bucket so they are stored (and billed) once.
 *
 * Three resources: a `ProjectBucketConfig` (`retentionDays`), a `ProjectSink` with the filter into it, and a
 * `ProjectExclusion` of the same filter from `_Default`. A sink to a log bucket in the same project needs
 * no IAM grant (Cloud Logging docs, "Route logs to supported destinations": destination permissions are
 * only needed for other projects or other services), so this creates no binding.
 *
 * Used by the network (flow, firewall and NAT logs) and by Observability (the Cloud Run service's and
 * jobs' logs). The caller names everything, so existing names never change.
 *
 * Cost (https://cloud.google.com/stackdriver/pricing, read 2026-11): ingestion $0.50/GiB after the
 * project's free 50 GiB/month; storage beyond 30 days $0.01/GiB-month. Buckets, sinks and exclusions are free.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { intIn, show } from "../shared/validate";

/** Cloud Logging bucket retention limits, days (Cloud Logging docs, "Configure custom retention"). */
export const LOG_RETENTION_DAYS = { min: 1, max: 3650 } as const;

/** Per-child transforms of the log routing resources. */
export interface LogRoutingTransforms {
  /** The log bucket. */
  logBucket?: Transform<gcp.logging.ProjectBucketConfigArgs>;
  /** The sink routing the entries to the bucket. */
  logSink?: Transform<gcp.logging.ProjectSinkArgs>;
  /** The `_Default` sink exclusion of the same entries. */
  logExclusion?: Transform<gcp.logging.ProjectExclusionArgs>;
}

export interface LogRoutingArgs {
  /** Project of the bucket, sink and exclusion. */
  project: pulumi.Input<string>;
  /** Bucket location: a region (`us-central1`) or `global`. */
  location: string;
  /** The bucket's id (physical name; `projects/P/locations/L/buckets/<bucketId>`). */
  bucketId: string;
  /** Physical name of the sink. */
  sinkName: string;
  /** Physical name of the `_Default` exclusion. */
  exclusionName: string;
  /** Days entries are kept (1-3650). Cost: storage beyond 30 days $0.01/GiB-month. */
  retentionDays: number;
  /** Logging query language filter selecting the entries; the sink and the exclusion use it verbatim. */
  filter: pulumi.Input<string>;
  /** Descriptions (ASCII). */
  descriptions: { bucket: string; sink: string; exclusion: string };
  /** Patches the children. @default none */
  transform?: LogRoutingTransforms;
}

/** What {@link createLogRouting} made, and what posture needs. */
export interface LogRouting {
  bucket: gcp.logging.ProjectBucketConfig;
  sink: gcp.logging.ProjectSink;
  exclusion: gcp.logging.ProjectExclusion;
  /** `projects/P/locations/L/buckets/B`. */
  bucketId: pulumi.Output<string>;
  /** The bucket's short id and retention, for `posture.logRetentionDays` (`{ [bucketName]: days }`). */
  retention: { name: string; days: number };
}

/** Validates a retention in days: a whole number from 1 to 3650. */
export function validateRetentionDays(arg: string, value: unknown): number {
  return intIn(
    arg,
    value,
    LOG_RETENTION_DAYS.min,
    LOG_RETENTION_DAYS.max,
    " (Cloud Logging bucket retention)",
  );
}

/**
 * Creates the bucket, the sink and the exclusion as `<logicalName>`, `<logicalName>-sink` and
 * `<logicalName>-exclusion`. The exclusion is created after the sink, so entries are never dropped from
 * `_Default` before they have somewhere else to go.
 */
export function createLogRouting(
  logicalName: string,
  args: LogRoutingArgs,
  opts: pulumi.CustomResourceOptions,
): LogRouting {
  const retentionDays = validateRetentionDays("retentionDays", args.retentionDays);
  if (typeof args.filter === "string" && args.filter.trim() === "") {
    throw new Error(
      `filter is ${show(args.filter)}; allowed: a non-empty Logging query (an empty one routes every entry)`,
    );
  }
  const t = args.transform ?? {};
  const bucket = new gcp.logging.ProjectBucketConfig(
    ...applyTransform(
      t.logBucket,
      logicalName,
      {
        project: args.project,
        location: args.location,
        bucketId: args.bucketId,
        description: args.descriptions.bucket,
        retentionDays,
      },
      opts,
    ),
  );
  const sink = new gcp.logging.ProjectSink(
    ...applyTransform(
      t.logSink,
      `${logicalName}-sink`,
      {
        project: args.project,
        name: args.sinkName,
        description: args.descriptions.sink,
        destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
        filter: args.filter,
        uniqueWriterIdentity: true,
      },
      opts,
    ),
  );
  const dependsOn = withDependency(opts.dependsOn, sink);
  const exclusion = new gcp.logging.ProjectExclusion(
    ...applyTransform(
      t.logExclusion,
      `${logicalName}-exclusion`,
      {
        project: args.project,
        name: args.exclusionName,
        description: args.descriptions.exclusion,
        filter: args.filter,
      },
      { ...opts, dependsOn },
    ),
  );
  return {
    bucket,
    sink,
    exclusion,
    bucketId: bucket.id,
    retention: { name: args.bucketId, days: retentionDays },
  };
}

/** `dependsOn` plus one more resource, whichever form (one resource, a list, an output) it was given in. */
function withDependency(
  d: pulumi.CustomResourceOptions["dependsOn"],
  extra: pulumi.Resource,
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
  if (d === undefined) return [extra];
  if (Array.isArray(d)) return [...d, extra];
  if (pulumi.Resource.isInstance(d)) return [d, extra];
  return pulumi
    .output(d as pulumi.Input<pulumi.Resource | pulumi.Resource[]>)
    .apply((x) => [...(Array.isArray(x) ? x : [x]), extra]);
}
