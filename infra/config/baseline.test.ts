/** meridian:accountBaseline (keys/general.ts, crossRules.ts): off by default, a boolean, AWS only. Pure. */
import { strict as assert } from "node:assert";
import { AWS, GCP, onlyProblem, parse } from "./testing";

describe("config", () => {
  describe("meridian:accountBaseline", () => {
    it("is off by default on both profiles and turns on with true", () => {
      assert.equal(parse(AWS).awsExtras.accountBaseline, false);
      assert.equal(parse(AWS, "prod").awsExtras.accountBaseline, false);
      assert.equal(parse({ ...AWS, "meridian:accountBaseline": "true" }).awsExtras.accountBaseline, true);
    });

    it("accepts only true and false", () => {
      assert.equal(
        onlyProblem({ ...AWS, "meridian:accountBaseline": "yes" }, "meridian:accountBaseline"),
        "expected true or false",
      );
    });

    it("is refused on GCP when true (the baseline is AWS only), accepted when false", () => {
      assert.match(
        onlyProblem({ ...GCP, "meridian:accountBaseline": "true" }, "meridian:accountBaseline"),
        /is built on AWS only/,
      );
      assert.equal(parse({ ...GCP, "meridian:accountBaseline": "false" }).awsExtras.accountBaseline, false);
    });
  });
});
