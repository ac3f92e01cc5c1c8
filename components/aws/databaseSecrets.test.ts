import { strict as assert } from "node:assert";
import { databaseUrl } from "./databaseSecrets";

describe("aws database secrets (pure)", () => {
  it("databaseUrl percent-encodes user and password", () => {
    assert.equal(
      databaseUrl({
        username: "a b",
        password: "p@ss/w",
        host: "h",
        port: 5432,
        database: "d",
        sslMode: "require",
      }),
      // secretlint-disable-next-line -- a made-up credential: this test is about it
      "postgres://a%20b:p%40ss%2Fw@h:5432/d?sslmode=require",
    );
    // Every character a generated password may hold survives a URL parser (what postgres.js does).
    const password = "a:b@c/d?e#f%g h&i=j+k";
    const url = new URL(
      databaseUrl({
        username: "u:1",
        password,
        host: "h",
        port: 5432,
        database: "d",
        sslMode: "verify-full",
      }),
    );
    assert.equal(decodeURIComponent(url.password), password);
    assert.equal(decodeURIComponent(url.username), "u:1");
    assert.equal(url.searchParams.get("sslmode"), "verify-full");
  });
});
