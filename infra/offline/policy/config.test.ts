/**
 * Policy config files by the Pulumi CLI's rules (pkg/resource/analyzer/config.go): every top-level key is
 * a policy name, a value is a level or `{ enforcementLevel, ...properties }`, properties are validated
 * against the policy's config schema. The shipped files pass against the pack's real metadata
 * (GetAnalyzerInfo); every kind of bad file fails with the CLI's wording and, through the engine, exit 2
 * before the program runs.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  loadPolicyPackConfig,
  parsePolicyPackConfig,
  PolicyConfigError,
  PolicySchemaInfo,
  reconcilePolicyPackConfig,
} from "./config";
import { livePackPids, startPack } from "./protocol";
import { startPolicySession } from "./run";
import { validateSchema } from "./schema";

const root = path.resolve(__dirname, "..", "..", "..");
const packDir = path.join(root, "policies");

const POLICIES: PolicySchemaInfo[] = [
  {
    name: "aws-rds-backups",
    defaultEnforcement: "mandatory",
    configSchema: { properties: { minRetentionDays: { type: "integer", default: 7 } } },
  },
  { name: "aws-rds-deletion-protection", defaultEnforcement: "mandatory" },
  {
    name: "meridian-waivers",
    defaultEnforcement: "mandatory",
    configSchema: {
      properties: {
        waivers: {
          type: "array",
          default: [],
          items: {
            type: "object",
            properties: { rule: { type: "string" } },
            required: ["rule"],
            additionalProperties: false,
          },
        },
      },
    },
  },
  {
    name: "needs-key",
    defaultEnforcement: "advisory",
    configSchema: { properties: { key: { type: "string" } }, required: ["key"] },
  },
];

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PolicyConfigError, `not a PolicyConfigError: ${(e as Error).stack}`);
    return e.message;
  }
  assert.fail("no error");
}

const parse = (o: unknown) => parsePolicyPackConfig(JSON.stringify(o), "cfg.json");
const reconcile = (o: unknown) => reconcilePolicyPackConfig(POLICIES, parse(o), "cfg.json", "pack p");

describe("policy config: the CLI's parse rules", () => {
  it("a string that is not an enforcement level is an error for that key, comment keys included", () => {
    for (const key of ["//", "$comment", "_note", "aws-rds-backups"])
      assert.equal(
        problem(() => parse({ [key]: "a comment" })),
        `cfg.json: parsing enforcement level for ${JSON.stringify(key)}: "a comment" is not a valid enforcement level (allowed: advisory, mandatory, remediate, disabled)`,
      );
    for (const level of ["advisory", "mandatory", "remediate", "disabled"])
      assert.deepEqual(parse({ x: level }).entries.x, { enforcementLevel: level });
    // Case matters to the CLI.
    assert.match(
      problem(() => parse({ x: "Mandatory" })),
      /"Mandatory" is not a valid enforcement level/,
    );
  });

  it("object form: enforcementLevel must be a level string; other properties are the policy's config", () => {
    assert.match(
      problem(() => parse({ x: { enforcementLevel: 1 } })),
      /parsing enforcement level for "x": 1 is not a valid enforcement level; must be a string/,
    );
    assert.match(
      problem(() => parse({ x: { enforcementLevel: "warn" } })),
      /"warn" is not a valid enforcement level/,
    );
    assert.deepEqual(parse({ x: { enforcementLevel: "advisory", n: 1 } }).entries.x, {
      enforcementLevel: "advisory",
      properties: { n: 1 },
    });
    assert.deepEqual(parse({ x: {} }).entries, {}, "the CLI drops empty configs");
  });

  it("numbers, booleans, arrays and null are not values; every problem is listed with the file", () => {
    const msg = problem(() => parse({ a: 5, b: true, c: ["x", 1], d: null }));
    assert.match(msg, /^cfg\.json \(4 problems\):/);
    assert.match(msg, /parsing "a": 5 is not a valid value; must be a string or object/);
    assert.match(msg, /parsing "b": true is not a valid value/);
    assert.match(msg, /parsing "c": \[x 1\] is not a valid value/);
    assert.match(msg, /parsing "d": <nil> is not a valid value/);
  });

  it("the file is one JSON object; empty content is no config; environments is an array of strings", () => {
    assert.match(
      problem(() => parsePolicyPackConfig("[1]", "f")),
      /cannot unmarshal array into Go value/,
    );
    assert.match(
      problem(() => parsePolicyPackConfig("{,}", "f")),
      /^f: invalid JSON/,
    );
    assert.deepEqual(parsePolicyPackConfig(" \n", "f").entries, {});
    assert.match(
      problem(() => parse({ environments: "prod" })),
      /"environments" must be an array of strings, got string/,
    );
    assert.match(
      problem(() => parse({ environments: [1] })),
      /"environments\[0\]" must be a string, got float64/,
    );
    assert.deepEqual(parse({ environments: ["org/env"] }).environments, ["org/env"]);
  });

  it("reconcile: defaults, then all, then each policy; unknown names and property-only all are errors", () => {
    const r = reconcile({
      all: "advisory",
      "aws-rds-backups": { minRetentionDays: 14 },
      "needs-key": { key: "k" },
    });
    assert.deepEqual(r["aws-rds-backups"], {
      enforcementLevel: "advisory",
      properties: { minRetentionDays: 14 },
    });
    assert.deepEqual(r["aws-rds-deletion-protection"], { enforcementLevel: "advisory", properties: {} });
    assert.deepEqual(r["meridian-waivers"].properties, { waivers: [] });
    assert.match(
      problem(() => reconcile({ "aws-rds-backup": "advisory", "needs-key": { key: "k" } })),
      /"aws-rds-backup": pack p has no policy with this name/,
    );
    assert.match(
      problem(() => reconcile({ "aws-rds-backups": { minRetentionDay: 14 }, "needs-key": { key: "k" } })),
      /"aws-rds-backups": unknown property "minRetentionDay" \(allowed: minRetentionDays\)/,
    );
    assert.match(
      problem(() => reconcile({ "aws-rds-deletion-protection": { level: 1 }, "needs-key": { key: "k" } })),
      /unknown property "level" \(the policy takes no configuration\)/,
    );
    assert.match(
      problem(() => reconcile({ all: { minRetentionDays: 1 }, "needs-key": { key: "k" } })),
      /"all": invalid enforcement level ""/,
    );
  });

  it("schema: required, types, nested additionalProperties, with the CLI's gojsonschema wording", () => {
    const msg = problem(() =>
      reconcile({
        "aws-rds-backups": { minRetentionDays: "7" },
        "meridian-waivers": { waivers: [{ rule: "x", reason: "y" }, {}] },
      }),
    );
    assert.match(
      msg,
      /validating policy config: aws-rds-backups: minRetentionDays: Invalid type\. Expected: integer, given: string/,
    );
    assert.match(
      msg,
      /validating policy config: meridian-waivers: waivers\.0: Additional property reason is not allowed/,
    );
    assert.match(msg, /validating policy config: meridian-waivers: waivers\.1: rule is required/);
    assert.match(msg, /validating policy config: needs-key: key is required/);
    assert.match(
      problem(() => reconcile({ "aws-rds-backups": { minRetentionDays: 7.5 }, "needs-key": { key: "k" } })),
      /Expected: integer, given: number/,
    );
    // The CLI's schema has no top-level additionalProperties, so it would accept an extra property that no
    // policy reads; the engine refuses it on purpose (docs/offline-engine.md), as it refuses unknown names.
    assert.match(
      problem(() => reconcile({ "aws-rds-backups": { extra: 1 }, "needs-key": { key: "k" } })),
      /unknown property "extra"/,
    );
  });

  it("schema keywords beyond types", () => {
    assert.deepEqual(validateSchema({ enum: ["a", "b"] }, "c"), [
      '(root) must be one of the following: "a", "b"',
    ]);
    assert.deepEqual(validateSchema({ type: "integer", minimum: 1 }, 0), [
      "Must be greater than or equal to 1",
    ]);
    assert.deepEqual(validateSchema({ type: "string", pattern: "^\\d{4}$" }, "12"), [
      "Does not match pattern '^\\d{4}$'",
    ]);
    assert.deepEqual(validateSchema({ type: "array", maxItems: 1 }, [1, 2]), [
      "Array must have at most 1 items",
    ]);
    assert.deepEqual(validateSchema({ type: ["string", "null"] }, null), []);
  });
});

describe("policy config: the shipped files against the pack's own metadata", function () {
  this.timeout(120_000);
  let policies: PolicySchemaInfo[];
  const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
  before(async () => {
    const conn = await startPack(packDir);
    try {
      const info = await conn.call("getAnalyzerInfo", new conn.proto.Empty());
      policies = info.getPoliciesList().map((p: any) => {
        const s = p.getConfigschema();
        return {
          name: p.getName(),
          defaultEnforcement: LEVELS[p.getEnforcementlevel()],
          configSchema: s
            ? { properties: s.getProperties()?.toJavaScript() ?? {}, required: s.getRequiredList() }
            : undefined,
        };
      });
    } finally {
      conn.close();
    }
  });

  for (const stack of ["dev", "prod"])
    it(`policies/config/${stack}.json parses and validates`, () => {
      const file = path.join(packDir, "config", `${stack}.json`);
      const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      const names = new Set(policies.map((p) => p.name));
      for (const k of Object.keys(raw))
        assert.ok(k === "all" || names.has(k), `${stack}.json: ${k} is not a policy`);
      const cfg = reconcilePolicyPackConfig(policies, loadPolicyPackConfig(file), file);
      assert.ok(Object.keys(cfg).length === policies.length);
    });

  it("the schema errors a real pack policy gives (aws-log-retention minDays)", () => {
    assert.match(
      problem(() =>
        reconcilePolicyPackConfig(policies, parse({ "aws-log-retention": { minDays: "30" } }), "f"),
      ),
      /validating policy config: aws-log-retention: minDays: Invalid type\. Expected: integer, given: string/,
    );
  });
});

describe("policy config: a bad file is a usage error (exit 2)", function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: cfgcase\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `import * as fs from "node:fs";\nfs.writeFileSync(${JSON.stringify(path.join(dir, "ran"))}, "yes");\n`,
    );
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases: [string, unknown, RegExp][] = [
    [
      "comment key",
      { "//": "prose" },
      /parsing enforcement level for "\/\/": "prose" is not a valid enforcement level/,
    ],
    [
      "bad level in object",
      { "aws-rds-backups": { enforcementLevel: "strict" } },
      /"strict" is not a valid enforcement level/,
    ],
    ["non-object value", { "aws-rds-backups": 3 }, /parsing "aws-rds-backups": 3 is not a valid value/],
  ];
  for (const [what, content, expected] of cases)
    it(`${what}: exit 2, names the file and key`, () => {
      const cfg = path.join(dir, "bad.json");
      fs.writeFileSync(cfg, JSON.stringify(content));
      const r = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          path.join(root, "infra/offline/cli.ts"),
          "--cwd",
          dir,
          "--stack",
          "dev",
          "--policy-pack",
          packDir,
          "--policy-config",
          cfg,
        ],
        { cwd: root, encoding: "utf8" },
      );
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`--policy-config ${cfg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      assert.match(r.stderr, expected);
    });

  it("startPolicySession (called before the program) rejects a bad file at once, starting no pack", () => {
    const cfg = path.join(dir, "bad.json");
    fs.writeFileSync(cfg, JSON.stringify({ "//": "prose" }));
    const before = livePackPids().length;
    assert.throws(
      () => startPolicySession({ packDir, configFile: cfg }),
      /--policy-config .*bad\.json: parsing enforcement level for "\/\/"/,
    );
    assert.equal(livePackPids().length, before, "a pack process was started");
  });
});
