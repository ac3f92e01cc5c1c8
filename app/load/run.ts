/**
 * Load scenarios (scripts, not tests): `npm run load -w app -- <smoke|load|stress> [URL] [options]`.
 *
 * URL: the API to load (origin only; loopback hosts only unless `--allow-remote`). Without it, a local stack is
 * started like the benchmark does (PostgreSQL + PostGIS, Redis, LOAD_BUSINESSES generated businesses, default
 * 20000; see local.ts) and stopped afterwards, on every exit path.
 * Options: `--duration <s>` (1-120; default per scenario), `--connections <n>` (1-1000; default per scenario),
 * `--allow-remote`. Prints the scenario's table and SLO verdict; exit code 0 when the SLO is met, 1 when not,
 * 2 for bad arguments or a refused target. Scenarios, mix and SLOs: scenarios.ts and docs/app-load.md.
 */
import { buildMix, SCENARIOS, type Scenario, type ScenarioName } from "./scenarios";
import { endpointOf, formatReport, summarise, type RunStats, type Summary } from "./report";
import { checkTarget, TargetRefused } from "./target";

// autocannon ships no types; this is the part of its API used here.
interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
}
type Autocannon = (opts: Record<string, unknown>) => AutocannonInstance;
const autocannon: Autocannon = require("autocannon");

export const MAX_DURATION_S = 120;
export const MAX_CONNECTIONS = 1000;

/** Parsed command line. */
export interface LoadArgs {
  scenario: Scenario;
  target?: URL;
  durationS: number;
  connections: number;
}

/** A command line the script refuses (exit code 2); the message names the argument and what is allowed. */
export class UsageError extends Error {}

const USAGE =
  "usage: npm run load -w app -- <smoke|load|stress> [http://127.0.0.1:PORT] " +
  "[--duration 1-120] [--connections 1-1000] [--allow-remote]";

function boundedInt(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value ?? "")}`,
    );
  }
  return n;
}

/** Parses `argv` (without node and the script). Throws UsageError or TargetRefused. */
export function parseArgs(argv: string[]): LoadArgs {
  let name: string | undefined;
  let url: string | undefined;
  let allowRemote = false;
  let durationS: number | undefined;
  let connections: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--allow-remote") allowRemote = true;
    else if (a === "--duration") durationS = boundedInt("--duration", argv[++i], 1, MAX_DURATION_S);
    else if (a === "--connections") connections = boundedInt("--connections", argv[++i], 1, MAX_CONNECTIONS);
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}\n${USAGE}`);
    else if (name === undefined) name = a;
    else if (url === undefined) url = a;
    else throw new UsageError(`unexpected argument ${a}\n${USAGE}`);
  }
  if (name === undefined || !(name in SCENARIOS)) {
    throw new UsageError(
      `scenario must be one of smoke, load, stress, got ${JSON.stringify(name ?? "")}\n${USAGE}`,
    );
  }
  const scenario = SCENARIOS[name as ScenarioName];
  return {
    scenario,
    target: url === undefined ? undefined : checkTarget(url, allowRemote),
    durationS: durationS ?? scenario.durationS,
    connections: connections ?? scenario.connections,
  };
}

/** Up to 200 business ids the target lists (`GET /api/businesses`); throws when it lists none. */
export async function fetchIds(base: URL): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const u = new URL(
      `/api/businesses?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      base,
    );
    const res = await fetch(u, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GET ${u.pathname}: HTTP ${res.status}`);
    const page = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((b) => b.id));
    cursor = page.nextCursor;
  } while (cursor && ids.length < 200);
  if (ids.length === 0) throw new Error(`${base.origin} lists no businesses: seed it first`);
  return ids;
}

/**
 * Runs one scenario against `target` for `durationS` seconds with `connections` connections (stopping early
 * at the scenario's `maxRequests`), and returns what it observed. Rate limits of the target apply: a
 * limited request is a non-2xx (429) and counts as an error.
 */
export async function runScenario(opts: {
  scenario: Scenario;
  target: URL;
  durationS: number;
  connections: number;
}): Promise<{ stats: RunStats; summary: Summary }> {
  const ids = await fetchIds(opts.target);
  const latenciesMs: number[] = [];
  const started = Date.now();
  const instance = autocannon({
    url: opts.target.origin,
    connections: opts.connections,
    pipelining: 1,
    duration: opts.durationS,
    timeout: opts.scenario.timeoutS,
    requests: buildMix(ids),
  });
  const byEndpoint: NonNullable<RunStats["byEndpoint"]> = {};
  instance.on("response", (client, status, _bytes, ms) => {
    latenciesMs.push(ms);
    // With pipelining 1 the client's current request is the one just answered (autocannon's httpClient
    // emits "response" before it moves to the next request).
    const req = (client as { requestIterator?: { currentRequest?: { method?: string; path?: string } } })
      .requestIterator?.currentRequest;
    const e = (byEndpoint[endpointOf(req?.method ?? "GET", req?.path ?? "(unknown)")] ??= {
      latenciesMs: [],
      non2xx: 0,
    });
    e.latenciesMs.push(ms);
    if (status < 200 || status > 299) e.non2xx++;
    if (latenciesMs.length >= opts.scenario.maxRequests) instance.stop();
  });
  const r = await instance;
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = s.count;
  const stats: RunStats = {
    scenario: { ...opts.scenario, connections: opts.connections },
    target: opts.target.origin,
    elapsedS: (Date.now() - started) / 1000,
    latenciesMs,
    ok: r["2xx"],
    non2xx: r.non2xx,
    errors: r.errors,
    statuses,
    byEndpoint,
  };
  return { stats, summary: summarise(stats) };
}

async function main(): Promise<number> {
  let args: LoadArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError || err instanceof TargetRefused) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  let local: { url: string; close(): Promise<void> } | undefined;
  const onSignal = () => {
    void (local?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let target = args.target;
    if (!target) {
      const count = boundedInt("LOAD_BUSINESSES", process.env.LOAD_BUSINESSES ?? "20000", 1, 1_000_000);
      const { startLocalApi } = await import("./local");
      console.error(`starting a local API (PostgreSQL, Redis, ${count} businesses)...`);
      local = await startLocalApi(count);
      target = new URL(local.url);
    }
    const { stats, summary } = await runScenario({ ...args, target });
    console.log(formatReport(stats, summary));
    return summary.sloMet ? 0 : 1;
  } finally {
    await local?.close();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
