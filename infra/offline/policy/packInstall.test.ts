/**
 * The pack starts from its own install, as `pulumi policy publish` ships it: `npm pack` of the policies
 * workspace, the tarball extracted in a temporary directory outside the repository and `npm install
 * --omit=dev` there (only the pack's package.json dependencies; the npm cache serves what it can). Then it
 * is started the way the CLI starts a Node.js pack (`run-policy-pack` of the @pulumi/pulumi the pack
 * installed, in the pack's directory, which type-checks the TypeScript through ts-node with the pack's
 * tsconfig.json) and driven over the analyzer protocol: GetAnalyzerInfo, Configure with the shipped prod
 * config, one Analyze. The temporary directory and the process are removed on every path.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadPolicyPackConfig, reconcilePolicyPackConfig } from "./config";
import { PackConnection, startPack, toAnalyzerValue } from "./protocol";

const root = path.resolve(__dirname, "..", "..", "..");
const packSrc = path.join(root, "policies");
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

/** The environment of a user's machine: nothing from this repository's install leaks in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(NODE_OPTIONS|NODE_PATH|npm_|TS_NODE_)/i.test(k)) delete env[k];
  return env;
}

describe("policy pack: starts from a clean install of its npm pack output", function () {
  this.timeout(600_000);
  let tmp: string | undefined;
  let installed: string;
  let conn: PackConnection | undefined;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-pack-install-"));
    const env = cleanEnv();
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", tmp], {
      cwd: packSrc,
      env,
      encoding: "utf8",
    });
    const [{ filename, files }] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    const shipped = files.map((f) => f.path);
    assert.ok(shipped.includes("PulumiPolicy.yaml") && shipped.includes("index.ts"), shipped.join(", "));
    assert.ok(!shipped.some((f) => f.startsWith("test/")), `tests are shipped: ${shipped.join(", ")}`);
    execFileSync("tar", ["-xzf", path.join(tmp, filename), "-C", tmp], { env });
    installed = path.join(tmp, "package");
    execFileSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], {
      cwd: installed,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
  });

  after(() => {
    conn?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("resolves its SDKs and TypeScript from its own node_modules", () => {
    for (const m of ["@pulumi/pulumi", "@pulumi/policy", "typescript"]) {
      const resolved = require.resolve(m, { paths: [installed] });
      assert.ok(resolved.startsWith(installed), `${m} resolved outside the install: ${resolved}`);
    }
  });

  it("serves over the analyzer protocol: GetAnalyzerInfo, Configure, Analyze", async () => {
    conn = await startPack(installed, { timeoutMs: 180_000, typeCheck: true });
    const { pb, Struct } = conn.proto;
    const info = await conn.call("getAnalyzerInfo", new conn.proto.Empty());
    assert.equal(info.getName(), "meridian-guardrails");
    assert.equal(info.getVersion(), require(path.join(packSrc, "package.json")).version);
    const policies = info.getPoliciesList().map((p: any) => {
      const s = p.getConfigschema();
      return {
        name: p.getName() as string,
        defaultEnforcement: LEVELS[p.getEnforcementlevel()],
        configSchema: s
          ? { properties: s.getProperties()?.toJavaScript() ?? {}, required: s.getRequiredList() }
          : undefined,
      };
    });
    assert.ok(policies.length > 10);

    const config = reconcilePolicyPackConfig(
      policies,
      loadPolicyPackConfig(path.join(installed, "config", "prod.json")),
      "config/prod.json",
    );
    const req = new pb.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(config)) {
      const pc = new pb.PolicyConfig();
      pc.setEnforcementlevel(LEVELS.indexOf(c.enforcementLevel));
      pc.setProperties(Struct.fromJavaScript(c.properties));
      req.getPolicyconfigMap().set(name, pc);
    }
    await conn.call("configure", req);

    const a = new pb.AnalyzeRequest();
    a.setType("aws:rds/instance:Instance");
    a.setName("db");
    a.setUrn("urn:pulumi:prod::proj::aws:rds/instance:Instance::db");
    a.setProperties(Struct.fromJavaScript(toAnalyzerValue({ engine: "postgres", publiclyAccessible: true })));
    a.setOptions(new pb.AnalyzerResourceOptions());
    const resp = await conn.call("analyze", a);
    const found = resp
      .getDiagnosticsList()
      .map((d: any) => [d.getPolicyname(), LEVELS[d.getEnforcementlevel()]]);
    assert.ok(
      found.some(([p, l]: string[]) => p === "aws-rds-not-public" && l === "mandatory"),
      JSON.stringify(found),
    );
  });
});
