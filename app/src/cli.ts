/**
 * One-off commands in the same image (the workload contract):
 *   node dist/cli.js migrate                       apply pending migrations (run before a rollout)
 *   node dist/cli.js seed [--count N] [--reset]    load N generated businesses (default 5000)
 *   node dist/cli.js job <name>                    run a scheduled job (e.g. refresh-category-counts)
 * Each prints one JSON line with the result and exits non-zero on failure.
 */
import { createSql, Db } from "./db";
import { ConfigError, loadConfig } from "./env";
import { JOBS, runJob } from "./jobs";
import { migrate } from "./migrate";
import { seed } from "./seed";

const USAGE = `usage: cli.js <command>
  migrate                      apply pending SQL migrations (advisory-locked, idempotent)
  seed [--count N] [--reset]   insert N generated businesses (default 5000); --reset empties the table first
  job <name>                   run a scheduled job: ${Object.keys(JOBS).join(", ")}`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "--help" || command === "help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!["migrate", "seed", "job"].includes(command)) {
    console.error(`unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  // One-off commands need no large pool; migrations may run long, so no statement timeout.
  const sql = createSql(config, { max: 2, statementTimeoutMs: 0 });
  const db = new Db(sql, 2);
  try {
    if (command === "migrate") {
      const result = await migrate(sql, { log: (m) => console.error(m) });
      console.log(JSON.stringify({ command, ...result }));
    } else if (command === "seed") {
      const raw = flag(args, "--count") ?? "5000";
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 5_000_000) {
        console.error(`--count must be a whole number between 1 and 5000000 (got "${raw}")`);
        return 2;
      }
      const inserted = await seed(sql, Number(raw), { reset: args.includes("--reset") });
      console.log(JSON.stringify({ command, inserted }));
    } else {
      const name = args[0];
      if (!name) {
        console.error(`job needs a name: ${Object.keys(JOBS).join(", ")}`);
        return 2;
      }
      console.log(JSON.stringify(await runJob(name, db)));
    }
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err instanceof ConfigError ? err.message : `${err.name}: ${err.message}`);
      process.exit(1);
    },
  );
}
