/**
 * src/drain.ts on real sockets, no services: what is on the wire when draining begins is answered with
 * `Connection: close` (a keep-alive client's next request, a request whose headers trickle in), and a socket
 * that sends nothing is closed after the grace, so `drain()` resolves. (SIGTERM under keep-alive load against
 * the whole server is app/test/server.test.ts.)
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import * as net from "node:net";
import { connectionDrainer, type Drainer } from "../src/drain";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("connection draining (node:http, real sockets)", function () {
  this.timeout(20_000);
  let server: http.Server;
  let drainer: Drainer;
  let port: number;

  beforeEach(async () => {
    server = http.createServer((_req, res) => {
      res.setHeader("content-length", "2");
      res.end("ok");
    });
    drainer = connectionDrainer(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterEach(() => {
    drainer.closeAll();
    if (server.listening) server.close();
  });

  /** A raw client socket collecting everything it receives; `closed` resolves when the server ends it. */
  async function client() {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => (data += d));
    socket.on("error", () => undefined);
    const closed = new Promise<void>((r) => socket.once("close", () => r()));
    return { socket, closed, data: () => data };
  }

  it("a request whose headers trickle in across the start of draining is answered, with Connection: close", async () => {
    const c = await client();
    c.socket.write("GET / HTTP/1.1\r\n");
    await sleep(10);
    const drained = drainer.drain();
    for (const piece of ["Host: x\r\n", "Accept: */*\r\n", "X-Slow: 1\r\n", "\r\n"]) {
      await sleep(120); // each gap alone is under the grace; together they are well over it
      c.socket.write(piece);
    }
    await c.closed;
    await drained;
    assert.match(c.data(), /^HTTP\/1\.1 200 OK\r\n/, c.data());
    assert.match(c.data(), /\r\nConnection: close\r\n/i);
  });

  it("a keep-alive client's next request, sent just after draining begins, is answered with Connection: close", async () => {
    const c = await client();
    c.socket.write("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
    await sleep(300); // idle well past the grace before draining begins
    assert.match(c.data(), /\r\nConnection: keep-alive\r\n/i);
    const drained = drainer.drain();
    await sleep(150);
    c.socket.write("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
    await c.closed;
    await drained;
    assert.equal(c.data().match(/HTTP\/1\.1 200 OK/g)?.length, 2, c.data());
    assert.match(c.data().slice(c.data().lastIndexOf("HTTP/1.1")), /\r\nConnection: close\r\n/i);
  });

  it("a socket that sends nothing is closed after the grace, and drain() resolves", async () => {
    const c = await client();
    const started = performance.now();
    await drainer.drain();
    await c.closed;
    const ms = performance.now() - started;
    assert.ok(ms >= 250 && ms < 5000, `closed after ${ms.toFixed(0)} ms`);
    await sleep(0); // the drainer forgets a socket on its own `close` listener, after the server's
    assert.equal(drainer.open, 0);
  });
});
