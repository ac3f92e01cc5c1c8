/**
 * Graceful connection draining for the HTTP server (SIGTERM under keep-alive load).
 *
 * `http.Server.close()` (Node >= 19) closes every idle keep-alive socket at once, and closing idle sockets on
 * a timer afterwards races with clients that are writing their next request on them: under keep-alive load
 * every busy connection lost its next request. `connectionDrainer(server)` instead:
 * - stops accepting new connections (the listener closes; new connections are refused, so a load balancer
 *   or client retries elsewhere);
 * - marks every response written while draining, including those in flight whose headers are not sent yet,
 *   with `Connection: close`: Node closes that socket right after the response, so the client knows not to
 *   reuse it and nothing it sends is lost;
 * - closes a socket with no request in flight only once it has been idle for `idleGraceMs` (default 250 ms),
 *   so a request already on the wire when draining began is still answered (with `Connection: close`).
 * `drain()` resolves when every connection is closed; `closeAll()` cuts whatever is left (drain timeout).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import * as net from "node:net";

interface SocketState {
  /** Responses in progress on this socket (pipelining aside, 0 or 1). */
  busy: number;
  /** performance.now() when the socket last became idle (or connected). */
  idleSince: number;
  current?: ServerResponse;
}

export interface Drainer {
  /** Start draining (idempotent); resolves when the last connection has closed. */
  drain(): Promise<void>;
  /** Destroy every remaining connection (after the drain timeout). */
  closeAll(): void;
  /** Connections currently open (tests and logs). */
  readonly open: number;
}

/** Track `server`'s connections from now on; call before it accepts traffic. */
export function connectionDrainer(server: Server, idleGraceMs = 250): Drainer {
  const sockets = new Map<net.Socket, SocketState>();
  let draining: Promise<void> | undefined;

  server.on("connection", (socket: net.Socket) => {
    sockets.set(socket, { busy: 0, idleSince: performance.now() });
    socket.once("close", () => sockets.delete(socket));
  });
  // Prepended: runs before the adapter's handler can write the head.
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    const state = sockets.get(req.socket);
    if (state) {
      state.busy++;
      state.current = res;
    }
    if (draining && !res.headersSent) res.setHeader("Connection", "close");
    res.once("close", () => {
      if (!state) return;
      state.busy--;
      state.current = undefined;
      state.idleSince = performance.now();
    });
  });

  return {
    get open() {
      return sockets.size;
    },
    drain() {
      draining ??= new Promise<void>((resolve) => {
        for (const state of sockets.values()) {
          if (state.current && !state.current.headersSent) state.current.setHeader("Connection", "close");
        }
        const sweep = setInterval(
          () => {
            const now = performance.now();
            for (const [socket, state] of sockets) {
              if (state.busy === 0 && now - state.idleSince >= idleGraceMs) socket.destroy();
            }
          },
          Math.min(50, idleGraceMs),
        );
        sweep.unref();
        // net.Server's close: stop listening, resolve once every connection has closed. (http.Server's own
        // close would also cut idle keep-alive sockets at once, which is the race this module avoids.)
        net.Server.prototype.close.call(server, () => {
          clearInterval(sweep);
          resolve();
        });
      });
      return draining;
    },
    closeAll() {
      for (const socket of sockets.keys()) socket.destroy();
    },
  };
}
