import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
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
    // Outputs stay typed: the component never exposes the password.
    assert.ok(pulumi.Output.isInstance(pulumi.output("x")));
  });
});
