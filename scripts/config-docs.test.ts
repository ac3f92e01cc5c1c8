import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { CONFIG_DOC, renderConfigDoc } from "./config-docs";
import { KNOWN_KEYS } from "../infra/config";

describe("docs/config.md", () => {
  it("is up to date with infra/config/ (run `npm run docs:config` after changing keys)", () => {
    assert.equal(fs.readFileSync(CONFIG_DOC, "utf8"), renderConfigDoc());
  });

  it("documents every key", () => {
    const doc = fs.readFileSync(CONFIG_DOC, "utf8");
    for (const key of Object.keys(KNOWN_KEYS)) assert.ok(doc.includes(`\`meridian:${key}\``), key);
  });
});
