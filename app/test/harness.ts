/**
 * Test services: a real PostgreSQL + PostGIS server (15 by default; 16/17 with PG_BIN, see below).
 *
 * When DATABASE_URL is set, suites create their own throwaway databases on that server (the role needs
 * CREATEDB). Otherwise the harness starts a private cluster from the Debian binaries (initdb/pg_ctl) in a temp
 * dir on a free loopback port, and removes it (data, TLS keys) after the run, also when a start fails half-way
 * or the run is interrupted (SIGINT/SIGTERM). Running as root (CI containers), initdb refuses; the cluster then
 * runs as the `postgres` system user created by the Debian package.
 *
 * PG_BIN picks the server binaries (default /usr/lib/postgresql/15/bin, Debian 12's `postgresql-15-postgis-3`);
 * e.g. PG_BIN=/usr/lib/postgresql/17/bin runs every suite on 17 where the PGDG packages
 * `postgresql-17 postgresql-17-postgis-3` are installed. Without binaries and without DATABASE_URL, the first
 * suite fails with one message naming the package and DATABASE_URL, and every later suite repeats only that.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import postgres from "postgres";

export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

interface Cluster {
  baseUrl: URL;
  /** Stop the server and remove its directory (data and TLS keys). Idempotent. */
  stop: () => void;
  /** The private cluster serves TLS with a certificate for IP 127.0.0.1 signed by this test CA (PEM file). */
  tlsCaFile?: string;
}

let cluster: Promise<Cluster> | undefined;
let counter = 0;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function bin(name: string): string {
  return path.join(PG_BIN, name);
}

/** Why a private cluster cannot be started here, or undefined when it can. */
export function missingPostgres(): string | undefined {
  if (fs.existsSync(bin("initdb")) && fs.existsSync(bin("pg_ctl"))) return undefined;
  return (
    `PostgreSQL server binaries not found in ${PG_BIN} (PG_BIN). The app tests need a real PostgreSQL + PostGIS: ` +
    "install the Debian package postgresql-15-postgis-3 (bash .ci/run installs everything the tests need), " +
    "or set DATABASE_URL to a server with PostGIS whose role has CREATEDB."
  );
}

function asPostgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

function run(cmd: string, args: string[], user: { uid: number; gid: number } | undefined): void {
  const full = user ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const res = spawnSync(full[0] as string, full[1] as string[], { encoding: "utf8" });
  if (res.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (${res.status}): ${res.stderr || res.stdout || res.error}`,
    );
  }
}

/** A private cluster whose server can also be stopped and started again (fault tests). */
export interface PrivateCluster extends Cluster {
  tlsCaFile: string;
  /** `pg_ctl stop -m fast`: the server terminates its sessions and stops listening; the data stays. */
  stopServer: () => void;
  /** `pg_ctl start` on the same port and data directory. */
  startServer: () => void;
}

const dirs = new Set<string>();
function removeDirs(): void {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
let signalsHooked = false;
/** Interrupted runs (Ctrl-C, SIGTERM) would skip `exit` cleanup: stop servers, remove dirs, then re-raise. */
function hookSignals(stopAll: () => void): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stopAll();
      process.kill(process.pid, signal);
    });
  }
}
const stoppers = new Set<() => void>();
const stopEverything = () => {
  for (const s of [...stoppers]) s();
  removeDirs();
};

/**
 * Start a private PostgreSQL cluster (initdb + pg_ctl) in a temp dir on a free 127.0.0.1 port, with TLS from a
 * throwaway CA. Throws the {@link missingPostgres} message when the binaries are absent. On any failure the
 * temp dir (including the private keys) is removed before the error propagates.
 */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const missing = missingPostgres();
  if (missing) throw new Error(missing);
  hookSignals(stopEverything);
  const user = asPostgresUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-pg-"));
  dirs.add(dir);
  try {
    return await initCluster(dir, user);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
    throw err;
  }
}

async function initCluster(
  dir: string,
  user: { uid: number; gid: number } | undefined,
): Promise<PrivateCluster> {
  const data = path.join(dir, "data");
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const port = await freePort();
  const tls = makeTestCertificates(dir, user);
  run(bin("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], user);
  const opts = [
    `-p ${port}`,
    // 127.0.0.2 reaches the same server under an address the certificate does not name (host check test).
    "-c listen_addresses=127.0.0.1,127.0.0.2",
    "-c ssl=on",
    `-c ssl_cert_file=${tls.certFile}`,
    `-c ssl_key_file=${tls.keyFile}`,
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  const startServer = () =>
    run(
      bin("pg_ctl"),
      ["-D", data, "-l", path.join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"],
      user,
    );
  const stopServer = () => run(bin("pg_ctl"), ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"], user);
  startServer();
  const pidFile = path.join(data, "postmaster.pid");
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stoppers.delete(stop);
    try {
      const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
      process.kill(pid, "SIGQUIT"); // immediate shutdown: the data is thrown away anyway
      for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) spawnSync("sleep", ["0.05"]);
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
  };
  stoppers.add(stop);
  process.on("exit", stop);
  return {
    baseUrl: new URL(`postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`),
    stop,
    tlsCaFile: tls.caFile,
    stopServer,
    startServer,
  };
}

/**
 * The DNS name the test server certificate also carries, as a Cloud SQL shared-CA certificate carries the
 * instance's DNS name while clients connect to its private IP (`DATABASE_SSL_SERVERNAME`).
 */
export const TLS_SERVER_NAME = "db.meridian.test";

/**
 * A throwaway CA and a server certificate for IP 127.0.0.1 and `serverName` only (openssl, P-256, valid 2
 * days), written to `dir` (`ca.crt`, `server.crt`, `server.key`), so tests can check that `verify-full` really
 * verifies: the chain against the CA and the address against the certificate. Used for the PostgreSQL cluster
 * (name {@link TLS_SERVER_NAME}) and the TLS Redis server; `user` owns the server files when given.
 */
export function makeTestCertificates(
  dir: string,
  user: { uid: number; gid: number } | undefined,
  serverName: string = TLS_SERVER_NAME,
): { caFile: string; certFile: string; keyFile: string } {
  const f = (name: string) => path.join(dir, name);
  const openssl = (args: string[]) => {
    const res = spawnSync("openssl", args, { encoding: "utf8" });
    if (res.status !== 0) throw new Error(`openssl ${args[0]} failed: ${res.stderr || res.error}`);
  };
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"];
  openssl([
    "req",
    "-x509",
    ...key,
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.crt"),
    "-subj",
    "/CN=meridian-test-ca",
  ]);
  // prettier-ignore
  openssl([
    "req", "-x509", ...key, "-CA", f("ca.crt"), "-CAkey", f("ca.key"),
    "-keyout", f("server.key"), "-out", f("server.crt"), "-subj", "/CN=127.0.0.1",
    "-addext", `subjectAltName=IP:127.0.0.1,DNS:${serverName}`,
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", "extendedKeyUsage=serverAuth",
  ]);
  fs.rmSync(f("ca.key")); // nothing else is signed: the CA's private key is not kept, even during the run
  fs.chmodSync(f("server.key"), 0o600); // PostgreSQL refuses a key readable by others
  if (user) for (const n of ["server.key", "server.crt"]) fs.chownSync(f(n), user.uid, user.gid);
  return { caFile: f("ca.crt"), certFile: f("server.crt"), keyFile: f("server.key") };
}

let reported = false;
/** The shared test server, started once; a start failure is kept, so later suites fail at once with it. */
async function getCluster(): Promise<Cluster> {
  cluster ??= process.env.DATABASE_URL
    ? Promise.resolve({ baseUrl: new URL(process.env.DATABASE_URL), stop: () => undefined })
    : startPrivateCluster();
  try {
    return await cluster;
  } catch (err) {
    if (reported) throw new Error("no test PostgreSQL (see the first failure)");
    reported = true;
    throw err;
  }
}

/** A new empty database on the test server; returns its URL and a drop function. */
export async function createDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const c = await getCluster();
  const name = `meridian_${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${process.pid}_${++counter}`;
  const admin = postgres(c.baseUrl.toString(), { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(c.baseUrl.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(c.baseUrl.toString(), { max: 1, onnotice: () => undefined });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * The test server's TLS setup: the CA file and a URL builder for a new database, or undefined when the
 * tests run against an external DATABASE_URL (its TLS is not ours to assert).
 */
export async function testTls(): Promise<{ caFile: string; port: number } | undefined> {
  const c = await getCluster();
  return c.tlsCaFile ? { caFile: c.tlsCaFile, port: Number(c.baseUrl.port) } : undefined;
}

/** Stop the private cluster (if the harness started one). Called from the root `after` hook. */
export function stopServices(): void {
  stopEverything();
  cluster = undefined;
}

/** Environment for an app process/config pointing at `url`, with test-friendly defaults. */
export function testEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "test",
    DATABASE_URL: url,
    DATABASE_POOL_MAX: "8",
    LOG_LEVEL: "silent",
    ADMIN_API_KEY: ADMIN_KEY,
    JWT_SECRET,
    JWT_ISSUER,
    JWT_AUDIENCE,
    CORS_ALLOWED_ORIGINS: "https://aquita.do,http://localhost:5173",
    OTEL_SDK_DISABLED: "true",
    ...extra,
  };
}

export const ADMIN_KEY = "test-admin-key-0123456789abcdef0123456789";
export const JWT_SECRET = "test-jwt-secret-0123456789abcdef0123456789";
export const JWT_ISSUER = "https://auth.meridian.test";
export const JWT_AUDIENCE = "meridian-api";
