/**
 * Graceful connection draining for the HTTP server (SIGTERM under keep-alive load).
 *
 * `http.Server.close()` (Node >= 19) closes every idle keep-alive socket at once, and closing idle sockets on
 * a timer afterwards races with clients that are writing their next request on them: under keep-alive load
 * every busy connection lost its next request. `connectionDrainer(server)` instead:
 * - stops accepting new connections (the listener closes; new connections are refused, so a load balancer
 *   or client retries elsewhere);
 * - marks every response started while draining, and the latest response of each socket when draining
 *   begins (in flight, headers not sent yet), with `Connection: close`: Node closes that socket right after
 *   that response, so the client knows not to reuse it and nothing it sends is lost (with pipelining, earlier
 *   responses queued on the same socket may still say `keep-alive`; the last one closes it);
 * - closes a socket with no request in flight only once it has been seen idle for `idleGraceMs` (default
 *   250 ms) since draining began — no response in flight and no byte received meanwhile — so a request
 *   already on the wire then, even one whose headers trickle in, is still answered (with `Connection: close`).
 *   Sockets handed to an `upgrade`/`connect` handler would count as idle; the app registers none.
 * Outside draining the cost per request is one field write: a socket's state is its latest response, and
 * whether that one is finished is read only while draining (no listener per response).
 * `drain()` resolves when every connection is closed; `closeAll()` cuts whatever is left (drain timeout).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import * as net from "node:net";

interface SocketState {
  /** The socket's latest response: in flight, or the last one sent (responses finish in order). */
  current?: ServerResponse;
  /** performance.now() when draining first saw the socket idle; reset when a request arrives. */
  idleSeen?: number;
  /** `socket.bytesRead` at the last sweep: bytes since then are a request arriving (headers not complete yet). */
  read?: number;
}

/** No response in flight on the socket. */
function idle(state: SocketState): boolean {
  const res = state.current;
  return res === undefined || res.writableFinished || res.destroyed;
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
    sockets.set(socket, {});
    socket.once("close", () => sockets.delete(socket));
  });
  // Prepended: runs before the adapter's handler can write the head.
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    const state = sockets.get(req.socket);
    if (state) state.current = res;
    if (draining) {
      if (state) state.idleSeen = undefined;
      if (!res.headersSent) res.setHeader("Connection", "close");
    }
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
        const check = () => {
          const now = performance.now();
          for (const [socket, state] of sockets) {
            // Busy, or bytes arrived since the last sweep (a request whose headers are still coming in: Node
            // emits `request` only once they are complete): not idle yet.
            if (!idle(state) || state.read !== socket.bytesRead) {
              state.read = socket.bytesRead;
              state.idleSeen = undefined;
              continue;
            }
            state.idleSeen ??= now;
            if (now - state.idleSeen >= idleGraceMs) socket.destroy();
          }
        };
        check();
        const sweep = setInterval(check, Math.min(50, idleGraceMs));
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
