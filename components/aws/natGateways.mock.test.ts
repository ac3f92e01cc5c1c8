import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf, promiseOf } from "../../infra/offline/testing";
import { type Built, networkSuite, T } from "./network.testkit";

const { suite, build } = networkSuite();

describe("aws Network NAT gateways (mocks)", () => {
  describe("defaults: 2 AZs, single NAT", () => {
    let b: Built;
    before(async () => {
      b = await build("net-default");
    });

    it("gives each private subnet its own route table, default route to the single NAT", () => {
      const nat = b.one(T.nat);
      assert.equal(nat.name, "net-default-nat-a");
      assert.equal(inputsOf(nat).subnetId, b.byName("public-a").id);
      assert.equal(inputsOf(nat).allocationId, b.one(T.eip).outputs.allocationId);
      assert.equal(inputsOf(b.one(T.eip)).domain, "vpc");
      for (const letter of ["a", "b"]) {
        const rt = b.tableOf(`private-${letter}`);
        assert.equal(rt.name, `net-default-private-${letter}-rt`);
        assert.equal(inputsOf(rt).tags.tier, "private");
        assert.equal(inputsOf(rt).routes, undefined, "no inline routes");
        const routes = b.routesOf(rt);
        assert.equal(routes.length, 1);
        assert.equal(inputsOf(routes[0]).destinationCidrBlock, "0.0.0.0/0");
        assert.equal(inputsOf(routes[0]).natGatewayId, nat.id);
      }
    });
  });

  describe("NAT strategies", () => {
    it("perAz with 3 AZs: one NAT per AZ, each private subnet routes through its own AZ's NAT", async () => {
      const b = await build("net-peraz", { azCount: 3, natStrategy: "perAz" });
      assert.equal(b.all(T.subnet).length, 9);
      assert.deepEqual(b.suffixes(T.nat), ["nat-a", "nat-b", "nat-c"]);
      assert.deepEqual(b.suffixes(T.eip), ["nat-a-eip", "nat-b-eip", "nat-c-eip"]);
      for (const letter of ["a", "b", "c"]) {
        const nat = b.byName(`nat-${letter}`);
        assert.equal(
          inputsOf(nat).subnetId,
          b.byName(`public-${letter}`).id,
          `nat-${letter} in public-${letter}`,
        );
        assert.equal(inputsOf(nat).allocationId, b.byName(`nat-${letter}-eip`).outputs.allocationId);
        const routes = b.routesOf(b.tableOf(`private-${letter}`));
        assert.equal(routes.length, 1);
        assert.equal(inputsOf(routes[0]).destinationCidrBlock, "0.0.0.0/0");
        assert.equal(
          inputsOf(routes[0]).natGatewayId,
          nat.id,
          `private-${letter} routes through nat-${letter}`,
        );
      }
      assert.deepEqual(b.routesOf(b.byName("isolated-rt")), []);
      const outputs = await promiseOf(pulumi.output(b.net.outputs));
      assert.deepEqual(outputs.egress, { strategy: "perAz", natGateways: 3 });
      assert.equal((await promiseOf(b.net.natPublicIps)).length, 3);
    });

    it("single with 3 AZs: every private subnet routes through the one NAT in the first AZ", async () => {
      const b = await build("net-single3", { azCount: 3, natStrategy: "single" });
      const nat = b.one(T.nat);
      assert.equal(inputsOf(nat).subnetId, b.byName("public-a").id);
      for (const letter of ["a", "b", "c"]) {
        const routes = b.routesOf(b.tableOf(`private-${letter}`));
        assert.deepEqual(
          routes.map((r) => inputsOf(r).natGatewayId),
          [nat.id],
        );
      }
    });

    it("none: no NAT, no EIP, and no default route in the private route tables", async () => {
      const b = await build("net-none", { natStrategy: "none" });
      assert.equal(b.all(T.nat).length, 0);
      assert.equal(b.all(T.eip).length, 0);
      for (const letter of ["a", "b"]) assert.deepEqual(b.routesOf(b.tableOf(`private-${letter}`)), []);
      // Still one private route table per AZ, so adding NAT later only adds routes.
      assert.deepEqual(b.suffixes(T.routeTable), [
        "isolated-rt",
        "private-a-rt",
        "private-b-rt",
        "public-rt",
      ]);
      // The only route left is the public one.
      assert.deepEqual(b.suffixes(T.route), ["public-internet"]);
      assert.deepEqual(await promiseOf(b.net.natGatewayIds), []);
      assert.deepEqual(await promiseOf(b.net.natPublicIps), []);
      assert.deepEqual((await promiseOf(pulumi.output(b.net.outputs))).egress, {
        strategy: "none",
        natGateways: 0,
      });
    });
  });

  describe("pure helpers", () => {
    it("planNat: which zones get a NAT and where each private subnet routes", () => {
      assert.deepEqual(suite.mod.planNat("none", 3), {
        gateways: [],
        routeTo: [undefined, undefined, undefined],
      });
      assert.deepEqual(suite.mod.planNat("single", 3), { gateways: [0], routeTo: [0, 0, 0] });
      assert.deepEqual(suite.mod.planNat("perAz", 3), { gateways: [0, 1, 2], routeTo: [0, 1, 2] });
    });
  });
});
