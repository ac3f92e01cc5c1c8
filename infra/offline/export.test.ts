/**
 * `--format export` without running a program: the deployment written for a small captured preview, and how
 * the command line names and infers the format.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { resolveOutputs, targetsFor } from "./cliArgs";
import { COMPUTED, toDeployment } from "./export";
import { PreviewResult } from "./run";
import { CapturedResource, SIG } from "./runtime";

const stackUrn = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";
function captured(
  over: Partial<CapturedResource> & Pick<CapturedResource, "urn" | "type">,
): CapturedResource {
  return {
    name: over.urn.split("::").pop()!,
    custom: true,
    inputs: {},
    outputs: {},
    computed: [],
    dependencies: [],
    propertyDependencies: {},
    options: {},
    ...over,
  };
}
const result: PreviewResult = {
  kind: "meridian.offline-preview",
  formatVersion: 1,
  deployed: false,
  project: { name: "demo", dir: "/p", main: "index.ts" },
  stack: "dev",
  config: {
    "aws:region": { value: "eu-west-1", secret: false, source: "stack" },
    "aws:accessKey": { value: "[secret]", secret: true, source: "stack" },
  },
  resources: [
    captured({ urn: stackUrn, type: "pulumi:pulumi:Stack", custom: false, outputs: { url: "https://x" } }),
    captured({
      urn: "urn:pulumi:dev::demo::aws:s3/bucket:Bucket::b",
      type: "aws:s3/bucket:Bucket",
      parent: stackUrn,
      id: "b-123",
      inputs: { tags: { a: "1" } },
      outputs: { tags: { a: "1" }, arn: "arn:aws:s3:::b-123", websiteEndpoint: COMPUTED },
      options: { version: "7.48.0", protect: true, customTimeouts: { create: "1h30m" } },
      propertyDependencies: { tags: [] },
      sourcePosition: { file: "index.ts", line: 4, column: 16 },
    }),
  ],
  diagnostics: [],
  outputs: { url: "https://x" },
  notes: [],
  durationMs: 1,
  sdkVersion: "3.248.0",
};

describe("--format export", () => {
  it("writes the root stack, the engine's default provider with an unknown id, then the resources", () => {
    const doc = toDeployment(result, { showSecrets: false, time: new Date("2026-01-02T03:04:05Z") });
    const [stack, provider, bucket] = doc.deployment.resources!;
    assert.equal(doc.version, 3);
    assert.equal(doc.deployment.manifest.time, "2026-01-02T03:04:05.000Z");
    assert.deepEqual(doc.deployment.manifest.plugins, [
      { name: "aws", path: "", type: "resource", version: "7.48.0" },
    ]);
    assert.deepEqual([stack.urn, stack.custom, "id" in stack], [stackUrn, false, false]);
    assert.equal(provider.urn, "urn:pulumi:dev::demo::pulumi:providers:aws::default_7_48_0");
    assert.equal(provider.id, COMPUTED);
    assert.deepEqual(provider.inputs, {
      accessKey: { [SIG.key]: SIG.secret, ciphertext: "withheld:offline-preview" },
      region: "eu-west-1",
      version: "7.48.0",
    });
    assert.equal(bucket.provider, `${provider.urn}::${COMPUTED}`);
    assert.equal(bucket.outputs!.websiteEndpoint, COMPUTED);
    assert.equal(bucket.protect, true);
    assert.deepEqual(bucket.customTimeouts, { create: 5400 }, "seconds, as resource.CustomTimeouts");
    assert.equal(bucket.sourcePosition, "project:///index.ts#4,16");
    assert.equal("propertyDependencies" in bucket, false, "empty lists are omitted, as omitempty does");
  });

  it("is named .export.json, inferred from that extension, and never taken for the json graph", () => {
    const dir = resolveOutputs(["json", "export"], [], "/r");
    assert.deepEqual(
      targetsFor(dir, "dev", "aws").map((t) => path.basename(t.file!)),
      ["dev-aws.json", "dev-aws.export.json"],
    );
    const inferred = resolveOutputs(undefined, ["a.export.json", "b.json"]);
    assert.deepEqual(inferred.kind === "files" && inferred.targets.map((t) => t.format), ["export", "json"]);
  });
});
