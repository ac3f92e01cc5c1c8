/**
 * The one-off and scheduled commands of the Meridian API on Google Cloud: `migrate` as a Cloud Run job run
 * before a rollout, and `job <name>` as a Cloud Run job that Cloud Scheduler starts on a UTC cron through a
 * dedicated service account allowed to run exactly that job. Same image, runtime account, VPC access and
 * secrets as the service. See docs/components/gcp-jobs.md. Arguments: ./jobsSettings.ts.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { checkImage } from "../shared/image";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform } from "../shared/transform";
import { resolveArgs } from "../shared/validate";
import { enableServices } from "./apis";
import {
  APP_CONTAINER,
  containerEnvs,
  jobCommand,
  MIGRATE_COMMAND,
  PLACEHOLDER_IMAGE,
  SHUTDOWN_TIMEOUT_MS,
  secretVolumes,
} from "./containers";
import { checkGrant, checkMember, createServiceAccount, IamGrant } from "./iam";
import { JobsArgs, JobsSettings, JobsTransforms, resolveJobsArgs } from "./jobsSettings";

export { JOBS_DEFAULTS, resolveJobsArgs } from "./jobsSettings";
export type { JobsArgs, JobsSettings, JobsTransforms } from "./jobsSettings";

/**
 * The role the scheduler's account holds on the scheduled job. On a job, roles/run.invoker carries only
 * run.jobs.run (its other permission, run.routes.invoke, applies to services); roles/run.jobsExecutor adds
 * run.executions.cancel. https://cloud.google.com/iam/docs/roles-permissions/run and
 * https://cloud.google.com/run/docs/execute/jobs (read 2026-11).
 */
export const JOB_RUNNER_ROLE = "roles/run.invoker";

/** Cloud Run Admin API v2 `jobs.run` for a job. */
export function runJobUri(
  project: pulumi.Input<string>,
  region: string,
  job: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`https://run.googleapis.com/v2/projects/${project}/locations/${region}/jobs/${job}:run`;
}

/**
 * Cloud Run jobs for `migrate` and the scheduled job, and the Cloud Scheduler job that runs the latter.
 *
 * Before an image is released the jobs hold Google's placeholder image (their command cannot run in it, so
 * an execution fails at once) and the scheduler is created paused: nothing runs on a schedule until
 * `image` is set.
 *
 * ## Cost
 * Tasks bill like Cloud Run instance time while they run ($0.000018/vCPU-s + $0.000002/GiB-s); Cloud Scheduler
 * $0.10/job-month after 3 free per billing account (Cloud Run and Cloud Scheduler pricing, 2026-11).
 */
export class Jobs extends pulumi.ComponentResource {
  /** The migrate job's name (`gcloud run jobs execute <it> --wait`). */
  public readonly migrateJobName: pulumi.Output<string>;
  /** The scheduled Cloud Run job's name. */
  public readonly jobName: pulumi.Output<string>;
  /** The Cloud Scheduler job's name. */
  public readonly schedulerJobName: pulumi.Output<string>;
  /** The scheduler's service account email. */
  public readonly schedulerServiceAccountEmail: pulumi.Output<string>;
  /** True while no image is released: the scheduler is paused. */
  public readonly paused: boolean;
  /** The command that runs the migrations and waits for the result (exits non-zero when they fail). */
  public readonly migrateCommand: pulumi.Output<string>;
  /** Every IAM binding this component creates. */
  public readonly grants: IamGrant[];

  private readonly baseName: string;
  private readonly s: JobsSettings;
  private readonly t: JobsTransforms;

  constructor(name: string, args: JobsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const settings = resolveArgs("Jobs", name, () => resolveJobsArgs(args));
    super("meridian:gcp:Jobs", name, {}, opts);
    this.baseName = name;
    this.s = settings;
    this.t = args.transform ?? {};
    const s = settings;

    const apis = s.enableApis
      ? enableServices(
          name,
          args.project,
          ["run.googleapis.com", "cloudscheduler.googleapis.com"],
          { parent: this },
          this.t.api,
        )
      : [];
    this.paused = s.image === undefined;
    const image: pulumi.Input<string> =
      s.image === undefined
        ? PLACEHOLDER_IMAGE
        : pulumi.output(s.image).apply((i) => {
            try {
              return checkImage("image", i, s.requireDigest);
            } catch (e) {
              throw new Error(`Jobs "${name}": ${(e as Error).message}`);
            }
          });

    const migrate = this.job(args, image, apis, {
      suffix: "migrate",
      command: [...MIGRATE_COMMAND],
      timeoutSeconds: s.migrateTimeoutSeconds,
      maxRetries: s.migrateMaxRetries,
    });
    // Named after the job it runs, e.g. meridian-prod-jobs-refresh-category-counts.
    const scheduled = this.job(args, image, apis, {
      suffix: s.jobName,
      command: jobCommand(s.jobName),
      timeoutSeconds: s.jobTimeoutSeconds,
      maxRetries: s.jobMaxRetries,
    });

    const scheduler = createServiceAccount(
      `${name}-scheduler-sa`,
      {
        project: args.project,
        base: name,
        role: "scheduler",
        description: `Cloud Scheduler for ${name}: may run the Cloud Run job ${scheduled.physical} and nothing else`,
      },
      { parent: this, dependsOn: apis },
    );
    const grant = checkGrant({
      principal: scheduler.accountId,
      role: JOB_RUNNER_ROLE,
      on: `cloud run job ${scheduled.physical}`,
    });
    const invoker = new gcp.cloudrunv2.JobIamMember(
      ...applyTransform(
        this.t.invoker,
        `${name}-job-runner`,
        {
          project: args.project,
          location: s.region,
          name: scheduled.job.name,
          role: JOB_RUNNER_ROLE,
          member: checkMember(grant, scheduler.member),
        },
        { parent: this },
      ),
    );
    this.grants = [grant];

    const schedulerJob = new gcp.cloudscheduler.Job(
      ...applyTransform(
        this.t.scheduler,
        `${name}-schedule`,
        {
          project: args.project,
          region: s.region,
          name: physicalName("gcp:schedulerJob", name, s.jobName, "schedule"),
          description: asciiDescription(
            `Runs the Cloud Run job ${scheduled.physical} (job ${s.jobName}) on "${s.schedule}" UTC`,
          ),
          schedule: s.schedule,
          timeZone: "Etc/UTC",
          paused: this.paused,
          attemptDeadline: "180s",
          retryConfig: { retryCount: 1, minBackoffDuration: "30s", maxBackoffDuration: "300s" },
          httpTarget: {
            httpMethod: "POST",
            uri: runJobUri(args.project, s.region, scheduled.physical),
            headers: { "Content-Type": "application/json" },
            body: Buffer.from("{}").toString("base64"),
            oauthToken: {
              serviceAccountEmail: scheduler.email,
              scope: "https://www.googleapis.com/auth/cloud-platform",
            },
          },
        },
        // Without the binding the first run would fail with 403.
        { parent: this, dependsOn: [...apis, invoker] },
      ),
    );

    this.migrateJobName = migrate.job.name;
    this.jobName = scheduled.job.name;
    this.schedulerJobName = schedulerJob.name;
    this.schedulerServiceAccountEmail = scheduler.email;
    this.migrateCommand = pulumi.interpolate`gcloud run jobs execute ${migrate.job.name} --region ${s.region} --project ${args.project} --wait`;
    this.registerOutputs({
      migrateJobName: this.migrateJobName,
      jobName: this.jobName,
      schedulerJobName: this.schedulerJobName,
      schedulerServiceAccountEmail: this.schedulerServiceAccountEmail,
      paused: this.paused,
      migrateCommand: this.migrateCommand,
      grants: this.grants,
    });
  }

  /** One Cloud Run job running `command` in the API image as the runtime account. */
  private job(
    args: JobsArgs,
    image: pulumi.Input<string>,
    apis: pulumi.Resource[],
    j: { suffix: string; command: string[]; timeoutSeconds: number; maxRetries: number },
  ): { job: gcp.cloudrunv2.Job; physical: string } {
    const s = this.s;
    const logical = `${this.baseName}-${j.suffix}`;
    const physical = physicalName("gcp:cloudRun", this.baseName, j.suffix);
    const { volumes, mounts } = secretVolumes(s.secretFiles);
    const job = new gcp.cloudrunv2.Job(
      ...applyTransform(
        this.t.job,
        logical,
        {
          project: args.project,
          location: s.region,
          name: physical,
          deletionProtection: s.deletionProtection,
          labels: s.labels,
          template: {
            labels: s.labels,
            taskCount: 1,
            parallelism: 1,
            template: {
              serviceAccount: args.serviceAccount.email,
              executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
              timeout: `${j.timeoutSeconds}s`,
              maxRetries: j.maxRetries,
              vpcAccess: args.vpcAccess,
              containers: [
                {
                  name: APP_CONTAINER,
                  image,
                  commands: j.command,
                  resources: { limits: { cpu: String(s.cpu), memory: `${s.memoryMiB}Mi` } },
                  envs: containerEnvs(
                    { ...s.environment, SHUTDOWN_TIMEOUT_MS },
                    s.secrets,
                  ) as gcp.types.input.cloudrunv2.JobTemplateTemplateContainerEnv[],
                  volumeMounts: mounts,
                },
              ],
              volumes,
            },
          },
        },
        { parent: this, dependsOn: apis },
      ),
    );
    return { job, physical };
  }
}
