import { strict as assert } from "node:assert";
import { secretResourceArn } from "./containers";

const DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:meridian/db-url-AbCdEf";
const REDIS_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:meridian/redis-XyZ123";

describe("aws service containers (pure)", () => {
  it("secretResourceArn strips the :jsonKey:stage:version suffix", () => {
    assert.equal(secretResourceArn(`${REDIS_SECRET}:url::`), REDIS_SECRET);
    assert.equal(secretResourceArn(DB_SECRET), DB_SECRET);
  });
});
