import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tlsSettings } from "../src/db";
import { ConfigError, loadConfig, poolSize } from "../src/env";

// secretlint-disable-next-line -- a made-up credential: this test is about it
const URL_OK = "postgres://app:s3cret-pass@db.internal:5432/meridian";

describe("configuration (env parsed once with zod)", () => {
  it("applies the contract defaults", () => {
    const c = loadConfig({ DATABASE_URL: URL_OK });
    assert.equal(c.PORT, 8080);
    assert.equal(c.HOST, "0.0.0.0");
    assert.equal(c.NODE_ENV, "production");
    assert.deepEqual(c.CORS_ALLOWED_ORIGINS, []);
    assert.equal(c.poolMax, Math.floor((100 - 10) / 4));
  });

  it("lists every problem at once, naming the variable and what is allowed, hiding secrets", () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: "80a",
        ADMIN_API_KEY: "short-secret",
        CORS_ALLOWED_ORIGINS: "https://ok.example,https://bad.example/path",
        HEALTH_DB_POOL_WARN_RATIO: "0.95",
        HEALTH_DB_POOL_CRITICAL_RATIO: "0.9",
        LOG_LEVEL: "verbose",
      });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError);
    const msg = err.message;
    assert.match(msg, /DATABASE_URL: is required but not set/);
    assert.match(msg, /PORT: must be a whole number between 1 and 65535 \(got "80a"\)/);
    assert.match(msg, /ADMIN_API_KEY: must be at least 32 characters \(value hidden\)/);
    assert.match(
      msg,
      /CORS_ALLOWED_ORIGINS\[1\]: each origin must be scheme:\/\/host\[:port\] without a path/,
    );
    assert.match(msg, /HEALTH_DB_POOL_WARN_RATIO: must be lower than HEALTH_DB_POOL_CRITICAL_RATIO/);
    assert.match(msg, /LOG_LEVEL: .*"verbose"/);
    assert.doesNotMatch(msg, /short-secret/);
    assert.equal(err.problems.length, 6);
  });

  it("never echoes the database URL (it carries the password)", () => {
    assert.throws(
      // secretlint-disable-next-line -- a made-up credential: this test is about it
      () => loadConfig({ DATABASE_URL: "mysql://u:hunter2@h/db" }),
      (e: Error) =>
        /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL \(value hidden\)/.test(e.message) &&
        !e.message.includes("hunter2"),
    );
  });

  it("pool size: explicit DATABASE_POOL_MAX, else (max_connections - reserved) / instances", () => {
    assert.equal(
      poolSize({
        DATABASE_POOL_MAX: 7,
        DB_MAX_CONNECTIONS: 100,
        DB_RESERVED_CONNECTIONS: 10,
        APP_INSTANCES: 4,
      }),
      7,
    );
    assert.equal(poolSize({ DB_MAX_CONNECTIONS: 100, DB_RESERVED_CONNECTIONS: 10, APP_INSTANCES: 4 }), 22);
    assert.equal(poolSize({ DB_MAX_CONNECTIONS: 400, DB_RESERVED_CONNECTIONS: 20, APP_INSTANCES: 10 }), 38);
    assert.equal(poolSize({ DB_MAX_CONNECTIONS: 20, DB_RESERVED_CONNECTIONS: 15, APP_INSTANCES: 10 }), 1);
    assert.throws(
      () => loadConfig({ DATABASE_URL: URL_OK, DB_MAX_CONNECTIONS: "10", DB_RESERVED_CONNECTIONS: "10" }),
      /DB_RESERVED_CONNECTIONS: must be lower than DB_MAX_CONNECTIONS \(10\)/,
    );
  });

  it("TLS: sslmode from the URL or DATABASE_SSL_MODE, CA file for verify-full", () => {
    assert.deepEqual(tlsSettings({ DATABASE_URL: `${URL_OK}?sslmode=disable` }).ssl, false);
    assert.deepEqual(tlsSettings({ DATABASE_URL: `${URL_OK}?sslmode=require` }).ssl, {
      rejectUnauthorized: false,
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-ca-"));
    const ca = path.join(dir, "ca.pem");
    fs.writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    try {
      const t = tlsSettings({
        DATABASE_URL: `${URL_OK}?sslmode=require`,
        DATABASE_SSL_MODE: "verify-full",
        DATABASE_SSL_CA_FILE: ca,
      });
      assert.equal(t.mode, "verify-full");
      assert.deepEqual(t.ssl, {
        rejectUnauthorized: true,
        ca: fs.readFileSync(ca, "utf8"),
        servername: "db.internal",
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.throws(
      () => tlsSettings({ DATABASE_URL: `${URL_OK}?sslmode=bogus` }),
      /sslmode=bogus is not supported/,
    );
    assert.throws(
      () => loadConfig({ DATABASE_URL: URL_OK, DATABASE_SSL_CA_FILE: "/x.pem" }),
      /DATABASE_SSL_CA_FILE: is only used with verify-full \(DATABASE_SSL_MODE or the URL's sslmode; now unset\)/,
    );
    assert.throws(
      () => loadConfig({ DATABASE_URL: `${URL_OK}?sslmode=require`, DATABASE_SSL_CA_BUNDLE: "aws-rds" }),
      /DATABASE_SSL_CA_BUNDLE: is only used with verify-full .*now require/,
    );
    assert.throws(
      () => loadConfig({ DATABASE_URL: `${URL_OK}?sslmode=verify-full`, DATABASE_SSL_CA_BUNDLE: "gcp" }),
      /DATABASE_SSL_CA_BUNDLE: .*aws-rds/,
    );
    assert.throws(
      () =>
        loadConfig({
          DATABASE_URL: `${URL_OK}?sslmode=verify-full`,
          DATABASE_SSL_CA_FILE: "/x.pem",
          DATABASE_SSL_CA_BUNDLE: "aws-rds",
        }),
      /DATABASE_SSL_CA_BUNDLE: set either DATABASE_SSL_CA_FILE or DATABASE_SSL_CA_BUNDLE, not both/,
    );
    // The URL's sslmode=verify-full is enough for a CA option (the stack writes sslmode into the URL secret).
    const fromUrl = loadConfig({
      DATABASE_URL: `${URL_OK}?sslmode=verify-full`,
      DATABASE_SSL_CA_BUNDLE: "aws-rds",
    });
    const bundled = tlsSettings(fromUrl);
    assert.equal(bundled.mode, "verify-full");
    assert.ok(bundled.ssl && bundled.ssl.rejectUnauthorized && typeof bundled.ssl.ca === "string");
    assert.throws(
      () => loadConfig({ DATABASE_URL: URL_OK, CORS_ALLOWED_ORIGINS: "http://localhost:5173" }),
      /CORS_ALLOWED_ORIGINS: must list only https:\/\/ origins when NODE_ENV=production/,
    );
  });
});
