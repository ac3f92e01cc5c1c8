import { strict as assert } from "node:assert";
import { memberClusterIds } from "./replicationGroup";

describe("aws Cache replication group helpers", () => {
  it("memberClusterIds follows ElastiCache's naming", () => {
    assert.deepEqual(memberClusterIds("g", 3), ["g-001", "g-002", "g-003"]);
  });
});
