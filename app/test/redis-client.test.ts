/**
 * The Redis client factory on a real TLS redis-server (rediss://, private test CA, AUTH password in the URL):
 * certificate and host name verified, the password never printed; configuration checks; reconnect backoff.
 */
import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Redis } from "ioredis";
import { ConfigError, loadConfig } from "../src/env";
import { createLogger } from "../src/logger";
import { createRedis, reconnectDelay, RedisGateway, redisErrorKind } from "../src/redis";
import { freePort, makeTestCertificates, testEnv } from "./harness";

const PASSWORD = "tls-test-password-0123456789";

describe("Redis client: rediss:// with a CA file, timeouts, backoff (real TLS redis-server)", function () {
  this.timeout(60_000);
  let dir: string;
  let child: ChildProcess | undefined;
  let port: number;
  const clients: Redis[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-redis-tls-"));
    makeTestCertificates(dir, undefined, "redis.meridian.test");
    const f = (n: string) => path.join(dir, n);
    port = await freePort();
    // prettier-ignore
    child = spawn("redis-server", [
      "--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1", "--dir", dir,
      "--tls-cert-file", f("server.crt"), "--tls-key-file", f("server.key"), "--tls-ca-cert-file", f("ca.crt"),
      "--tls-auth-clients", "no", "--requirepass", PASSWORD, "--save", "", "--appendonly", "no",
      "--loglevel", "warning",
    ], { stdio: "ignore" });
    process.once("exit", () => child?.kill("SIGKILL"));
    const exited = new Promise<never>((_, reject) =>
      child!.once("exit", (c) => reject(new Error(`redis-server exited ${c}`))),
    );
    await Promise.race([exited, new Promise((r) => setTimeout(r, 300))]);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once("exit", r));
      child.kill("SIGKILL");
      await gone;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const connect = (extra: Record<string, string>) => {
    const cfg = loadConfig(
      testEnv("postgres://u@127.0.0.1/unused", {
        REDIS_URL: `rediss://:${PASSWORD}@127.0.0.1:${port}`,
        REDIS_CONNECT_TIMEOUT_MS: "1000",
        REDIS_RECONNECT_MAX_MS: "200",
        ...extra,
      }),
    );
    const client = createRedis(cfg, createLogger("silent"));
    clients.push(client);
    return new RedisGateway(client, cfg);
  };
  const settle = (g: RedisGateway, ms: number) =>
    new Promise<void>((resolve) => {
      const deadline = Date.now() + ms;
      const tick = () =>
        g.client.status === "ready" || Date.now() > deadline ? resolve() : setTimeout(tick, 50);
      tick();
    });

  it("connects over TLS with REDIS_CA_FILE, verifying the certificate against the URL's IP", async () => {
    const g = connect({ REDIS_CA_FILE: path.join(dir, "ca.crt") });
    await settle(g, 5000);
    await g.check();
    assert.equal(await g.run((r) => r.set(g.key("tls"), "1")), "OK");
    assert.equal(g.key("a", "b"), "meridian:a:b");
  });

  it("checks REDIS_TLS_SERVERNAME instead of the host when set", async () => {
    const good = connect({
      REDIS_CA_FILE: path.join(dir, "ca.crt"),
      REDIS_TLS_SERVERNAME: "redis.meridian.test",
    });
    await settle(good, 5000);
    await good.check();
    const wrong = connect({ REDIS_CA_FILE: path.join(dir, "ca.crt"), REDIS_TLS_SERVERNAME: "other.example" });
    await settle(wrong, 1500);
    await assert.rejects(wrong.check(), /Redis unavailable/);
  });

  it("refuses a server whose certificate is not signed by a trusted CA (no REDIS_CA_FILE: public roots)", async () => {
    const g = connect({});
    await settle(g, 1500);
    assert.notEqual(g.client.status, "ready");
    await assert.rejects(
      g.check(),
      (e: Error) => !e.message.includes("127.0.0.1") && !e.message.includes(PASSWORD),
    );
  });

  it("validates the Redis variables; REDIS_URL (may hold the AUTH token) is never echoed", () => {
    assert.throws(
      () =>
        loadConfig(
          testEnv("postgres://u@127.0.0.1/db", {
            REDIS_URL: `http://:${PASSWORD}@cache:6379`,
            REDIS_COMMAND_TIMEOUT_MS: "0",
          }),
        ),
      (e: ConfigError) =>
        /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ \(TLS\) URL.*\(value hidden\)/.test(e.message) &&
        /REDIS_COMMAND_TIMEOUT_MS: must be >= 10/.test(e.message) &&
        !e.message.includes(PASSWORD),
    );
    assert.throws(
      () =>
        loadConfig(
          testEnv("postgres://u@127.0.0.1/db", { REDIS_URL: "redis://cache:6379", REDIS_CA_FILE: "/ca.pem" }),
        ),
      /REDIS_CA_FILE: REDIS_CA_FILE and REDIS_TLS_SERVERNAME need a rediss:\/\/ REDIS_URL/,
    );
  });

  it("reconnects with exponential backoff, capped, with bounded jitter", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 20].map((n) => reconnectDelay(n, 1000, () => 0)),
      [50, 100, 200, 400, 800, 1000, 1000],
    );
    assert.equal(
      reconnectDelay(3, 1000, () => 1),
      250,
    );
  });

  it("describes failures without addresses", () => {
    assert.equal(redisErrorKind(new Error("connect ECONNREFUSED 10.1.2.3:6379")), "connection refused");
    assert.equal(redisErrorKind(new Error("Command timed out")), "timeout");
    assert.equal(
      redisErrorKind(new Error("WRONGPASS invalid username-password pair")),
      "authentication failed",
    );
  });
});
