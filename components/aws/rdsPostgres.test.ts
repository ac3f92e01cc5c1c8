import { strict as assert } from "node:assert";
import { rdsMaxConnections } from "./rdsPostgres";

describe("rds postgres facts", () => {
  it("estimates RDS PostgreSQL's default max_connections from the instance class memory", () => {
    assert.equal(rdsMaxConnections("db.t4g.micro"), 101);
    assert.equal(rdsMaxConnections("db.m7g.large"), 811);
    assert.equal(rdsMaxConnections("db.r7g.large"), 1622);
    assert.equal(rdsMaxConnections("db.r6i.16xlarge"), 5000);
    assert.equal(rdsMaxConnections("db.unknown"), 100);
  });
});
