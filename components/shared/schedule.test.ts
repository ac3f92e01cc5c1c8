import { strict as assert } from "node:assert";
import { toEventBridgeCron } from "./schedule";

describe("shared schedule", () => {
  it("translates cron to EventBridge, with ? in the unused day field and days of week 1-7", () => {
    assert.equal(toEventBridgeCron("15 3 * * *"), "cron(15 3 * * ? *)");
    assert.equal(toEventBridgeCron("*/10 * * * *"), "cron(*/10 * * * ? *)");
    assert.equal(toEventBridgeCron("0 6 1 * *"), "cron(0 6 1 * ? *)");
    assert.equal(toEventBridgeCron("0 6 * * 1-5"), "cron(0 6 ? * 2-6 *)");
    assert.equal(toEventBridgeCron("0 0 * * 0,6"), "cron(0 0 ? * 1,7 *)");
    assert.equal(toEventBridgeCron("  30   2 * 1 * "), "cron(30 2 * 1 ? *)");
  });

  it("rejects what EventBridge cannot express, saying what is allowed", () => {
    assert.throws(
      () => toEventBridgeCron("0 6 1 * 1"),
      /restricts both day-of-month and day-of-week; allowed: one of them "\*"/,
    );
    assert.throws(() => toEventBridgeCron("0 6 * *"), /not a 5-field cron/);
  });
});
