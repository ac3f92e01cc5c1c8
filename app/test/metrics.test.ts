import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createFixture, type Fixture } from "./fixture";
import { generateBusinesses, insertBusinesses } from "../src/seed";

describe("/metrics (Prometheus)", function () {
  this.timeout(60_000);
  let f: Fixture;
  before(async () => {
    f = await createFixture("metrics");
    await insertBusinesses(f.sql, generateBusinesses(50, 3));
  });
  after(async () => f?.close());

  it("passes `promtool check metrics` and labels requests by route template, not raw URL", async () => {
    const ids = await f.sql<{ id: string }[]>`SELECT id FROM businesses LIMIT 5`;
    for (const { id } of ids) assert.equal((await f.request(`/api/businesses/${id}`)).status, 200);
    await f.request("/api/businesses/00000000-0000-4000-8000-000000000000");
    await f.request("/api/businesses/nearby?lat=18.48&lng=-69.93");
    await f.request("/api/businesses/nearby?lat=95&lng=-69.93");
    await f.request("/no/such/path");
    const res = await f.request("/metrics");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    const promtool = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    assert.ok(
      !promtool.error,
      `promtool is required (Debian package "prometheus"): ${promtool.error?.message}`,
    );
    assert.equal(promtool.status, 0, `promtool check metrics failed:\n${promtool.stdout}${promtool.stderr}`);

    const line = (re: RegExp) => text.split("\n").find((l) => re.test(l));
    assert.match(
      line(/^http_requests_total\{method="GET",route="\/api\/businesses\/:id",status="200"\}/) ?? "",
      / 5$/,
    );
    assert.match(
      line(/^http_requests_total\{method="GET",route="\/api\/businesses\/:id",status="404"\}/) ?? "",
      / 1$/,
    );
    assert.match(
      line(/^http_requests_total\{method="GET",route="\/api\/businesses\/nearby",status="400"\}/) ?? "",
      / 1$/,
    );
    assert.match(line(/^http_requests_total\{method="GET",route="unmatched",status="404"\}/) ?? "", / 1$/);
    for (const { id } of ids) assert.ok(!text.includes(id), "no raw ids in labels");
    assert.ok(
      line(
        /^http_request_duration_seconds_bucket\{le="0\.025",method="GET",route="\/api\/businesses\/:id",status="200"\}/,
      ),
    );
    assert.ok(
      line(/^http_requests_in_flight\{method="GET"\} 1$/),
      "the /metrics request itself is in flight",
    );
    assert.ok(line(/^db_pool_max_connections 8$/));
    assert.ok(line(/^db_query_duration_seconds_count\{operation="businesses\.get",outcome="ok"\} 6$/));
    assert.ok(line(/^process_cpu_user_seconds_total /));
    assert.ok(line(/^nodejs_eventloop_lag_seconds /));
  });
});
