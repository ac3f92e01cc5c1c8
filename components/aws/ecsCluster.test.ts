import { strict as assert } from "node:assert";
import { capacityStrategy } from "./ecsCluster";

describe("aws service capacity (pure)", () => {
  it("capacityStrategy", () => {
    assert.deepEqual(capacityStrategy(false, true), [{ capacityProvider: "FARGATE", base: 1, weight: 1 }]);
  });
});
