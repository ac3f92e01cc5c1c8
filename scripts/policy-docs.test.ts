import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { POLICY_DOC, renderPolicyDoc } from "./policy-docs";

describe("docs/policies.md", () => {
  it("is generated from the pack's metadata and up to date (npm run docs:policies)", async () => {
    const expected = await renderPolicyDoc();
    assert.ok(fs.existsSync(POLICY_DOC), "docs/policies.md is missing: run npm run docs:policies");
    assert.equal(
      fs.readFileSync(POLICY_DOC, "utf8"),
      expected,
      "docs/policies.md is stale: run npm run docs:policies",
    );
    assert.match(
      expected,
      /\| \[`aws-s3-tls-only`\]\(#aws-s3-tls-only\) +\| tls +\| high +\| mandatory +\| mandatory +\| mandatory +\|/,
    );
  });
});
