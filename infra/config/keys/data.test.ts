/** The data-store keys (keys/data.ts): storage ceiling, GCP cache replicas, backups and SQL tiers. Pure. */
import { strict as assert } from "node:assert";
import { AWS, GCP, onlyProblem, parse, reject, stackValues } from "../testing";

describe("config", () => {
  describe("errors", () => {
    describe("typed values", () => {
      it("dbMaxStorageGb must be >= dbStorageGb", () => {
        assert.match(
          onlyProblem(
            { ...AWS, "meridian:dbStorageGb": "200", "meridian:dbMaxStorageGb": "100" },
            "meridian:dbMaxStorageGb",
          ),
          /is less than meridian:dbStorageGb = "200"/,
        );
      });
    });

    describe("the cache switch (meridian:cacheEnabled)", () => {
      it("defaults to true on both clouds and profiles; false is accepted in dev on both clouds", () => {
        assert.equal(parse(AWS).cache.enabled, true);
        assert.equal(parse(stackValues("prod", "gcp"), "prod").cache.enabled, true);
        assert.equal(parse({ ...AWS, "meridian:cacheEnabled": "false" }).cache.enabled, false);
        assert.equal(parse({ ...GCP, "meridian:cacheEnabled": "false" }).cache.enabled, false);
      });

      it("false is refused in prod, saying what the cache protects; not a boolean is refused", () => {
        for (const cloud of ["aws", "gcp"] as const) {
          assert.match(
            onlyProblem(
              { ...stackValues("prod", cloud), "meridian:cacheEnabled": "false" },
              "meridian:cacheEnabled",
              "prod",
            ),
            /must be true in prod \(prod keeps the API's own rate limits, its response cache and webhook de-duplication/,
          );
        }
        assert.match(
          onlyProblem({ ...AWS, "meridian:cacheEnabled": "off" }, "meridian:cacheEnabled"),
          /expected true or false/,
        );
      });
    });

    describe("the scheduled job", () => {
      it("GCP data stores: replicas need 5 GB, 7+ days of backups, no shared-core tier in prod (all at once)", () => {
        const e = reject({
          ...GCP,
          "meridian:cacheReplicas": "1",
          "meridian:dbBackupRetentionDays": "3",
        }).problems;
        assert.deepEqual(e.map((p) => p.key).sort(), [
          "meridian:cacheMemoryGb",
          "meridian:dbBackupRetentionDays",
        ]);
        assert.match(e.find((p) => p.key === "meridian:cacheMemoryGb")!.message, /at least 5 GB/);
        assert.match(e.find((p) => p.key === "meridian:dbBackupRetentionDays")!.message, /at least 7 days/);
        assert.equal(
          parse({ ...GCP, "meridian:cacheReplicas": "1", "meridian:cacheMemoryGb": "5" }).cache.replicas,
          1,
        );
        assert.equal(
          parse({ ...AWS, "meridian:dbBackupRetentionDays": "3" }).database.backupRetentionDays,
          3,
        );
        assert.match(
          onlyProblem(
            { ...stackValues("prod", "gcp"), "meridian:dbTier": "db-f1-micro" },
            "meridian:dbTier",
            "prod",
          ),
          /shared-core tiers .* no SLA/,
        );
        assert.equal(parse({ ...GCP, "meridian:dbTier": "db-g1-small" }).database.tier, "db-g1-small");
      });
    });
  });
});
