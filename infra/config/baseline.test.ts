/**
 * meridian:accountBaseline (keys/general.ts): off by default, a boolean, on both clouds (AWS: CloudTrail,
 * GuardDuty, Config, Access Analyzer; GCP: Data Access audit logs). Pure.
 */
import { strict as assert } from "node:assert";
import { KNOWN_KEYS } from "./keys";
import { AWS, GCP, onlyProblem, parse } from "./testing";

describe("config", () => {
  describe("meridian:accountBaseline", () => {
    it("is off by default on both profiles and both clouds, and turns on with true", () => {
      for (const cloud of [AWS, GCP]) {
        assert.equal(parse(cloud).accountBaseline, false);
        assert.equal(parse(cloud, "prod").accountBaseline, false);
        assert.equal(parse({ ...cloud, "meridian:accountBaseline": "true" }).accountBaseline, true);
      }
    });

    it("accepts only true and false", () => {
      for (const cloud of [AWS, GCP]) {
        assert.equal(
          onlyProblem({ ...cloud, "meridian:accountBaseline": "yes" }, "meridian:accountBaseline"),
          "expected true or false",
        );
      }
    });

    it("is accepted on GCP (the audit-log configuration), in prod too", () => {
      assert.equal(parse({ ...GCP, "meridian:accountBaseline": "true" }, "prod").accountBaseline, true);
      assert.equal(
        parse({ ...GCP, "meridian:accountBaseline": "true", "meridian:runtime": "gke" }).accountBaseline,
        true,
      );
    });

    it("is documented for both clouds, with the cost on each", () => {
      const def = KNOWN_KEYS.accountBaseline;
      assert.equal(def.cloud, "both");
      assert.match(def.description, /AWS \(docs\/components\/aws-baseline\.md\).*Cost: ~\$10-25\/month/);
      assert.match(def.description, /GCP \(docs\/components\/gcp-audit-logs\.md\).*\$0\.50\/GiB/);
    });
  });
});
