/**
 * No import cycles (issue #15): madge over every TypeScript tree of the repository (components, stacks,
 * infra, the pack, the app's sources), type-only imports included — a cycle of types is still two modules
 * that cannot be read one before the other.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";

// madge ships CommonJS without types; this is the part of its API used here.
const madge = require("madge") as (
  paths: string[],
  config: Record<string, unknown>,
) => Promise<{ circular(): string[][]; obj(): Record<string, string[]> }>;

const root = path.resolve(__dirname, "..");

describe("import graph", function () {
  this.timeout(180_000);

  it("has no cycles in components, stacks, infra, policies and app/src", async () => {
    const trees = [
      "components",
      "stacks",
      "infra",
      "policies/rules",
      "policies/lib",
      "policies/pack.ts",
      "app/src",
    ];
    const graph = await madge(
      trees.map((t) => path.join(root, t)),
      {
        baseDir: root,
        fileExtensions: ["ts"],
        tsConfig: path.join(root, "tsconfig.json"),
        excludeRegExp: [/node_modules/, /\.d\.ts$/],
      },
    );
    const files = Object.keys(graph.obj());
    assert.ok(files.length > 300, `only ${files.length} modules read: is the path list right?`);
    const cycles = graph.circular();
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => c.join(" > ")).join("\n")}`);
  });
});
