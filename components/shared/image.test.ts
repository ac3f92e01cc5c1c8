import { strict as assert } from "node:assert";
import { checkImage, isDigestPinned, parseImageReference } from "./image";

const DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

describe("shared image references", () => {
  it("parses registry, repository, tag and digest", () => {
    assert.deepEqual(
      parseImageReference(`us-central1-docker.pkg.dev/p-1/meridian/api:1.2@sha256:${DIGEST}`),
      {
        registry: "us-central1-docker.pkg.dev",
        repository: "p-1/meridian/api",
        tag: "1.2",
        digest: `sha256:${DIGEST}`,
      },
    );
    assert.equal(typeof parseImageReference("Upper/Case"), "string");
    assert.equal(typeof parseImageReference("repo@sha256:abc"), "string");
  });

  it("tells a digest-pinned image from a tagged one", () => {
    assert.ok(isDigestPinned(`repo@sha256:${DIGEST}`));
    assert.ok(!isDigestPinned("repo:latest"));
  });

  it("checkImage names the argument and refuses tags when a digest is required", () => {
    assert.equal(checkImage("image", "repo:1.0", false), "repo:1.0");
    assert.throws(
      () => checkImage("image", "repo:1.0", true),
      /^Error: image is "repo:1.0" but requireDigest is true/,
    );
    assert.throws(
      () => checkImage("otelCollectorImage", "Bad Image", false),
      /^Error: otelCollectorImage is "Bad Image"/,
    );
    assert.throws(() => checkImage("image", 42, false), /image is 42: not a string/);
    assert.equal(checkImage("image", `r/x@sha256:${DIGEST}`, true), `r/x@sha256:${DIGEST}`);
  });
});
