/**
 * A real listener for suites that must go through @hono/node-server and a socket (as in production) rather
 * than `app.request()`: raw request targets (an in-process `Request` would normalise `%2e%2e`), HEAD framing,
 * load generators. `rawRequest` sends exactly the given path with `node:http` and no keep-alive agent.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { BuiltApp } from "../src/app";
import { httpServer } from "../src/server";

export interface Listener {
  server: http.Server;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: URL;
  /** Stops accepting connections, closes the open ones and resolves when the server has closed. */
  close(): Promise<void>;
}

/**
 * Serves `built` on a free port of 127.0.0.1 the way the server does (src/server.ts `httpServer`: the cache
 * front's listener, then @hono/node-server, for `fetch`, default the app's); the caller closes it.
 */
export function listen(built: BuiltApp, fetch?: BuiltApp["app"]["fetch"]): Promise<Listener> {
  return new Promise((resolve) => {
    const server = httpServer(built, "127.0.0.1", fetch);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ server, port, url: new URL(`http://127.0.0.1:${port}`), close: () => closeServer(server) });
    });
  });
}

/** Closes `server` and every connection it still has (no-op when it is not listening). */
export function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

/**
 * One request with the path sent as written; resolves with the status, headers and the whole body (as text,
 * and as received in `raw`). No keep-alive unless an `agent` is given.
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  agent: http.Agent | false = false,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; bytes: number; raw: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => {
        const all = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: all.toString("utf8"),
          bytes: all.length,
          raw: all,
        });
      });
    });
    req.on("error", reject);
    req.end();
  });
}
