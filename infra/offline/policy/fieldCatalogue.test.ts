/**
 * Every field case (small programs from real-world bug reports, copied from ../shared/field-cases into
 * infra/offline/test/fixtures/field-cases with their expected.tsv) through the offline engine and the pack,
 * judged against the verdicts written at the top of each index.ts and, precisely, in expected.tsv.
 *
 * Each case runs from a `.field-case-<id>` folder at the repository root (as the cases' README says: f19b
 * imports `../components/...`), removed afterwards on every path.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { fixture, runFieldCase } from "../test/cli";

const repo = path.resolve(__dirname, "..", "..", "..");
const casesDir = fixture("field-cases");
const SECRET = "Zq9-field-secret-value-7731";

interface Expectation {
  rule: string;
  resource: string;
  expect: string;
  mention: string[];
  notMention: string[];
}

/** expected.tsv: case, rule (| alternatives, * glob), resource, expect, must mention, must not mention. */
function expectations(): Map<string, Expectation[]> {
  const by = new Map<string, Expectation[]>();
  for (const line of fs.readFileSync(path.join(casesDir, "expected.tsv"), "utf8").split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [c, rule, resource, expect, mention = "", notMention = ""] = line.split("\t");
    const list = by.get(c) ?? [];
    list.push({
      rule,
      resource,
      expect,
      mention: mention ? mention.split(",") : [],
      notMention: notMention ? notMention.split(",") : [],
    });
    by.set(c, list);
  }
  return by;
}

const glob = (pattern: string, s: string) =>
  pattern
    .split("|")
    .some((p) => new RegExp(`^${p.replace(/[.+?^${}()[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(s));

describe("field cases: every case from real-world bug reports gets its stated verdict", function () {
  this.timeout(300_000);
  for (const [id, list] of expectations()) {
    it(`${id}: ${list.map((e) => `${e.rule} ${e.resource} -> ${e.expect}`).join("; ")}`, () => {
      const extra: string[] = [];
      const config = path.join(casesDir, id, "policy-config.json");
      if (fs.existsSync(config))
        extra.push("--policy-config", path.join(repo, `.field-case-${id}`, "policy-config.json"));
      if (id.startsWith("f20")) extra.push("--secret", `${id}:dbPassword=${SECRET}`);
      const { r, doc } = runFieldCase(id, extra);
      const text = `${r.stdout}${r.stderr}${doc ? JSON.stringify(doc) : ""}`;
      assert.ok(!text.includes(SECRET), `${id}: a secret value was printed`);
      const findings: any[] = doc?.policy?.findings ?? [];
      for (const e of list) {
        const matching = findings.filter(
          (f) => glob(e.rule, f.policy) && (e.resource === "*" || glob(e.resource, f.resourceName)),
        );
        const violations = matching.filter((f) => f.status === "violation");
        const messages = violations.map((f) => f.message).join(" | ");
        const what = `${id}: ${e.rule} on ${e.resource} expected ${e.expect}; exit ${r.code}; statuses ${matching.map((f) => f.status).join(",") || "none"}; ${messages.slice(0, 300)}\n${r.stderr.slice(-600)}`;
        switch (e.expect) {
          case "violation":
            assert.ok(violations.length > 0, what);
            for (const w of e.mention) assert.ok(messages.includes(w), `${what}\nmust mention ${w}`);
            for (const w of e.notMention) assert.ok(!messages.includes(w), `${what}\nmust not mention ${w}`);
            break;
          case "none":
            assert.ok(doc && violations.length === 0, what);
            break;
          case "waived":
            assert.ok(violations.length === 0 && matching.some((f) => f.status === "waived"), what);
            break;
          case "checked":
            assert.ok(violations.length > 0 || matching.some((f) => f.status === "unknown"), what);
            break;
          case "exit":
            assert.equal(String(r.code), e.mention[0], what);
            break;
          case "ran":
            assert.ok(doc, what);
            break;
          case "refuse":
            assert.ok(
              (r.code !== 0 || violations.some((f) => f.message.includes(e.mention[0]))) &&
                text.includes(e.mention[0]),
              what,
            );
            break;
          default:
            assert.fail(`${id}: unknown expectation ${e.expect}`);
        }
      }
    });
  }
});
