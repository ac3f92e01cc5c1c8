/**
 * Rules across keys (crossRules.ts): the prod safety rules and the cloud-specific log retention limit. Pure.
 */
import { strict as assert } from "node:assert";
import { AWS, GCP, onlyProblem, parse, problem, reject } from "./testing";

describe("config", () => {
  describe("errors", () => {
    it("prod safety rules", () => {
      const err = reject(
        {
          ...AWS,
          "meridian:minInstances": "1",
          "meridian:dbDeletionProtection": "false",
          "meridian:dbBackupRetentionDays": "3",
          "meridian:cacheReplicas": "0",
          "meridian:logRetentionDays": "14",
        },
        "prod",
      );
      assert.equal(err.problems.length, 5, err.message);
      assert.match(problem(err, "meridian:minInstances").message, /at least 2 in prod/);
      assert.match(problem(err, "meridian:dbDeletionProtection").message, /must be true in prod/);
      assert.match(problem(err, "meridian:dbBackupRetentionDays").message, /at least 7 in prod/);
      assert.match(problem(err, "meridian:cacheReplicas").message, /at least 1 in prod/);
      assert.match(problem(err, "meridian:logRetentionDays").message, /at least 30 in prod/);
      // The same values are fine in dev.
      assert.doesNotThrow(() =>
        parse({
          ...AWS,
          "meridian:minInstances": "1",
          "meridian:dbBackupRetentionDays": "3",
          "meridian:logRetentionDays": "14",
        }),
      );
      // natStrategy is not restricted by the profile (the policy pack judges it).
      assert.equal(parse({ ...AWS, "meridian:natStrategy": "single" }, "prod").aws.natStrategy, "single");
    });

    it("logRetentionDays above Cloud Logging's 3650-day maximum is rejected on GCP only", () => {
      assert.match(
        onlyProblem({ ...GCP, "meridian:logRetentionDays": "3653" }, "meridian:logRetentionDays"),
        /at most 3650/,
      );
      assert.equal(parse({ ...AWS, "meridian:logRetentionDays": "3653" }).logRetentionDays, 3653);
    });
  });
});
