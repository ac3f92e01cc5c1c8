/** Runs the offline engine's CLI as a separate process, the way users and CI run it. */
import { spawnSync } from "node:child_process";
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
