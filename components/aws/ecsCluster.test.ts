import { strict as assert } from "node:assert";
import { capacityStrategy } from "./ecsCluster";

describe("aws service capacity (pure)", () => {
  it("capacityStrategy", () => {
    assert.deepEqual(capacityStrategy(false, true), [{ capacityProvider: "FARGATE", base: 1, weight: 1 }]);
    // Spot without an on-demand base (dev): every task on FARGATE_SPOT; with it (prod): the first on FARGATE.
    assert.deepEqual(capacityStrategy(true, false), [
      { capacityProvider: "FARGATE", base: 0, weight: 0 },
      { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
    ]);
    assert.deepEqual(capacityStrategy(true, true)[0], { capacityProvider: "FARGATE", base: 1, weight: 0 });
  });
});
