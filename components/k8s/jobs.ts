/**
 * The workload's run-to-completion Pods: the `migrate` Job, which the Deployment waits for (the component
 * makes the Deployment depend on it, and Pulumi's await logic waits for the Job to complete), and the
 * scheduled `job <name>` as a CronJob that never overlaps itself (`concurrencyPolicy: Forbid`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { checkDnsLabel, MIGRATE_ARGS, jobArgs, standardLabels } from "./common";
import { ContainerOptions, jobContainer, podSpec } from "./podSpec";

type RunOptions = ContainerOptions & { serviceAccountName: pulumi.Input<string> };

/** How long a Job may run, in seconds (`activeDeadlineSeconds`). */
export const JOB_DEADLINE_S = 1800;

/**
 * How long `pulumi up` waits for the migrate Job: its deadline plus a minute. The Kubernetes provider's own
 * await timeout for a Job is 10 minutes (pulumi-kubernetes "await logic"), which would fail a migration that
 * is slow but within its deadline.
 */
export const MIGRATE_AWAIT = `${JOB_DEADLINE_S / 60 + 1}m`;

/** A Job's spec: no retries beyond 2, a deadline, cleaned up a day after it finishes. Pure. */
export function jobSpec(app: string, component: string, o: RunOptions, args: readonly string[], labels = {}) {
  return {
    backoffLimit: 2,
    activeDeadlineSeconds: JOB_DEADLINE_S,
    ttlSecondsAfterFinished: 86400,
    template: {
      metadata: { labels: standardLabels(app, component, labels) },
      spec: podSpec(jobContainer(o, args), { ...o, restartPolicy: "Never" }),
    },
  } satisfies k8s.types.input.batch.v1.JobSpec;
}

/**
 * The migrate Job, named `<app>-migrate`. Its Pod template is immutable, so a new image replaces the Job
 * (deleted first, as the name is fixed) and Pulumi waits for it to complete, failing the update if it fails;
 * the Deployment depends on it, so it never rolls before the schema is migrated.
 */
export function createMigrateJob(
  name: string,
  args: { namespace: pulumi.Input<string>; app: string; run: RunOptions; labels?: Record<string, string> },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.batch.v1.JobArgs>,
): k8s.batch.v1.Job {
  return new k8s.batch.v1.Job(
    ...applyTransform(
      transform,
      name,
      {
        metadata: {
          name: migrateJobName(args.app),
          namespace: args.namespace,
          labels: standardLabels(args.app, "migrate", args.labels),
          // A failed Job is replaced (re-run) by the next update instead of blocking it.
          annotations: { "pulumi.com/replaceUnready": "true" },
        },
        spec: jobSpec(args.app, "migrate", args.run, MIGRATE_ARGS, args.labels),
      },
      {
        ...opts,
        deleteBeforeReplace: true,
        customTimeouts: { create: MIGRATE_AWAIT, update: MIGRATE_AWAIT, ...opts.customTimeouts },
      },
    ),
  );
}

/** The migrate Job's name. */
export function migrateJobName(app: string): string {
  return checkDnsLabel("migrate job name", `${app}-migrate`, 63);
}

/** The scheduled job: a CronJob (5-field cron, UTC) that never runs two at once. */
export function createCronJob(
  name: string,
  args: {
    namespace: pulumi.Input<string>;
    app: string;
    jobName: string;
    schedule: string;
    run: RunOptions;
    suspend?: boolean;
    labels?: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.batch.v1.CronJobArgs>,
): k8s.batch.v1.CronJob {
  checkDnsLabel("jobName", args.jobName, 52);
  return new k8s.batch.v1.CronJob(
    ...applyTransform(
      transform,
      name,
      {
        metadata: {
          name: args.jobName,
          namespace: args.namespace,
          labels: standardLabels(args.app, "job", args.labels),
        },
        spec: {
          schedule: args.schedule,
          timeZone: "Etc/UTC",
          concurrencyPolicy: "Forbid",
          startingDeadlineSeconds: 600,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          suspend: args.suspend ?? false,
          jobTemplate: { spec: jobSpec(args.app, "job", args.run, jobArgs(args.jobName), args.labels) },
        },
      },
      opts,
    ),
  );
}
