import { strict as assert } from "node:assert";
import { checkCron, cronProblem } from "./cron";

describe("shared 5-field cron", () => {
  it("accepts numbers, ranges, lists and steps", () => {
    for (const ok of ["15 3 * * *", "*/5 * * * *", "0 6 * * 1-5", "0 0 1,15 * *", "0 9-17/2 * 1-12 0"]) {
      assert.equal(cronProblem(ok), undefined, ok);
    }
  });

  it("refuses wrong field counts, names, out-of-range numbers and reversed ranges", () => {
    assert.match(cronProblem("0 3 * *") ?? "", /5-field/);
    assert.match(cronProblem("0 3 * * MON") ?? "", /day-of-week field "MON"/);
    assert.match(cronProblem("60 3 * * *") ?? "", /minute field "60"/);
    assert.match(cronProblem("0 3 0 * *") ?? "", /day-of-month field "0"/);
    assert.match(cronProblem("0 5-3 * * *") ?? "", /hour field "5-3"/);
    assert.match(cronProblem("*/0 * * * *") ?? "", /minute field/);
  });

  it("checkCron names the argument and normalises spaces", () => {
    assert.equal(checkCron("schedule", "  15  3 * * * "), "15 3 * * *");
    assert.throws(
      () => checkCron("schedule", "0 25 * * *"),
      /^Error: schedule is "0 25 \* \* \*"; allowed: hour field/,
    );
    assert.throws(() => checkCron("schedule", 5), /schedule is 5/);
  });
});
