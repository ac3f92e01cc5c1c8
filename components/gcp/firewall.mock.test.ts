import { strict as assert } from "node:assert";
import { inputsOf } from "../../infra/offline/testing";
import { Built, networkSuite, T } from "./network.testkit";

const { buildDefault } = networkSuite();

describe("gcp Network (mocks)", () => {
  describe("defaults (direct VPC egress)", () => {
    let b: Built;
    before(async () => (b = await buildDefault()));

    it("denies and logs all other ingress at priority 65534", () => {
      const deny = inputsOf(b.byName("net-default-deny-all-ingress"));
      assert.equal(deny.direction, "INGRESS");
      assert.equal(deny.priority, 65534);
      assert.deepEqual(deny.denies, [{ protocol: "all" }]);
      assert.deepEqual(deny.sourceRanges, ["0.0.0.0/0"]);
      assert.deepEqual(deny.logConfig, { metadata: "INCLUDE_ALL_METADATA" });
      assert.equal(deny.allows, undefined);
    });

    it("allows health checks only from Google's ranges, to tagged backends, logged", () => {
      const hc = inputsOf(b.byName("net-default-allow-health-checks"));
      assert.equal(hc.direction, "INGRESS");
      assert.equal(hc.priority, 1000);
      assert.deepEqual(hc.allows, [{ protocol: "tcp", ports: ["8080"] }]);
      assert.deepEqual([...hc.sourceRanges].sort(), ["130.211.0.0/22", "35.191.0.0/16"]);
      assert.deepEqual(hc.targetTags, ["meridian-lb-backend"]);
      assert.deepEqual(hc.logConfig, { metadata: "INCLUDE_ALL_METADATA" });
    });

    it("has no allow rule from 0.0.0.0/0 and every rule is logged", () => {
      const rules = b.all(T.firewall).map(inputsOf);
      assert.equal(rules.length, 2);
      for (const r of rules) {
        assert.ok(r.logConfig, `${r.name} is not logged`);
        if ((r.allows ?? []).length > 0)
          assert.ok(!r.sourceRanges.includes("0.0.0.0/0"), `${r.name} allows the world`);
      }
    });
  });
});
