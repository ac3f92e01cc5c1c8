/**
 * The offline model of Cloud Run services and jobs, their IAM members, Cloud Scheduler and Artifact Registry
 * (run.ts).
 */
import { strict as assert } from "node:assert";
import { model, NUMBER, PROJECT } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("Cloud Run, Scheduler, Artifact Registry", () => {
    it("gives a Cloud Run service its id, both run.app URLs and a ready first revision", () => {
      const r = model("gcp:cloudrunv2/service:Service", { name: "api", location: "europe-west1" });
      assert.equal(r.id, `projects/${PROJECT}/locations/europe-west1/services/api`);
      assert.match(r.s.uri, /^https:\/\/api-[0-9a-f]{10}-ew\.a\.run\.app$/);
      assert.deepEqual(r.s.urls, [`https://api-${NUMBER}.europe-west1.run.app`, r.s.uri]);
      assert.match(r.s.latestReadyRevision, new RegExp(`^${r.id}/revisions/api-00001-[a-z]{3}$`));
      assert.equal(r.s.latestCreatedRevision, r.s.latestReadyRevision);
      assert.equal(r.s.terminalConditions[0].type, "Ready");
      assert.equal(r.s.terminalConditions[0].state, "CONDITION_SUCCEEDED");
      assert.equal(r.s.trafficStatuses[0].percent, 100);
      assert.ok(r.notes.some((n) => /run\.app URL hashes .* placeholders/.test(n)));
    });

    it("reports no run.app URL when the default URL is disabled", () => {
      const r = model("gcp:cloudrunv2/service:Service", { name: "api", defaultUriDisabled: true });
      assert.equal(r.s.uri, "");
      assert.deepEqual(r.s.urls, []);
    });

    it("models Cloud Run jobs and resource-level invoker bindings with the provider's ids", () => {
      const job = model("gcp:cloudrunv2/job:Job", { name: "migrate", location: "us-central1" });
      assert.equal(job.id, `projects/${PROJECT}/locations/us-central1/jobs/migrate`);
      assert.equal(job.s.executionCount, 0);
      const m = model("gcp:cloudrunv2/jobIamMember:JobIamMember", {
        name: "migrate",
        location: "us-central1",
        role: "roles/run.invoker",
        member: "serviceAccount:sched@p.iam.gserviceaccount.com",
      });
      assert.equal(
        m.id,
        `projects/${PROJECT}/locations/us-central1/jobs/migrate/roles/run.invoker/serviceAccount:sched@p.iam.gserviceaccount.com`,
      );
      assert.match(m.s.etag, /^[A-Za-z0-9+/]{11}=$/);
      const s = model("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", {
        name: `projects/${PROJECT}/locations/us-central1/services/api`,
        role: "roles/run.invoker",
        member: "serviceAccount:a@b",
      });
      assert.equal(
        s.id,
        `projects/${PROJECT}/locations/us-central1/services/api/roles/run.invoker/serviceAccount:a@b`,
      );
    });

    it("models Cloud Scheduler jobs (ENABLED unless paused) and Artifact Registry's registry URI", () => {
      const j = model("gcp:cloudscheduler/job:Job", { name: "nightly", region: "us-central1" });
      assert.equal(j.id, `projects/${PROJECT}/locations/us-central1/jobs/nightly`);
      assert.equal(j.s.state, "ENABLED");
      assert.equal(model("gcp:cloudscheduler/job:Job", { name: "n", paused: true }).s.state, "PAUSED");
      const repo = model("gcp:artifactregistry/repository:Repository", {
        repositoryId: "meridian",
        location: "us-central1",
        format: "DOCKER",
      });
      assert.equal(repo.id, `projects/${PROJECT}/locations/us-central1/repositories/meridian`);
      assert.equal(repo.s.name, "meridian");
      assert.equal(repo.s.registryUri, `us-central1-docker.pkg.dev/${PROJECT}/meridian`);
      const pull = model("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", {
        repository: "meridian",
        location: "us-central1",
        role: "roles/artifactregistry.reader",
        member: "serviceAccount:run@x",
      });
      assert.equal(
        pull.id,
        `projects/${PROJECT}/locations/us-central1/repositories/meridian/roles/artifactregistry.reader/serviceAccount:run@x`,
      );
    });
  });
});
