/**
 * The load script (app/load/): it refuses non-loopback targets without --allow-remote (as a real process,
 * before starting anything), and a short smoke run against an in-process API on a real 127.0.0.1 socket (real
 * PostgreSQL) completes with its table, every request of the mix answered 2xx.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { checkTarget, isLoopbackHost, TargetRefused } from "../load/target";
import { parseArgs, runScenario, UsageError } from "../load/run";
import { endpointOf, formatReport } from "../load/report";
import { SCENARIOS } from "../load/scenarios";
import { generateBusinesses, insertBusinesses } from "../src/seed";
import { createFixture, type Fixture } from "./fixture";
import { listen, type Listener } from "./listen";

const APP = path.resolve(__dirname, "..");

describe("load scenarios (app/load)", function () {
  describe("target checks", () => {
    it("allows loopback hosts only, unless --allow-remote", () => {
      for (const h of ["127.0.0.1", "localhost", "[::1]", "127.8.9.10"]) assert.ok(isLoopbackHost(h), h);
      for (const h of ["example.com", "10.0.0.5", "[::2]", "127.0.0.1.nip.io", "0.0.0.0"]) {
        assert.equal(isLoopbackHost(h), false, h);
      }
      assert.throws(() => checkTarget("http://example.com:3000", false), /--allow-remote/);
      assert.throws(() => checkTarget("http://10.0.0.5/", false), TargetRefused);
      assert.equal(checkTarget("http://example.com:3000/x?y", true).origin, "http://example.com:3000");
      assert.throws(() => checkTarget("ftp://127.0.0.1/", true), /protocol/);
      assert.throws(() => checkTarget("http://u:p@127.0.0.1/", false), /credentials/);
      assert.throws(() => parseArgs(["soak"]), UsageError);
      assert.throws(
        () => parseArgs(["smoke", "--duration", "500"]),
        /--duration must be an integer from 1 to 120/,
      );
      assert.equal(parseArgs(["stress", "http://localhost:3000"]).connections, 200);
    });

    it("the script exits 2 for a non-loopback URL without --allow-remote, naming the flag", function () {
      this.timeout(30_000);
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", "load/run.ts", "smoke", "http://192.0.2.1:3000"],
        {
          cwd: APP,
          encoding: "utf8",
          timeout: 25_000,
        },
      );
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /192\.0\.2\.1 is not loopback.*--allow-remote/);
      assert.equal(r.stdout, "");
    });
  });

  it("names endpoints by route template (query dropped, ids folded)", () => {
    assert.equal(endpointOf("GET", "/api/businesses?limit=20&category=x"), "GET /api/businesses");
    assert.equal(
      endpointOf("GET", "/api/businesses/5b0c0d2e-1111-4222-8333-444455556666"),
      "GET /api/businesses/:id",
    );
    assert.equal(endpointOf("GET", "/api/businesses/nearby?lat=1&lng=2"), "GET /api/businesses/nearby");
    assert.equal(endpointOf("POST", "/api/events"), "POST /api/events");
    assert.equal(endpointOf("GET", "/health/live"), "GET /health/live");
  });

  describe("smoke run against a local API", () => {
    let f: Fixture;
    let listener: Listener | undefined;
    let base: URL;
    before(async function () {
      this.timeout(60_000);
      f = await createFixture("load");
      await insertBusinesses(f.sql, generateBusinesses(300, 5));
      listener = await listen(f.built);
      base = listener.url;
    });
    after(async () => {
      await listener?.close();
      await f?.close();
    });

    it("completes within its bounds and prints the table; every request of the mix is 2xx", async function () {
      this.timeout(30_000);
      const { stats, summary } = await runScenario({
        scenario: SCENARIOS.smoke,
        target: base,
        durationS: 2,
        connections: 5,
      });
      const report = formatReport(stats, summary);
      assert.ok(summary.requests > 20, report);
      assert.equal(summary.errors + summary.non2xx, 0, report);
      assert.ok(stats.elapsedS < 10, report);
      assert.ok(summary.p50 > 0 && summary.p50 <= summary.p95 && summary.p95 <= summary.p99, report);
      assert.match(report, /\| scenario \| connections \| requests .* p95 ms/);
      assert.match(report, /\| smoke \| 5 \| \d+ /);
      assert.match(report, /SLO smoke: error rate 0\.00% <= 1\.00%: met; p95 [\d.]+ ms <= 250 ms/);
      // One row per endpoint of the mix, each with responses; together they are every response.
      const rows = report.split("\n").filter((l) => /^\| (GET|POST) \//.test(l));
      assert.deepEqual(
        rows.map((l) => l.split(" | ")[0].slice(2)),
        [
          "GET /api/businesses",
          "GET /api/businesses/:id",
          "GET /api/businesses/nearby",
          "GET /api/search/businesses",
          "POST /api/events",
        ],
        report,
      );
      const perEndpoint = Object.values(stats.byEndpoint ?? {}).reduce((n, e) => n + e.latenciesMs.length, 0);
      assert.equal(perEndpoint, stats.latenciesMs.length, report);
      for (const l of rows)
        assert.match(l, /^\| [A-Z]+ \S+ \| [1-9]\d* \| 0 \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$/, l);
      // The mix really posted events (with fresh ids): they are stored.
      const [{ n }] = await f.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM growth_events`;
      assert.ok(n > 0, `no growth events stored\n${report}`);
    });
  });
});
