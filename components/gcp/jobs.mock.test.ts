import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";
import type * as JobsModule from "./jobs";

const T = {
  job: "gcp:cloudrunv2/job:Job",
  scheduler: "gcp:cloudscheduler/job:Job",
  invoker: "gcp:cloudrunv2/jobIamMember:JobIamMember",
  account: "gcp:serviceaccount/account:Account",
  projectMember: "gcp:projects/iAMMember:IAMMember",
  api: "gcp:projects/service:Service",
} as const;

const PROJECT = "meridian-test-1234";
const DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const IMAGE = `us-central1-docker.pkg.dev/${PROJECT}/meridian/api@sha256:${DIGEST}`;
const RUNTIME_EMAIL = `meridian-test-runtime@${PROJECT}.iam.gserviceaccount.com`;

const suite = componentSuite({
  load: () => import("./jobs"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

const runtime = {
  account: undefined as never,
  accountId: "meridian-test-runtime",
  email: pulumi.output(RUNTIME_EMAIL),
  member: pulumi.output(`serviceAccount:${RUNTIME_EMAIL}`),
};
const vpcAccess = {
  egress: "PRIVATE_RANGES_ONLY" as const,
  connector: "projects/p/locations/us-central1/connectors/c",
};

type Args = Partial<JobsModule.JobsArgs>;
function args(extra: Args = {}): JobsModule.JobsArgs {
  return {
    project: PROJECT,
    region: "us-central1",
    serviceAccount: runtime,
    vpcAccess,
    jobName: "refresh-category-counts",
    schedule: "15 3 * * *",
    labels: { app: "meridian", environment: "test" },
    ...extra,
  };
}

async function build(name: string, extra: Args = {}) {
  const c = await suite.capture(new suite.mod.Jobs(name, args(extra)));
  const migrate = inputsOf(c.byName(`${name}-migrate`));
  const job = inputsOf(c.byName(`${name}-refresh-category-counts`));
  const scheduler = inputsOf(c.one(T.scheduler));
  return { ...c, migrate, job, scheduler };
}

describe("gcp Jobs (mocks)", () => {
  describe("with a released image", () => {
    let b: Awaited<ReturnType<typeof build>>;
    before(async () => {
      b = await build("meridian-test-jobs", {
        image: IMAGE,
        requireDigest: true,
        deletionProtection: true,
        environment: { DATABASE_SSL_CA_FILE: "/secrets/db-ca/ca.pem" },
        secrets: { DATABASE_URL: { secretId: "meridian-db-url", version: "2" } },
        secretFiles: { "/secrets/db-ca/ca.pem": { secretId: "meridian-db-ca", version: "1" } },
      });
    });

    it("runs the contract's migrate and job commands in the same image as the runtime account", () => {
      const m = b.migrate.template.template;
      const j = b.job.template.template;
      assert.deepEqual(m.containers[0].commands, ["node", "dist/cli.js", "migrate"]);
      assert.deepEqual(j.containers[0].commands, ["node", "dist/cli.js", "job", "refresh-category-counts"]);
      for (const t of [m, j]) {
        assert.equal(t.containers[0].image, IMAGE);
        assert.equal(t.serviceAccount, RUNTIME_EMAIL);
        assert.deepEqual(t.vpcAccess, vpcAccess);
        assert.equal(t.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN2");
      }
      assert.equal(b.migrate.deletionProtection, true);
    });

    it("sets task timeouts and retries (no retry of a failed migration)", () => {
      assert.equal(b.migrate.template.template.timeout, "600s");
      assert.equal(b.migrate.template.template.maxRetries, 0);
      assert.equal(b.job.template.template.timeout, "1800s");
      assert.equal(b.job.template.template.maxRetries, 1);
      assert.equal(b.job.template.taskCount, 1);
    });

    it("shares the service's secrets by pinned reference and the CA file", () => {
      const c = b.job.template.template.containers[0];
      const url = c.envs.find((e: { name: string }) => e.name === "DATABASE_URL");
      assert.deepEqual(url.valueSource, { secretKeyRef: { secret: "meridian-db-url", version: "2" } });
      assert.equal(b.job.template.template.volumes[0].secret.items[0].version, "1");
      assert.equal(c.volumeMounts[0].mountPath, "/secrets/db-ca");
    });

    it("schedules the job in UTC through the Cloud Run Admin API with an OAuth token", () => {
      const s = b.scheduler;
      assert.equal(s.schedule, "15 3 * * *");
      assert.equal(s.timeZone, "Etc/UTC");
      assert.equal(s.paused, false);
      assert.equal(s.httpTarget.httpMethod, "POST");
      assert.equal(
        s.httpTarget.uri,
        `https://run.googleapis.com/v2/projects/${PROJECT}/locations/us-central1/jobs/${b.job.name}:run`,
      );
      assert.equal(s.httpTarget.oidcToken, undefined);
      const account = inputsOf(b.one(T.account));
      assert.equal(account.accountId, "meridian-test-jobs-scheduler");
      assert.match(s.httpTarget.oauthToken.serviceAccountEmail, /^meridian-test-jobs-scheduler@/);
    });

    it("lets the scheduler's account run exactly the scheduled job, nothing project-wide", () => {
      const invoker = inputsOf(b.one(T.invoker));
      assert.equal(invoker.role, "roles/run.invoker");
      assert.equal(invoker.location, "us-central1");
      assert.match(invoker.member, /^serviceAccount:meridian-test-jobs-scheduler@/);
      assert.equal(b.all(T.projectMember).length, 0);
      assert.deepEqual(b.component.grants, [
        {
          principal: "meridian-test-jobs-scheduler",
          role: "roles/run.invoker",
          on: `cloud run job ${b.job.name}`,
        },
      ]);
    });

    it("documents the exact migrate command", async () => {
      assert.equal(b.migrate.name, "meridian-test-jobs-migrate");
      assert.equal(
        await promiseOf(b.component.migrateCommand),
        `gcloud run jobs execute meridian-test-jobs-migrate --region us-central1 --project ${PROJECT} --wait`,
      );
    });
  });

  describe("before an image is released", () => {
    it("creates the jobs with the placeholder and pauses the scheduler", async () => {
      const b = await build("boot-jobs");
      assert.equal(b.scheduler.paused, true);
      assert.equal(b.component.paused, true);
      assert.equal(b.job.template.template.containers[0].image, "us-docker.pkg.dev/cloudrun/container/hello");
      assert.equal(b.migrate.deletionProtection, false);
    });
  });

  describe("validation", () => {
    const bad = (extra: Args, re: RegExp) => assert.throws(() => new suite.mod.Jobs("bad", args(extra)), re);
    it("names a bad cron", () =>
      bad({ schedule: "0 3 * * MON" }, /Jobs "bad": schedule is "0 3 \* \* MON"; allowed: day-of-week/));
    it("names a bad job name", () => bad({ jobName: "Refresh_All" }, /jobName is "Refresh_All"/));
    it("requires a digest when asked", () =>
      bad({ image: "r/api:1", requireDigest: true }, /image is "r\/api:1" but requireDigest/));
    it("names bad retries and timeouts", () => {
      bad({ migrateMaxRetries: 11 }, /migrateMaxRetries is 11/);
      bad({ jobTimeoutSeconds: 0 }, /jobTimeoutSeconds is 0/);
    });
    it("refuses plain secrets", () =>
      bad({ environment: { ADMIN_API_KEY: "k" } }, /environment\.ADMIN_API_KEY looks like a secret/));
  });
});
