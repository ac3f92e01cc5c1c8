/**
 * A real listener for suites that must go through @hono/node-server and a socket (as in production) rather
 * than `app.request()`: raw request targets (an in-process `Request` would normalise `%2e%2e`), HEAD framing,
 * load generators. `rawRequest` sends exactly the given path with `node:http` and no keep-alive agent.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface Listener {
  server: http.Server;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: URL;
  /** Stops accepting connections and resolves once open ones are closed. */
  close(): Promise<void>;
}

/** Serves `fetch` (e.g. `f.built.app.fetch`) on a free port of 127.0.0.1; the caller closes it. */
export function listen(fetch: Parameters<typeof serve>[0]["fetch"]): Promise<Listener> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        server: server as http.Server,
        port,
        url: new URL(`http://127.0.0.1:${port}`),
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

/** One request with the path sent as written; resolves with the status, headers and the whole body. */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => {
        const all = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: all.toString("utf8"),
          bytes: all.length,
        });
      });
    });
    req.on("error", reject);
    req.end();
  });
}
