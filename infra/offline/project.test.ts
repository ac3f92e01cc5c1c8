import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  listStacks,
  loadProject,
  parseOverride,
  ProjectError,
  qualify,
  resolveConfig,
  StackConfigError,
} from "./project";

const created: string[] = [];
after(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-project-"));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const base = {
  "Pulumi.yaml": [
    "name: demo",
    "runtime: nodejs",
    "config:",
    "  size: { type: integer, default: 2 }",
    "  enabled: { type: boolean, default: false }",
    "  zones: { type: array, items: { type: string }, default: [a, b] }",
    "  name: { type: string }",
    "  aws:region: eu-west-1",
  ].join("\n"),
  "index.ts": "export const x = 1;\n",
};

describe("offline project loading", () => {
  it("reads name, runtime, main and declarations; qualifies project keys", () => {
    const p = loadProject(project({ ...base, "Pulumi.dev.yaml": "config: {}\n" }));
    assert.equal(p.name, "demo");
    assert.equal(path.basename(p.main), "index.ts");
    assert.deepEqual(Object.keys(p.config).sort(), [
      "aws:region",
      "demo:enabled",
      "demo:name",
      "demo:size",
      "demo:zones",
    ]);
    assert.equal(qualify("demo", "size"), "demo:size");
    assert.equal(qualify("demo", "aws:region"), "aws:region");
    assert.equal(qualify("demo", "demo:config:size"), "demo:size");
  });

  it("merges like the CLI: project values and defaults, stack values win, overrides last", () => {
    const p = loadProject(
      project({ ...base, "Pulumi.dev.yaml": "config:\n  demo:name: web\n  demo:size: 5\n" }),
    );
    const c = resolveConfig(p, "dev", [parseOverride("enabled=true")]);
    assert.equal(c.values["demo:name"], "web");
    assert.equal(c.values["demo:size"], "5");
    assert.equal(c.sources["demo:size"], "stack");
    assert.equal(c.values["demo:enabled"], "true");
    assert.equal(c.sources["demo:enabled"], "override");
    assert.equal(c.values["demo:zones"], '["a","b"]', "structured values are passed as JSON");
    assert.equal(c.values["aws:region"], "eu-west-1");
    assert.equal(c.sources["aws:region"], "project");
  });

  it("reports every missing required key and every type mismatch at once", () => {
    const p = loadProject(
      project({ ...base, "Pulumi.dev.yaml": "config:\n  demo:size: big\n  demo:enabled: yes please\n" }),
    );
    assert.throws(
      () => resolveConfig(p, "dev"),
      (err: Error) =>
        err instanceof StackConfigError &&
        /missing configuration value 'name'/.test(err.message) &&
        /'size' must be of type 'integer'/.test(err.message) &&
        /'enabled' must be of type 'boolean'/.test(err.message),
    );
  });

  it("passes encrypted values as secrets with a placeholder and a note", () => {
    const p = loadProject(
      project({
        ...base,
        "Pulumi.dev.yaml": "config:\n  demo:name: web\n  demo:token:\n    secure: v1:abc\n",
      }),
    );
    const c = resolveConfig(p, "dev");
    assert.ok(c.secretKeys.includes("demo:token"));
    assert.match(c.values["demo:token"], /^offline-placeholder-[0-9a-f]{12}$/);
    assert.match(c.notes[0], /demo:token is encrypted.*--secret demo:token=VALUE/);
    const given = resolveConfig(p, "dev", [parseOverride("token=real", true)]);
    assert.equal(given.values["demo:token"], "real");
  });

  it("runs a stack without a stack file with empty stack config, as the CLI does", () => {
    const dir = project({ ...base, "Pulumi.dev.yaml": "config: {}\n", "Pulumi.prod.yml": "config: {}\n" });
    const p = loadProject(dir);
    assert.deepEqual(listStacks(p), ["dev", "prod"]);
    // Declared defaults and project values apply; the missing required key is still an error.
    assert.throws(() => resolveConfig(p, "qa"), /Stack 'qa' is missing configuration value 'name'/);
    const c = resolveConfig(p, "qa", [parseOverride("name=web")]);
    assert.equal(c.values["demo:size"], "2");
    assert.equal(c.values["aws:region"], "eu-west-1");
    assert.match(
      c.notes[0],
      /stack "qa" has no Pulumi\.qa\.yaml.*empty stack config.*stack files found: dev, prod/,
    );
    // A project with no stack file at all, and nothing required.
    const bare = loadProject(project({ "Pulumi.yaml": "name: bare\nruntime: nodejs\n", "index.ts": "" }));
    assert.deepEqual(resolveConfig(bare, "dev").values, {});
  });

  it("does not call a secret undecryptable when --secret or --config supplies it", () => {
    const p = loadProject(
      project({
        ...base,
        "Pulumi.dev.yaml":
          "config:\n  demo:name: web\n  demo:token:\n    secure: v1:abc\n  other:key:\n    secure: v1:def\n",
      }),
    );
    const bySecret = resolveConfig(p, "dev", [
      parseOverride("token=real", true),
      parseOverride("other:key=k", true),
    ]);
    assert.deepEqual(bySecret.notes, []);
    assert.ok(bySecret.secretKeys.includes("demo:token"));
    // --config on an encrypted key: the value stays secret (it was encrypted), and no note either.
    const byConfig = resolveConfig(p, "dev", [parseOverride("demo:token=real")]);
    assert.ok(byConfig.secretKeys.includes("demo:token"));
    assert.equal(byConfig.notes.length, 1, "only other:key is still a placeholder");
    assert.match(byConfig.notes[0], /^other:key is encrypted/);
  });

  it("collects mistyped values with their declared defaults, so the program can still report its own problems", () => {
    const p = loadProject(project({ ...base, "Pulumi.dev.yaml": "config:\n  demo:name: web\n" }));
    const overrides = [parseOverride("enabled=yes"), parseOverride("size=big")];
    assert.throws(() => resolveConfig(p, "dev", overrides), /'enabled' must be of type 'boolean'/);
    const c = resolveConfig(p, "dev", overrides, { collectTypeProblems: true });
    assert.deepEqual(
      c.typeProblems.map((t) => [t.key, t.fallback]),
      [
        ["demo:size", "2"],
        ["demo:enabled", "false"],
      ],
    );
    assert.match(c.typeProblems[1].message, /'enabled' must be of type 'boolean' \(got "yes"\)/);
    // Other problems (a missing required key) are still thrown at once.
    const q = loadProject(project({ ...base, "Pulumi.dev.yaml": "config: {}\n" }));
    assert.throws(
      () => resolveConfig(q, "dev", overrides, { collectTypeProblems: true }),
      (err: Error) =>
        err instanceof StackConfigError &&
        /missing configuration value 'name'/.test(err.message) &&
        /'size' must be of type 'integer'/.test(err.message),
    );
  });

  it("rejects what it cannot run, with the file named", () => {
    assert.throws(
      () => loadProject(project({ "Pulumi.yaml": "name: py\nruntime: python\n" })),
      /runtime "python" is not supported offline/,
    );
    assert.throws(() => loadProject(project({ "Pulumi.yaml": "runtime: nodejs\n" })), /"name" is required/);
    assert.throws(
      () => loadProject(project({ "Pulumi.yaml": "name: x\nruntime: nodejs\nmain: src/\n" })),
      /cannot find the program/,
    );
    assert.throws(
      () => loadProject(project({ "Pulumi.yaml": "name: x\nruntime: [nodejs\n" })),
      /invalid YAML/,
    );
    assert.throws(
      () =>
        loadProject(
          project({
            "Pulumi.yaml": "name: x\nruntime: nodejs\nconfig:\n  aws:region: { type: string }\n",
            "index.ts": "",
          }),
        ),
      /declares a type but is not in the project namespace/,
    );
    assert.throws(() => parseOverride("novalue"), ProjectError);
  });

  it("finds main from package.json or a directory", () => {
    const dir = project({
      "Pulumi.yaml": "name: x\nruntime: nodejs\n",
      "package.json": '{"main": "src/program.ts"}',
      "src/program.ts": "",
    });
    assert.equal(path.relative(dir, loadProject(dir).main), path.join("src", "program.ts"));
    const dir2 = project({ "Pulumi.yaml": "name: x\nruntime: nodejs\nmain: app/\n", "app/index.ts": "" });
    assert.equal(path.relative(dir2, loadProject(dir2).main), path.join("app", "index.ts"));
  });
});
