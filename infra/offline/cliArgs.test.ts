import { strict as assert } from "node:assert";
import * as path from "node:path";
import { DEFAULT_ORGANIZATION, parseCli, resolveOutputs, targetsFor } from "./cliArgs";
import { ProjectError } from "./project";

const abs = (f: string) => path.resolve(f);

describe("offline CLI arguments", () => {
  it("several formats from one preview: a comma list or repeated --format, into --out-dir", () => {
    for (const argv of [
      ["--format", "md,sarif,json", "--out-dir", "reports"],
      ["-f", "md", "-f", "sarif,json", "--out-dir", "reports"],
    ]) {
      const cli = parseCli(argv);
      assert.ok(cli !== "help");
      assert.deepEqual(targetsFor(cli.outputs, "dev", "aws"), [
        { format: "md", file: abs("reports/dev-aws.md") },
        { format: "sarif", file: abs("reports/dev-aws.sarif") },
        { format: "json", file: abs("reports/dev-aws.json") },
      ]);
      assert.equal(
        targetsFor(cli.outputs, "prod")[0].file,
        abs("reports/prod.md"),
        "no cloud: <stack>.<ext>",
      );
    }
  });

  it("repeated --out: paired with --format in order, or the format named by each extension; - is stdout", () => {
    assert.deepEqual(resolveOutputs(["text", "md"], ["-", "a.md"]), {
      kind: "files",
      targets: [{ format: "text" }, { format: "md", file: abs("a.md") }],
    });
    assert.deepEqual(resolveOutputs(undefined, ["r/a.sarif", "r/a.JSON", "r/a.txt"]), {
      kind: "files",
      targets: [
        { format: "sarif", file: abs("r/a.sarif") },
        { format: "json", file: abs("r/a.JSON") },
        { format: "text", file: abs("r/a.txt") },
      ],
    });
    // One format, one file: as before (the extension does not matter then).
    assert.deepEqual(resolveOutputs(["json"], ["graph.out"]), {
      kind: "files",
      targets: [{ format: "json", file: abs("graph.out") }],
    });
    assert.deepEqual(resolveOutputs(undefined, []), { kind: "files", targets: [{ format: "text" }] });
  });

  it("refuses what it cannot honour, naming the flag and what is allowed", () => {
    const refuse = (re: RegExp, f: () => unknown) =>
      assert.throws(f, (e: Error) => e instanceof ProjectError && re.test(e.message));
    refuse(/several formats need --out-dir DIR or one --out per format/, () =>
      resolveOutputs(["md", "json"], []),
    );
    refuse(/--out is given 1 time\(s\) for 2 format\(s\)/, () => resolveOutputs(["md", "json"], ["a.md"]));
    refuse(/--format "html" is not supported; allowed: text, json, md, sarif/, () =>
      resolveOutputs(["md", "html"], []),
    );
    refuse(/lists a format twice/, () => resolveOutputs(["md", "md"], ["a", "b"]));
    refuse(/allowed: \.txt, \.json, \.md, \.sarif/, () => resolveOutputs(undefined, ["report.html"]));
    refuse(/only one format can go to standard output/, () => resolveOutputs(["md", "json"], ["-", "-"]));
    refuse(/same file twice/, () => resolveOutputs(["md", "json"], ["a", "a"]));
    refuse(/--out and --out-dir cannot be combined/, () => resolveOutputs(["md"], ["a.md"], "d"));
    refuse(/--format sarif reports policy results; it cannot be combined with --no-policy/, () =>
      parseCli(["--format", "json,sarif", "--out-dir", "d", "--no-policy"]),
    );
    refuse(/--organization "a b" is not an organization name/, () => parseCli(["--organization", "a b"]));
  });

  it("organization: the CLI's default, or --organization", () => {
    const dflt = parseCli([]);
    const set = parseCli(["--organization", "acme-corp"]);
    assert.ok(dflt !== "help" && set !== "help");
    assert.equal(dflt.organization, DEFAULT_ORGANIZATION);
    assert.equal(DEFAULT_ORGANIZATION, "organization");
    assert.equal(set.organization, "acme-corp");
  });
});
