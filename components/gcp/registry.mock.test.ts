import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf } from "../../infra/offline/testing";
import type * as RegistryModule from "./registry";

const T = {
  repo: "gcp:artifactregistry/repository:Repository",
  reader: "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
  api: "gcp:projects/service:Service",
  projectMember: "gcp:projects/iAMMember:IAMMember",
} as const;
const PROJECT = "meridian-test-1234";
const RUNTIME = `serviceAccount:meridian-test-runtime@${PROJECT}.iam.gserviceaccount.com`;

const suite = componentSuite({
  load: () => import("./registry"),
  config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
});

type Args = Partial<RegistryModule.RegistryArgs>;
const args = (extra: Args = {}): RegistryModule.RegistryArgs => ({
  project: PROJECT,
  region: "us-central1",
  labels: { app: "meridian" },
  ...extra,
});

describe("gcp Registry (mocks)", () => {
  let b: Awaited<ReturnType<typeof suite.capture<RegistryModule.Registry>>>;
  let repo: Record<string, any>;
  before(async () => {
    b = await suite.capture(
      new suite.mod.Registry(
        "meridian-test-registry",
        args({ readers: [{ principal: "meridian-test-runtime", member: RUNTIME }] }),
      ),
    );
    repo = inputsOf(b.one(T.repo));
  });

  it("creates a Docker repository with immutable tags, labels and scanning", () => {
    assert.equal(repo.format, "DOCKER");
    assert.deepEqual(repo.dockerConfig, { immutableTags: true });
    assert.deepEqual(repo.vulnerabilityScanningConfig, { enablementConfig: "INHERITED" });
    assert.deepEqual(repo.labels, { app: "meridian" });
    assert.equal(repo.location, "us-central1");
    assert.deepEqual(
      b
        .all(T.api)
        .map((a) => inputsOf(a).service)
        .sort(),
      ["artifactregistry.googleapis.com", "containerscanning.googleapis.com"],
    );
  });

  it("applies cleanup policies for real (not dry-run)", () => {
    assert.equal(repo.cleanupPolicyDryRun, false);
    const byId = Object.fromEntries(repo.cleanupPolicies.map((p: { id: string }) => [p.id, p]));
    assert.deepEqual(byId["keep-recent"], {
      id: "keep-recent",
      action: "KEEP",
      mostRecentVersions: { keepCount: 30 },
    });
    assert.deepEqual(byId["delete-untagged"].condition, { tagState: "UNTAGGED", olderThan: "604800s" });
    assert.equal(byId["delete-old-tagged"].action, "DELETE");
  });

  it("grants reader on this repository only, and nothing on the project", () => {
    const r = inputsOf(b.one(T.reader));
    assert.equal(r.role, "roles/artifactregistry.reader");
    assert.equal(r.member, RUNTIME);
    assert.equal(b.all(T.projectMember).length, 0);
    assert.deepEqual(b.component.grants, [
      {
        principal: "meridian-test-runtime",
        role: "roles/artifactregistry.reader",
        on: "artifact registry repository meridian-test-registry",
      },
    ]);
  });

  it("exposes the push URL", async () => {
    assert.equal(
      await promiseOf(b.component.repositoryUrl),
      `us-central1-docker.pkg.dev/${PROJECT}/meridian-test-registry`,
    );
  });

  it("can turn scanning off explicitly", async () => {
    const c = await suite.capture(
      new suite.mod.Registry("noscan", args({ vulnerabilityScanning: false, enableApis: false })),
    );
    assert.deepEqual(inputsOf(c.one(T.repo)).vulnerabilityScanningConfig, { enablementConfig: "DISABLED" });
    assert.equal(c.all(T.api).length, 0);
  });

  it("validates early, naming the argument", () => {
    const bad = (extra: Args, re: RegExp) =>
      assert.throws(() => new suite.mod.Registry("bad", args(extra)), re);
    bad({ repositoryId: "Meridian_API" }, /Registry "bad": repositoryId is "Meridian_API"/);
    bad({ keepRecentVersions: 0 }, /keepRecentVersions is 0/);
    bad({ kmsKeyName: "my-key" }, /kmsKeyName is "my-key"/);
    bad({ readers: [{ principal: "", member: RUNTIME }] }, /readers\[0\]/);
    bad(
      { readers: [{ principal: "anyone", member: "allUsers" }] },
      /readers\[0\]\.member is "allUsers".*public/,
    );
  });
});
