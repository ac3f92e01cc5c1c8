/**
 * Test services: real Redis servers (Debian `redis-server`).
 *
 * `sharedRedisUrl()` is one server for the whole run (or REDIS_URL when set: suites then use their own key
 * prefixes, never FLUSHALL). `startRedis()` is a private server a suite may stop and restart (fault
 * tests). Every server this harness starts listens on 127.0.0.1 only, persists nothing, and is stopped by
 * `stopRedisServers()` (the root `afterAll` hook) and on process exit.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "./harness";

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? "redis-server";

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL); the port stays reserved for `restart`. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

const servers = new Set<RedisServer>();
let shared: Promise<string> | undefined;

function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.write("PING\r\n");
        s.once("data", (d) => {
          s.destroy();
          if (String(d).startsWith("+PONG")) resolve();
          else retry(new Error(`unexpected reply ${String(d).trim()}`));
        });
      });
      s.once("error", retry);
    };
    const retry = (e: Error) => {
      if (Date.now() > deadline) reject(new Error(`redis-server on ${port} did not answer: ${e.message}`));
      else setTimeout(attempt, 50);
    };
    attempt();
  });
}

function checkInstalled(): void {
  const r = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error(
      "redis-server not found: install the Debian package `redis-server` (apt-get install redis-server) " +
        "or set REDIS_URL to a Redis the tests may use",
    );
  }
}

/** Starts a private Redis server on a free loopback port. */
export async function startRedis(): Promise<RedisServer> {
  checkInstalled();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-redis-"));
  let child: ChildProcess | undefined;
  let stderr = "";
  const launch = async () => {
    stderr = "";
    child = spawn(
      REDIS_SERVER,
      [
        ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir],
        ...["--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning"],
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    child.stderr!.on("data", (d) => (stderr += d));
    try {
      await waitForPort(port, 10_000);
    } catch (e) {
      child.kill("SIGKILL");
      throw new Error(`${(e as Error).message}\n${stderr}`);
    }
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    c.kill("SIGTERM");
    const timer = setTimeout(() => c.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  await launch();
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    restart: launch,
    dispose: async () => {
      servers.delete(server);
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  servers.add(server);
  const onExit = () => {
    child?.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  return server;
}

/** One Redis for the whole run: REDIS_URL when set, else a server this harness starts. */
export function sharedRedisUrl(): Promise<string> {
  if (process.env.REDIS_URL) return Promise.resolve(process.env.REDIS_URL);
  shared ??= startRedis().then((s) => s.url);
  return shared;
}

/** A key prefix unique to one suite, for isolation on a shared Redis. */
let prefixCounter = 0;
export function keyPrefix(label: string): string {
  return `test:${label}:${process.pid}:${++prefixCounter}:`;
}

/** Stops every server this harness started (root `afterAll` hook). */
export async function stopRedisServers(): Promise<void> {
  await Promise.all([...servers].map((s) => s.dispose()));
  shared = undefined;
}
