/**
 * State values between the export writer (infra/offline/export.ts) and the loader: what
 * `SerializePropertyValue` writes, read back into Pulumi's wire format.
 */
import { strict as assert } from "node:assert";
import { COMPUTED, serializeValue, WITHHELD_CIPHERTEXT } from "../offline/export";
import { SIG } from "../offline/runtime";
import { decodeValue, ExportError, loadExport, parseSourcePosition } from "./load";

const secret = (value: unknown) => ({ [SIG.key]: SIG.secret, value });

describe("export values: written as state, read back as wire values", () => {
  it("a nested secret round-trips with --show-secrets, as JSON plaintext", () => {
    const wire = { a: [1, secret({ user: "u", pass: "p" })], b: COMPUTED };
    const state = serializeValue(wire, true) as Record<string, unknown>;
    const inner = (state.a as unknown[])[1] as Record<string, unknown>;
    assert.equal(inner.plaintext, JSON.stringify({ pass: "p", user: "u" }));
    assert.equal(state.b, COMPUTED, "the engine's computed placeholder");
    const hidden: string[] = [];
    assert.deepEqual(
      decodeValue(state, (p) => hidden.push(p)),
      { a: [1, secret({ pass: "p", user: "u" })], b: COMPUTED },
    );
    assert.deepEqual(hidden, []);
  });

  it("without --show-secrets a secret is withheld and read back as a secret unknown, its path recorded", () => {
    const state = serializeValue({ db: { password: secret("p") } }, false);
    assert.deepEqual(state, { db: { password: { [SIG.key]: SIG.secret, ciphertext: WITHHELD_CIPHERTEXT } } });
    const hidden: string[] = [];
    assert.deepEqual(
      decodeValue(state, (p) => hidden.push(p)),
      { db: { password: secret(SIG.unknown) } },
    );
    assert.deepEqual(hidden, ["db.password"]);
  });

  it("output values flatten; resource references keep urn, packageVersion and a known id", () => {
    const out = { [SIG.key]: SIG.outputValue, value: "x", secret: true, dependencies: ["urn:a"] };
    assert.deepEqual(serializeValue(out, true), { [SIG.key]: SIG.secret, plaintext: '"x"' });
    assert.equal(serializeValue({ [SIG.key]: SIG.outputValue }, true), COMPUTED);
    const ref = { [SIG.key]: SIG.resource, urn: "urn:pulumi:s::p::t::n", id: "" };
    assert.deepEqual(serializeValue(ref, true), {
      [SIG.key]: SIG.resource,
      urn: ref.urn,
      packageVersion: "",
    });
  });

  it("byte strings and special floats of real state are decoded", () => {
    const none = () => assert.fail("nothing hidden");
    assert.equal(decodeValue({ [SIG.key]: "803fd3297a5875dc03ca845dda5d2a98", value: "aGk=" }, none), "hi");
    const inf = { [SIG.key]: "8ad145fe-0d11-4827-bfd7-1abcbf086f5c", value: "7ff0000000000000" };
    assert.equal(decodeValue(inf, none), Infinity);
  });

  it("source positions in the engine's form", () => {
    assert.deepEqual(parseSourcePosition("project:///src/index.ts#14,18"), {
      file: "src/index.ts",
      line: 14,
      column: 18,
    });
    assert.deepEqual(parseSourcePosition("project:///a%20b.ts#3"), { file: "a b.ts", line: 3, column: 0 });
    assert.equal(parseSourcePosition("file:///x.ts#3"), undefined);
  });

  it("names the field of a malformed resource", () => {
    const doc = (r: object) =>
      JSON.stringify({ version: 4, features: ["taint"], deployment: { manifest: {}, resources: [r] } });
    assert.throws(
      () => loadExport(doc({ urn: "urn:pulumi:s::p::t::n" }), "f.json"),
      (e: unknown) => {
        assert.ok(e instanceof ExportError);
        assert.match(e.message, /^f\.json: deployment\.resources\[0\]\.type is missing$/);
        return true;
      },
    );
    assert.throws(
      () => loadExport(doc({ urn: "urn:pulumi:s::p::t::n", type: "t", inputs: [] }), "f.json"),
      /deployment\.resources\[0\]\.inputs must be an object/,
    );
    const bad = (d: object) => () => loadExport(JSON.stringify({ version: 3, deployment: d }), "f.json");
    assert.throws(bad({ resources: [] }), /f\.json: deployment\.manifest is missing/);
    assert.throws(
      bad({ manifest: {}, resources: [{ urn: "web-sg", type: "x" }] }),
      /deployment\.resources\[0\]\.urn "web-sg" is not a Pulumi URN/,
    );
    assert.throws(
      bad({ manifest: {}, pending_operations: [{ type: "exploding", resource: {} }] }),
      /deployment\.pending_operations\[0\]\.type "exploding" is not an operation; allowed: creating, updating, deleting, reading/,
    );
    const ok = loadExport(doc({ urn: "urn:pulumi:s::p::t::n", type: "t", taint: true }), "f.json");
    assert.deepEqual(
      [ok.stack, ok.project, ok.resources.length],
      ["s", "p", 1],
      "version 4 reads the same shape",
    );
  });
});
