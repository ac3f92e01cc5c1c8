/**
 * The key table (keys/), the source of validation and of docs/config.md, against Pulumi.yaml and the stack
 * files: descriptions, defaults and kinds, project declarations, both stacks valid on both clouds.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Cloud, defaultFor, KeyName, KNOWN_KEYS, Profile } from "./index";
import { AWS, parse, projectFile, ROOT, stackValues } from "./testing";

describe("config", () => {
  describe("the key table, Pulumi.yaml and the stack files", () => {
    const profiles: Profile[] = ["dev", "prod"];

    const clouds: Cloud[] = ["aws", "gcp"];

    it("every key has a description; enum defaults are allowed values; kinds match defaults", () => {
      for (const [key, def] of Object.entries(KNOWN_KEYS)) {
        assert.ok(def.description.length > 20, key);
        for (const p of profiles) {
          for (const c of clouds) {
            const d = defaultFor(def, p, c);
            if (d === undefined) continue;
            const expected = def.kind === "integer" || def.kind === "number" ? "number" : def.kind;
            assert.equal(typeof d, expected, `${key} default (${p}/${c})`);
            if (def.allowed) assert.ok(def.allowed.includes(String(d)), `${key}: default ${d} not allowed`);
          }
        }
      }
      assert.match(KNOWN_KEYS.azCount.description, /Range 2-4\./);
      assert.match(KNOWN_KEYS.minInstances.description, /prod: at least 2\./);
      assert.match(
        KNOWN_KEYS.connectorCidr.description,
        /exactly \/28.*Checked only when serverlessEgress is connector/,
      );
    });

    it("Pulumi.yaml declares cloud (required) and only profile-independent keys, with the table's defaults", () => {
      const project = projectFile();
      assert.equal(project.name, "meridian");
      assert.equal(project.main, "infra/index.ts");
      const declared = project.config;
      assert.ok(
        declared.cloud && declared.cloud.default === undefined,
        "cloud must be declared without a default",
      );
      for (const [key, decl] of Object.entries(declared)) {
        assert.ok(!key.includes(":"), `${key}: project keys are declared without the namespace`);
        assert.ok(key in KNOWN_KEYS, `${key} is not a known key`);
        const def = KNOWN_KEYS[key as KeyName];
        const type = def.kind === "number" ? "string" : def.kind;
        assert.equal(decl.type, type, `${key}: type`);
        assert.ok(
          typeof decl.description === "string" && decl.description.length > 10,
          `${key}: description`,
        );
        if (key === "cloud") continue;
        assert.ok(
          decl.default !== undefined,
          `${key}: declared without a default would be required in every stack`,
        );
        const expected = key === "appName" ? "meridian" : defaultFor(def, "dev", undefined);
        assert.equal(decl.default, expected, `${key}: default`);
        if (key !== "appName") {
          for (const p of profiles)
            for (const c of clouds)
              assert.equal(defaultFor(def, p, c), expected, `${key} must not depend on profile/cloud`);
        }
      }
    });

    for (const stack of ["dev", "prod"] as const) {
      it(`Pulumi.${stack}.yaml is valid on both clouds, uses only known keys, and holds no secret or image`, () => {
        const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
        assert.doesNotMatch(text, /secure:/);
        assert.doesNotMatch(text, /^\s*meridian:image:/m);
        for (const cloud of clouds) {
          const c = parse(stackValues(stack, cloud), stack);
          assert.equal(c.cloud, cloud);
          assert.equal(c.profile, stack);
          assert.equal(c.database.deletionProtection, stack === "prod");
          assert.equal(c.aws.natStrategy, stack === "prod" ? "perAz" : "single");
        }
        assert.equal(parse(stackValues(stack), stack).cloud, "aws");
      });
    }

    it("the stack files spell out the profile defaults they rely on", () => {
      for (const stack of ["dev", "prod"] as const) {
        const explicit = parse(stackValues(stack), stack);
        const defaults = parse(
          { ...AWS, "gcp:project": explicit.gcp.project, "gcp:region": "us-central1" },
          stack,
        );
        assert.deepEqual(
          { ...explicit, tags: undefined, domain: undefined, alertEmail: undefined },
          { ...defaults, tags: undefined },
          `Pulumi.${stack}.yaml differs from the ${stack} defaults`,
        );
      }
    });
  });
});
