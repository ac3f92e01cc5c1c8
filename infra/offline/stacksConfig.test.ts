/** Config errors of Meridian's stacks through the offline engine: before any resource, all at once. */
import { strict as assert } from "node:assert";
import { preview } from "./test/cli";

describe("Meridian stacks through the offline engine", function () {
  this.timeout(180_000);

  it("meridian:cloud=azure fails before any resource, naming the allowed clouds", () => {
    const r = preview(["--stack", "dev", "--config", "meridian:cloud=azure"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /meridian:cloud/);
    assert.match(r.stderr, /azure/);
    assert.match(r.stderr, /aws, gcp/);
    assert.match(r.stderr, /before registering any cloud resource/);
    assert.doesNotMatch(r.stderr, /at Object\.|node:internal/);
  });

  it("reports several config problems at once", () => {
    const r = preview([
      "--stack",
      "prod",
      "--cloud",
      "aws",
      "-c",
      "meridian:vpcCidr=10.40.1.0/33",
      "-c",
      "meridian:minInstances=5",
      "-c",
      "meridian:maxInstances=3",
      "-c",
      "meridian:image=ghcr.io/acme/api:latest",
    ]);
    assert.equal(r.code, 1);
    for (const key of ["meridian:vpcCidr", "meridian:minInstances", "meridian:image"])
      assert.match(r.stderr, new RegExp(key));
  });
});
