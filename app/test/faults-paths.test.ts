/**
 * Fault: /metrics reachable at encoded paths the load balancer does not block. A real listener
 * (@hono/node-server, as in production) is needed: an in-process `Request` would normalise the URL before the
 * app sees it. Every non-normal path must answer 308 to its normal form and never the metrics body.
 */
import { strict as assert } from "node:assert";
import { normalisePath } from "../src/canonical-path";
import { createFixture, type Fixture } from "./fixture";
import { listen, rawRequest, type Listener } from "./listen";

const rawGet = (port: number, path: string) => rawRequest(port, "GET", path);

describe("fault: /metrics at encoded paths (real listener)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let listener: Listener | undefined;
  let port: number;

  before(async () => {
    f = await createFixture("faults_paths");
    listener = await listen(f.built);
    ({ port } = listener);
  });
  after(async () => {
    await listener?.close();
    await f?.close();
  });

  it("serves metrics at the literal /metrics (the path the load balancer filters)", async () => {
    const r = await rawGet(port, "/metrics");
    assert.equal(r.status, 200);
    assert.match(r.body, /http_requests_total/);
  });

  const encoded = [
    "/api/%2e%2e/metrics",
    "/health/%2e%2e/metrics",
    "/health/%2E%2E/metrics",
    "/%6detrics",
    "/%6D%65%74%72%69%63%73",
    "/api/businesses/%2e%2e/%2e%2e/metrics",
    "/api/./../metrics",
    "/health/.%2e/metrics",
  ];
  for (const path of encoded) {
    it(`${path} -> 308 to /metrics, never the metrics body`, async () => {
      const r = await rawGet(port, path);
      assert.equal(r.status, 308, `${path}: ${r.status} ${r.body.slice(0, 200)}`);
      assert.equal(r.headers.location, "/metrics");
      assert.doesNotMatch(r.body, /http_requests_total|process_cpu/);
      assert.equal(r.headers["content-type"], "application/problem+json");
    });
  }

  it("other encoded paths also redirect to their normal form (query kept); escapes of reserved characters stay", async () => {
    let r = await rawGet(port, "/api/%62usinesses?limit=1");
    assert.equal(r.status, 308);
    assert.equal(r.headers.location, "/api/businesses?limit=1");
    r = await rawGet(port, "/api/businesses?limit=1");
    assert.equal(r.status, 200);
    r = await rawGet(port, "/api/..%2Fmetrics");
    assert.equal(r.status, 404, "an encoded slash is data, not a separator");
    assert.doesNotMatch(r.body, /http_requests_total/);
  });

  it("normalisePath never yields a network-path reference for Location", () => {
    assert.equal(normalisePath("//evil.example/x"), "/evil.example/x");
    assert.equal(normalisePath("/.//evil.example"), "/evil.example");
    assert.equal(normalisePath("/a/%2E/b/%7euser"), "/a/b/~user");
  });
});
