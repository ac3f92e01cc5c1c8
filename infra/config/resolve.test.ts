/**
 * Reading each key on its own (resolve.ts): booleans, integers, numbers, enumerations, patterns, ranges.
 * Pure.
 */
import { strict as assert } from "node:assert";
import { AWS, GCP, onlyProblem, parse } from "./testing";

describe("config", () => {
  describe("errors", () => {
    describe("typed values", () => {
      it("booleans accept only true and false", () => {
        for (const bad of ["yes", "True", "1", ""]) {
          assert.equal(
            onlyProblem({ ...AWS, "meridian:spot": bad }, "meridian:spot"),
            "expected true or false",
            bad,
          );
        }
      });

      it("integers accept only decimal integers", () => {
        for (const bad of ["2.5", "", "abc", "1e3", " 2", "0x2", "NaN"]) {
          assert.match(
            onlyProblem({ ...AWS, "meridian:azCount": bad }, "meridian:azCount"),
            /expected an integer/,
            bad,
          );
        }
        assert.match(
          onlyProblem({ ...GCP, "meridian:cacheMemoryGb": "1.5" }, "meridian:cacheMemoryGb"),
          /expected an integer/,
        );
        assert.equal(parse({ ...AWS, "meridian:azCount": "4" }).aws.azCount, 4);
        assert.match(
          onlyProblem({ ...AWS, "meridian:azCount": "9007199254740993" }, "meridian:azCount"),
          /expected an integer/,
        );
      });

      it("numbers reject NaN and other non-decimal text", () => {
        for (const bad of ["abc", "NaN", "", "Infinity", "0x1", "1e0", "1,5"]) {
          assert.match(
            onlyProblem({ ...AWS, "meridian:cpu": bad }, "meridian:cpu"),
            /expected a number/,
            bad,
          );
        }
        assert.equal(parse({ ...AWS, "meridian:cpu": ".5" }).service.cpu, 0.5);
      });

      it("enumerations, patterns and ranges", () => {
        const cases: [string, string, RegExp][] = [
          ["serverlessEgress", "vpc", /allowed: direct, connector/],
          ["postgresVersion", "15", /allowed: 16, 17/],
          ["dbInstanceClass", "t4g.micro", /an RDS instance class like db\.t4g\.micro/],
          ["dbTier", "db-n1-standard-1", /allowed: "db-custom-<vCPUs>-<MiB>"/],
          ["dbTier", "db-custom-3-3840", /3 vCPUs; allowed: 1 or an even number from 2 to 96/],
          ["dbTier", "db-custom-1-1024", /1024 MiB; allowed: a multiple of 256 MiB, at least 3840/],
          ["cacheNodeType", "m7g.large", /an ElastiCache node type/],
          ["azCount", "1", /between 2 and 4/],
          ["dbStorageGb", "10", /between 20 and 65536/],
          ["dbBackupRetentionDays", "36", /between 1 and 35/],
          ["cacheMemoryGb", "301", /between 1 and 300/],
          ["cacheReplicas", "6", /between 0 and 5/],
          ["logRetentionDays", "45", /allowed: 1, 3, 5, 7, 14, 30, 60, 90/],
        ];
        for (const [key, value, expected] of cases) {
          const base = ["dbTier", "cacheMemoryGb", "serverlessEgress"].includes(key) ? GCP : AWS;
          assert.match(
            onlyProblem({ ...base, [`meridian:${key}`]: value }, `meridian:${key}`),
            expected,
            key,
          );
        }
        assert.doesNotThrow(() => parse({ ...GCP, "meridian:dbTier": "db-perf-optimized-N-4" }));
      });

      it("empty strings and non-ASCII tag values", () => {
        assert.match(onlyProblem({ ...AWS, "meridian:owner": "" }, "meridian:owner"), /is empty/);
        assert.match(onlyProblem({ ...AWS, "meridian:owner": "plätform" }, "meridian:owner"), /ASCII/);
        assert.match(
          onlyProblem({ ...AWS, "meridian:costCenter": "c".repeat(64) }, "meridian:costCenter"),
          /at most 63/,
        );
      });
    });
  });
});
