import { strict as assert } from "node:assert";
import { caBundle, cloudSqlUrl, serverName } from "./databaseSettings";
import { cloudSqlMaxConnections, parseSqlTier } from "./sqlTiers";

describe("Cloud SQL tiers", () => {
  it("maps memory to Cloud SQL's documented default max_connections", () => {
    assert.equal(cloudSqlMaxConnections("db-f1-micro"), 25);
    assert.equal(cloudSqlMaxConnections("db-g1-small"), 50);
    assert.equal(cloudSqlMaxConnections("db-custom-1-3840"), 100);
    assert.equal(cloudSqlMaxConnections("db-custom-1-6144"), 200);
    assert.equal(cloudSqlMaxConnections("db-custom-2-7680"), 400);
    assert.equal(cloudSqlMaxConnections("db-custom-4-15360"), 500);
    assert.equal(cloudSqlMaxConnections("db-custom-8-30720"), 600);
    assert.equal(cloudSqlMaxConnections("db-perf-optimized-N-8"), 800);
    assert.equal(cloudSqlMaxConnections("db-perf-optimized-N-16"), 1000);
  });

  it("derives the edition from the tier", () => {
    assert.equal(parseSqlTier("tier", "db-custom-2-7680").edition, "ENTERPRISE");
    assert.equal(parseSqlTier("tier", "db-perf-optimized-N-4").edition, "ENTERPRISE_PLUS");
    assert.equal(parseSqlTier("tier", "db-f1-micro").sharedCore, true);
  });

  it("refuses tiers Cloud SQL would reject, naming the arg and the rule", () => {
    assert.throws(
      () => parseSqlTier("tier", "db-custom-1-3000"),
      /tier is "db-custom-1-3000": 3000 MiB; allowed: a multiple of 256/,
    );
    assert.throws(
      () => parseSqlTier("tier", "db-custom-2-30720"),
      /15\.00 GiB per vCPU; allowed: 0\.9 to 6\.5/,
    );
    assert.throws(
      () => parseSqlTier("tier", "db-perf-optimized-N-3"),
      /tier is "db-perf-optimized-N-3"; allowed/,
    );
    assert.throws(() => parseSqlTier("tier", 4), /tier is 4; allowed/);
  });
});

describe("Cloud SQL connection values", () => {
  it("builds a verify-full URL with encoded credentials", () => {
    assert.equal(
      cloudSqlUrl({ username: "app", password: "p@ss/w", host: "10.61.0.3", database: "meridian" }),
      // secretlint-disable-next-line -- a made-up credential: this test is about it
      "postgresql://app:p%40ss%2Fw@10.61.0.3:5432/meridian?sslmode=verify-full",
    );
  });

  it("takes the private services access DNS name, without the trailing dot", () => {
    const names = [
      { connectionType: "PUBLIC", dnsScope: "INSTANCE", name: "x.public.goog." },
      {
        connectionType: "PRIVATE_SERVICES_ACCESS",
        dnsScope: "INSTANCE",
        name: "abc.p1.us-central1.sql-psa.goog.",
      },
    ];
    assert.equal(serverName(names, "other.sql.goog."), "abc.p1.us-central1.sql-psa.goog");
    assert.equal(serverName([], "d.us-central1.sql.goog."), "d.us-central1.sql.goog");
    assert.throws(() => serverName([], ""), /GOOGLE_MANAGED_CAS_CA/);
  });

  it("joins every CA certificate into one bundle and refuses an empty one", () => {
    const a = "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----";
    const b = "-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n";
    assert.equal(caBundle([{ cert: a }, { cert: b }]), `${a}\n${b.trim()}\n`);
    assert.throws(() => caBundle([]), /no server CA certificate/);
  });
});
