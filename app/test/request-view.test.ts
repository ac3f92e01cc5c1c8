/**
 * src/requestView.ts: the `node:http` view of a request reads what the Hono view of the same request reads
 * (the rate limiter and the cache front decide on either), including repeated header fields, which Node's
 * `IncomingMessage.headers` handles field by field. One real socket; no services needed.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { contextView, incomingView, type RequestView } from "../src/requestView";

const NAMES = [
  "authorization",
  "x-forwarded-for",
  "origin",
  "accept-encoding",
  "x-request-id",
  "cookie",
  "user-agent",
  "x-absent",
];

function read(v: RequestView): Record<string, unknown> {
  return {
    method: v.method,
    path: v.path,
    target: v.target,
    peer: v.peer,
    headers: Object.fromEntries(NAMES.map((n) => [n, v.header(n)])),
  };
}

describe("request views: node:http and Hono read a request alike", () => {
  let server: http.Server;
  let port: number;
  const seen: { node?: Record<string, unknown>; hono?: Record<string, unknown> } = {};

  before(async () => {
    const app = new Hono();
    app.all("*", (c) => {
      seen.hono = read(contextView(c));
      return c.text("ok");
    });
    const chain = getRequestListener(app.fetch);
    server = http.createServer((req, res) => {
      seen.node = read(incomingView(req));
      void chain(req, res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const send = (path: string, headers: Record<string, string | string[]>) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end();
    });

  it("repeated fields are joined with ', ' as Fetch Headers do, whatever Node keeps in .headers", async () => {
    await send("/api/businesses/nearby?lat=1&lng=2", {
      authorization: ["Bearer first", "Bearer second"], // Node's .headers keeps the first only
      "x-forwarded-for": ["203.0.113.1", "198.51.100.2"],
      origin: ["https://a.example", "https://b.example"],
      "accept-encoding": "gzip",
      "x-request-id": "abc",
      cookie: ["a=1", "b=2"], // Node's .headers joins these with "; "
      "user-agent": ["one", "two"],
    });
    assert.ok(seen.node && seen.hono);
    assert.deepEqual(seen.node, seen.hono);
    const headers = seen.node.headers as Record<string, string | undefined>;
    assert.equal(headers.authorization, "Bearer first, Bearer second");
    assert.equal(headers["x-forwarded-for"], "203.0.113.1, 198.51.100.2");
    assert.equal(headers["x-absent"], undefined);
    assert.equal(seen.node.path, "/api/businesses/nearby");
    assert.equal(seen.node.target, "/api/businesses/nearby?lat=1&lng=2");
    assert.equal(seen.node.peer, "127.0.0.1");
  });

  it("single fields and plain paths read the same", async () => {
    await send("/api/businesses/7f0c0c52-1111-4a4a-8b8b-000000000001", {
      authorization: "Bearer only",
      "x-request-id": "req-1",
    });
    assert.deepEqual(seen.node, seen.hono);
  });
});
