import { strict as assert } from "node:assert";
import { componentSuite, inputsOf, promiseOf, TEST_TAGS } from "../../infra/offline/testing";
import type * as RegistryModule from "./registry";

const TAGS = TEST_TAGS;
const T = {
  repo: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
} as const;

const suite = componentSuite({ load: () => import("./registry") });

async function build(name: string, args: Partial<RegistryModule.RegistryArgs> = {}) {
  const c = await suite.capture(new suite.mod.Registry(name, { tags: TAGS, ...args }));
  return { ...c, reg: c.component };
}

describe("aws Registry (mocks)", () => {
  it("creates an ECR repository with immutable tags, scan on push, AES256, no force delete", async () => {
    const b = await build("meridian-api");
    const repo = inputsOf(b.one(T.repo));
    assert.equal(repo.name, "meridian-api");
    assert.equal(repo.imageTagMutability, "IMMUTABLE");
    assert.deepEqual(repo.imageScanningConfiguration, { scanOnPush: true });
    assert.deepEqual(repo.encryptionConfigurations, [{ encryptionType: "AES256" }]);
    assert.equal(repo.forceDelete, false);
    for (const [k, v] of Object.entries(TAGS)) assert.equal(repo.tags[k], v);
    assert.equal(repo.tags.Name, "meridian-api-repo");
    for (const r of b.children) assert.equal(r.parent, b.urn);
  });

  it("keeps the last 30 tagged images and expires untagged ones after 7 days by default", async () => {
    const b = await build("reg-lc");
    const lc = inputsOf(b.one(T.lifecycle));
    assert.equal(lc.repository, b.one(T.repo).outputs.name);
    const rules = JSON.parse(lc.policy).rules;
    assert.deepEqual(rules[0].selection, {
      tagStatus: "untagged",
      countType: "sinceImagePushed",
      countUnit: "days",
      countNumber: 7,
    });
    assert.deepEqual(rules[1].selection, {
      tagStatus: "tagged",
      tagPatternList: ["*"],
      countType: "imageCountMoreThan",
      countNumber: 30,
    });
    assert.ok(rules.every((r: { action: { type: string } }) => r.action.type === "expire"));
  });

  it("takes KMS encryption, a repository name and lifecycle settings", async () => {
    const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const b = await build("reg-kms", {
      repositoryName: "meridian/api",
      encryption: "KMS",
      kmsKeyArn,
      keepTaggedImages: 5,
      untaggedExpiryDays: 1,
    });
    const repo = inputsOf(b.one(T.repo));
    assert.equal(repo.name, "meridian/api");
    assert.deepEqual(repo.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: kmsKeyArn }]);
    const rules = JSON.parse(inputsOf(b.one(T.lifecycle)).policy).rules;
    assert.equal(rules[0].selection.countNumber, 1);
    assert.equal(rules[1].selection.countNumber, 5);
  });

  it("exposes the outputs", async () => {
    const b = await build("reg-out");
    const repo = b.one(T.repo);
    assert.equal(
      await promiseOf(b.reg.repositoryUrl),
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/reg-out",
    );
    assert.equal(await promiseOf(b.reg.repositoryArn), repo.outputs.arn);
    assert.equal(await promiseOf(b.reg.repositoryName), "reg-out");
    assert.equal(await promiseOf(b.reg.registryId), "123456789012");
    const registered = suite.session.byUrn(b.urn)!.outputs;
    for (const k of ["repositoryUrl", "repositoryArn", "repositoryName", "registryId"])
      assert.ok(k in registered);
  });

  it("applies transforms", async () => {
    const b = await build("reg-tf", { transform: { repository: { imageTagMutability: "MUTABLE" } } });
    assert.equal(inputsOf(b.one(T.repo)).imageTagMutability, "MUTABLE");
    assert.equal(inputsOf(b.one(T.repo)).forceDelete, false, "object form merges");
  });

  describe("validation (synchronous, before any resource)", () => {
    const throwsSync = (args: Partial<RegistryModule.RegistryArgs>, pattern: RegExp) => {
      const before = suite.session.resources.length;
      assert.throws(() => new suite.mod.Registry("reg-invalid", { tags: TAGS, ...args }), pattern);
      assert.equal(suite.session.resources.length, before);
    };
    it("names the arg, the value and what is allowed", () => {
      throwsSync(
        { repositoryName: "Meridian_API" },
        /Registry "reg-invalid": repositoryName is "Meridian_API"; allowed: 2-256 lowercase/,
      );
      throwsSync({ encryption: "SSE" as never }, /encryption is "SSE"; allowed: "AES256", "KMS"/);
      throwsSync(
        { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" },
        /kmsKeyArn is set but encryption is "AES256"/,
      );
      throwsSync(
        { encryption: "KMS", kmsKeyArn: "alias/ecr" },
        /kmsKeyArn is "alias\/ecr"; allowed: a KMS key ARN/,
      );
      throwsSync({ keepTaggedImages: 0 }, /keepTaggedImages is 0; allowed: an integer from 1 to 1000/);
      throwsSync(
        { untaggedExpiryDays: 2.5 },
        /untaggedExpiryDays is 2\.5; allowed: an integer from 1 to 3650/,
      );
      throwsSync({ tags: undefined as never }, /tags is undefined; allowed: a map of strings/);
    });
  });
});
