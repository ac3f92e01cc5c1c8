/** Runs the offline engine's CLI as a separate process, the way users and CI run it. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..", "..");
const cli = path.join(repo, "infra", "offline", "cli.ts");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run preview -- <args>`, without npm's own output. */
export function preview(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", cli, ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Absolute path of a test fixture project. */
export function fixture(name: string): string {
  return path.join(repo, "infra", "offline", "test", "fixtures", name);
}

/**
 * Runs one field case (a copy of ../shared/field-cases/<id> in fixtures/field-cases) the way its README says:
 * from a `.field-case-<id>` folder at the repository root (f19b imports `../components/...`), stack `dev`,
 * with Meridian's pack; the folder is removed on every path. Returns the CLI result and the JSON report.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON report, read by tests
export function runFieldCase(id: string, extra: string[] = []): { r: CliResult; doc: any } {
  const work = path.join(repo, `.field-case-${id}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(fixture(path.join("field-cases", id)), work, { recursive: true });
  try {
    const out = path.join(work, "out.json");
    const args = [
      "--cwd",
      work,
      "--stack",
      "dev",
      "--policy-pack",
      "policies",
      "--format",
      "json",
      "--out",
      out,
      "-q",
    ];
    const r = preview([...args, ...extra]);
    const doc = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, "utf8")) : undefined;
    return { r, doc };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
